// One episode being assembled from the rows (long) or the cells (wide) of a mapped CSV: reading a mapped field's
// cell, adding an observation, pairing device insertions and removals, deriving the anchor, and producing the
// record. Shared by mapped-long.ts and mapped-wide.ts so both formats fill the episode the same way.
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import { OBSERVATION_CODES, type ObservationCode } from '../../clinical/episode/observation-codes.js';
import { acceptedUnits, findUnit } from '../../clinical/episode/units.js';
import { rejectionValue, type PatientIdentity, type RegistryRecord, type Rejection } from '../record.js';
import { futureReason, isIsoDate, parseBooleanCell, parseNumberCell, parseTimeCell } from './cells.js';
import { fieldDef, type CsvMapping, type FieldTarget, type MappedFieldName } from './mapping-schema.js';

/** What every cell reader needs from the mapping and the import. */
export interface MappedContext {
  readonly file: string;
  readonly timezone: string | undefined;
  readonly decimal: '.' | ',';
  /** Source unit spelling -> accepted spelling. */
  readonly units: Readonly<Record<string, string>>;
  readonly now: Date;
}

type DeviceInput = NonNullable<EpisodeInput['devices']>[number];
type EventInput = NonNullable<EpisodeInput['events']>[number];
export type ObservationInput = NonNullable<EpisodeInput['observations']>[number];

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

type DeviceKind = DeviceInput['kind'];

interface DeviceDraft {
  kind?: DeviceKind;
  insertion?: string;
  removal?: string;
  model?: string;
  description?: string;
  reasons?: string[];
  accessSite?: string;
  line: number;
  /** Column (wide) or item (long) that created it, for rejections. */
  field: string;
}

/** A device fact of a long file that belongs to whichever device of `kind` was in place at `time`. */
interface DeviceFact {
  readonly kind: DeviceKind;
  readonly field: 'device_removal' | 'device_model' | 'device_selection_reasons' | 'device_access_site';
  readonly value: string | string[];
  readonly time: string | undefined;
  readonly line: number;
  readonly source: string;
}

export interface EpisodeDraft {
  readonly patient: { sourceId: string; mrn?: string; familyName?: string; givenName?: string; birthDate?: string; postalCode?: string };
  readonly episodeId: string;
  readonly firstLine: number;
  rows: number;
  anchor?: { kind: EpisodeInput['anchor']['kind']; time: string };
  readonly times: Record<string, string>;
  readonly demographics: Record<string, unknown>;
  readonly clinical: Record<string, unknown>;
  readonly observations: ObservationInput[];
  readonly devices: DeviceDraft[];
  /** Wide files: device slot -> draft. */
  readonly deviceSlots: Map<number, DeviceDraft>;
  readonly deviceFacts: DeviceFact[];
  death?: { time?: string; cause?: string; line: number; field: string };
  readonly followUp: Record<string, unknown>;
  readonly sourceRows: Record<string, number>;
}

export function newEpisodeDraft(sourceId: string, episodeId: string, line: number): EpisodeDraft {
  return {
    patient: { sourceId },
    episodeId,
    firstLine: line,
    rows: 0,
    times: {},
    demographics: {},
    clinical: {},
    observations: [],
    devices: [],
    deviceSlots: new Map(),
    deviceFacts: [],
    followUp: {},
    sourceRows: { '': line },
  };
}

// ---------------------------------------------------------------- reading cells

/** Reads a time cell (ISO with offset, or local + the mapping's timezone) that must not lie in the future. */
export function readTime(text: string, ctx: MappedContext): Read<string> {
  // Rows of one sample or one charting round share their time: remember recent answers (bounded).
  const cacheKey = `${ctx.timezone ?? ''}|${ctx.now.getTime()}|${text}`;
  const hit = timeCache.get(cacheKey);
  if (hit) return hit;
  const t = parseTimeCell(text, ctx.timezone);
  let result: Read<string>;
  if (!t.ok) result = t;
  else {
    const future = futureReason(t.iso, ctx.now);
    result = future ? { ok: false, reason: `a time not in the future; this one ${future}` } : { ok: true, value: t.iso };
  }
  if (timeCache.size >= TIME_CACHE_MAX) timeCache.clear();
  timeCache.set(cacheKey, result);
  return result;
}

