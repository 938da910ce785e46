// Equivalence of two canonical episodes (parseEpisode output) and of two patient identities, for round-trip tests
// of every importer/exporter pair (FHIR, CSV, REDCap). Every field of the Episode is compared:
//   - a string that is an ISO 8601 date-time on both sides is compared as an instant (offsets may differ);
//   - numbers within 1e-9 relative (absolute 1e-12 near zero), so unit round trips do not fail on the last bit;
//   - arrays element by element, in order; an absent key equals a key holding undefined.
// One normalization, stated here: demographics.originalWeight / originalHeight in the canonical unit (kg / cm)
// carry nothing beyond weight_kg / height_cm (parseEpisode itself keeps no original for observations entered in
// their canonical unit), so they are ignored; in any other unit they are compared.
import assert from 'node:assert/strict';
import type { Episode } from '../../src/clinical/episode/episode.js';
import type { PatientIdentity } from '../../src/registry/record.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const REL = 1e-9;
const ABS = 1e-12;
const MAX_SHOWN = 20;

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function compare(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_SHOWN) return;
  if (typeof a === 'number' && typeof b === 'number') {
    const diff = Math.abs(a - b);
    if (!(diff <= Math.max(REL * Math.max(Math.abs(a), Math.abs(b)), ABS)) && !(Number.isNaN(a) && Number.isNaN(b))) {
      out.push(`${path}: ${a} vs ${b} (difference ${diff})`);
    }
    return;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return;
    if (DATE_TIME.test(a) && DATE_TIME.test(b) && Date.parse(a) === Date.parse(b)) return;
    out.push(`${path}: ${show(a)} vs ${show(b)}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} items vs ${b.length} items`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) compare(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const av = a[k];
      const bv = b[k];
      if (av === undefined && bv === undefined) continue;
      compare(av, bv, path === '' ? k : `${path}.${k}`, out);
    }
    return;
  }
  if (a !== b) out.push(`${path}: ${show(a)} vs ${show(b)}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The episode with the stated normalization applied (originals in the canonical unit removed). */
function normalized(e: Episode): Record<string, unknown> {
  const d = { ...e.demographics } as Record<string, unknown>;
  const w = e.demographics.originalWeight;
  if (w !== undefined && w.unit === 'kg') delete d['originalWeight'];
  const h = e.demographics.originalHeight;
  if (h !== undefined && h.unit === 'cm') delete d['originalHeight'];
  return { ...e, demographics: d };
}

/** Every difference between two canonical episodes, as 'path: a vs b' lines (at most 20). */
export function episodeDifferences(a: Episode, b: Episode): string[] {
  const out: string[] = [];
  compare(normalized(a), normalized(b), '', out);
  return out;
}

/** Fails listing every differing field (path, both values) unless the two canonical episodes are equivalent. */
export function assertEpisodesEquivalent(a: Episode, b: Episode, label = `episode ${a.id}`): void {
  const diffs = episodeDifferences(a, b);
  if (diffs.length > 0) assert.fail(`${label}: ${diffs.length}${diffs.length >= MAX_SHOWN ? '+' : ''} differences (first vs second):\n  ${diffs.join('\n  ')}`);
}

/** Fails unless two identities hold the same fields with the same values (strings compared exactly). */
export function assertIdentitiesEqual(a: PatientIdentity, b: PatientIdentity, label = `patient ${a.sourceId}`): void {
  const keys: (keyof PatientIdentity)[] = ['sourceId', 'mrn', 'familyName', 'givenName', 'birthDate', 'postalCode'];
  const diffs = keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${show(a[k])} vs ${show(b[k])}`);
  if (diffs.length > 0) assert.fail(`${label}: identities differ:\n  ${diffs.join('\n  ')}`);
}
