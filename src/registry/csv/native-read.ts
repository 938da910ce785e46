// The native Stratum CSV files -> records. A set of files is one import unit: episodes.csv names the episodes, the
// other files add rows to them by (site, episode_id). Every cell is checked against the episode schema's own field
// rule (native-layout.ts); a bad cell, an unknown column or a row of an unknown episode becomes a rejection naming
// file, physical line, column, value and reason. Whole-file problems (name, encoding, header) throw ImportFileError.
import type { z } from 'zod';
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import { ImportFileError, rejectionValue, type ConversionResult, type PatientIdentity, type RegistryRecord, type Rejection } from '../record.js';
import { parseBooleanCell, parseNumberCell, futureReason } from './cells.js';
import { readCsvTable } from './csv-table.js';
import { NATIVE_TABLES, resolveColumns, tableKinds, type NativeTable, type ResolvedColumn } from './native-layout.js';

export interface NativeCsvFile {
  /** File name as given on the command line; its base name says which file of the layout it is. */
  readonly name: string;
  readonly text: string;
}

export interface NativeCsvOptions {
  /** Site of the import: fills an empty site cell; a row of another site is rejected. */
  readonly site?: string;
  /** Times after this are rejected (clock or entry errors). */
  readonly now: Date;
}

interface EpisodeDraft {
  readonly site: string;
  readonly patient: Record<string, unknown>;
  readonly episode: Record<string, unknown>;
  readonly sourceRows: Record<string, number>;
}

/** True when `name` (a path or bare name) is a file of the native layout, e.g. 'export/episodes.csv'. */
export function isNativeCsvFileName(name: string): boolean {
  return tableFor(name) !== undefined;
}

/** Reads a set of native CSV files (episodes.csv plus any of the list files) into records and rejections. */
export function nativeCsvToRecords(files: readonly NativeCsvFile[], options: NativeCsvOptions): ConversionResult {
  const byTable = new Map<NativeTable, NativeCsvFile>();
  for (const f of files) {
    const table = tableFor(f.name);
    if (!table) {
      throw new ImportFileError(f.name, 'file name', baseName(f.name), `a native Stratum CSV file: ${NATIVE_TABLES.map((t) => t.file).join(', ')}`);
    }
    const other = byTable.get(table);
    if (other) throw new ImportFileError(f.name, 'file name', baseName(f.name), `one ${table.file} per import (also given: ${other.name})`);
    byTable.set(table, f);
  }
  const episodesFile = byTable.get(NATIVE_TABLES[0]);
  if (!episodesFile) {
    throw new ImportFileError(files[0]?.name ?? '(no files)', 'episodes.csv', '(missing)', 'episodes.csv in the set: it names the episodes the other files refer to');
  }

  const rejections: Rejection[] = [];
  const drafts = new Map<string, EpisodeDraft>();
  const rejectedEpisodes = new Map<string, number>();
  let rowsRead = 0;

  for (const table of NATIVE_TABLES) {
    const file = byTable.get(table);
    if (!file) continue;
    const read = readTable(table, file, options, rejections);
    rowsRead += read.rowsRead;
    for (const row of read.rows) {
      const key = `${row.site}\u0000${row.episodeId}`;
      if (table.list === undefined) {
        if (drafts.has(key) || rejectedEpisodes.has(key)) {
          rejections.push(reject(file.name, row.line, 'episode_id', row.episodeId, `episode ${row.episodeId} of site ${row.site} appears twice in episodes.csv (first at line ${drafts.get(key)?.sourceRows[''] ?? rejectedEpisodes.get(key)}); episode ids are unique per site`));
          continue;
        }
        if (!row.ok) {
          rejectedEpisodes.set(key, row.line);
          continue;
        }
        const patient = (row.value.patient ?? {}) as Record<string, unknown>;
        const episode = (row.value.episode ?? {}) as Record<string, unknown>;
        episode.id = row.episodeId;
        episode.site = row.site;
        if (episode.demographics === undefined) episode.demographics = {};
        drafts.set(key, { site: row.site, patient, episode, sourceRows: { '': row.line } });
        continue;
      }
      if (!row.ok) continue;
      const draft = drafts.get(key);
      if (!draft) {
        const rejectedAt = rejectedEpisodes.get(key);
        const reason =
          rejectedAt !== undefined
            ? `episode ${row.episodeId} of site ${row.site} was rejected (episodes.csv line ${rejectedAt}), so its rows cannot be imported`
            : `no episode ${row.episodeId} of site ${row.site} in episodes.csv`;
        rejections.push(reject(file.name, row.line, 'episode_id', row.episodeId, reason));
        continue;
      }
      const list = (draft.episode[table.list] ??= []) as unknown[];
      draft.sourceRows[`${table.list}[${list.length}]`] = row.line;
      list.push(row.value);
    }
  }

  const records: RegistryRecord[] = [];
  for (const d of drafts.values()) {
    records.push({ site: d.site, patient: asPatientIdentity(d.patient), episode: asEpisodeInput(d.episode), sourceRows: d.sourceRows });
  }
  // Reported file by file (in the layout's order), line by line.
  const fileOrder = new Map([...byTable].map(([t, f]) => [f.name, NATIVE_TABLES.indexOf(t)]));
  rejections.sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || (a.row ?? 0) - (b.row ?? 0));
  return { records, rejections, rowsRead };
}