const TIME_CACHE_MAX = 50_000;
const timeCache = new Map<string, Read<string>>();

/** Reads the value of a mapped field (not a time: times come from readTime). */
export function readFieldValue(target: FieldTarget, text: string, ctx: MappedContext): Read<string | number | boolean | string[]> {
  const def = fieldDef(target.field);
  const translate = (s: string): string => target.values?.[s] ?? s;
  switch (def.kind) {
    case 'text':
      return { ok: true, value: text };
    case 'date':
      return isIsoDate(text) ? { ok: true, value: text } : { ok: false, reason: 'a date YYYY-MM-DD' };
    case 'time':
      return readTime(text, ctx);
    case 'number': {
      const n = parseNumberCell(text, ctx.decimal);
      return n === undefined ? { ok: false, reason: `a number (decimal ${ctx.decimal === ',' ? 'comma' : 'point'})` } : { ok: true, value: n };
    }
    case 'boolean': {
      const b = parseBooleanCell(translate(text), true);
      return b === undefined ? { ok: false, reason: 'yes/no (true/false, 1/0)' } : { ok: true, value: b };
    }
    case 'enum': {
      const v = translate(text);
      return allowedValue(def.allowed, v) ? { ok: true, value: v } : { ok: false, reason: `one of ${def.allowed?.join(', ')}${target.values ? ' (after the mapping\'s values)' : ''}` };
    }
    case 'list': {
      const items = text.split(';').map((s) => translate(s.trim())).filter((s) => s !== '');
      const bad = items.filter((s) => !allowedValue(def.allowed, s));
      return bad.length > 0 ? { ok: false, reason: `';'-separated values, each one of ${def.allowed?.join(', ')}; not: ${bad.join(', ')}` } : { ok: true, value: items };
    }
  }
}

function allowedValue(allowed: readonly string[] | undefined, v: string): boolean {
  return allowed === undefined || allowed.includes(v);
}

const unitCache = new Map<string, string | undefined>();

/**
 * Builds one observation from its cells. The value may carry a censoring sign ('>10', '<0.1'); the unit is the unit
 * cell, else the mapping's assumed unit, else the code's canonical unit, and must be one the code accepts (findUnit).
 */
export function readObservation(
  code: ObservationCode,
  valueText: string,
  unitText: string,
  time: string,
  target: { unit?: string; specimen?: ObservationInput['specimen']; method?: string },
  ctx: MappedContext,
): Read<ObservationInput> | { readonly ok: false; readonly reason: string; readonly field: 'value' | 'unit' } {
  let text = valueText;
  let censored: 'gt' | 'lt' | undefined;
  const c0 = text.charCodeAt(0);
  if (c0 === 62 /* > */ || c0 === 60 /* < */) {
    if (!OBSERVATION_CODES[code].censorable) return { ok: false, field: 'value', reason: `a plain number: ${code} is not reported censored ("> cap" / "< floor")` };
    censored = c0 === 62 ? 'gt' : 'lt';
    text = text.slice(1).trim();
  }
  const value = parseNumberCell(text, ctx.decimal);
  if (value === undefined) return { ok: false, field: 'value', reason: `a number (decimal ${ctx.decimal === ',' ? 'comma' : 'point'}), optionally with > or <` };
  const given = unitText !== '' ? unitText : (target.unit ?? OBSERVATION_CODES[code].unit);
  const unit = ctx.units[given] ?? given;
  const key = `${code}\u0000${unit}`;
  let ok = unitCache.get(key);
  if (ok === undefined && !unitCache.has(key)) {
    ok = findUnit(code, unit) ? unit : undefined;
    unitCache.set(key, ok);
  }
  if (ok === undefined) return { ok: false, field: 'unit', reason: `a unit ${code} can be converted from: ${acceptedUnits(code).join(', ')}` };
  const o: ObservationInput = { time, code, value, unit };
  if (censored) o.censored = censored;
  if (target.specimen) o.specimen = target.specimen;
  if (target.method) o.method = target.method;
  return { ok: true, value: o };
}

// ---------------------------------------------------------------- applying fields

export function addObservation(d: EpisodeDraft, o: ObservationInput, line: number): void {
  d.sourceRows[`observations[${d.observations.length}]`] = line;
  d.observations.push(o);
}

