// The study workspace over HTTP on a small synthetic registry: list the bundled spec, run it, follow its progress,
// read the report and results.json; who may do it; invalid specs answer 400 naming the field. Saved specs and runs
// outlive the server (rows of the registry), runs left unfinished by a stopped server read as failed, and the server
// answers while a study computes (the run is in a worker thread).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { saveSynthetic } from '../cli/demo-command.js';
import { openRegistry, type Registry } from '../registry/db/registry-connection.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { repoRoot } from '../../test/support/paths.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { loginAs, withServerApp as withServer } from '../../test/support/server-app.js';

const BUNDLED = readFileSync(join(repoRoot, 'examples', 'studies', 'pump-vs-iabp.yaml'), 'utf8');
const INTERRUPTED = 'interrupted: the server stopped while this run was in progress';

interface RunView {
  id: string;
  status: string;
  steps: Array<{ step: string; elapsed_s: number }>;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The demo-size synthetic registry of these tests (the bundled study takes seconds on it). */
async function seed(registry: Registry, patients = 300): Promise<void> {
  const params = synthParameters({ patients, sites: 3, seed: 1 });
  await saveSynthetic(registry, [...generateRegistry(params)].map((p) => p.record), params, 'test');
}

/** What a client polling GET /health saw: the slowest answer (sent -> answered), answers 200, other outcomes. */
interface HealthPolls {
  readonly slowest_ms: number;
  readonly answers: number;
  readonly failures: number;
}

/** Polls `url` from a worker thread (its own event loop) every 5 ms until stopped. */
function pollHealth(url: string): { stop(): Promise<HealthPolls> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    let stopped = false;
    parentPort.once('message', () => { stopped = true; });
    (async () => {
      let slowest_ms = 0, answers = 0, failures = 0;
      while (!stopped) {
        const t0 = performance.now();
        try {
          const res = await fetch(workerData.url);
          await res.text();
          if (res.status === 200) answers += 1; else failures += 1;
        } catch {
          failures += 1;
        }
        slowest_ms = Math.max(slowest_ms, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
      parentPort.postMessage({ slowest_ms, answers, failures });
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url } });
  return {
    stop: () =>
      new Promise<HealthPolls>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', (m: HealthPolls) => {
          void worker.terminate();
          resolve(m);
        });
        worker.postMessage('stop');
      }),
  };
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
        await seed(registry);
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

    it('keeps saved specs and runs across a restart, and answers /health while a study computes', async (t) => {
      const { location, dispose } = await target.fresh();
      try {
        let runId = '';
        let report = '';
        let results = '';
        let run: RunView | undefined;
        const first = await openRegistry(location);
        try {
          await seed(first);
          await withServer(first, async (app, ctx) => {
            const headers = await loginAs(app, ctx, 'researcher');
            const saved = await app.inject({ method: 'POST', url: '/api/studies', headers, payload: { name: 'kept spec', spec: BUNDLED } });
            assert.equal(saved.statusCode, 201, saved.body);
            const again = await app.inject({ method: 'POST', url: '/api/studies', headers, payload: { name: 'kept spec', spec: BUNDLED } });
            assert.equal(again.statusCode, 409, again.body);
            assert.equal((again.json() as { field: string }).field, 'name');

            // A client in a thread of its own polls /health over HTTP all along the run, so a blocked event loop in
            // the server shows as a slow answer (a client in this thread would be held back with it).
            await app.listen({ host: '127.0.0.1', port: 0 });
            const { port } = app.server.address() as AddressInfo;
            const health = pollHealth(`http://127.0.0.1:${port}/health`);
            const started = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec: BUNDLED } });
            assert.equal(started.statusCode, 202, started.body);
            runId = (started.json() as { runId: string }).runId;
            run = await waitForRun(app, headers, runId);
            const { slowest_ms, answers, failures } = await health.stop();
            assert.equal(failures, 0, 'every GET /health answered 200');
            t.diagnostic(`slowest GET /health during the run: ${slowest_ms.toFixed(0)} ms (${answers} answers)`);
            assert.equal(run.status, 'succeeded', run.error ?? '');
            const took_ms = Date.parse(run.finishedAt ?? '') - Date.parse(run.createdAt);
            assert.ok(took_ms > 1000, `the study took ${took_ms} ms: too short to show the server stays responsive`);
            assert.ok(answers >= 20, `only ${answers} /health answers during a ${took_ms} ms run`);
            // In-process, the pipeline would hold the loop for the whole run (over 1 s); 500 ms leaves room for a busy CI machine.
            assert.ok(slowest_ms < 500, `GET /health took ${slowest_ms.toFixed(0)} ms to answer while the study ran (${answers} answers)`);

            report = (await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}/report`, headers })).body;
            results = (await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}/results`, headers })).body;
            assert.match(report, /Microaxial flow pump vs IABP/);
          });
        } finally {
          await first.close();
        }

        const second = await openRegistry(location);
        try {
          await withServer(second, async (app, ctx) => {
            const headers = await loginAs(app, ctx, 'admin');
            const specs = (await app.inject({ method: 'GET', url: '/api/studies', headers })).json() as { items: Array<{ origin: string; name: string; spec: string; savedBy: string | null }> };
            const kept = specs.items.filter((s) => s.origin === 'saved');
            assert.equal(kept.length, 1);
            assert.equal(kept[0]!.name, 'kept spec');
            assert.equal(kept[0]!.spec, BUNDLED);
            assert.match(kept[0]!.savedBy ?? '', /^researcher-/);

            const after = await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}`, headers });
            assert.equal(after.statusCode, 200, after.body);
            assert.deepEqual(after.json(), run, 'the run reads back as it finished');
            const listed = (await app.inject({ method: 'GET', url: '/api/studies/runs', headers })).json() as { items: RunView[] };
            assert.deepEqual(listed.items.map((r) => r.id), [runId]);
            const reportAfter = await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}/report`, headers });
            assert.equal(reportAfter.statusCode, 200);
            assert.equal(reportAfter.body, report);
            const resultsAfter = await app.inject({ method: 'GET', url: `/api/studies/runs/${runId}/results`, headers });
            assert.equal(resultsAfter.statusCode, 200);
            assert.equal(resultsAfter.body, results);
          });
        } finally {
          await second.close();
        }
      } finally {
        await dispose();
      }
    });

    it('shows runs a stopped server left queued or running as failed, and a study that fails as a failed run with its message', async () => {
      await withFreshRegistry(target, async (registry) => {
        await seed(registry, 40);
        // What a server process that stopped mid-run leaves behind.
        const left = [
          { id: '11111111-1111-4111-8111-111111111111', status: 'running' as const },
          { id: '22222222-2222-4222-8222-222222222222', status: 'queued' as const },
        ];
        for (const { id, status } of left) {
          await registry.db
            .insertInto('study_runs')
            .values({ id, title: 'left behind', spec: BUNDLED, status, steps: JSON.stringify([{ step: 'reading the registry (de-identified)', at: '2025-01-01T00:00:00.000Z', elapsed_s: 0 }]), created_by: 'someone', created_at: '2025-01-01T00:00:00Z' })
            .execute();
        }
        await withServer(registry, async (app, ctx) => {
          const headers = await loginAs(app, ctx, 'researcher');
          for (const { id } of left) {
            const res = await app.inject({ method: 'GET', url: `/api/studies/runs/${id}`, headers });
            assert.equal(res.statusCode, 200, res.body);
            const run = res.json() as RunView;
            assert.equal(run.status, 'failed', id);
            assert.equal(run.error, INTERRUPTED);
            assert.ok(run.finishedAt !== null);
            assert.equal(run.steps.length, 1, 'the progress it had made is kept');
            const report = await app.inject({ method: 'GET', url: `/api/studies/runs/${id}/report`, headers });
            assert.equal(report.statusCode, 409);
            assert.match((report.json() as { detail: string }).detail, /interrupted/);
          }

          // A spec that validates but names a column the analysis table does not have: the pipeline refuses it. Sent
          // as a JSON object, so the stored form of an object spec is also what the worker reads back.
          const spec = parseYaml(BUNDLED.replace('column: device_group_t0', 'column: no_such_column')) as Record<string, unknown>;
          const started = await app.inject({ method: 'POST', url: '/api/studies/runs', headers, payload: { spec } });
          assert.equal(started.statusCode, 202, started.body);
          const run = await waitForRun(app, headers, (started.json() as { runId: string }).runId);
          assert.equal(run.status, 'failed');
          assert.match(run.error ?? '', /no_such_column/);
          const results = await app.inject({ method: 'GET', url: `/api/studies/runs/${run.id}/results`, headers });
          assert.equal(results.statusCode, 409);
        });
      });
    });
  });
}
