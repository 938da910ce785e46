// Reading and writing the CSV text itself: csv-parse / csv-stringify with physical line numbers (header = line 1,
// a quoted field spanning lines counts every line) and a per-row column-count check, so a truncated or ragged row is
// reported with its line instead of being dropped or shifted.
import { parse, CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ImportFileError, rejectionValue, type Rejection } from '../record.js';

/** One data row: its 1-based physical line (where the record starts) and its cells, exactly as written. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  /** Column names, trimmed. */
  readonly header: readonly string[];
  /** Data rows with as many cells as the header. */
  readonly rows: CsvRow[];
  /** Rows whose column count differs from the header's (truncated or ragged rows). */
  readonly rejections: Rejection[];
  /** Data rows read, including rejected ones (blank lines are not rows). */
  readonly rowsRead: number;
}

/**
 * Index of a column the mapping names, by header name; a column missing from the header is a whole-file error
 * naming the column and the mapping entry (`what`) that asked for it.
 */
export function columnIndexer(header: readonly string[], file: string): (name: string, what: string) => number {
  const index = new Map(header.map((h, i) => [h, i]));
  return (name, what) => {
    const at = index.get(name);
    if (at === undefined) throw new ImportFileError(file, `column ${name}`, '(missing from the header)', `the column the mapping names for ${what}`);
    return at;
  };
}

/** Parses CSV text into a header and rows. Throws ImportFileError for an empty file, a bad header or unclosed quotes. */
export function readCsvTable(text: string, file: string, delimiter = ','): CsvTable {
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    if (e instanceof CsvError) {
      const where = typeof (e as { lines?: unknown }).lines === 'number' ? `line ${(e as unknown as { lines: number }).lines}` : 'file';
      const truncated = e.code === 'CSV_QUOTE_NOT_CLOSED' ? ' (the file ends inside a quoted field: truncated file?)' : '';
      throw new ImportFileError(file, where, e.message, `well-formed CSV${truncated}`);
    }
    throw e;
  }
  const headerRecord = records[0];
  if (!headerRecord || (headerRecord.length === 1 && headerRecord[0].trim() === '')) {
    throw new ImportFileError(file, 'line 1', '(empty)', 'a header row naming the columns');
  }
  const header = headerRecord.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new ImportFileError(file, 'line 1', rejectionValue(headerRecord.join(delimiter)), 'a name for every column in the header');
    if (seen.has(h)) throw new ImportFileError(file, `column ${h}`, 'named twice in the header', 'unique column names');
    seen.add(h);
  }

  const width = header.length;
  const rows: CsvRow[] = [];
  const rejections: Rejection[] = [];
  const endsWithNewline = text.endsWith('\n') || text.endsWith('\r');
  let line = 1 + extraLines(headerRecord) + 1;
  let rowsRead = 0;
  for (let r = 1; r < records.length; r++) {
    const cells = records[r];
    const start = line;
    line += 1 + extraLines(cells);
    if (cells.length === 1 && (cells[0] === '' || cells[0] === '\r')) continue; // blank line
    rowsRead++;
    if (cells.length !== width) {
      const last = r === records.length - 1 && !endsWithNewline;
      rejections.push({
        file,
        row: start,
        field: '(row)',
        value: rejectionValue(cells.join(delimiter)),
        reason:
          `expected ${width} columns as in the header, got ${cells.length}` +
          (last && cells.length < width ? '; the file ends in the middle of this row (truncated file?)' : ''),
      });
      continue;
    }
    rows.push({ line: start, cells });
  }
  return { header, rows, rejections, rowsRead };
}

/** Line breaks inside the (quoted) fields of one record: each adds a physical line. */
function extraLines(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.indexOf('\n') < 0) continue;
    for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** Writes a header and rows as CSV text (RFC 4180 quoting, '\n' line ends). */
export function writeCsvTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // A lone carriage return is quoted too, so no reader (spreadsheets included) takes it for a line end.
  return stringify([header, ...rows] as string[][], { record_delimiter: '\n', quoted_match: /\r/ });
}