/**
 * Stores a field read from a cell. `time` is the row's time for long files (time fields take it; other fields
 * ignore it). `slot` is the wide file's device slot; long files pass undefined and device facts wait for finish.
 * Returns a reason when the value cannot be used.
 */
export function applyField(d: EpisodeDraft, t: FieldTarget, value: string | number | boolean | string[], line: number, source: string, slot: number | undefined): string | undefined {
  const at = (path: string): void => {
    d.sourceRows[path] = line;
  };
  const str = (): string => (Array.isArray(value) ? value.join(';') : String(value));
  switch (t.field) {
    case 'patient_id':
    case 'episode_id':
      return undefined; // the row's keys, read by the format
    case 'mrn':
      d.patient.mrn = str();
      return undefined;
    case 'family_name':
      d.patient.familyName = str();
      return undefined;
    case 'given_name':
      d.patient.givenName = str();
      return undefined;
    case 'birth_date':
      d.patient.birthDate = str();
      return undefined;
    case 'postal_code':
      d.patient.postalCode = str();
      return undefined;
    case 'anchor':
      if (d.anchor && d.anchor.time !== value) return `one anchor per episode; already ${d.anchor.time} (line ${d.sourceRows.anchor})`;
      d.anchor = { kind: t.anchorKind ?? 'index_event', time: str() };
      at('anchor');
      return undefined;
    case 'admission':
    case 'cicu_admission':
    case 'shock_onset':
    case 'pci_start':
    case 'discharge': {
      const key = TIME_KEYS[t.field];
      return setOnce(d.times, key, str(), line, `times.${key}`, d);
    }
    case 'age_years':
    case 'sex':
      return setOnce(d.demographics, t.field, value, line, `demographics.${t.field}`, d);
    case 'weight':
    case 'height':
      return setOnce(d.demographics, t.field, t.unit ? { value, unit: t.unit } : value, line, `demographics.${t.field}`, d);
    case 'etiology':
    case 'stemi':
    case 'baseline_sbp_mmHg':
      return setOnce(d.clinical, t.field, value, line, `clinical.${t.field}`, d);
    case 'infarct_location':
      return setOnce(d.clinical, 'infarctLocation', value, line, 'clinical.infarctLocation', d);
    case 'clinician_reported_cs':
      return setOnce(d.clinical, 'clinicianReportedCS', value, line, 'clinical.clinicianReportedCS', d);
    case 'death_time':
    case 'death_cause': {
      d.death ??= { line, field: source };
      const key = t.field === 'death_time' ? 'time' : 'cause';
      const prev = d.death[key];
      if (prev !== undefined && prev !== value) return `one death per episode; already ${prev}`;
      d.death[key] = str();
      return undefined;
    }
    case 'last_known_alive':
      return setOnce(d.followUp, 'lastKnownAlive', value, line, 'followUp.lastKnownAlive', d);
    case 'follow_up_source':
      return setOnce(d.followUp, 'source', value, line, 'followUp.source', d);
    case 'device_kind':
    case 'device_model':
    case 'device_insertion':
    case 'device_removal':
    case 'device_selection_reasons':
    case 'device_access_site':
      return applyDeviceField(d, t, value, line, source, slot);
  }
}

const TIME_KEYS = { admission: 'admission', cicu_admission: 'cicuAdmission', shock_onset: 'shockOnset', pci_start: 'pciStart', discharge: 'discharge' } as const;

function setOnce(target: Record<string, unknown>, key: string, value: unknown, line: number, path: string, d: EpisodeDraft): string | undefined {
  const prev = target[key];
  if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(value)) {
    return `one value per episode; already ${JSON.stringify(prev)} (line ${d.sourceRows[path]})`;
  }
  target[key] = value;
  d.sourceRows[path] = line;
  return undefined;
}

