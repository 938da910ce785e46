// POST /api/imports through the assembled server: FHIR, REDCap and native CSV uploads land in the registry with an
// audit record; a rejected upload answers every rejection and leaves the registry unchanged; a clinician imports
// for their own sites only; researchers and anonymous callers cannot import. Runs on each registry target.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../package-root.js';
import { recordsToCsvTables } from '../registry/csv/native-write.js';
import type { Registry } from '../registry/db/registry-connection.js';
import { recordsToFhirBundle } from '../registry/fhir/record-to-fhir.js';
import { parseMappingJson } from '../registry/mapping-file.js';
import type { RegistryRecord } from '../registry/record.js';
import { parseRedcapDictionary } from '../registry/redcap/redcap-dictionary.js';
import { recordsToRedcapExport } from '../registry/redcap/redcap-export.js';
import { redcapMappingSchema } from '../registry/redcap/redcap-mapping.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { loginAs as login, withServerApp as withApp } from '../../test/support/server-app.js';


/** Four synthetic patients at site-01 and site-02 (synthetic data only). */
function syntheticRecords(): RegistryRecord[] {
  const out: RegistryRecord[] = [];
  for (const p of generateRegistry(synthParameters({ patients: 6, sites: 2, seed: 11 }))) out.push(p.record);
  return out;
}



