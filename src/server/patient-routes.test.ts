import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyError, type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { parseEpisode } from '../clinical/episode/episode.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import { assessAnticoagulation } from '../clinical/anticoagulation/index.js';
import { verifyAuditChain } from '../registry/db/audit-log.js';
import { loadRecords, saveRecords } from '../registry/db/episode-store.js';
import type { Registry } from '../registry/db/registry-connection.js';
import type { RegistryRecord } from '../registry/record.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { ENTRY_CLOCK_SKEW_MIN } from './entry-fields.js';
import { registerPatientRoutes } from './patient-routes.js';
import type { Principal } from './principal.js';
import { ProblemError } from './problem.js';
import { DEFAULT_SERVER_CONFIG, type ServerContext } from './server-context.js';

const XSS = '<script>alert(1)</script>';
const NOW = new Date('2030-01-01T08:00:00Z');

const PRINCIPALS: Record<string, Principal> = {
  admin: { userId: 1, username: 'admin', role: 'admin', sites: [], via: 'token' },
  clinA: { userId: 2, username: 'clin-a', role: 'clinician', sites: ['site-a'], via: 'token' },
  clinB: { userId: 3, username: 'clin-b', role: 'clinician', sites: ['site-b'], via: 'token' },
  researcher: { userId: 4, username: 'res', role: 'researcher', sites: [], via: 'token' },
  auditor: { userId: 5, username: 'aud', role: 'auditor', sites: [], via: 'token' },
};

/** Synthetic patients at site-a and site-b, made still on the unit (no discharge, no death, first device in place),
 *  except EP000005 which stays discharged with its device removed. */
function seedRecords(): RegistryRecord[] {
  const out: RegistryRecord[] = [];
  for (const p of generateRegistry(synthParameters({ patients: 6, sites: 2, seed: 5 }))) {
    const r = p.record;
    const site = r.site === 'site-01' ? 'site-a' : 'site-b';
    let episode: EpisodeInput = { ...r.episode, site };
    if (episode.id !== 'EP000005') {
      const events = episode.events ?? [];
      assert.ok(events.every((e, i) => e.kind !== 'death' || i === events.length - 1), 'death is the last event');
      const [first, ...rest] = episode.devices ?? [];
      const { removal: _r, removalReason: _rr, ...inPlace } = first!;
      const { discharge: _d, ...times } = episode.times ?? {};
      episode = { ...episode, times, events: events.filter((e) => e.kind !== 'death'), devices: [inPlace as typeof first & object, ...rest], followUp: {} };
    }
    out.push({ ...r, site, episode });
  }
  return out;
}

async function seed(registry: Registry): Promise<void> {
  const items = seedRecords().map((record) => {
    const parsed = parseEpisode(record.episode);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((x) => x.message).join('; '));
    return { record, episode: parsed.episode };
  });
  await registry.db.transaction().execute((trx) => saveRecords(trx, items, { actor: 'test', reason: 'seed', importId: null, now: NOW }));
}

/** The routes behind a stand-in for the auth hook: the principal comes from a test header. */
async function app(registry: Registry): Promise<FastifyInstance> {
  const ctx: ServerContext = { registry, config: DEFAULT_SERVER_CONFIG, now: () => NOW };
  const a = Fastify({ logger: false });
  a.setErrorHandler((error: FastifyError, _request, reply) => {
    const body = error instanceof ProblemError ? error.body() : { type: 'about:blank', title: 'Error', status: error.statusCode ?? 500, detail: error.message };
    return reply.code(body.status).type('application/problem+json').send(JSON.stringify(body));
  });
  a.decorateRequest('principal', null);
  a.addHook('onRequest', async (request) => {
    const who = request.headers['x-test-principal'];
    request.principal = typeof who === 'string' ? PRINCIPALS[who] ?? null : null;
  });
  registerPatientRoutes(a, ctx);
  await a.ready();
  return a;
}

