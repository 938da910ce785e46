// Parsing single CSV cells: numbers, booleans, times. Plain functions on strings (no per-row schema objects), so a
// million-row file converts in seconds. Each parser returns the value or undefined; callers word the rejection.

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number written with '.' (or ',' when `decimal` is ','), or undefined. */
export function parseNumberCell(text: string, decimal: '.' | ',' = '.'): number | undefined {
  const t = decimal === ',' ? text.replace(',', '.') : text;
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** 'true' / 'false' (the native layout); mapped files also accept yes/no, y/n, 1/0 (any case). */
export function parseBooleanCell(text: string, lenient: boolean): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (!lenient) return undefined;
  const t = text.toLowerCase();
  if (t === 'true' || t === 'yes' || t === 'y' || t === '1' || t === 'ja' || t === 'j') return true;
  if (t === 'false' || t === 'no' || t === 'n' || t === '0' || t === 'nein') return false;
  return undefined;
}

const ISO_WITH_OFFSET = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when `text` is an ISO 8601 date-time with offset exactly as the episode format accepts it (isoTimeSchema in
 * episode-schema.ts: seconds required, real calendar dates). A plain regex and day count instead of the schema call: this runs once
 * per row of million-row files (cells.test.ts checks both agree).
 */
export function isIsoTime(text: string): boolean {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** A UTC offset as a mapping file writes it: 'Z', '+01:00', '-05:00'. */
export const UTC_OFFSET = /^(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const LOOSE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type TimeParse = { readonly ok: true; readonly iso: string } | { readonly ok: false; readonly reason: string };

/**
 * Reads a time from a mapped file: ISO 8601 with offset ('2026-01-01T10:00:00+01:00', seconds optional, 'Z'), or a
 * local date-time ('2026-01-01 10:00', 'T' or space) that takes the mapping's `timezone` offset. Returns the episode
 * format's spelling (seconds always written). A local time with no configured timezone is refused, never guessed.
 */
export function parseTimeCell(text: string, timezone: string | undefined): TimeParse {
  const m = LOOSE_TIME.exec(text);
  if (!m) {
    const what = DATE_ONLY.test(text) ? 'a date without a time of day' : 'not a date-time';
    return { ok: false, reason: `${what}; expected ISO 8601 like 2026-01-01T10:00:00+01:00, or 2026-01-01 10:00 with the mapping's timezone` };
  }
  const [, date, hh, mm, ss = '00', frac = '', off] = m;
  let offset: string;
  if (off !== undefined) offset = off === 'Z' ? 'Z' : normaliseOffset(off);
  else if (timezone !== undefined) offset = timezone;
  else {
    return {
      ok: false,
      reason: 'the time has no UTC offset and the mapping sets no timezone; write the offset (e.g. +01:00) or set "timezone" in the mapping',
    };
  }
  const iso = `${date}T${hh}:${mm}:${ss}${frac}${offset}`;
  if (!isIsoTime(iso)) return { ok: false, reason: 'not a valid calendar date-time; expected e.g. 2026-01-01T10:00:00+01:00' };
  return { ok: true, iso };
}

function normaliseOffset(off: string): string {
  const digits = off.slice(1).replace(':', '');
  return `${off[0]}${digits.slice(0, 2)}:${digits.length > 2 ? digits.slice(2, 4) : '00'}`;
}

/** Reason text when `iso` lies after `now` (a date in the future is a data-entry or clock error), else undefined. */
export function futureReason(iso: string, now: Date): string | undefined {
  return Date.parse(iso) > now.getTime() ? `lies in the future (after ${now.toISOString()})` : undefined;
}

/** A calendar date YYYY-MM-DD (birth dates). */
export function isIsoDate(text: string): boolean {
  return DATE_ONLY.test(text) && isIsoTime(`${text}T00:00:00Z`);
}
