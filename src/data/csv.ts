// CSV reader (RFC 4180) that parses bytes straight into typed columns.
//
// Why not a CSV library: the ones on npm return one string per cell, which at 1,000,000 rows x 16
// columns is 16 million strings and most of a gigabyte before any column is typed. This reader scans
// the bytes once, parses numbers in place (correctly rounded) and interns text through one dictionary
// per column, so a numeric column costs 8 bytes a row and a text column 4.
//
// Conventions (R's read.csv defaults where R has one): the first row is the header; an empty cell or
// NA (quoted or not) is missing; a column whose every non-missing cell is a number is numeric; one whose
// cells are all true/false (any case) is boolean; anything else is categorical with levels sorted as
// R sorts the levels of a character column. Quoted fields may hold commas, doubled quotes and newlines;
// a UTF-8 byte-order mark and CRLF line ends are accepted.
import { readFileSync } from 'node:fs';
import { DataError } from './data-error.js';
import type { Column, Table } from './table.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** Powers of ten that are exact in a double (10^0 .. 10^22), for the correctly rounded fast path. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Collation used for level order; mirrors R's sort() of a character vector in an English locale. */
const levelCollator = new Intl.Collator('en', { sensitivity: 'variant', numeric: false });

export interface ReadCsvOptions {
  /** Name used in error messages, e.g. the file path. */
  readonly source?: string;
  /**
   * Read only these columns (others are scanned for the record structure but neither parsed nor stored); a name not
   * in the header is simply absent from the table. Default: every column. A study on a wide table needs a handful of
   * its columns, and typing the rest costs most of the time and memory at a million rows.
   */
  readonly columns?: ReadonlySet<string>;
}

/** Accumulates one column while the file is scanned. */
class ColumnBuilder {
  readonly name: string;
  numbers: Float64Array;
  codes: Int32Array | null = null;
  readonly dictionary = new Map<string, number>();
  readonly texts: string[] = [];
  /** Rows before the first text cell that held numbers; if any, the column must be re-read as text. */
  sawNumberBeforeText = false;
  isText = false;

  constructor(name: string, capacity: number) {
    this.name = name;
    this.numbers = new Float64Array(capacity);
  }

  grow(capacity: number): void {
    const numbers = new Float64Array(capacity);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.codes) {
      const codes = new Int32Array(capacity).fill(-1);
      codes.set(this.codes);
      this.codes = codes;
    }
  }

  switchToText(row: number, capacity: number): void {
    this.isText = true;
    this.codes = new Int32Array(capacity).fill(-1);
    for (let i = 0; i < row; i++) if (!Number.isNaN(this.numbers[i])) this.sawNumberBeforeText = true;
  }

  code(text: string): number {
    let code = this.dictionary.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.dictionary.set(text, code);
      this.texts.push(text);
    }
    return code;
  }
}

/**
 * Parses a decimal number from bytes [start, end). Returns NaN-marker `undefined` when the text is not a number.
 * Fast path: up to 15 significant digits and no exponent give mantissa / 10^k, which IEEE division rounds
 * correctly because both operands are exact (Clinger 1990). Anything else falls back to Number().
 */