function as(who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown): (a: FastifyInstance) => Promise<LightMyRequestResponse> {
  return (a) => a.inject({ method, url, headers: who ? { 'x-test-principal': who } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

async function episodeIds(registry: Registry): Promise<Record<string, number>> {
  const rows = await registry.db.selectFrom('episodes').select(['id', 'source_id']).execute();
  return Object.fromEntries(rows.map((r) => [r.source_id, r.id]));
}

async function storedEpisode(registry: Registry, sourceId: string): Promise<EpisodeInput> {
  for await (const page of loadRecords(registry.db)) {
    const r = page.find((x) => x.episode.id === sourceId);
    if (r) return r.episode;
  }
  throw new Error(`no ${sourceId}`);
}

const auditRows = (registry: Registry) => registry.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

for (const target of registryTargets()) {
  test(`[${target.name}] the board: a clinician sees only their sites; admin all; discharged patients are not active`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const a = await app(registry);
      const res = await as('clinA', 'GET', '/api/patients')(a);
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json() as { items: { site: string; sourceEpisodeId: string; scai: { label: string }; devices: unknown[]; alerts: unknown[] }[]; total: number; limit: number; offset: number };
      assert.ok(board.items.length > 0);
      assert.ok(board.items.every((i) => i.site === 'site-a'));
      assert.equal(board.total, 3);
      assert.deepEqual([board.limit, board.offset], [50, 0]);
      assert.ok(board.items.every((i) => typeof i.scai.label === 'string' && i.devices.length > 0));

      const all = (await as('admin', 'GET', '/api/patients')(a)).json() as typeof board;
      assert.deepEqual(new Set(all.items.map((i) => i.site)), new Set(['site-a', 'site-b']));
      assert.ok(!all.items.some((i) => i.sourceEpisodeId === 'EP000005'), 'discharged patient is not active');
      assert.equal(all.total, 5);
      const everyone = (await as('admin', 'GET', '/api/patients?status=all')(a)).json() as typeof board;
      assert.equal(everyone.total, 6);
      const page = (await as('admin', 'GET', '/api/patients?limit=2&offset=2')(a)).json() as typeof board;
      assert.deepEqual(page.items.map((i) => i.sourceEpisodeId), all.items.slice(2, 4).map((i) => i.sourceEpisodeId));

      const foreign = await as('clinA', 'GET', '/api/patients?site=site-b')(a);
      assert.equal(foreign.statusCode, 403);
      assert.match(String(foreign.headers['content-type']), /^application\/problem\+json/);
      const audit = await auditRows(registry);
      assert.ok(audit.some((r) => r.action === 'read' && r.entity === 'patient_board' && r.actor === 'user:clin-a'));
      await a.close();
    });
  });

  test(`[${target.name}] the board follows changes made outside the server (another process): a new patient, a discharge`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const a = await app(registry);
      type Board = { items: { sourceEpisodeId: string }[]; total: number };
      const board = async (url: string) => (await as('admin', 'GET', url)(a)).json() as Board;
      const before = await board('/api/patients');
      const beforeA = await board('/api/patients?site=site-a');
      assert.equal(before.total, 5);
      // Written straight to the registry, as `stratum import` in another process would: a copy of a site-a patient
      // under a new id, and EP000002 (site-a) off support and discharged.
      const stored = seedRecords();
      const copy = { ...stored.find((r) => r.episode.id === 'EP000002')! };
      const added = { ...copy, patient: { ...copy.patient, sourceId: 'P-NEW' }, episode: { ...copy.episode, id: 'EP-NEW' } };
      const devices = (copy.episode.devices ?? []).map((d) => (d.removal === undefined ? { ...d, removal: '2029-12-31T06:00:00Z' } : d));
      const discharged = { ...copy, episode: { ...copy.episode, devices, times: { ...copy.episode.times, discharge: '2029-12-31T08:00:00Z' } } };
      const items = [added, discharged].map((record) => {
        const parsed = parseEpisode(record.episode);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((x) => x.message).join('; '));
        return { record, episode: parsed.episode };
      });
      await registry.db.transaction().execute((trx) => saveRecords(trx, items, { actor: 'other-process', reason: 'test', importId: null, now: NOW }));
      const after = await board('/api/patients');
      const afterA = await board('/api/patients?site=site-a');
      for (const b of [after, afterA]) {
        assert.ok(b.items.some((i) => i.sourceEpisodeId === 'EP-NEW'), 'the new patient is on the board');
        assert.ok(!b.items.some((i) => i.sourceEpisodeId === 'EP000002'), 'the discharged patient has left the board');
      }
      assert.equal(after.total, before.total);
      assert.equal(afterA.total, beforeA.total);
      await a.close();
    });
  });

  test(`[${target.name}] the patient view: own site 200 with an audit record; another site 404; researcher 403; anonymous 401`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const own = await as('clinA', 'GET', `/api/patients/${ids['EP000002']}`)(a);
      assert.equal(own.statusCode, 200, own.body);
      const view = own.json() as { episodeId: number; site: string; patient: { sourceId: string }; timeline: { scai: { blocks: unknown[] } }; anticoagulation: { decisionSupport: boolean; decisionSupportLabel: string } };
      assert.equal(view.episodeId, ids['EP000002']);
      assert.equal(view.site, 'site-a');
      assert.ok(view.timeline.scai.blocks.length > 0);
      assert.equal(view.anticoagulation.decisionSupport, true);
      assert.equal(view.anticoagulation.decisionSupportLabel, 'Decision support for the treating clinician, not an order');
      const reads = (await auditRows(registry)).filter((r) => r.action === 'read' && r.entity === 'episode');
      assert.deepEqual(reads.map((r) => [r.actor, r.entity_key]), [['user:clin-a', 'site-a/EP000002']]);

      const other = await as('clinA', 'GET', `/api/patients/${ids['EP000001']}`)(a);
      const missing = await as('clinA', 'GET', '/api/patients/999999')(a);
      assert.equal(other.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(other.json().detail.replace(/\d+/g, 'N'), missing.json().detail.replace(/\d+/g, 'N'), 'another site reads like no patient');

      for (const who of ['researcher', 'auditor']) {
        assert.equal((await as(who, 'GET', `/api/patients/${ids['EP000002']}`)(a)).statusCode, 403);
        assert.equal((await as(who, 'GET', '/api/patients')(a)).statusCode, 403);
        assert.equal((await as(who, 'POST', `/api/patients/${ids['EP000002']}/observations`, { observations: [] })(a)).statusCode, 403);
      }
      assert.equal((await as(null, 'GET', '/api/patients')(a)).statusCode, 401);
      assert.equal((await as('admin', 'GET', `/api/patients/${ids['EP000001']}`)(a)).statusCode, 200);
      // A clinician cannot write to another site's patient either.
      const write = await as('clinA', 'POST', `/api/patients/${ids['EP000001']}/observations`, { observations: [{ time: '2024-11-10T10:00:00Z', code: 'lactate_mmol_L', value: 2 }] })(a);
      assert.equal(write.statusCode, 404);
      await a.close();
    });
  });

  test(`[${target.name}] an anti-Xa/aPTT pair entered together is classified, with the next step, and saved as a new version`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const id = ids['EP000001']!; // site-b, Vandenbriele protocol (titrates on anti-Xa)
      const time = '2024-11-10T16:35:00Z';
      const res = await as('clinB', 'POST', `/api/patients/${id}/observations`, {
        observations: [
          { time, code: 'anti_xa_IU_mL', value: 0.18, unit: '[IU]/mL', note: XSS },
          { time: '2024-11-10T16:40:00Z', code: 'aptt_s', value: 95 },
        ],
      })(a);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as { version: number; pairs: { enteredTogether: boolean; pattern: string; antiXa: { status: string }; aptt: { status: string }; nextStep: { decisionSupport: boolean; action: string } | null }[]; nextSteps: unknown[] };
      assert.equal(body.version, 2);
      assert.equal(body.pairs.length, 1);
      const pair = body.pairs[0]!;
      assert.equal(pair.enteredTogether, true);
      assert.equal(pair.antiXa.status, 'low');
      assert.equal(pair.aptt.status, 'high');
      assert.equal(pair.pattern, 'aptt_high_antixa_not_high');
      // The same as the engine on the stored episode.
      const stored = await storedEpisode(registry, 'EP000001');
      const parsed = parseEpisode(stored);
      assert.ok(parsed.ok);
      const engine = assessAnticoagulation(parsed.episode).result.pairs.find((p) => p.result.time === time || Date.parse(p.result.time) === Date.parse(time));
      assert.equal(engine?.result.pattern, pair.pattern);
      assert.ok(pair.nextStep, 'the protocol titrates on anti-Xa: a next step');
      assert.equal(pair.nextStep.decisionSupport, true);
      assert.ok(stored.observations?.some((o) => o.note === XSS), 'free text stored as entered');
      const audit = await auditRows(registry);
      assert.ok(audit.some((r) => r.action === 'correct' && r.entity === 'episode' && r.entity_key === 'site-b/EP000001' && r.actor === 'user:clin-b'));
      await a.close();
    });
  });

  test(`[${target.name}] a bleeding event returns its class under every definition; a hemolysis event its grade`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const id = ids['EP000002']!;
      const res = await as('clinA', 'POST', `/api/patients/${id}/events`, {
        events: [
          { kind: 'bleeding', time: '2023-01-29T10:00:00Z', note: XSS, facts: { site: 'intracranial', overt: true, imagingConfirmed: true, description: XSS } },
          { kind: 'hemolysis', time: '2023-01-29T11:00:00Z', hemoglobinuria: true, note: XSS },
        ],
      })(a);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as { events: { kind: string; bleeding?: { description: string; classes: Record<string, { class: string; major: boolean }> }; hemolysisGrade?: string | null }[] };
      const bleed = body.events[0]!.bleeding!;
      assert.equal(bleed.classes['barc']!.class, '3c');
      assert.equal(bleed.classes['barc']!.major, true);
      assert.deepEqual(Object.keys(bleed.classes).sort(), ['barc', 'gusto', 'isth', 'timi', 'varc2']);
      assert.equal(bleed.description, XSS, 'returned as data');
      assert.ok('hemolysisGrade' in body.events[1]!);
      // The view shows the same class.
      const view = (await as('clinA', 'GET', `/api/patients/${id}`)(a)).json() as { bleeding: { events: { time: string; classes: { barc: { class: string } } }[] } };
      assert.ok(view.bleeding.events.some((e) => e.classes.barc.class === '3c'));
      await a.close();
    });
  });

  test(`[${target.name}] invalid entries: 400 problem naming the request's field, with the episode format's message; nothing saved`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const url = `/api/patients/${ids['EP000002']}/observations`;
      const before = (await auditRows(registry)).length;
      const bad = await as('clinA', 'POST', url, {
        observations: [
          { time: '2023-01-29T10:00:00Z', code: 'lactate_mmol_L', value: 3 },
          { time: '2023-01-29T10:00:00Z', code: 'lactate_mmol_L', value: 99 },
        ],
      })(a);
      assert.equal(bad.statusCode, 400);
      assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
      const problem = bad.json() as { field: string; detail: string; errors: { field: string; detail: string }[] };
      assert.equal(problem.field, 'observations[1].value');
      assert.match(problem.detail, /^observations\[1\]\.value/);
      assert.match(problem.detail, /99/);

      const unit = (await as('clinA', 'POST', url, { observations: [{ time: '2023-01-29T10:00:00Z', code: 'lactate_mmol_L', value: 3, unit: 'furlongs' }] })(a)).json() as { field: string; detail: string };
      assert.match(unit.field, /^observations\[0\]\.unit/);
      const code = (await as('clinA', 'POST', url, { observations: [{ time: 'yesterday', code: 'no_such_code', value: 3 }] })(a)).json() as { errors: { field: string }[] };
      assert.deepEqual(code.errors.map((e) => e.field).sort(), ['observations[0].code', 'observations[0].time']);
      const empty = await as('clinA', 'POST', url, { observations: [] })(a);
      assert.equal(empty.statusCode, 400);
      assert.equal((empty.json() as { field: string }).field, 'observations');
      const device = await as('clinA', 'POST', `/api/patients/${ids['EP000002']}/devices`, { action: 'remove', deviceId: 'nope', at: '2023-02-01T00:00:00Z' })(a);
      assert.equal(device.statusCode, 400);
      assert.equal((device.json() as { field: string }).field, 'deviceId');
      assert.equal((await auditRows(registry)).length, before, 'nothing written');
      await a.close();
    });
  });

  test(`[${target.name}] infusions and devices: start, change, stop; insert with free text, remove`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const base = `/api/patients/${ids['EP000004']}`;
      const start = await as('clinA', 'POST', `${base}/infusions`, { action: 'start', infusion: { drug: 'norepinephrine', start: '2024-01-01T02:00:00Z', rate: 0.1, rateUnit: 'ug/kg/min', note: XSS } })(a);
      assert.equal(start.statusCode, 201, start.body);
      const change = await as('clinA', 'POST', `${base}/infusions`, { action: 'change', drug: 'norepinephrine', start: '2024-01-01T02:00:00Z', at: '2024-01-01T03:00:00Z', rate: 0.2 })(a);
      assert.equal(change.statusCode, 201, change.body);
      const stop = await as('clinA', 'POST', `${base}/infusions`, { action: 'stop', drug: 'norepinephrine', start: '2024-01-01T03:00:00Z', at: '2024-01-01T04:00:00Z' })(a);
      assert.equal(stop.statusCode, 201, stop.body);
      const ne = (stop.json() as { infusions: { drug: string; start: string; end?: string; rate: number }[] }).infusions.filter((i) => i.drug === 'norepinephrine' && Date.parse(i.start) >= Date.parse('2024-01-01T02:00:00Z'));
      assert.deepEqual(ne.map((i) => [Date.parse(i.start), i.end === undefined ? null : Date.parse(i.end), i.rate]), [
        [Date.parse('2024-01-01T02:00:00Z'), Date.parse('2024-01-01T03:00:00Z'), 0.1],
        [Date.parse('2024-01-01T03:00:00Z'), Date.parse('2024-01-01T04:00:00Z'), 0.2],
      ]);
      const endBeforeStart = await as('clinA', 'POST', `${base}/infusions`, { action: 'start', infusion: { drug: 'dobutamine', start: '2024-01-01T05:00:00Z', end: '2024-01-01T04:00:00Z', rate: 5, rateUnit: 'ug/kg/min' } })(a);
      assert.equal(endBeforeStart.statusCode, 400);
      assert.match((endBeforeStart.json() as { field: string }).field, /^infusion\./);

      const insert = await as('clinA', 'POST', `${base}/devices`, { action: 'insert', device: { kind: 'microaxial', model: 'Impella CP', id: 'pump-x', insertion: '2024-01-01T06:00:00Z', selectionNote: XSS, selectionReasons: ['lv_unloading'] } })(a);
      assert.equal(insert.statusCode, 201, insert.body);
      assert.equal((insert.json() as { device: { id: string; selectionNote: string } }).device.selectionNote, XSS);
      const setting = await as('clinA', 'POST', `${base}/devices`, { action: 'change', deviceId: 'pump-x', setting: { time: '2024-01-01T07:00:00Z', pLevel: 12 } })(a);
      assert.equal(setting.statusCode, 400);
      assert.match((setting.json() as { field: string }).field, /^setting\.pLevel/);
      const remove = await as('clinA', 'POST', `${base}/devices`, { action: 'remove', deviceId: 'pump-x', at: '2024-01-02T06:00:00Z', removalReason: 'recovery' })(a);
      assert.equal(remove.statusCode, 201, remove.body);
      const stored = await storedEpisode(registry, 'EP000004');
      assert.ok(stored.infusions?.some((i) => i.note === XSS));
      assert.ok(stored.devices?.some((d) => d.id === 'pump-x' && d.selectionNote === XSS && d.removal !== undefined));
      assert.equal((await registry.db.selectFrom('episodes').select('version').where('id', '=', ids['EP000004']!).executeTakeFirstOrThrow()).version, 6, 'seed + five entries');
      await a.close();
    });
  });

  test(`[${target.name}] entry times after now + ${ENTRY_CLOCK_SKEW_MIN} min are refused, naming each field; a device without an id gets a free one`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const base = `/api/patients/${ids['EP000002']}`;
      const before = (await auditRows(registry)).length;
      const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
      // Boundary: exactly now + skew is accepted; one second later is not.
      const late = await as('clinA', 'POST', `${base}/observations`, { observations: [{ time: at(-60), code: 'lactate_mmol_L', value: 2 }, { time: new Date(NOW.getTime() + ENTRY_CLOCK_SKEW_MIN * 60_000 + 1000).toISOString(), code: 'aptt_s', value: 60 }] })(a);
      assert.equal(late.statusCode, 400);
      assert.deepEqual((late.json() as { errors: { field: string }[] }).errors.map((e) => e.field), ['observations[1].time']);
      const ev = await as('clinA', 'POST', `${base}/events`, { events: [{ kind: 'hemolysis', time: at(24 * 60) }] })(a);
      assert.equal((ev.json() as { field: string }).field, 'events[0].time');
      const inf = await as('clinA', 'POST', `${base}/infusions`, { action: 'start', infusion: { drug: 'ufh', start: at(120), rate: 1000, rateUnit: '[IU]/h' } })(a);
      assert.equal((inf.json() as { field: string }).field, 'infusion.start');
      const dev = await as('clinA', 'POST', `${base}/devices`, { action: 'remove', deviceId: 'x', at: at(10) })(a);
      assert.equal((dev.json() as { field: string }).field, 'at');
      assert.equal((await auditRows(registry)).length, before, 'nothing written');
      const edge = await as('clinA', 'POST', `${base}/observations`, { observations: [{ time: at(ENTRY_CLOCK_SKEW_MIN), code: 'lactate_mmol_L', value: 2 }] })(a);
      assert.equal(edge.statusCode, 201, edge.body);

      // The stored devices are numbered kind-1, kind-2 ...; an insert without an id must not reuse one of them.
      const stored = await storedEpisode(registry, 'EP000002');
      const kind = stored.devices![0]!.kind;
      const insert = await as('clinA', 'POST', `${base}/devices`, { action: 'insert', device: { kind, insertion: at(-30) } })(a);
      assert.equal(insert.statusCode, 201, insert.body);
      const id = (insert.json() as { device: { id: string } }).device.id;
      assert.ok(!stored.devices!.some((d) => d.id === id), `${id} is new`);
      assert.match(id, new RegExp(`^${kind}-\\d+$`));
      await a.close();
    });
  });

  test(`[${target.name}] concurrent lab entries (group commit): every one saved once, versions consecutive, an invalid one refused alone`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const ids = await episodeIds(registry);
      const a = await app(registry);
      const episodes = ['EP000001', 'EP000002', 'EP000003'].map((k) => ids[k]!);
      const versionsBefore = new Map<number, number>();
      for (const id of episodes) versionsBefore.set(id, (await registry.db.selectFrom('episodes').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
      const n = 24;
      const sent = Array.from({ length: n }, (_, k) => {
        const id = episodes[k % episodes.length]!;
        const time = new Date(Date.parse('2029-12-01T00:00:00Z') + k * 60_000).toISOString();
        // Entry 7 is invalid (an impossible value): refused with its own problem, the others unaffected.
        const value = k === 7 ? -5 : 50 + k;
        return as('admin', 'POST', `/api/patients/${id}/observations`, { observations: [{ time, code: 'aptt_s', value }] })(a).then((r) => ({ k, id, r }));
      });
      const results = await Promise.all(sent);
      for (const { k, r } of results) assert.equal(r.statusCode, k === 7 ? 400 : 201, `entry ${k}: ${r.body}`);
      for (const id of episodes) {
        const mine = results.filter((x) => x.id === id && x.k !== 7).map((x) => (x.r.json() as { version: number }).version).sort((p, q) => p - q);
        const v0 = versionsBefore.get(id)!;
        assert.deepEqual(mine, mine.map((_, i) => v0 + 1 + i), `episode ${id}: one new version per entry`);
        const row = await registry.db.selectFrom('episodes').select('version').where('id', '=', id).executeTakeFirstOrThrow();
        assert.equal(row.version, v0 + mine.length);
      }
      // Every accepted value is stored once, as a current row.
      const rows = await registry.db.selectFrom('observations').select(['value']).where('code', '=', 'aptt_s').where('time', '>=', new Date('2029-12-01T00:00:00Z')).where('v_to', 'is', null).execute();
      assert.deepEqual(rows.map((r) => r.value).sort((p, q) => p - q), results.filter((x) => x.k !== 7).map((x) => 50 + x.k).sort((p, q) => p - q));
      // The next reader sees the last entry of each patient (the cache holds the committed version).
      for (const id of episodes) {
        const view = (await as('admin', 'GET', `/api/patients/${id}`)(a)).json() as { version: number };
        assert.equal(view.version, (await registry.db.selectFrom('episodes').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
      }
      const chain = await verifyAuditChain(registry.db);
      assert.ok(chain.ok, JSON.stringify(chain.problems));
      await a.close();
    });
  });

  test(`[${target.name}] SQL injection strings in ids and query parameters are inert`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await seed(registry);
      const a = await app(registry);
      const attacks = ["1' OR '1'='1", '1; DROP TABLE episodes; --', "x'); DROP TABLE patients; --"];
      for (const s of attacks) {
        const e = encodeURIComponent(s);
        for (const url of [`/api/patients/${e}`, `/api/patients?site=${e}`, `/api/patients?limit=${e}`, `/api/patients?offset=${e}`, `/api/patients?status=${e}`]) {
          const res = await as('admin', 'GET', url)(a);
          assert.ok(res.statusCode === 400 || res.statusCode === 404, `${url}: ${res.statusCode}`);
          assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        }
        const post = await as('admin', 'POST', `/api/patients/${e}/events`, { events: [{ kind: 'hemolysis', time: '2024-01-01T00:00:00Z' }] })(a);
        assert.equal(post.statusCode, 400);
      }
      const injectedSite = await as('clinA', 'GET', `/api/patients?site=${encodeURIComponent("site-a' OR 1=1 --")}`)(a);
      assert.equal(injectedSite.statusCode, 400);
      const count = await registry.db.selectFrom('episodes').select(registry.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 6);
      assert.equal((await registry.db.selectFrom('patients').select('id').execute()).length, 6);
      await a.close();
    });
  });
}
