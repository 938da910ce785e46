import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { parseEpisode, type Episode } from '../../clinical/episode/episode.js';
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import { examplePath } from '../../../test/support/paths.js';
import { registryTargets, withFreshRegistry } from '../../../test/support/registry.js';
import type { RegistryRecord } from '../record.js';
import { recordDigest } from '../stored-episode.js';
import { appendAudit, auditCount, verifyAuditChain } from './audit-log.js';
import { loadRecords, saveRecords, type ParsedRecord } from './episode-store.js';
import type { Registry } from './registry-connection.js';

function exampleRecords(): ParsedRecord[] {
  return readdirSync(examplePath('episodes'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file, i) => {
      const input = JSON.parse(readFileSync(examplePath('episodes', file), 'utf8')) as EpisodeInput;
      const record: RegistryRecord = {
        site: i % 2 === 0 ? 'site-a' : 'site-b',
        patient: { sourceId: `P${i}`, mrn: `MRN-${1000 + i}`, familyName: 'Synthetic', givenName: `Case${i}`, birthDate: '1960-05-01' },
        episode: input,
      };
      const parsed = parseEpisode(input);
      assert.ok(parsed.ok, `${file} parses`);
      return { record, episode: parsed.episode };
    });
}

async function loadAll(registry: Registry): Promise<RegistryRecord[]> {
  const out: RegistryRecord[] = [];
  for await (const page of loadRecords(registry.db, { pageSize: 7 })) out.push(...page);
  return out;
}

function parsed(record: RegistryRecord): Episode {
  const r = parseEpisode(record.episode);
  assert.ok(r.ok, `${record.episode.id} parses after loading: ${r.ok ? '' : r.problems.map((p) => p.message).join('; ')}`);
  return r.episode;
}

const ctx = (reason: string) => ({ actor: 'test', reason, importId: null, now: new Date('2026-11-24T10:00:00Z') });

for (const target of registryTargets()) {
  test(`${target.name}: every example episode is stored and read back with the same canonical content`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const items = exampleRecords();
      const counts = await registry.db.transaction().execute((trx) => saveRecords(trx, items, ctx('first save')));
      assert.deepEqual(counts, { inserted: items.length, unchanged: 0, corrected: 0 });
      const loaded = await loadAll(registry);
      assert.equal(loaded.length, items.length);
      const byKey = new Map(loaded.map((r) => [`${r.site}/${r.episode.id}`, r]));
      for (const it of items) {
        const back = byKey.get(`${it.record.site}/${it.episode.id}`);
        assert.ok(back, `${it.episode.id} loaded`);
        assert.deepEqual(back.patient, it.record.patient);
        assert.equal(recordDigest(back.site, back.patient, parsed(back)), recordDigest(it.record.site, it.record.patient, it.episode), `${it.episode.id}: content unchanged`);
        // Times come back in the episode's own offset.
        assert.equal(Date.parse(back.episode.anchor.time), Date.parse(it.episode.anchor.time));
        assert.equal(back.episode.anchor.time.slice(-6).replace('Z', ''), it.episode.anchor.time.slice(-6).replace('Z', ''));
      }
      assert.equal((await verifyAuditChain(registry.db)).ok, true);
    });
  });

  test(`${target.name}: saving the same content again changes nothing; a correction is a new version with a trace`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const items = exampleRecords().slice(0, 4);
      await registry.db.transaction().execute((trx) => saveRecords(trx, items, ctx('first')));
      const auditBefore = await auditCount(registry.db);
      const again = await registry.db.transaction().execute((trx) => saveRecords(trx, items, ctx('again')));
      assert.deepEqual(again, { inserted: 0, unchanged: 4, corrected: 0 });
      assert.equal(await auditCount(registry.db), auditBefore, 'no audit record for an unchanged save');

      // Correct one observation value of the first episode.
      const first = items[0]!;
      const obs = first.episode.observations;
      assert.ok(obs.length > 0);
      const input = structuredClone(first.record.episode) as EpisodeInput & { observations: { value: number }[] };
      const firstObs = input.observations[0]!;
      const newValue = firstObs.value + 1;
      firstObs.value = newValue;
      const reparsed = parseEpisode(input);
      assert.ok(reparsed.ok);
      const corrected = await registry.db.transaction().execute((trx) =>
        saveRecords(trx, [{ record: { ...first.record, episode: input }, episode: reparsed.episode }], ctx('lab corrected')),
      );
      assert.deepEqual(corrected, { inserted: 0, unchanged: 0, corrected: 1 });
      const episode = await registry.db.selectFrom('episodes').selectAll().where('source_id', '=', first.episode.id).executeTakeFirstOrThrow();
      assert.equal(episode.version, 2);
      const versions = await registry.db.selectFrom('episode_versions').select(['version', 'reason']).where('episode_id', '=', episode.id).orderBy('version').execute();
      assert.deepEqual(versions.map((v) => [v.version, v.reason]), [[1, 'first'], [2, 'lab corrected']]);
      // The old rows are retired, not overwritten: version 1 is still readable.
      const v1 = await registry.db.selectFrom('observations').select(['value']).where('episode_id', '=', episode.id).where('v_from', '=', 1).execute();
      const current = await registry.db.selectFrom('observations').select(['value']).where('episode_id', '=', episode.id).where('v_to', 'is', null).execute();
      assert.equal(v1.length, obs.length);
      assert.equal(current.length, obs.length);
      const lastAudit = await registry.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.equal(lastAudit.action, 'correct');
      assert.equal(lastAudit.reason, 'lab corrected');
      assert.equal((lastAudit.before as { version: number }).version, 1);
      assert.equal((lastAudit.after as { version: number }).version, 2);
      assert.equal((await verifyAuditChain(registry.db)).ok, true);
    });
  });

  test(`${target.name}: the audit log refuses updates and deletes, and verify detects a record altered behind the trigger`, async () => {
    await withFreshRegistry(target, async (registry) => {
      await registry.db.transaction().execute((trx) => appendAudit(trx, 'tester', [
        { action: 'insert', entity: 'episode', entityKey: 'x/1', before: null, after: { a: 1 }, reason: 'r1' },
        { action: 'insert', entity: 'episode', entityKey: 'x/2', before: null, after: { a: 2 }, reason: 'r2' },
        { action: 'insert', entity: 'episode', entityKey: 'x/3', before: null, after: { a: 3 }, reason: 'r3' },
      ]));
      assert.equal((await verifyAuditChain(registry.db)).ok, true);
      await assert.rejects(sql`update audit_log set reason = 'changed' where seq = 2`.execute(registry.db), /append-only/);
      await assert.rejects(sql`delete from audit_log where seq = 3`.execute(registry.db), /append-only/);
      // A superuser can switch the trigger off; the hash chain still exposes the change.
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(registry.db);
      await sql`update audit_log set after = '{"a": 20}'::jsonb where seq = 2`.execute(registry.db);
      const altered = await verifyAuditChain(registry.db);
      assert.equal(altered.ok, false);
      assert.deepEqual(altered.problems.map((p) => p.seq), [2]);
      await sql`delete from audit_log where seq = 3`.execute(registry.db);
      const removed = await verifyAuditChain(registry.db);
      assert.ok(removed.problems.some((p) => /head/.test(p.problem)), 'removal of the last record is detected by the head');
    });
  });
}
