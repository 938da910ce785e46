// The analysis table as CSV text: one header line with the column names in ANALYSIS_COLUMNS order, one line per row,
// an empty cell for a missing value (csv-stringify quotes only where needed).
import { stringify } from 'csv-stringify/sync';
import { ANALYSIS_COLUMN_NAMES, type AnalysisRow } from './analysis-columns.js';

/** CSV text of analysis rows (header always written, also for no rows); null cells are empty. */
export function analysisTableCsv(rows: readonly AnalysisRow[]): string {
  const names = ANALYSIS_COLUMN_NAMES;
  const body = rows.map((row) => names.map((n) => {
    const v = row[n];
    return v === null || v === undefined ? '' : String(v);
  }));
  return stringify([[...names], ...body], { record_delimiter: '\n' });
}
