// The gate every imported record passes: the clinical engine's own parser (units, plausibility, cross-field
// checks), the same rules the bedside uses. A problem becomes a rejection that names the source row; with
// `dropBadItems`, the offending list item (one observation, one infusion, ...) is removed and the rest of the
// episode kept, which is reported too, so nothing disappears unreported.
import { parseEpisode, type Episode, type InputProblem } from '../../clinical/episode/episode.js';
import type { ParsedRecord } from '../db/episode-store.js';
import { rejectionValue, type RegistryRecord, type Rejection } from '../record.js';

export interface ValidationOutcome {
  readonly accepted: ParsedRecord[];
  readonly rejections: Rejection[];
  /** Warnings (extreme but accepted values), as rejections-shaped notes for the report. */
  readonly warnings: Rejection[];
}

const LIST_SECTIONS = ['observations', 'infusions', 'boluses', 'purge', 'devices', 'supports', 'events', 'anticoagulation'] as const;

/** The source row for an episode path: the longest `sourceRows` key that is a prefix of it. */
export function sourceRowOf(record: RegistryRecord, path: string): number | null {
  const rows = record.sourceRows;
  if (!rows) return null;
  let best: string | undefined;
  for (const key of Object.keys(rows)) {
    if ((path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`) || key === '') && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? null : rows[best] ?? null;
}

function toRejection(file: string, record: RegistryRecord, p: InputProblem, suffix = ''): Rejection {
  return {
    file,
    row: sourceRowOf(record, p.path),
    field: `${record.site}/${record.episode.id}: ${p.path}`,
    value: rejectionValue(p.value),
    reason: `${p.message}${suffix}`,
  };
}

/** The list item a path points into, e.g. ['observations', 3] for 'observations[3].value'. */
function listItemOf(path: string): [(typeof LIST_SECTIONS)[number], number] | undefined {
  const m = /^([a-zA-Z]+)\[(\d+)\]/.exec(path);
  if (!m) return undefined;
  const section = LIST_SECTIONS.find((s) => s === m[1]);
  return section ? [section, Number(m[2])] : undefined;
}

/**
 * Parses every record with the clinical engine. Records that fail are rejected whole unless `dropBadItems`, in
 * which case problems confined to list items drop those items (each reported) and the episode is parsed again.
 * Duplicate (site, episode id) pairs within one import are rejected after the first.
 */
export function validateRecords(file: string, records: readonly RegistryRecord[], options: { dropBadItems: boolean }): ValidationOutcome {
  const accepted: ParsedRecord[] = [];
  const rejections: Rejection[] = [];
  const warnings: Rejection[] = [];
  const seen = new Map<string, number>();
  records.forEach((original, index) => {
    const key = `${original.site}/${original.episode.id}`;
    if (seen.has(key)) {
      rejections.push({
        file,
        row: sourceRowOf(original, ''),
        field: 'episode id',
        value: key,
        reason: `duplicate episode: ${key} appears more than once in this import (first as record ${seen.get(key)! + 1}); expected each episode once`,
      });
      return;
    }
    seen.set(key, index);
    let record: RegistryRecord = { ...original, episode: { ...original.episode, site: original.site } };
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = parseEpisode(record.episode);
      for (const w of result.warnings) warnings.push(toRejection(file, record, w));
      if (result.ok) {
        accepted.push({ record, episode: result.episode as Episode });
        return;
      }
      const items = result.problems.map((p) => listItemOf(p.path));
      if (!options.dropBadItems || items.some((i) => i === undefined)) {
        for (const p of result.problems) rejections.push(toRejection(file, record, p, ' (episode not imported)'));
        return;
      }
      // Drop each offending list item; keep the rest of the episode.
      const drop = new Map<string, Set<number>>();
      result.problems.forEach((p, k) => {
        const [section, i] = items[k]!;
        rejections.push(toRejection(file, record, p, ` (this ${section} entry not imported; rest of the episode kept)`));
        const set = drop.get(section) ?? new Set<number>();
        set.add(i);
        drop.set(section, set);
      });
      const episode: Record<string, unknown> = { ...record.episode };
      for (const [section, set] of drop) {
        const list = episode[section];
        if (Array.isArray(list)) episode[section] = list.filter((_, i) => !set.has(i));
      }
      record = { ...record, episode: episode as RegistryRecord['episode'], sourceRows: remapRows(record, drop) };
    }
    rejections.push({ file, row: sourceRowOf(record, ''), field: key, value: '', reason: 'episode still invalid after dropping its bad entries (episode not imported)' });
  });
  return { accepted, rejections, warnings };
}

/** Source rows after list items were removed (indices shift down). */
function remapRows(record: RegistryRecord, drop: Map<string, Set<number>>): Record<string, number> | undefined {
  if (!record.sourceRows) return undefined;
  const out: Record<string, number> = {};
  for (const [key, row] of Object.entries(record.sourceRows)) {
    const item = listItemOf(key);
    if (!item) {
      out[key] = row;
      continue;
    }
    const [section, i] = item;
    const dropped = drop.get(section);
    if (!dropped) {
      out[key] = row;
      continue;
    }
    if (dropped.has(i)) continue;
    let shift = 0;
    for (const d of dropped) if (d < i) shift += 1;
    out[key.replace(`${section}[${i}]`, `${section}[${i - shift}]`)] = row;
  }
  return out;
}
