// The episodes behind the bedside routes: which episode an id names and whether the caller may see it, its current
// version (looked up for concurrent requests in one query, group-batch.ts), and the record and parsed episode at that
// version (patient-cache.ts, else loaded and parsed). Shared by the routes (patient-routes.ts) and the batched lab
// entry (observation-entry-batch.ts).
import type { Kysely } from 'kysely';
import { parseEpisode, type Episode, type InputWarning } from '../clinical/episode/episode.js';
import { AuditGroupCommit } from '../registry/db/audit-group-commit.js';
import { loadRecords } from '../registry/db/episode-store.js';
import { GroupBatch } from '../registry/db/group-batch.js';
import type { RegistryDatabase } from '../registry/db/schema.js';
import type { RegistryRecord } from '../registry/record.js';
import { PatientCache, type CachedEpisode } from './patient-cache.js';
import { canSeeIdentifiedSite, type Principal } from './principal.js';
import { ProblemError } from './problem.js';

export interface EpisodeRef {
  readonly id: number;
  readonly site: string;
  readonly sourceId: string;
  readonly version: number;
}

export function notFound(id: number): ProblemError {
  return new ProblemError(404, 'Not Found', `No patient episode ${id} that you may see.`, 'episodeId');
}

/** Episode rows by id, looked up for concurrent requests in one query (group-batch.ts). */
export function episodeRefLoader(db: Kysely<RegistryDatabase>): GroupBatch<number, EpisodeRef | undefined> {
  return new GroupBatch(async (ids) => {
    const rows = await db
      .selectFrom('episodes as e')
      .innerJoin('sites as s', 's.id', 'e.site_id')
      .select(['e.id', 'e.source_id', 'e.version', 's.code as site'])
      .where('e.id', 'in', [...new Set(ids)])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, { id: r.id, site: r.site, sourceId: r.source_id, version: r.version }]));
    return ids.map((id) => byId.get(id));
  });
}

/**
 * The episodes of some sites ('*': every site), for concurrent board requests in one round: one query reads the
 * sites' change counters (site_generation, moved by every statement that changes a site's episodes, migration 0004),
 * and only the sites whose counter moved since their list was kept are read again. The counter is read before the
 * list, so a kept list is never older than the counter it is kept with.
 */
export function siteEpisodesLoader(db: Kysely<RegistryDatabase>): GroupBatch<string, EpisodeRef[]> {
  const kept = new Map<string, { readonly n: string; readonly refs: EpisodeRef[] }>();
  return new GroupBatch(async (keys) => {
    const all = keys.includes(ALL_SITES);
    let g = db.selectFrom('sites as s').leftJoin('site_generation as g', 'g.site_id', 's.id').select(['s.id', 's.code', 'g.n']);
    if (!all) g = g.where('s.code', 'in', [...new Set(keys)]);
    const generations = await g.orderBy('s.code').execute();
    const stale = generations.filter((r) => kept.get(r.code)?.n !== String(r.n ?? 0));
    if (stale.length > 0) {
      const rows = await db
        .selectFrom('episodes as e')
        .select(['e.id', 'e.source_id', 'e.version', 'e.site_id'])
        .where('e.site_id', 'in', stale.map((r) => r.id))
        .orderBy('e.id')
        .execute();
      const bySiteId = new Map<number, EpisodeRef[]>(stale.map((r) => [r.id, []]));
      const code = new Map(stale.map((r) => [r.id, r.code]));
      for (const r of rows) bySiteId.get(r.site_id)?.push({ id: r.id, site: code.get(r.site_id)!, sourceId: r.source_id, version: r.version });
      for (const r of stale) kept.set(r.code, { n: String(r.n ?? 0), refs: bySiteId.get(r.id) ?? [] });
    }
    const of = (code: string): EpisodeRef[] => kept.get(code)?.refs ?? [];
    const every = all ? generations.flatMap((r) => of(r.code)).sort((x, y) => x.id - y.id) : [];
    return keys.map((k) => (k === ALL_SITES ? every : of(k)));
  });
}

export const ALL_SITES = '*';

/** The episode row behind :episodeId, if the caller may see its site; otherwise 404 (the same answer as "no such episode"). */
export async function visibleEpisode(refs: GroupBatch<number, EpisodeRef | undefined>, p: Principal, id: number): Promise<EpisodeRef> {
  const row = await refs.submit(id);
  if (!row || !canSeeIdentifiedSite(p, row.site)) throw notFound(id);
  return row;
}