function parseNumber(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  // Trim spaces, as read.csv does for numeric fields.
  while (i < end && bytes[i] === 0x20) i++;
  let j = end;
  while (j > i && bytes[j - 1] === 0x20) j--;
  if (i === j) return undefined;
  let negative = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let sawDot = false;
  let sawDigit = false;
  let p = i;
  for (; p < j; p++) {
    const b = bytes[p];
    if (b >= 0x30 && b <= 0x39) {
      sawDigit = true;
      if (mantissa !== 0 || b !== 0x30) digits++;
      mantissa = mantissa * 10 + (b - 0x30);
      if (sawDot) fractionDigits++;
    } else if (b === 0x2e && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (p === j && sawDigit && digits <= 15 && fractionDigits <= 22) {
    const value = fractionDigits === 0 ? mantissa : mantissa / EXACT_POWERS_OF_TEN[fractionDigits];
    return negative ? -value : value;
  }
  // Exponents, long mantissas, Inf and the like: let the engine decide, but refuse hex, empty and partial forms.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1').trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function isMissingToken(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return true;
  return end - start === 2 && bytes[start] === 0x4e && bytes[start + 1] === 0x41; // "NA"
}

function decodeField(bytes: Uint8Array, start: number, end: number, quoted: boolean): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  return quoted ? text.replaceAll('""', '"') : text;
}

/**
 * Scans the records of a CSV buffer, calling `onField(fieldIndex, start, end, quoted)` for every field and
 * `onRecordEnd(fieldCount, lineNumber)` after each record. Returns the number of records.
 * A quoted field's [start, end) excludes the surrounding quotes; doubled quotes inside are left for the caller.
 */
function scanRecords(
  bytes: Uint8Array,
  offset: number,
  onField: (field: number, start: number, end: number, quoted: boolean) => void,
  onRecordEnd: (fieldCount: number, lineNumber: number) => void,
  source: string,
  firstLine = 1,
  maxRecords = Infinity,
): { end: number; line: number } {
  const n = bytes.length;
  let pos = offset;
  let line = firstLine;
  let records = 0;
  while (pos < n && records < maxRecords) {
    const recordLine = line;
    // Skip a blank line (e.g. a trailing newline at the end of the file).
    if (bytes[pos] === LF || (bytes[pos] === CR && bytes[pos + 1] === LF)) {
      pos += bytes[pos] === CR ? 2 : 1;
      line++;
      continue;
    }
    let field = 0;
    for (;;) {
      if (bytes[pos] === QUOTE) {
        const start = pos + 1;
        let p = start;
        for (;;) {
          if (p >= n) throw new DataError(`${source}: line ${recordLine}: a quoted field is not closed before the end of the file`, { field: `line ${recordLine}`, expected: 'a closing quote' });
          const b = bytes[p];
          if (b === QUOTE) {
            if (bytes[p + 1] === QUOTE) {
              p += 2;
              continue;
            }
            break;
          }
          if (b === LF) line++;
          p++;
        }
        onField(field, start, p, true);
        pos = p + 1;
        if (pos < n && bytes[pos] !== COMMA && bytes[pos] !== LF && bytes[pos] !== CR) {
          throw new DataError(`${source}: line ${line}: unexpected character after a closing quote`, { field: `line ${line}`, expected: 'a comma or end of line after a quoted field' });
        }
      } else {
        const start = pos;
        let p = pos;
        while (p < n) {
          const b = bytes[p];
          if (b === COMMA || b === LF || b === CR) break;
          p++;
        }
        onField(field, start, p, false);
        pos = p;
      }
      field++;
      if (pos >= n) break;
      const b = bytes[pos];
      if (b === COMMA) {
        pos++;
        if (pos >= n) {
          onField(field, pos, pos, false);
          field++;
          break;
        }
        continue;
      }
      if (b === CR) pos++;
      if (bytes[pos] === LF) pos++;
      line++;
      break;
    }
    onRecordEnd(field, recordLine);
    records++;
  }
  return { end: pos, line };
}

/** Reads CSV text or bytes into a typed table. Throws DataError naming the line and what was expected. */
export function readCsv(input: string | Uint8Array, options: ReadCsvOptions = {}): Table {
  const source = options.source ?? 'CSV';
  const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'utf8')) : input;
  let offset = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;

  // Header: the first record.
  const names: string[] = [];
  let headerDone = false;
  const afterHeader = scanRecords(
    bytes,
    offset,
    (_field, start, end, quoted) => names.push(decodeField(bytes, start, end, quoted).trim()),
    () => {
      headerDone = true;
    },
    source,
    1,
    1,
  );
  offset = afterHeader.end;
  if (!headerDone || names.length === 0 || (names.length === 1 && names[0] === '')) {
    throw new DataError(`${source}: the file is empty; expected a header row with column names`, { expected: 'a header row' });
  }
  const seen = new Set<string>();
  names.forEach((name, j) => {
    if (name === '') throw new DataError(`${source}: column ${j + 1} of the header has no name`, { field: `column ${j + 1}`, value: '', expected: 'a column name' });
    if (seen.has(name)) throw new DataError(`${source}: column name '${name}' appears twice in the header`, { field: name, expected: 'unique column names' });
    seen.add(name);
  });

  const nCols = names.length;
  let capacity = Math.max(16, Math.ceil((bytes.length - offset) / Math.max(1, nCols * 4)));
  const wanted = options.columns;
  const builders = names.map((name) => (wanted === undefined || wanted.has(name) ? new ColumnBuilder(name, capacity) : null));
  let row = 0;

  scanRecords(
    bytes,
    offset,
    (field, start, end, quoted) => {
      if (field >= nCols) return; // counted and reported at the record's end
      if (row >= capacity) {
        capacity *= 2;
        for (const b of builders) b?.grow(capacity);
      }
      const builder = builders[field];
      if (builder === null) return;
      if (isMissingToken(bytes, start, end)) {
        builder.numbers[row] = NaN;
        if (builder.codes) builder.codes[row] = -1;
        return;
      }
      if (!builder.isText) {
        const value = parseNumber(bytes, start, end);
        if (value !== undefined) {
          builder.numbers[row] = value;
          return;
        }
        builder.switchToText(row, capacity);
      }
      builder.numbers[row] = NaN;
      (builder.codes as Int32Array)[row] = builder.code(decodeField(bytes, start, end, quoted));
    },
    (fieldCount, lineNumber) => {
      if (fieldCount !== nCols) {
        throw new DataError(`${source}: line ${lineNumber} has ${fieldCount} fields; expected ${nCols} as in the header`, {
          field: `line ${lineNumber}`,
          value: fieldCount,
          expected: `${nCols} fields`,
        });
      }
      row++;
    },
    source,
    afterHeader.line,
  );

  const nRows = row;
  // Columns that turned to text after holding numbers are read again as text, so no cell's spelling is lost.
  const reread = builders.filter((b): b is ColumnBuilder => b !== null && b.isText && b.sawNumberBeforeText);
  if (reread.length > 0) rereadAsText(bytes, offset, builders, reread, source);

  const columns: Column[] = builders.filter((b): b is ColumnBuilder => b !== null).map((b) => finishColumn(b, nRows));
  return { nRows, columns };
}