function applyDeviceField(d: EpisodeDraft, t: FieldTarget, value: string | number | boolean | string[], line: number, source: string, slot: number | undefined): string | undefined {
  if (slot === undefined) {
    // long file: an insertion starts a device; other facts attach to it when the episode is finished
    const kind = t.deviceKind ?? 'other';
    if (t.field === 'device_insertion') {
      d.devices.push({ kind, insertion: String(value), line, field: source });
      return undefined;
    }
    if (t.field !== 'device_removal' && t.field !== 'device_model' && t.field !== 'device_selection_reasons' && t.field !== 'device_access_site') {
      return `${t.field} is a wide-file field`;
    }
    d.deviceFacts.push({ kind, field: t.field, value: Array.isArray(value) ? value : String(value), time: undefined, line, source });
    return undefined;
  }
  let dev = d.deviceSlots.get(slot);
  if (!dev) {
    dev = { line, field: source };
    d.deviceSlots.set(slot, dev);
    d.devices.push(dev);
  }
  const kind = t.field === 'device_kind' ? (String(value) as DeviceKind) : t.deviceKind;
  if (kind !== undefined) {
    if (dev.kind !== undefined && dev.kind !== kind) return `device ${slot} is already of kind ${dev.kind}`;
    dev.kind = kind;
  }
  switch (t.field) {
    case 'device_insertion':
      dev.insertion = String(value);
      break;
    case 'device_removal':
      dev.removal = String(value);
      break;
    case 'device_model':
      dev.model = String(value);
      break;
    case 'device_selection_reasons':
      dev.reasons = Array.isArray(value) ? value : [String(value)];
      break;
    case 'device_access_site':
      dev.accessSite = String(value);
      break;
    default:
      break;
  }
  return undefined;
}

/** Long files: a device fact with the row's time, so it can find the device in place at that time. */
export function setLastDeviceFactTime(d: EpisodeDraft, time: string | undefined): void {
  const f = d.deviceFacts[d.deviceFacts.length - 1];
  if (f && time !== undefined) d.deviceFacts[d.deviceFacts.length - 1] = { ...f, time };
}

// ---------------------------------------------------------------- finishing

export type Finished = { readonly record: RegistryRecord; readonly rejections: Rejection[] } | { readonly record: undefined; readonly rejections: Rejection[] };

/** Turns a draft into a record: pairs device facts, derives the anchor if needed, builds devices and the death event. */
export function finishEpisode(d: EpisodeDraft, mapping: CsvMapping, site: string, file: string): Finished {
  const rejections: Rejection[] = [];
  const rej = (row: number, field: string, value: string, reason: string): void => {
    rejections.push({ file, row, field, value: rejectionValue(value), reason });
  };

  attachDeviceFacts(d, rej);

  const devices: DeviceInput[] = [];
  const deviceRows: number[] = [];
  for (const dev of d.devices) {
    const built = buildDevice(dev);
    if (typeof built === 'string') {
      rej(dev.line, dev.field, dev.kind ?? '', built);
      continue;
    }
    deviceRows.push(dev.line);
    devices.push(built);
  }

  const events: EventInput[] = [];
  if (d.death) {
    if (d.death.time === undefined) rej(d.death.line, d.death.field, d.death.cause ?? '', 'a death time for this episode (a death cause was given without one)');
    else {
      const cause = d.death.cause as Extract<EventInput, { kind: 'death' }>['cause'];
      events.push(cause ? { kind: 'death', time: d.death.time, cause } : { kind: 'death', time: d.death.time });
      d.sourceRows['events[0]'] = d.death.line;
    }
  }

  resolveAnchor(d, mapping);
  if (!d.anchor) {
    rej(
      d.firstLine,
      'anchor',
      d.episodeId,
      `an anchor time for episode ${d.episodeId} (${d.rows} rows not imported): map an item or column to {"field": "anchor", "anchorKind": ...}` +
        (mapping.anchor ? `, or give the ${mapping.anchor.from} time the mapping derives it from` : ', or set "anchor": {"kind": ..., "from": ...} in the mapping'),
    );
    return { record: undefined, rejections };
  }

  const episode: EpisodeInput = { id: d.episodeId, site, anchor: d.anchor, demographics: d.demographics as EpisodeInput['demographics'] };
  if (Object.keys(d.times).length > 0) episode.times = d.times;
  if (Object.keys(d.clinical).length > 0) episode.clinical = d.clinical as EpisodeInput['clinical'];
  if (d.observations.length > 0) episode.observations = d.observations;
  if (devices.length > 0) {
    episode.devices = devices;
    deviceRows.forEach((line, i) => (d.sourceRows[`devices[${i}]`] = line));
  }
  if (events.length > 0) episode.events = events;
  if (Object.keys(d.followUp).length > 0) episode.followUp = d.followUp as EpisodeInput['followUp'];
  const patient: PatientIdentity = d.patient;
  return { record: { site, patient, episode, sourceRows: d.sourceRows }, rejections };
}

