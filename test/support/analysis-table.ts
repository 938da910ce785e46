// A small in-memory analysis table for tests, built from row objects. It goes through CSV text and readCsv, so
// the columns are typed exactly as a real analysis-table file would be (numeric, boolean or categorical, empty
// cell = missing).
import { readCsv } from '../../src/data/csv.js';
import type { Table } from '../../src/data/table.js';

export type TestCell = string | number | null;

function csvCell(value: TestCell | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Table from row objects. Columns are the keys in order of first appearance over all rows; a key a row lacks
 * and a null value are both an empty (missing) cell.
 */
export function tableFromRows(rows: ReadonlyArray<Record<string, TestCell>>): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const name of Object.keys(row)) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  if (names.length === 0) throw new Error('tableFromRows: no columns (every row is empty)');
  const lines = [names.map((n) => csvCell(n)).join(',')];
  // A one-column row with an empty cell would be a blank line, which CSV readers skip; a quoted empty field is
  // read as missing too and keeps the row.
  for (const row of rows) lines.push(names.length === 1 && csvCell(row[names[0]]) === '' ? '""' : names.map((n) => csvCell(row[n])).join(','));
  return readCsv(`${lines.join('\n')}\n`, { source: 'tableFromRows' });
}