// Cells were checked one by one against the episode schema's field rules; the whole record is validated again by
// parseEpisode on import, which reports cross-field problems (e.g. removal before insertion) with sourceRows.
function asEpisodeInput(o: Record<string, unknown>): EpisodeInput {
  return o as unknown as EpisodeInput;
}
function asPatientIdentity(o: Record<string, unknown>): PatientIdentity {
  return o as unknown as PatientIdentity;
}

type ParsedRow =
  | { readonly ok: true; readonly line: number; readonly site: string; readonly episodeId: string; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly line: number; readonly site: string; readonly episodeId: string };

function readTable(table: NativeTable, file: NativeCsvFile, options: NativeCsvOptions, rejections: Rejection[]): { rows: ParsedRow[]; rowsRead: number } {
  const csv = readCsvTable(file.text, file.name);
  rejections.push(...csv.rejections);
  const columns = resolveColumns(table);
  const kinds = tableKinds(table);
  const isUnion = kinds[0] !== '';
  const index = new Map(csv.header.map((h, i) => [h, i]));

  for (const key of ['site', 'episode_id']) {
    if (!index.has(key)) throw new ImportFileError(file.name, `column ${key}`, '(missing from the header)', `the ${table.file} columns site, episode_id, ${table.columns.map((c) => c.name).join(', ')}`);
  }
  for (const c of columns) {
    const requiredEverywhere = c.byKind.size === kinds.length && [...c.byKind.values()].every((r) => r.required);
    if (requiredEverywhere && !index.has(c.name)) {
      throw new ImportFileError(file.name, `column ${c.name}`, '(missing from the header)', `a ${c.name} column: every row of ${table.file} needs it`);
    }
  }
  const known = new Set<string>(['site', 'episode_id', ...table.columns.map((c) => c.name)]);
  const unknown = csv.header.map((h, i) => [h, i] as const).filter(([h]) => !known.has(h));
  for (const [h] of unknown) {
    rejections.push(reject(file.name, 1, h, h, `unknown column in ${table.file}; expected only site, episode_id, ${table.columns.map((c) => c.name).join(', ')} (rows with a value in it are rejected)`));
  }

  const siteAt = index.get('site') ?? 0;
  const idAt = index.get('episode_id') ?? 0;
  const slots = columns.map((c) => ({ c, at: index.get(c.name) ?? -1 }));
  const kindAt = index.get('kind') ?? -1;
  const rows: ParsedRow[] = [];

  for (const { line, cells } of csv.rows) {
    const problems: Rejection[] = [];
    const site = cells[siteAt] !== '' ? cells[siteAt] : options.site ?? '';
    const episodeId = cells[idAt];
    if (site === '') problems.push(reject(file.name, line, 'site', '', 'a site code (or give the import a site)'));
    else if (options.site !== undefined && site !== options.site) {
      problems.push(reject(file.name, line, 'site', site, `site ${options.site}, the site of this import`));
    }
    if (episodeId === '') problems.push(reject(file.name, line, 'episode_id', '', 'an episode id'));
    for (const [h, i] of unknown) if (cells[i] !== '') problems.push(reject(file.name, line, h, cells[i], `unknown column in ${table.file}; its value would be lost`));

    let kind = '';
    if (isUnion) {
      kind = kindAt >= 0 ? cells[kindAt] : '';
      if (!kinds.includes(kind)) {
        problems.push(reject(file.name, line, 'kind', kind, `one of ${kinds.join(', ')}`));
        rejections.push(...problems);
        rows.push({ ok: false, line, site, episodeId });
        continue;
      }
    }
    const value: Record<string, unknown> = {};
    for (const { c, at } of slots) {
      const text = at >= 0 ? cells[at] : '';
      const rule = c.byKind.get(kind);
      if (text === '') {
        if (rule?.required) problems.push(reject(file.name, line, c.name, '', isUnion ? `a value: ${c.name} is required for kind ${kind}` : `a value: ${c.name} is required`));
        continue;
      }
      if (!rule) {
        const kindsWith = [...c.byKind.keys()].join(', ');
        problems.push(reject(file.name, line, c.name, text, `no value: ${c.name} applies only to kind ${kindsWith}, this row is kind ${kind}`));
        continue;
      }
      const problem = setCell(value, c, rule.schema, text, rule.time, options.now);
      if (problem !== undefined) problems.push(reject(file.name, line, c.name, text, problem));
    }
    if (problems.length > 0) {
      rejections.push(...problems);
      rows.push({ ok: false, line, site, episodeId });
    } else rows.push({ ok: true, line, site, episodeId, value });
  }
  return { rows, rowsRead: csv.rowsRead };
}

