// Complete-case filtering: keeps the rows with a value in every named column and says what it dropped.
import { getColumn, isMissing, type Table } from './table.js';

export interface CompleteCases {
  /** 0-based indices of the rows kept, in file order. */
  readonly rows: Int32Array;
  /** How many rows were dropped. */
  readonly droppedRows: number;
  /** For each named column, how many rows had it missing (a row missing two columns counts in both). */
  readonly missingByColumn: ReadonlyArray<{ readonly column: string; readonly missing: number }>;
}

/** Rows of `table` with no missing value in any of `columns` (R's na.omit on the model frame). */
export function completeCases(table: Table, columns: readonly string[]): CompleteCases {
  const unique = [...new Set(columns)];
  const cols = unique.map((name) => getColumn(table, name));
  const missing = new Int32Array(cols.length);
  const keep = new Int32Array(table.nRows);
  let kept = 0;
  for (let i = 0; i < table.nRows; i++) {
    let complete = true;
    for (let j = 0; j < cols.length; j++) {
      if (isMissing(cols[j], i)) {
        missing[j]++;
        complete = false;
      }
    }
    if (complete) keep[kept++] = i;
  }
  return {
    rows: keep.slice(0, kept),
    droppedRows: table.nRows - kept,
    missingByColumn: unique.map((column, j) => ({ column, missing: missing[j] })).filter((m) => m.missing > 0),
  };
}

/** One sentence for a report: "dropped 5 of 228 rows with missing values (inst: 1, ph.ecog: 1)". */
export function describeDropped(cc: CompleteCases, totalRows: number): string {
  if (cc.droppedRows === 0) return `no rows dropped (${totalRows} complete)`;
  const detail = cc.missingByColumn.map((m) => `${m.column}: ${m.missing}`).join(', ');
  return `dropped ${cc.droppedRows} of ${totalRows} rows with missing values (${detail})`;
}
