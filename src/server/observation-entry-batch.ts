// Lab entry with group commit. The bedside's most frequent write adds observations (an anti-Xa/aPTT pair) to one
// patient's episode. Entries that arrive while a commit is running are applied together in the next transaction
// (group-batch.ts): the episode rows are locked (in id order), each entry is merged into its episode's current
// version (an earlier entry of the same batch included) and checked by parseEpisode, and all of them are written with
// a fixed number of statements (writeObservationAppends). Each request is answered only after that transaction
// commits, so an acknowledged entry is stored; an entry that fails its check is answered with its own problem and
// takes no part in the writes; a database failure fails every entry of the batch (none is acknowledged).
import type { Kysely } from 'kysely';
import { parseEpisode } from '../clinical/episode/episode.js';
import { planObservationAppend, writeObservationAppends, type ObservationAppendPlan } from '../registry/db/episode-store.js';
import { GroupBatch } from '../registry/db/group-batch.js';
import type { RegistryDatabase } from '../registry/db/schema.js';
import type { RegistryRecord } from '../registry/record.js';
import { cachedEpisodes, notFound, type EpisodeRef, type Saved } from './bedside-episodes.js';
import { entryProblem, entryWarnings, observationsEntry } from './entry-fields.js';
import type { PatientCache } from './patient-cache.js';
import type { ProblemError } from './problem.js';

export interface ObservationEntry {
  readonly actor: string;
  /** The episode, as the caller may see it (visibleEpisode). */
  readonly ref: EpisodeRef;
  /** The request's observations, checked by parseEpisode here. */
  readonly observations: readonly Record<string, unknown>[];
  readonly reason: string;
  readonly now: Date;
}

export type ObservationEntryOutcome =
  | { readonly kind: 'saved'; readonly saved: Saved }
  | { readonly kind: 'invalid'; readonly problem: ProblemError }
  /** The merged episode changed more than its observations (the route saves it as a full new version instead). */
  | { readonly kind: 'not-append-only' };

interface Current {
  version: number;
  digest: string;
  record: RegistryRecord;
  episode: Saved['after'];
}

/** The batch of one server's bedside routes: entries of concurrent requests share one transaction. */
export function observationEntryBatch(db: Kysely<RegistryDatabase>, cache: PatientCache): GroupBatch<ObservationEntry, ObservationEntryOutcome> {
  return new GroupBatch(async (entries) => {
    const { outcomes, finals } = await db.transaction().execute(async (trx) => {
      const ids = [...new Set(entries.map((e) => e.ref.id))].sort((a, b) => a - b);
      const locked = await trx.selectFrom('episodes').select(['id', 'version', 'digest']).where('id', 'in', ids).orderBy('id').forUpdate().execute();
      const byId = new Map(entries.map((e) => [e.ref.id, e.ref]));
      const refs = locked.map((row) => ({ ...byId.get(row.id)!, version: row.version }));
      // The current version of each episode, from the cache or loaded (one query set for all misses).
      const loaded = await cachedEpisodes(trx, cache, refs);
      const current = new Map<number, Current>();
      for (const row of locked) {
        const e = loaded.get(row.id);
        if (e) current.set(row.id, { version: row.version, digest: row.digest, record: e.record, episode: e.episode });
      }
      const plans: ObservationAppendPlan[] = [];
      const changed = new Set<number>();
      const outcomes: ObservationEntryOutcome[] = entries.map((entry) => {
        const cur = current.get(entry.ref.id);
        if (cur === undefined) return { kind: 'invalid', problem: notFound(entry.ref.id) };
        const { input, fields } = observationsEntry(cur.record.episode, entry.observations);
        const parsed = parseEpisode(input);
        if (!parsed.ok) return { kind: 'invalid', problem: entryProblem(parsed.problems, fields) };
        const record = { ...cur.record, episode: input };
        const plan = planObservationAppend(
          { episodeId: entry.ref.id, current: { version: cur.version, digest: cur.digest }, before: cur.episode, after: { record, episode: parsed.episode } },
          { actor: entry.actor, reason: entry.reason, importId: null, now: entry.now },
        );
        if (plan === null) return { kind: 'not-append-only' };
        plans.push(plan);
        changed.add(entry.ref.id);
        const before = cur.episode;
        Object.assign(cur, { version: plan.version, digest: plan.digest, record, episode: parsed.episode });
        return {
          kind: 'saved',
          saved: { ref: { ...entry.ref, version: plan.version }, record, before, after: parsed.episode, version: plan.version, warnings: entryWarnings(parsed.warnings, fields) },
        };
      });
      await writeObservationAppends(trx, plans);
      return { outcomes, finals: [...changed].map((id) => [id, current.get(id)!] as const) };
    });
    // Committed: the new versions are what the next reader and the next entry start from.
    for (const [id, c] of finals) cache.set(id, c.version, c.record, c.episode);
    return outcomes;
  });
}