/** Converts one cell and stores it at the column's path; returns what was expected when the cell is bad. */
function setCell(target: Record<string, unknown>, c: ResolvedColumn, schema: z.ZodType, text: string, isTime: boolean, now: Date): string | undefined {
  let v: unknown;
  switch (c.conversion) {
    case 'text':
      v = text;
      break;
    case 'number':
    case 'qvalue':
      v = parseNumberCell(text);
      if (v === undefined) return 'a number (decimal point, e.g. 1.5)';
      break;
    case 'boolean':
      v = parseBooleanCell(text, false);
      if (v === undefined) return 'true or false';
      break;
    case 'list':
      v = text.split(';').map((s) => s.trim());
      break;
    case 'json':
      try {
        v = JSON.parse(text);
      } catch {
        return 'JSON text';
      }
      break;
    case 'qunit': {
      const parent = parentOf(target, c.path);
      const leaf = c.path[c.path.length - 1];
      const current = parent[leaf];
      if (typeof current !== 'number') return `no unit without a value in ${c.name.replace(/_unit$/, '')}`;
      parent[leaf] = { value: current, unit: text };
      return undefined;
    }
  }
  if (c.conversion !== 'qvalue') {
    const r = schema.safeParse(v);
    if (!r.success) return r.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  }
  if (isTime) {
    const future = futureReason(text, now);
    if (future) return `a time not in the future; this one ${future}`;
  }
  parentOf(target, c.path)[c.path[c.path.length - 1]] = v;
  return undefined;
}

function parentOf(root: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    if (next !== null && typeof next === 'object') node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[path[i]] = created;
      node = created;
    }
  }
  return node;
}

function reject(file: string, row: number, field: string, value: string, reason: string): Rejection {
  return { file, row, field, value: rejectionValue(value), reason };
}

function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts[parts.length - 1];
}

function tableFor(name: string): NativeTable | undefined {
  const base = baseName(name);
  return NATIVE_TABLES.find((t) => t.file === base);
}
