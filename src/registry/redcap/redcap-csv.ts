// Reads a CSV file (REDCap data dictionary or flat record export) into rows that carry their physical line number,
// so a rejection points at the line a person sees in an editor (header = line 1), even when a quoted cell (a
// REDCap notes field) spans several lines.
import { parse } from 'csv-parse/sync';
import { ImportFileError } from '../record.js';

/** One CSV record with the 1-based physical line on which it starts. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly bytes_records: number };
}

/** Parses `text` strictly (every row as wide as the header, quotes closed); ImportFileError on a malformed file. */
export function readCsv(text: string, file: string): CsvTable {
  if (text.includes('\uFFFD')) {
    throw new ImportFileError(file, '(encoding)', 'a U+FFFD replacement character', 'a UTF-8 encoded file');
  }
  let parsed: ParsedRecord[];
  try {
    // csv-parse's sync typings ignore the `info` option, which wraps each record as {record, info}.
    parsed = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as ParsedRecord[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(file, '(csv)', message, 'a well-formed CSV file (closed quotes, the same number of columns on every row)');
  }
  if (parsed.length === 0) throw new ImportFileError(file, '(header)', '(empty file)', 'a header row');
  // csv-parse reports the byte offset just past each record; the next record starts after the line breaks (and
  // skipped empty lines) that follow, and its line is 1 + the number of newlines before that start.
  const bytes = Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8');
  const bomBytes = text.charCodeAt(0) === 0xfeff ? 3 : 0;
  const rows: CsvRow[] = [];
  let position = 0;
  let line = 1;
  for (const [index, { record, info }] of parsed.entries()) {
    while (position < bytes.length && (bytes[position] === 0x0a || bytes[position] === 0x0d)) {
      if (bytes[position] === 0x0a) line += 1;
      position += 1;
    }
    if (index > 0) rows.push({ line, cells: record });
    const end = Math.max(position, info.bytes_records - bomBytes);
    for (let i = position; i < end && i < bytes.length; i += 1) if (bytes[i] === 0x0a) line += 1;
    position = end;
  }
  return { header: parsed[0].record, rows };
}
