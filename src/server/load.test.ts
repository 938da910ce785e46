// The load test in short mode (npm test): the real server (buildServer, bearer token, audited reads and writes) on
// 127.0.0.1 over a fresh embedded registry of 40 active synthetic patients at 4 sites, autocannon for 3 s per phase
// (8 connections, 10 s request timeout). It asserts no errors, no timeouts and no non-2xx answers, and loose floors for a shared
// CI machine (reads >= 100/s, writes >= 20/s, p99 < 1000 ms). The targets of issue 6 (2,000 reads/s, 500 writes/s,
// p99 < 100 ms) are measured by `npm run bench:server` and recorded in docs/benchmarks.md. Also here: the
// append-only lab-entry path reads back exactly what a full rewrite of the merged episode reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEpisode } from '../clinical/episode/episode.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import { appendObservations, loadRecords, saveRecords } from '../registry/db/episode-store.js';
import { openRegistry, type Registry } from '../registry/db/registry-connection.js';
import type { RegistryRecord } from '../registry/record.js';
import { activeRecords, runPhase, seedRegistry, startLoadTarget, type PhaseName } from '../../bench/server.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';

const FLOORS = { readRps: 100, writeRps: 20, p99_ms: 1000 } as const;

test('load (short mode): board, patient view and lab entry answer 2xx under concurrent load', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-load-'));
  const registry = await openRegistry({ dataDir: dir });
  const target = await startLoadTarget(registry, { patients: 40, sites: 4, seed: 6 });
  try {
    const before = await registry.db.selectFrom('observations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let written = 0;
    for (const phase of ['board', 'view', 'lab-entry'] as PhaseName[]) {
      const r = await runPhase(target, phase, { seconds: 3, connections: 8 });
      t.diagnostic(`${phase}: ${r.requests} requests, ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms`);
      assert.equal(r.errors, 0, `${phase}: connection errors`);
      assert.equal(r.timeouts, 0, `${phase}: timeouts`);
      assert.equal(r.non2xx, 0, `${phase}: non-2xx answers`);
      assert.ok(r.requests > 0, `${phase}: no request completed`);
      assert.ok(r.rps >= (phase === 'lab-entry' ? FLOORS.writeRps : FLOORS.readRps), `${phase}: ${r.rps.toFixed(0)} req/s below the floor`);
      assert.ok(r.p99_ms < FLOORS.p99_ms, `${phase}: p99 ${r.p99_ms} ms`);
      if (phase === 'lab-entry') written = r.requests;
    }
    // Every acknowledged lab entry (two observations each) is stored and current; at most the 8 requests in flight
    // when the phase ended were stored without being counted.
    const after = await registry.db.selectFrom('observations').select((eb) => eb.fn.countAll<number>().as('n')).where('v_to', 'is', null).executeTakeFirstOrThrow();
    const stored = Number(after.n) - Number(before.n);
    assert.ok(stored >= 2 * written && stored <= 2 * (written + 8), `${stored} rows for ${written} acknowledged entries`);
  } finally {
    await target.close();
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function current(registry: Registry, site: string, id: string): Promise<RegistryRecord> {
  for await (const page of loadRecords(registry.db, { sites: [site], episodeIds: [id] })) {
    const r = page.find((x) => x.episode.id === id);
    if (r) return r;
  }
  throw new Error(`no ${site}/${id}`);
}

function parsed(record: RegistryRecord) {
  const p = parseEpisode(record.episode);
  assert.ok(p.ok, p.ok ? '' : p.problems.map((x) => x.message).join('; '));
  return p.episode;
}

for (const target of registryTargets()) {
  test(`append-only lab entry reads back the same record as a full rewrite (${target.name})`, async () => {
    const records = activeRecords({ patients: 2, sites: 1, seed: 11 });
    const now = new Date('2030-01-01T08:00:00Z');
    // Two registries with the same seed: one takes the entry through appendObservations, the other through saveRecords.
    const results: { record: RegistryRecord; version: number; rows: number; versions: number }[] = [];
    for (const mode of ['append', 'rewrite'] as const) {
      await withFreshRegistry(target, async (registry) => {
        await seedRegistry(registry, records, now);
        const site = records[0]!.site;
        const id = records[0]!.episode.id;
        const stored = await current(registry, site, id);
        const anchor = Date.parse(stored.episode.anchor.time);
        // Same time as a stored observation (ties keep stored rows first), a unit to convert, and a note.
        const tie = stored.episode.observations![0]!.time;
        const added = [
          { time: tie, code: 'lactate_mmol_L', value: 2.5 },
          { time: new Date(anchor + 30 * 3_600_000).toISOString(), code: 'anti_xa_IU_mL', value: 0.42, note: 'x <b>' },
          { time: new Date(anchor + 30 * 3_600_000).toISOString(), code: 'aptt_s', value: 71 },
        ];
        const mergedInput: EpisodeInput = { ...stored.episode, observations: [...(stored.episode.observations ?? []), ...added] as EpisodeInput['observations'] };
        const merged = { record: { ...stored, episode: mergedInput }, episode: parsed({ ...stored, episode: mergedInput }) };
        const ctx = { actor: 'test', reason: 'entry', importId: null, now };
        await registry.db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('episodes').select(['id', 'version', 'digest']).where('source_id', '=', id).forUpdate().executeTakeFirstOrThrow();
          if (mode === 'append') {
            const v = await appendObservations(trx, { episodeId: row.id, current: row, before: parsed(stored), after: merged }, ctx);
            assert.equal(v, row.version + 1);
          } else {
            await saveRecords(trx, [merged], ctx);
          }
        });
        const e = await registry.db.selectFrom('episodes').select(['version', 'digest']).where('source_id', '=', id).executeTakeFirstOrThrow();
        const rows = await registry.db.selectFrom('observations').select((eb) => eb.fn.countAll<number>().as('n')).where('v_from', '=', e.version).executeTakeFirstOrThrow();
        const versions = await registry.db.selectFrom('episode_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        results.push({ record: await current(registry, site, id), version: e.version, rows: Number(rows.n), versions: Number(versions.n) });
      });
    }
    const [append, rewrite] = results;
    assert.deepEqual(append!.record, rewrite!.record);
    assert.equal(append!.version, rewrite!.version);
    assert.equal(append!.versions, rewrite!.versions);
    // The append path wrote only the three new rows at the new version; the rewrite wrote every row again.
    assert.equal(append!.rows, 3);
    assert.ok(rewrite!.rows > 3);
  });

  test(`append-only lab entry refuses an entry that changes more than observations (${target.name})`, async () => {
    const records = activeRecords({ patients: 1, sites: 1, seed: 12 });
    await withFreshRegistry(target, async (registry) => {
      const now = new Date('2030-01-01T08:00:00Z');
      await seedRegistry(registry, records, now);
      const stored = await current(registry, records[0]!.site, records[0]!.episode.id);
      const changed: EpisodeInput = { ...stored.episode, demographics: { ...stored.episode.demographics, age_years: 99 } };
      await registry.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('episodes').select(['id', 'version', 'digest']).forUpdate().executeTakeFirstOrThrow();
        const v = await appendObservations(trx, { episodeId: row.id, current: row, before: parsed(stored), after: { record: { ...stored, episode: changed }, episode: parsed({ ...stored, episode: changed }) } }, { actor: 't', reason: 'r', importId: null, now });
        assert.equal(v, null);
      });
      const e = await registry.db.selectFrom('episodes').select('version').executeTakeFirstOrThrow();
      assert.equal(e.version, 1);
    });
  });
}