/** What an import could change: episodes, imports, rejections and the audit trail. */
async function registryCounts(registry: Registry): Promise<Record<string, number>> {
  const count = async (table: 'episodes' | 'imports' | 'import_rejections' | 'audit_log') =>
    Number((await registry.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { episodes: await count('episodes'), imports: await count('imports'), rejections: await count('import_rejections'), audit: await count('audit_log') };
}

function upload(app: FastifyInstance, headers: Record<string, string>, format: string, body: string, contentType: string, query = '') {
  return app.inject({ method: 'POST', url: `/api/imports?format=${format}${query}`, headers: { ...headers, 'content-type': contentType }, payload: body });
}

interface ImportOk {
  importId: number;
  status: string;
  imported: number;
  unchanged: number;
  rejected: unknown[];
}
interface RejectedProblem {
  status: number;
  title: string;
  detail: string;
  field?: string;
  rejected: { file: string; row: number | null; field: string; value: string; reason: string }[];
}

const records = syntheticRecords();
const sitesOf = (rs: readonly RegistryRecord[]) => [...new Set(rs.map((r) => r.site))].sort();

for (const target of registryTargets()) {
  describe(`POST /api/imports (${target.name} registry)`, () => {
    it('imports a FHIR Bundle (admin), audits it, and changes nothing when the same bytes come again', async () => {
      await withFreshRegistry(target, (registry) =>
        withApp(registry, async (app, ctx) => {
          const admin = await login(app, ctx, 'admin');
          const bundle = JSON.stringify(recordsToFhirBundle(records));
          const res = await upload(app, admin, 'fhir', bundle, 'application/fhir+json');
          assert.equal(res.statusCode, 200, res.body);
          const body = res.json() as ImportOk;
          assert.equal(body.status, 'imported');
          assert.equal(body.imported, records.length);
          assert.deepEqual(body.rejected, []);
          assert.equal((await registryCounts(registry)).episodes, records.length);
          const audit = await registry.db.selectFrom('audit_log').selectAll().where('action', '=', 'import').execute();
          assert.equal(audit.length, 1);
          assert.match(audit[0]!.actor, /^user:admin-/);
          assert.equal(audit[0]!.entity_key, String(body.importId));

          const again = await upload(app, admin, 'fhir', bundle, 'application/json');
          assert.equal(again.statusCode, 200, again.body);
          assert.equal((again.json() as ImportOk).status, 'already-imported');
          assert.equal((again.json() as ImportOk).importId, body.importId);
          assert.equal((again.json() as ImportOk).imported, 0);
        }),
      );
    });

    it('imports a REDCap export (bundled dictionary and mapping) and a native episodes.csv', async () => {
      await withFreshRegistry(target, (registry) =>
        withApp(registry, async (app, ctx) => {
          const admin = await login(app, ctx, 'admin');
          const dir = join(packageRoot(), 'examples', 'redcap');
          const dictionary = parseRedcapDictionary(readFileSync(join(dir, 'stratum-cs-mcs-data-dictionary.csv'), 'utf8'), 'dictionary');
          const mapping = parseMappingJson(readFileSync(join(dir, 'stratum-cs-mcs-mapping.json'), 'utf8'), 'mapping', redcapMappingSchema, 'a mapping');
          // A REDCap export names no site (no data access groups here): ?site= gives it.
          const [siteA] = sitesOf(records);
          const ofA = records.filter((r) => r.site === siteA);
          const others = records.filter((r) => r.site !== siteA);
          const redcap = recordsToRedcapExport(ofA, dictionary, mapping);
          const r1 = await upload(app, admin, 'redcap', redcap, 'text/csv', `&site=${siteA}`);
          assert.equal(r1.statusCode, 200, r1.body);
          assert.equal((r1.json() as ImportOk).imported, ofA.length);

          const episodesCsv = recordsToCsvTables(others).get('episodes.csv');
          assert.ok(episodesCsv);
          const r2 = await upload(app, admin, 'csv', episodesCsv, 'text/csv; charset=utf-8');
          assert.equal(r2.statusCode, 200, r2.body);
          assert.equal((r2.json() as ImportOk).imported, others.length);
          assert.equal((await registryCounts(registry)).episodes, records.length);
        }),
      );
    });

    it('rejects an upload with a bad row: 400 with every rejection, and the registry unchanged', async () => {
      await withFreshRegistry(target, (registry) =>
        withApp(registry, async (app, ctx) => {
          const admin = await login(app, ctx, 'admin');
          const before = await registryCounts(registry);
          const [header, ...rows] = recordsToCsvTables(records).get('episodes.csv')!.trimEnd().split('\n');
          const columns = header!.split(',');
          const age = columns.indexOf('age_years');
          assert.ok(age >= 0, `episodes.csv has age_years: ${header}`);
          const cells = rows[1]!.split(',');
          cells[age] = '-4';
          const bad = [header, rows[0], cells.join(','), ...rows.slice(2)].join('\n') + '\n';
          const res = await upload(app, admin, 'csv', bad, 'text/csv');
          assert.equal(res.statusCode, 400, res.body);
          assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
          const problem = res.json() as RejectedProblem;
          assert.equal(problem.status, 400);
          assert.ok(problem.rejected.length >= 1, res.body);
          const first = problem.rejected[0]!;
          assert.equal(first.file, 'episodes.csv');
          assert.equal(first.row, 3);
          assert.match(first.field, /age/);
          assert.equal(first.value, '-4');
          assert.ok(first.reason.length > 0);
          assert.deepEqual(await registryCounts(registry), before, 'nothing written: no episode, no import, no audit record');

          const notJson = await upload(app, admin, 'fhir', '{"resourceType": "Bundle", ', 'application/json');
          assert.equal(notJson.statusCode, 400, notJson.body);
          assert.equal((notJson.json() as RejectedProblem).rejected[0]?.field, 'JSON');
          assert.deepEqual(await registryCounts(registry), before);
        }),
      );
    });

    it('lets a clinician import for their own sites only (403 naming the other site) and no researcher or anonymous caller', async () => {
      await withFreshRegistry(target, (registry) =>
        withApp(registry, async (app, ctx) => {
          const [siteA, siteB] = sitesOf(records);
          assert.ok(siteA && siteB, 'the fixture spans two sites');
          const before = await registryCounts(registry);
          const clinicianA = await login(app, ctx, 'clinician', [siteA]);
          const both = JSON.stringify(recordsToFhirBundle(records));
          const denied = await upload(app, clinicianA, 'fhir', both, 'application/json');
          assert.equal(denied.statusCode, 403, denied.body);
          assert.match((denied.json() as RejectedProblem).detail, new RegExp(`site ${siteB}`));
          const wrongSite = await upload(app, clinicianA, 'fhir', both, 'application/json', `&site=${siteB}`);
          assert.equal(wrongSite.statusCode, 403, wrongSite.body);
          const afterDenied = await registryCounts(registry);
          assert.equal(afterDenied.episodes, before.episodes);
          assert.equal(afterDenied.imports, before.imports);

          const own = records.filter((r) => r.site === siteA);
          const ok = await upload(app, clinicianA, 'fhir', JSON.stringify(recordsToFhirBundle(own)), 'application/json');
          assert.equal(ok.statusCode, 200, ok.body);
          assert.equal((ok.json() as ImportOk).imported, own.length);

          const researcher = await login(app, ctx, 'researcher');
          assert.equal((await upload(app, researcher, 'fhir', both, 'application/json')).statusCode, 403);
          assert.equal((await upload(app, {}, 'fhir', both, 'application/json')).statusCode, 401);
          const admin = await login(app, ctx, 'admin');
          const noCsrf = await upload(app, { cookie: admin['cookie']! }, 'fhir', both, 'application/json');
          assert.equal(noCsrf.statusCode, 403, 'a session write needs the CSRF header');
          const badFormat = await upload(app, admin, 'xml', both, 'application/json');
          assert.equal(badFormat.statusCode, 400);
          assert.equal((badFormat.json() as RejectedProblem).field, 'format');
          assert.equal((await registryCounts(registry)).episodes, own.length);
        }),
      );
    });
  });
}
