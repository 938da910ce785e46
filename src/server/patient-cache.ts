// What the bedside reads compute from an episode, kept in memory per (episode id, version): the stored record, the
// parsed episode, the patient view and the board row. A new version of an episode (any write, by this process or
// another one on the same database) has a new version number in the episodes table, so a reader that looks the
// version up first (one indexed query) never gets an older version's answer: an entry of another version is a miss
// and is replaced. The board row also depends on the time (hours on support, devices in place): it is reused for at
// most BOARD_ROW_TTL_MS, then computed again from the cached episode.
import type { Episode } from '../clinical/episode/episode.js';
import type { RegistryRecord } from '../registry/record.js';
import type { BoardEntry } from './patient-board.js';
import type { patientView } from './patient-view.js';

/** A board row computed at `now` is reused until now + this [D: hours on support are shown to 0.1 h = 6 min]. */
export const BOARD_ROW_TTL_MS = 60_000;

/** Episodes kept (least recently used dropped first) [D: a few hundred active patients per server, with room]. */
export const DEFAULT_PATIENT_CACHE_SIZE = 5000;

export type PatientViewBody = ReturnType<typeof patientView>;

export interface CachedEpisode {
  readonly version: number;
  readonly record: RegistryRecord;
  readonly episode: Episode;
  /** The patient view's response body, serialized once (computed on first use). */
  viewJson?: Buffer;
  board?: BoardRow;
}

/** A board row and its JSON (the board's body is assembled from the rows' JSON, not serialized anew per request). */
export interface BoardRow {
  readonly at_ms: number;
  readonly row: BoardEntry;
  readonly json: string;
}

export class PatientCache {
  private readonly entries = new Map<number, CachedEpisode>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries: number = DEFAULT_PATIENT_CACHE_SIZE) {}

  /** The entry of episode `id` at exactly `version`, or undefined (absent, or another version). */
  get(id: number, version: number): CachedEpisode | undefined {
    const e = this.entries.get(id);
    if (e === undefined || e.version !== version) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Most recently used last (Map keeps insertion order).
    this.entries.delete(id);
    this.entries.set(id, e);
    return e;
  }

  /** Keeps `record`/`episode` as episode `id` at `version`, unless a newer version is already kept. */
  set(id: number, version: number, record: RegistryRecord, episode: Episode): CachedEpisode {
    const old = this.entries.get(id);
    if (old !== undefined && old.version > version) return { version, record, episode };
    const entry: CachedEpisode = { version, record, episode };
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }

  /** The serialized patient view response of the entry, computed once (it depends on the version only). */
  viewJson(entry: CachedEpisode, compute: (episode: Episode) => string): Buffer {
    // Kept as UTF-8 bytes: each answer then goes out without encoding the text again.
    entry.viewJson ??= Buffer.from(compute(entry.episode), 'utf8');
    return entry.viewJson;
  }

  /** The board row of the entry at `now`, reused while it is younger than BOARD_ROW_TTL_MS. */
  boardRow(entry: CachedEpisode, now: Date, compute: (episode: Episode, now: Date) => BoardEntry): BoardRow {
    const t = now.getTime();
    const b = entry.board;
    if (b !== undefined && t >= b.at_ms && t - b.at_ms < BOARD_ROW_TTL_MS) return b;
    const row = compute(entry.episode, now);
    entry.board = { at_ms: t, row, json: JSON.stringify(row) };
    return entry.board;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
