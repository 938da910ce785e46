// One REDCap raw value in, one canonical value out (and back): the conversions are fixed by the dictionary field's
// type and validation, the choice translation by the mapping, the clock by the site's UTC offset.
import { tidy } from '../../clinical/episode/units.js';
import { expectedRaw, isValidRaw, type RedcapField } from './redcap-dictionary.js';
import type { FieldTarget } from './redcap-mapping.js';

/** A JSON value placed in a record. */
export type Canonical = string | number | boolean | readonly string[];

/** Why a raw value breaks its dictionary field, or undefined if it is valid. Checkbox values are codes. */
export function rawProblem(field: RedcapField, raw: string): string | undefined {
  if (field.choices.length > 0 && field.type !== 'checkbox') {
    return field.choices.some((c) => c.code === raw) ? undefined : `not a choice of ${field.name}: expected ${expectedRaw(field)}`;
  }
  if (!isValidRaw(field.valueKind, raw)) return `expected ${expectedRaw(field)}`;
  if (field.valueKind === 'string' || field.valueKind === 'time') return undefined;
  const numeric = field.valueKind === 'number' || field.valueKind === 'integer';
  const below = (bound: string): boolean => (numeric ? Number(raw) < Number(bound) : raw < bound);
  const above = (bound: string): boolean => (numeric ? Number(raw) > Number(bound) : raw > bound);
  if (field.min !== undefined && below(field.min)) return `below the field's minimum ${field.min}`;
  if (field.max !== undefined && above(field.max)) return `above the field's maximum ${field.max}`;
  return undefined;
}

/** A valid raw value as its canonical value (dates with the site's offset, choices translated). */
export function toCanonicalValue(field: RedcapField, target: FieldTarget, raw: string, offset: string): Canonical {
  if (field.type === 'yesno' || field.type === 'truefalse') return raw === '1';
  if (field.choices.length > 0) return target.values?.[raw] ?? raw;
  switch (field.valueKind) {
    case 'number':
    case 'integer':
      return Number(raw);
    case 'datetime':
      return `${raw.replace(' ', 'T')}:00${offset}`;
    case 'datetime_seconds':
      return `${raw.replace(' ', 'T')}${offset}`;
    default:
      return raw;
  }
}

/** Checkbox codes ticked, as canonical values. */
export function checkboxToCanonical(codes: readonly string[], target: FieldTarget): string[] {
  return codes.map((code) => target.values?.[code] ?? code);
}

/** The instant of a canonical date or date-time, for the "not after now" check (a date counts from its start). */
export function instantOf(field: RedcapField, value: string, offset: string): number | undefined {
  if (field.valueKind === 'date') return Date.parse(`${value}T00:00:00${offset}`);
  if (field.valueKind === 'datetime' || field.valueKind === 'datetime_seconds') return Date.parse(value);
  return undefined;
}

/** Minutes east of UTC of an offset such as '+01:00' or 'Z'. */
export function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/**
 * A canonical value as the REDCap raw value of `field`, or an explanation of why it has none. Date-times are written
 * in the site's clock; datetime_ymd has minute precision, so seconds are cut (documented in docs/redcap.md).
 */
export function toRawValue(field: RedcapField, target: FieldTarget, value: unknown, offset: string): { raw: string } | { problem: string } {
  if (field.type === 'yesno' || field.type === 'truefalse') {
    return typeof value === 'boolean' ? { raw: value ? '1' : '0' } : { problem: `expected true or false, got ${JSON.stringify(value)}` };
  }
  if (field.choices.length > 0) {
    const code = choiceCode(field, target, value);
    return code !== undefined ? { raw: code } : { problem: `${JSON.stringify(value)} has no choice in ${field.name}` };
  }
  switch (field.valueKind) {
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? { raw: String(tidy(value)) } : { problem: `expected a number, got ${JSON.stringify(value)}` };
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? { raw: value.slice(0, 10) } : { problem: `expected a date, got ${JSON.stringify(value)}` };
    case 'datetime':
    case 'datetime_seconds': {
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) return { problem: `expected an ISO 8601 date-time, got ${JSON.stringify(value)}` };
      const local = new Date(ms + offsetMinutes(offset) * 60_000).toISOString();
      return { raw: `${local.slice(0, 10)} ${local.slice(11, field.valueKind === 'datetime' ? 16 : 19)}` };
    }
    default:
      return typeof value === 'string' || typeof value === 'number' ? { raw: String(value) } : { problem: `expected text, got ${JSON.stringify(value)}` };
  }
}

/** The choice code of a canonical value: through the mapping's translation, else the value itself if it is a code. */
export function choiceCode(field: RedcapField, target: FieldTarget, value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  const translated = Object.entries(target.values ?? {}).find(([, canonical]) => canonical === text)?.[0];
  const code = translated ?? text;
  return field.choices.some((c) => c.code === code) ? code : undefined;
}