function rereadAsText(bytes: Uint8Array, offset: number, builders: ReadonlyArray<ColumnBuilder | null>, reread: ColumnBuilder[], source: string): void {
  const wanted = new Set(reread.map((b) => builders.indexOf(b)));
  let row = 0;
  scanRecords(
    bytes,
    offset,
    (field, start, end, quoted) => {
      if (!wanted.has(field)) return;
      const builder = builders[field] as ColumnBuilder;
      (builder.codes as Int32Array)[row] = isMissingToken(bytes, start, end) ? -1 : builder.code(decodeField(bytes, start, end, quoted));
    },
    () => {
      row++;
    },
    source,
  );
}

function finishColumn(builder: ColumnBuilder, nRows: number): Column {
  if (!builder.isText) return { kind: 'numeric', name: builder.name, values: builder.numbers.slice(0, nRows) };
  const codes = (builder.codes as Int32Array).slice(0, nRows);
  const texts = builder.texts;
  const lower = texts.map((t) => t.trim().toLowerCase());
  if (lower.every((t) => t === 'true' || t === 'false')) {
    const values = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) values[i] = codes[i] < 0 ? NaN : lower[codes[i]] === 'true' ? 1 : 0;
    return { kind: 'boolean', name: builder.name, values };
  }
  // Sort levels and recode, so that level order does not depend on the order rows arrived in.
  const order = texts.map((_, k) => k).sort((a, b) => levelCollator.compare(texts[a], texts[b]) || (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0));
  const newCode = new Int32Array(texts.length);
  order.forEach((oldCode, k) => {
    newCode[oldCode] = k;
  });
  for (let i = 0; i < nRows; i++) if (codes[i] >= 0) codes[i] = newCode[codes[i]];
  return { kind: 'categorical', name: builder.name, levels: order.map((k) => texts[k]), codes };
}

/** Reads a CSV file into a typed table. */
export function readCsvFile(path: string): Table {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`cannot read data file '${path}': ${reason}`, { field: '--data', value: path, expected: 'a readable CSV file' });
  }
  return readCsv(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), { source: path });
}
