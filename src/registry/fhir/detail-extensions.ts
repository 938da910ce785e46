// Structured extensions for the fields of the episode format that FHIR R4 has no element for (bleeding facts,
// device details, event details, clinical context). A plain object becomes a complex extension with one
// sub-extension per field, named by the field (relative URLs are how FHIR names the parts of a complex extension,
// hl7.org/fhir/R4/extensibility.html#complex); the reader reverses it exactly:
//   boolean -> valueBoolean, integer -> valueInteger, other number -> valueDecimal,
//   ISO 8601 date-time -> valueDateTime, other string -> valueString,
//   object -> nested sub-extensions, array -> nested sub-extensions all named 'item'.
// Empty strings and empty arrays are left out: FHIR strings cannot be empty, and every array here defaults to [].
import type { Extension } from './fhir-types.js';

/** An ISO 8601 date-time with seconds and offset (the episode format's times; valid FHIR dateTime). */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ITEM = 'item';
const INT32_MAX = 2147483647;

function valueExtension(url: string, value: unknown): Extension | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return { url, valueBoolean: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) <= INT32_MAX ? { url, valueInteger: value } : { url, valueDecimal: value };
  }
  if (typeof value === 'string') return DATE_TIME_PATTERN.test(value) ? { url, valueDateTime: value } : { url, valueString: value };
  if (Array.isArray(value)) {
    const items: Extension[] = [];
    for (const item of value) {
      const e = valueExtension(ITEM, item);
      if (e) items.push(e);
    }
    return items.length > 0 ? { url, extension: items } : undefined;
  }
  if (typeof value === 'object') {
    const parts = fieldsToExtensions(value as Readonly<Record<string, unknown>>);
    return parts.length > 0 ? { url, extension: parts } : undefined;
  }
  return undefined;
}

/** One sub-extension per defined field of `fields`, in key order. */
export function fieldsToExtensions(fields: Readonly<Record<string, unknown>>): Extension[] {
  const out: Extension[] = [];
  for (const key of Object.keys(fields)) {
    const e = valueExtension(key, fields[key]);
    if (e) out.push(e);
  }
  return out;
}

/** A complex extension at `url` holding `fields`, or undefined when every field is absent. */
export function complexExtension(url: string, fields: Readonly<Record<string, unknown>>): Extension | undefined {
  const parts = fieldsToExtensions(fields);
  return parts.length > 0 ? { url, extension: parts } : undefined;
}

/** The value an extension carries: its value[x], or the object / array its sub-extensions describe. Reads any JSON. */
export function extensionValue(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return undefined;
  const x = e as Readonly<Record<string, unknown>>;
  const parts = x['extension'];
  if (Array.isArray(parts) && parts.length > 0) {
    if (parts.every((p) => typeof p === 'object' && p !== null && (p as Record<string, unknown>)['url'] === ITEM)) return parts.map(extensionValue);
    return extensionsToFields(parts);
  }
  for (const key of VALUE_KEYS) if (x[key] !== undefined) return x[key];
  return undefined;
}

const VALUE_KEYS = ['valueBoolean', 'valueInteger', 'valueDecimal', 'valueDateTime', 'valueString', 'valueCode', 'valueQuantity'] as const;

/** The object a list of sub-extensions describes (the inverse of fieldsToExtensions). */
export function extensionsToFields(parts: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    if (typeof p !== 'object' || p === null) continue;
    const url = (p as Record<string, unknown>)['url'];
    if (typeof url === 'string') out[url] = extensionValue(p);
  }
  return out;
}
