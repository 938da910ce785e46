// Records -> the native Stratum CSV files (layout in native-layout.ts, documented in docs/csv-import.md). Values are
// written as entered (original units, original times), so reading the files back gives the same records.
import type { RegistryRecord } from '../record.js';
import { KEY_COLUMNS, NATIVE_TABLES, type CellConversion, type NativeColumn, type NativeTable } from './native-layout.js';
import { writeCsvTable } from './csv-table.js';

/** Writes records as the native CSV files: file name -> CSV text, one entry per file of the layout (header only when empty). */
export function recordsToCsvTables(records: readonly RegistryRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const table of NATIVE_TABLES) out.set(table.file, writeCsvTable(headerOf(table), rowsOf(table, records)));
  return out;
}

function headerOf(table: NativeTable): string[] {
  return [...KEY_COLUMNS, ...table.columns.map((c) => c.name)];
}

function rowsOf(table: NativeTable, records: readonly RegistryRecord[]): string[][] {
  const rows: string[][] = [];
  for (const r of records) {
    const key = [r.site, r.episode.id];
    if (table.list === undefined) {
      rows.push([...key, ...table.columns.map((c) => cellText(c, { patient: r.patient, episode: r.episode }))]);
      continue;
    }
    const items: readonly unknown[] = r.episode[table.list] ?? [];
    for (const item of items) rows.push([...key, ...table.columns.map((c) => cellText(c, item))]);
  }
  return rows;
}

function cellText(c: NativeColumn, root: unknown): string {
  let v: unknown = root;
  for (const key of c.path) {
    if (v === null || typeof v !== 'object') return '';
    v = (v as Record<string, unknown>)[key];
  }
  return format(c.conversion, v);
}

function format(conversion: CellConversion, v: unknown): string {
  if (v === undefined || v === null) return '';
  switch (conversion) {
    case 'qvalue':
      return typeof v === 'object' ? String((v as { value: unknown }).value) : String(v);
    case 'qunit':
      return typeof v === 'object' ? String((v as { unit: unknown }).unit) : '';
    case 'json':
      return JSON.stringify(v);
    case 'list':
      return Array.isArray(v) ? v.join(';') : String(v);
    case 'text':
    case 'number':
    case 'boolean':
      return String(v);
  }
}
