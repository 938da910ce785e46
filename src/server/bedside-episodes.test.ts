import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEpisode } from '../clinical/episode/episode.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import { saveRecords } from '../registry/db/episode-store.js';
import { activeRecords, seedRegistry } from '../../bench/server.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { cachedEpisode } from './bedside-episodes.js';
import { PatientCache } from './patient-cache.js';

const NOW = new Date('2030-01-01T08:00:00Z');

for (const target of registryTargets()) {
  test(`[${target.name}] a version looked up before a write is served as the newer version, under its own number`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const [record] = activeRecords({ patients: 1, sites: 1, seed: 21 });
      await seedRegistry(registry, [record!], NOW);
      const row = await registry.db.selectFrom('episodes as e').innerJoin('sites as s', 's.id', 'e.site_id').select(['e.id', 'e.version', 'e.source_id', 's.code']).executeTakeFirstOrThrow();
      const ref = { id: row.id, site: row.code, sourceId: row.source_id, version: row.version };
      // Another writer adds an observation between the reader's version lookup and its load.
      const time = new Date(Date.parse(record!.episode.anchor.time) + 30 * 3_600_000).toISOString();
      const changed: EpisodeInput = { ...record!.episode, observations: [...(record!.episode.observations ?? []), { time, code: 'lactate_mmol_L', value: 7.7 }] as EpisodeInput['observations'] };
      const parsed = parseEpisode(changed);
      assert.ok(parsed.ok);
      await registry.db.transaction().execute((trx) => saveRecords(trx, [{ record: { ...record!, episode: changed }, episode: parsed.episode }], { actor: 'other', reason: 'test', importId: null, now: NOW }));
      const entry = await cachedEpisode(registry.db, new PatientCache(), ref);
      assert.equal(entry.version, ref.version + 1, 'the number of the version whose content is served');
      assert.ok(entry.episode.observations.some((o) => o.code === 'lactate_mmol_L' && o.value === 7.7), 'the newer content');
    });
  });
}