function parseStored(record: RegistryRecord): Episode {
  const parsed = parseEpisode(record.episode);
  if (!parsed.ok) throw new Error(`stored episode ${record.site}/${record.episode.id} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.episode;
}

/**
 * The current episode behind `ref`, from the cache or loaded, parsed and kept. Its `version` is the one its content
 * is: a load reads the version and the record in one snapshot, so when a write has landed since `ref.version` was
 * read, the newer version comes back under its own number (a reader then audits and shows what it serves).
 */
export async function cachedEpisode(db: Kysely<RegistryDatabase>, cache: PatientCache, ref: EpisodeRef): Promise<CachedEpisode> {
  const entry = (await cachedEpisodes(db, cache, [ref])).get(ref.id);
  if (entry === undefined) throw notFound(ref.id);
  return entry;
}

/** Episodes as of the versions just read (board), from the cache or loaded (in one snapshot per 1000 misses). */
export async function cachedEpisodes(db: Kysely<RegistryDatabase>, cache: PatientCache, refs: readonly EpisodeRef[]): Promise<Map<number, CachedEpisode>> {
  const out = new Map<number, CachedEpisode>();
  const missing: EpisodeRef[] = [];
  for (const ref of refs) {
    const hit = cache.get(ref.id, ref.version);
    if (hit) out.set(ref.id, hit);
    else missing.push(ref);
  }
  for (let start = 0; start < missing.length; start += 1000) {
    const chunk = missing.slice(start, start + 1000);
    for (const { ref, version, record } of await loadAtCurrentVersions(db, chunk)) out.set(ref.id, cache.set(ref.id, version, record, parseStored(record)));
  }
  return out;
}

/**
 * The records of `refs` with the version each one is, read in one snapshot: inside the caller's transaction (whose
 * locks or snapshot already hold the versions), else in a REPEATABLE READ transaction of its own.
 */
async function loadAtCurrentVersions(db: Kysely<RegistryDatabase>, refs: readonly EpisodeRef[]): Promise<{ ref: EpisodeRef; version: number; record: RegistryRecord }[]> {
  const read = async (q: Kysely<RegistryDatabase>) => {
    const rows = await q.selectFrom('episodes').select(['id', 'version']).where('id', 'in', refs.map((r) => r.id)).execute();
    const versionOf = new Map(rows.map((r) => [r.id, r.version]));
    const byKey = new Map(refs.map((r) => [`${r.site}/${r.sourceId}`, r]));
    const out: { ref: EpisodeRef; version: number; record: RegistryRecord }[] = [];
    for await (const page of loadRecords(q, { sites: [...new Set(refs.map((r) => r.site))], episodeIds: [...new Set(refs.map((r) => r.sourceId))] })) {
      for (const record of page) {
        const ref = byKey.get(`${record.site}/${record.episode.id}`);
        const version = ref === undefined ? undefined : versionOf.get(ref.id);
        if (ref !== undefined && version !== undefined) out.push({ ref, version, record });
      }
    }
    return out;
  };
  return db.isTransaction ? read(db) : db.transaction().setIsolationLevel('repeatable read').execute(read);
}

/** An entry saved as a new version of an episode. */
export interface Saved {
  readonly ref: EpisodeRef;
  /** The record after the entry (the merged input; it parses to `after`). */
  readonly record: RegistryRecord;
  readonly before: Episode;
  readonly after: Episode;
  readonly version: number;
  readonly warnings: readonly InputWarning[];
}

/** What the bedside routes of one server share. */
export interface BedsideState {
  /** Parsed episodes, views and board rows per (episode id, version): see patient-cache.ts. */
  readonly cache: PatientCache;
  /** Current episode versions, for concurrent requests in one query each. */
  readonly refs: GroupBatch<number, EpisodeRef | undefined>;
  readonly siteEpisodes: GroupBatch<string, EpisodeRef[]>;
  /** Audit records of reads, committed for concurrent requests in one transaction. */
  readonly audit: AuditGroupCommit;
}

export function bedsideState(db: Kysely<RegistryDatabase>): BedsideState {
  return { cache: new PatientCache(), refs: episodeRefLoader(db), siteEpisodes: siteEpisodesLoader(db), audit: new AuditGroupCommit(db) };
}
