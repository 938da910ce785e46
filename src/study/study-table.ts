// The analysis table a study runs on (docs/dataset.md), read from its CSV text into a typed Table, with the
// sha256 of the bytes read so results.json names exactly the data it came from.
//
// readCsv types a column by its cells (numbers -> numeric, else text). The analysis table has declared types
// (ANALYSIS_COLUMNS), and they win: a category column whose cells happen to be all numbers (barc_worst of a
// registry with no bleeding: every cell '0') or all empty (ventricular_phenotype without PA catheters) is still a
// category, and a numeric column holding text is an error, not silently a factor. Columns the analysis table does
// not declare (a CSV may add its own) keep the type readCsv gave them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readCsv } from '../data/csv.js';
import { DataError } from '../data/data-error.js';
import type { CategoricalColumn, Column, Table } from '../data/table.js';
import { ANALYSIS_COLUMNS, type ColumnType } from '../registry/dataset/index.js';

/** Same collation readCsv uses for level order (R's sort of a character vector). */
const levelCollator = new Intl.Collator('en', { sensitivity: 'variant', numeric: false });

const DECLARED_TYPES: ReadonlyMap<string, ColumnType> = new Map(ANALYSIS_COLUMNS.map((c) => [c.name, c.type as ColumnType]));

function numericToCategorical(name: string, values: Float64Array): CategoricalColumn {
  const texts = new Map<string, number>();
  const raw = new Int32Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const text = String(v);
    let code = texts.get(text);
    if (code === undefined) {
      code = texts.size;
      texts.set(text, code);
    }
    raw[i] = code;
  }
  const levels = [...texts.keys()].sort((a, b) => levelCollator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
  const recode = new Int32Array(levels.length);
  levels.forEach((level, k) => {
    recode[texts.get(level)!] = k;
  });
  const codes = raw.map((c) => (c < 0 ? -1 : recode[c]));
  return { kind: 'categorical', name, levels, codes };
}

function conform(column: Column, source: string): Column {
  const declared = DECLARED_TYPES.get(column.name);
  if (declared === undefined) return column;
  const wantsText = declared === 'category' || declared === 'string';
  if (wantsText) return column.kind === 'numeric' ? numericToCategorical(column.name, column.values) : column;
  if (column.kind === 'categorical') {
    const row = column.codes.findIndex((c) => c >= 0 && Number.isNaN(Number(column.levels[c])));
    const value = row >= 0 ? column.levels[column.codes[row]] : column.levels[0];
    throw new DataError(`${source}: column '${column.name}' (${declared}) holds '${value}' in data row ${row + 1}; expected a number or an empty cell`, {
      field: column.name,
      value,
      expected: declared === 'flag' ? '0, 1 or empty' : 'a number or empty',
    });
  }
  return column;
}

function tableFromBytes(bytes: Uint8Array, source: string, columns?: readonly string[]): { table: Table; sha256: string } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const read = readCsv(bytes, { source, columns: columns === undefined ? undefined : new Set(columns) });
  return { table: { nRows: read.nRows, columns: read.columns.map((c) => conform(c, source)) }, sha256 };
}

/** The analysis table from CSV text (as `stratum dataset` writes it) and the sha256 of that text (UTF-8). */
export function analysisTableFromCsvText(text: string, source = 'analysis table', columns?: readonly string[]): { table: Table; sha256: string } {
  return tableFromBytes(new Uint8Array(Buffer.from(text, 'utf8')), source, columns);
}

/**
 * The analysis table from a CSV file and the sha256 of the file's bytes (all of them). `columns`: read only these
 * (e.g. studyTableColumns(spec)); the others are skipped.
 */
export function analysisTableFromCsvFile(path: string, columns?: readonly string[]): { table: Table; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`analysis table '${path}' cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')})`, {
      field: 'source.csv',
      value: path,
      expected: 'an analysis-table CSV file (stratum dataset --out FILE)',
    });
  }
  return tableFromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path, columns);
}