function attachDeviceFacts(d: EpisodeDraft, rej: (row: number, field: string, value: string, reason: string) => void): void {
  if (d.deviceFacts.length === 0) return;
  const ms = (t: string | undefined): number => (t === undefined ? Number.NEGATIVE_INFINITY : Date.parse(t));
  const facts = [...d.deviceFacts].sort((a, b) => ms(a.time) - ms(b.time));
  for (const f of facts) {
    const ofKind = d.devices.filter((x) => x.kind === f.kind).sort((a, b) => ms(a.insertion) - ms(b.insertion));
    let dev: DeviceDraft | undefined;
    if (f.field === 'device_removal') {
      // a removal ends the earliest device of its kind still in place at that time
      dev = ofKind.find((x) => x.removal === undefined && ms(x.insertion) <= ms(String(f.value)));
    } else {
      const before = ofKind.filter((x) => f.time === undefined || ms(x.insertion) <= ms(f.time));
      dev = before[before.length - 1] ?? ofKind[0];
    }
    if (!dev) {
      rej(f.line, f.source, Array.isArray(f.value) ? f.value.join(';') : f.value, `a ${f.kind} device inserted before this fact (no device_insertion of kind ${f.kind} ${f.field === 'device_removal' ? 'still in place at this time' : 'in this episode'})`);
      continue;
    }
    if (f.field === 'device_removal') dev.removal = String(f.value);
    else if (f.field === 'device_model') dev.model = String(f.value);
    else if (f.field === 'device_access_site') dev.accessSite = String(f.value);
    else dev.reasons = Array.isArray(f.value) ? f.value : [f.value];
  }
}

function buildDevice(dev: DeviceDraft): DeviceInput | string {
  if (dev.kind === undefined) return 'a device kind (map a column to device_kind, or set deviceKind on the device columns)';
  if (dev.insertion === undefined) return `an insertion time for the ${dev.kind} device`;
  const common: Record<string, unknown> = { insertion: dev.insertion };
  if (dev.removal !== undefined) common.removal = dev.removal;
  if (dev.accessSite !== undefined) common.accessSite = dev.accessSite;
  if (dev.reasons !== undefined && dev.reasons.length > 0) common.selectionReasons = dev.reasons;
  // Values below were checked against the episode schema's enums by readFieldValue.
  switch (dev.kind) {
    case 'microaxial':
      if (dev.model === undefined) return 'a model for the microaxial device (a device_model item or column, e.g. Impella CP)';
      return { kind: 'microaxial', ...common, model: dev.model } as DeviceInput;
    case 'other':
      return { kind: 'other', ...common, description: dev.description ?? dev.model ?? 'other device' } as DeviceInput;
    case 'iabp':
    case 'va_ecmo':
      return { kind: dev.kind, ...common } as DeviceInput;
  }
}

/** Sets the anchor from the mapping's anchor rule when no row or column gave it and the source time is known. */
export function resolveAnchor(d: EpisodeDraft, mapping: CsvMapping): void {
  if (d.anchor || !mapping.anchor) return;
  const time = derivedAnchorTime(d, mapping.anchor.from);
  if (time) d.anchor = { kind: mapping.anchor.kind, time };
}

function derivedAnchorTime(d: EpisodeDraft, from: NonNullable<CsvMapping['anchor']>['from']): string | undefined {
  const earliest = (times: string[]): string | undefined => {
    let best: string | undefined;
    let bestMs = Number.POSITIVE_INFINITY;
    for (const t of times) {
      const ms = Date.parse(t);
      if (ms < bestMs) {
        best = t;
        bestMs = ms;
      }
    }
    return best;
  };
  switch (from) {
    case 'admission':
      return d.times.admission;
    case 'cicu_admission':
      return d.times.cicuAdmission;
    case 'shock_onset':
      return d.times.shockOnset;
    case 'first_device_insertion':
      return earliest(d.devices.flatMap((x) => (x.insertion === undefined ? [] : [x.insertion])));
    case 'first_observation':
      return earliest(d.observations.map((o) => o.time));
  }
}

export type { MappedFieldName };
