// The study workspace over HTTP on a small synthetic registry: list the bundled spec, run it, follow its progress,
// read the report and results.json; who may do it; invalid specs answer 400 naming the field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { saveSynthetic } from '../cli/demo-command.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { repoRoot } from '../../test/support/paths.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { loginAs, withServerApp as withServer } from '../../test/support/server-app.js';

const BUNDLED = readFileSync(join(repoRoot, 'examples', 'studies', 'pump-vs-iabp.yaml'), 'utf8');



interface RunView {
  id: string;
  status: string;
  steps: Array<{ step: string }>;
  error: string | null;
}

async function waitForRun(app: FastifyInstance, headers: Record<string, string>, runId: string, timeout_ms = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeout_ms;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}`, headers });
    assert.equal(res.statusCode, 200, res.body);
    const run = res.json() as RunView;
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) assert.fail(`run ${runId} still ${run.status} after ${timeout_ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const target of registryTargets()) {
  describe(`study routes (${target.name} registry)`, () => {
    it('runs the bundled study on the de-identified registry and serves its report and results', async () => {
      await withFreshRegistry(target, async (registry) => {
        const params = synthParameters({ patients: 300, sites: 3, seed: 1 });
        await saveSynthetic(registry, [...generateRegistry(params)].map((p) => p.record), params, 'test');
        await withServer(registry, async (app, ctx) => {
          const headers = await loginAs(app, ctx, 'researcher');
          const list = await app.inject({ method: 'GET', url: '/api/studies', headers });
          assert.equal(list.statusCode, 200);
          const bundled = (list.json() as { items: Array<{ id: string; origin: string; title: string; spec: string }> }).items.find((s) => s.id === 'bundled:pump-vs-iabp');
          assert.ok(bundled);
          assert.equal(bundled.spec, BUNDLED);

          const started = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec: bundled.spec } });
          assert.equal(started.statusCode, 202, started.body);
          const { runId } = started.json() as { runId: string };
          const run = await waitForRun(app, headers, runId);
          assert.equal(run.status, 'succeeded', run.error ?? '');
          assert.ok(run.steps.some((s) => s.step.includes('cohort')), 'progress names the pipeline steps');

          const report = await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}/report`, headers });
          assert.equal(report.statusCode, 200);
          assert.match(String(report.headers['content-type']), /^text\/html/);
          assert.match(String(report.headers['content-security-policy']), /default-src 'none'/);
          assert.match(report.body, /Microaxial flow pump vs IABP/);
          const results = await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}/results`, headers });
          assert.equal(results.statusCode, 200);
          const json = results.json() as { spec: { title: string }; comparison: unknown[] };
          assert.equal(json.spec.title, 'Microaxial flow pump vs IABP in AMI cardiogenic shock');
          assert.ok(json.comparison.length > 0);

          const runs = (await app.inject({ method: 'GET', url: '/api/studies/runs', headers })).json() as { items: RunView[] };
          assert.equal(runs.items[0]?.id, runId);
          const read = await registry.db.selectFrom('audit_log').selectAll().where('entity', '=', 'registry').where('entity_key', '=', 'study').execute();
          assert.equal(read.length, 1, 'the registry read is in the audit trail');
          assert.match(JSON.stringify(read[0]!.after), /"deidentified":\s*true/);
          assert.match(read[0]!.actor, /^user:researcher-/);

          // The same spec as a JSON object, saved, and listed.
          const saved = await app.inject({ method: 'POST', url: '/api/studies', headers, payload: { name: 'my copy', spec: BUNDLED } });
          assert.equal(saved.statusCode, 201, saved.body);
          const listed = (await app.inject({ method: 'GET', url: '/api/studies', headers })).json() as { items: Array<{ name: string; origin: string }> };
          assert.ok(listed.items.some((s) => s.origin === 'saved' && s.name === 'my copy'));
        });
      });
    });

    it('answers 400 naming the field for an invalid spec, refuses CSV sources, 404 for unknown runs, and 403 to other roles', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app, ctx) => {
          const headers = await loginAs(app, ctx, 'researcher');
          const badYaml = BUNDLED.replace('horizon_d: 365', 'horizon_d: -5');
          const bad = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec: badYaml } });
          assert.equal(bad.statusCode, 400, bad.body);
          assert.equal((bad.json() as { field: string }).field, 'spec.outcomes[0].horizon_d');
          const notYaml = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec: 'title: [unclosed' } });
          assert.equal(notYaml.statusCode, 400);
          const badObject = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec: { title: 'x' } } });
          assert.equal(badObject.statusCode, 400);
          assert.match(String((badObject.json() as { field: string }).field), /^spec\./);
          const csv = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec: BUNDLED.replace('  registry: true', '  csv: /etc/passwd') } });
          assert.equal(csv.statusCode, 400);
          assert.equal((csv.json() as { field: string }).field, 'spec.source');
          const missing = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: {} });
          assert.equal(missing.statusCode, 400);
          assert.equal((missing.json() as { field: string }).field, 'spec');
          const unknown = await app.inject({ method: 'GET', url: '/api/studies/runs/00000000-0000-4000-8000-000000000000', headers });
          assert.equal(unknown.statusCode, 404);
          assert.equal((await app.inject({ method: 'GET', url: '/api/studies/runs/not-a-uuid', headers })).statusCode, 400);

          for (const role of ['clinician', 'auditor'] as const) {
            const other = await loginAs(app, ctx, role, role === 'clinician' ? ['site-01'] : []);
            assert.equal((await app.inject({ method: 'GET', url: '/api/studies', headers: other })).statusCode, 403, role);
            assert.equal((await app.inject({ method: 'POST', url: '/api/studies/runs', headers: other, payload: { spec: BUNDLED } })).statusCode, 403, role);
          }
          const admin = await loginAs(app, ctx, 'admin');
          assert.equal((await app.inject({ method: 'GET', url: '/api/studies', headers: admin })).statusCode, 200);
        }),
      );
    });
  });
}
