// Bytes -> text for CSV imports. A CSV must be UTF-8: a file saved in another encoding (Latin-1 / Windows-1252 from
// a spreadsheet, UTF-16) would otherwise import with mangled names and units, so it fails as a whole with the byte
// offset and line of the first invalid sequence.
import { ImportFileError } from '../record.js';

const BOM = [0xef, 0xbb, 0xbf] as const;

/** Decodes a CSV file's bytes as UTF-8, dropping a leading UTF-8 byte order mark. Throws ImportFileError on invalid UTF-8. */
export function decodeCsvBytes(bytes: Uint8Array, file: string): string {
  const start = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2] ? 3 : 0;
  const body = start === 0 ? bytes : bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    const offset = at + start;
    const line = lineAt(bytes, offset);
    const shown = Array.from(bytes.subarray(offset, Math.min(offset + 4, bytes.length)), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    const hint = bytes[0] === 0xff || bytes[0] === 0xfe ? ' (the file starts with a UTF-16 byte order mark)' : ' (Latin-1 / Windows-1252? re-save the file as UTF-8)';
    throw new ImportFileError(file, `byte ${offset} (line ${line})`, `invalid UTF-8 bytes ${shown}`, `a UTF-8 encoded text file${hint}`);
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629 section 4). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i += 1;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= b.length) return i; // sequence cut off by the end of the file
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return b.length;
}

function lineAt(b: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < b.length; i++) if (b[i] === 0x0a) line++;
  return line;
}
