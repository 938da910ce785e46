// Import: a FHIR R4 Bundle (our own export, or Patient / Encounter / Observation / MedicationAdministration /
// Procedure / Device / Condition from any EHR) as registry records, one per Encounter. Pure. Whole-file problems
// throw ImportFileError; every entry that cannot be used becomes a Rejection naming the entry (row = 1-based entry
// index), the FHIR path, the value and the reason; nothing is dropped silently. Values keep the unit they came in
// (converted once, by parseEpisode, which the import orchestrator runs on every record afterwards).
// Reading is by simple typed guards, not a schema library: a million Observations must import in seconds.
import {
  ANCHOR_KINDS,
  BOLUS_DRUGS,
  HEIGHT_UNITS,
  PURGE_SOLUTIONS,
  WEIGHT_UNITS,
  type EpisodeInput,
} from '../../clinical/episode/episode-schema.js';
import { INFUSION_DRUG_DEFS, INFUSION_DRUGS, type InfusionDrug } from '../../clinical/episode/infusion-drugs.js';
import { OBSERVATION_CODES, isObservationCode, type ObservationCode } from '../../clinical/episode/observation-codes.js';
import { acceptedUnits, findUnit } from '../../clinical/episode/units.js';
import { ImportFileError, rejectionValue, type ConversionResult, type PatientIdentity, type RegistryRecord, type Rejection } from '../record.js';
import { DATE_TIME_PATTERN, extensionValue } from './detail-extensions.js';
import { DEVICE_SETTING_CODE, SETTING_COMPONENTS } from './device-setting-components.js';
import { ACCEPTED_RESOURCE_TYPES, type FhirResourceType } from './fhir-types.js';
import { LOINC_BODY_HEIGHT, LOINC_BODY_WEIGHT, LOINC_BODY_WEIGHT_MEASURED, observationCodeForLoinc } from './observation-loinc.js';
import * as U from './stratum-fhir-urls.js';

export interface FhirImportOptions {
  /** File name as given on the command line, for rejections and errors. */
  readonly file: string;
  /** Site code for every record; default: each Encounter's serviceProvider identifier. */
  readonly site?: string;
  /** The current time: any time after it is rejected as a future date. */
  readonly now: Date;
}

type Input = EpisodeInput;
type ObservationIn = NonNullable<Input['observations']>[number];
type InfusionIn = NonNullable<Input['infusions']>[number];
type BolusIn = NonNullable<Input['boluses']>[number];
type PurgeIn = NonNullable<Input['purge']>[number];
type DeviceIn = NonNullable<Input['devices']>[number];
type SettingIn = NonNullable<DeviceIn['settings']>[number];
type SupportIn = NonNullable<Input['supports']>[number];
type EventIn = NonNullable<Input['events']>[number];
type AnticoagulationIn = NonNullable<Input['anticoagulation']>[number];
type Demographics = Input['demographics'];

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- entry problems

/** A problem with one entry: thrown inside a converter, caught per entry, reported as a Rejection. */
class EntryProblem extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function fail(field: string, value: unknown, reason: string): never {
  throw new EntryProblem(field, value, reason);
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function objAt(o: Json, key: string, path: string): Json | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObj(v)) fail(`${path}.${key}`, v, 'an object');
  return v;
}

function arrAt(o: Json, key: string, path: string): unknown[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`${path}.${key}`, v, 'an array');
  return v;
}

function strAt(o: Json, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') fail(`${path}.${key}`, v, 'a non-empty string');
  return v;
}

function numAt(o: Json, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, v, 'a finite number');
  return v;
}

// ---------------------------------------------------------------- the converter

interface Entry {
  readonly index: number;
  /** 1-based entry number, the rejection's row. */
  readonly row: number;
  /** 'entry[i].resource' */
  readonly path: string;
  readonly type: FhirResourceType;
  readonly resource: Json;
}

interface PatientState {
  readonly entry: Entry;
  readonly identity: PatientIdentity;
  readonly sex?: Demographics['sex'];
  readonly deceased?: { readonly time: string; readonly path: string };
  readonly encounters: EpisodeBuilder[];
}

interface DeviceBuilder {
  readonly record: Json;
  readonly settings: SettingIn[];
  readonly settingRows: number[];
  /** Index of the Device entry it manipulates, if any. */
  readonly deviceEntry?: number;
}

interface EventSlot {
  readonly event: Json;
  readonly entry: Entry;
  /** Entry index of the event resource a transfusion treated (reasonReference), resolved to an events index at the end. */
  readonly forEntry?: number;
}

interface PurgeSlot {
  readonly purge: Json;
  /** Entry index of the Device the purge belongs to, resolved to the device id at the end. */
  readonly deviceEntry?: number;
}

interface EpisodeBuilder {
  readonly entry: Entry;
  readonly patient: PatientState;
  readonly site: string;
  readonly head: Omit<Input, 'demographics' | 'observations' | 'infusions' | 'boluses' | 'purge' | 'devices' | 'supports' | 'events'>;
  readonly age_years?: number;
  /** Admission and discharge (Encounter.period), to attach resources that name only their Patient. */
  readonly periodStart?: number;
  readonly periodEnd?: number;
  weight?: Demographics['weight'];
  height?: Demographics['height'];
  readonly rows: Record<string, number>;
  readonly observations: ObservationIn[];
  readonly infusions: InfusionIn[];
  readonly boluses: BolusIn[];
  readonly purge: PurgeSlot[];
  readonly devices: DeviceBuilder[];
  readonly supports: SupportIn[];
  readonly events: EventSlot[];
}

/** Reads a FHIR R4 Bundle into registry records (one per Encounter) and rejections (one per unusable entry). */
export function fhirBundleToRecords(bundle: unknown, options: FhirImportOptions): ConversionResult {
  return new BundleReader(readBundle(bundle, options.file), options).read();
}

/** The Bundle's entries, or ImportFileError when the file as a whole is not a FHIR Bundle. */
function readBundle(bundle: unknown, file: string): unknown[] {
  let doc = bundle;
  if (doc instanceof Uint8Array) doc = new TextDecoder('utf-8', { fatal: false }).decode(doc);
  if (typeof doc === 'string') {
    const text = doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new ImportFileError(file, '(file)', rejectionValue(text.slice(0, 60)), `a JSON document (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!isObj(doc)) throw new ImportFileError(file, '(file)', rejectionValue(doc), 'a JSON object: a FHIR Bundle');
  if (doc['resourceType'] !== 'Bundle') throw new ImportFileError(file, 'resourceType', rejectionValue(doc['resourceType']), "'Bundle'");
  const entries = doc['entry'];
  if (!Array.isArray(entries)) throw new ImportFileError(file, 'entry', rejectionValue(entries), 'an array of Bundle entries');
  return entries;
}

const ACCEPTED = new Set<string>(ACCEPTED_RESOURCE_TYPES);
const REFERENCE_PATTERN = /(?:^|\/)(Patient|Encounter|Device|Condition|Procedure|Observation|MedicationAdministration)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/;
const FHIR_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const EVENT_KINDS = ['cardiac_arrest', 'bleeding', 'hemolysis', 'limb_ischemia', 'stroke', 'death'] as const;

class BundleReader {
  private readonly file: string;
  private readonly now_ms: number;
  private readonly rejections: Rejection[] = [];
  private readonly entries: Entry[] = [];
  private readonly entryByIndex: (Entry | undefined)[] = [];
  /** resourceType -> id -> entry index (nested maps: no key concatenation per entry). */
  private readonly byTypeId = new Map<string, Map<string, number>>();
  private readonly byFullUrl = new Map<string, number>();
  private readonly resolved = new Map<string, number>();
  /** Entries rejected so far, by index, with the reason dependents repeat. */
  private readonly rejected = new Map<number, string>();
  private readonly patients = new Map<number, PatientState>();
  private readonly episodes = new Map<number, EpisodeBuilder>();
  /** Device entry index -> the builder of the Procedure that placed it. */
  private readonly deviceOwners = new Map<number, DeviceBuilder>();
  /** Event entry index -> position in its episode's events. */
  private readonly eventIndex = new Map<number, { builder: EpisodeBuilder; index: number }>();

  constructor(
    private readonly raw: unknown[],
    options: FhirImportOptions,
  ) {
    this.file = options.file;
    this.now_ms = options.now.getTime();
    this.site = options.site;
  }

  private readonly site: string | undefined;

  read(): ConversionResult {
    this.index();
    const later: Entry[] = [];
    for (const e of this.entries) if (e.type === 'Patient') this.guard(e, () => this.patient(e));
    for (const e of this.entries) if (e.type === 'Encounter') this.guard(e, () => this.encounter(e));
    for (const e of this.entries) {
      if (e.type === 'Patient' || e.type === 'Encounter' || e.type === 'Device') continue;
      if (e.type === 'Observation' && isDeviceSetting(e.resource)) {
        later.push(e);
        continue;
      }
      this.guard(e, () => this.child(e));
    }
    for (const e of later) this.guard(e, () => this.deviceSetting(e));
    for (const e of this.entries) {
      if (e.type === 'Device' && !this.rejected.has(e.index) && !this.deviceOwners.has(e.index)) {
        this.reject(e, `${e.path}`, e.resource['id'], 'a Device placed by a Procedure of this Bundle (Procedure.focalDevice.manipulated) that gives its insertion time; none refers to it');
      }
    }
    for (const p of this.patients.values()) {
      if (p.encounters.length === 0 && !this.rejected.has(p.entry.index)) {
        this.reject(p.entry, `${p.entry.path}.id`, p.entry.resource['id'], 'an Encounter of this Bundle for this Patient: a registry record is one episode (Encounter)');
      }
    }
    const records: RegistryRecord[] = [];
    for (const b of this.episodes.values()) {
      if (!this.rejected.has(b.entry.index)) records.push(this.finish(b));
    }
    this.rejections.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    return { records, rejections: this.rejections, rowsRead: this.raw.length };
  }

  // ---------------------------------------------------------------- bookkeeping

  private reject(e: { row: number; index: number }, field: string, value: unknown, reason: string): void {
    this.rejected.set(e.index, reason);
    this.rejections.push({ file: this.file, row: e.row, field, value: rejectionValue(value), reason });
  }

  private guard(e: Entry, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof EntryProblem)) throw err;
      this.reject(e, err.field, err.value, err.reason);
    }
  }

  private index(): void {
    this.raw.forEach((item, index) => {
      const row = index + 1;
      const base = `entry[${index}]`;
      const path = `${base}.resource`;
      if (!isObj(item)) return this.reject({ row, index }, base, item, 'a Bundle entry object with a resource');
      const resource = item['resource'];
      if (!isObj(resource)) return this.reject({ row, index }, path, resource, 'a FHIR resource');
      const type = resource['resourceType'];
      if (typeof type !== 'string' || !ACCEPTED.has(type)) {
        return this.reject({ row, index }, `${path}.resourceType`, type, `one of the resource types Stratum reads: ${ACCEPTED_RESOURCE_TYPES.join(', ')}`);
      }
      const id = resource['id'];
      if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(id))) {
        return this.reject({ row, index }, `${path}.id`, id, 'a FHIR id: 1-64 letters, digits, - or .');
      }
      if (id === undefined && (type === 'Patient' || type === 'Encounter' || type === 'Device')) {
        return this.reject({ row, index }, `${path}.id`, id, `an id: other resources refer to a ${type} by it`);
      }
      if (id !== undefined) {
        let ids = this.byTypeId.get(type);
        if (ids === undefined) this.byTypeId.set(type, (ids = new Map()));
        const first = ids.get(id);
        if (first !== undefined) {
          return this.reject({ row, index }, `${path}.id`, id, `an id not used by another ${type} of this Bundle (entry ${first + 1} has it)`);
        }
        ids.set(id, index);
      }
      // A fullUrl ending in Type/id resolves through the id map; only other forms (urn:uuid:...) need their own map.
      const fullUrl = item['fullUrl'];
      if (typeof fullUrl === 'string' && fullUrl !== '' && !(id !== undefined && fullUrl.endsWith(`${type}/${id}`))) this.byFullUrl.set(fullUrl, index);
      const entry: Entry = { index, row, path, type: type as FhirResourceType, resource };
      this.entries.push(entry);
      this.entryByIndex[index] = entry;
    });
  }

  /** The entry index a Reference points at, checked against the expected types; fails when it is not in the Bundle. */
  private resolve(ref: unknown, path: string, types: readonly FhirResourceType[]): number {
    if (!isObj(ref)) fail(path, ref, `a Reference to a ${types.join(' or ')}`);
    const r = ref['reference'];
    if (typeof r !== 'string' || r === '') fail(`${path}.reference`, r, `a reference to a ${types.join(' or ')} of this Bundle`);
    // The same few references (Patient/x, Encounter/y) recur on every resource of an episode: resolve each once.
    let index = this.resolved.get(r);
    if (index === undefined) {
      index = this.byFullUrl.get(r);
      if (index === undefined) {
        const m = REFERENCE_PATTERN.exec(r);
        if (m) index = this.byTypeId.get(m[1])?.get(m[2]);
      }
      if (index !== undefined) this.resolved.set(r, index);
    }
    const entry = index === undefined ? undefined : this.entryAt(index);
    if (entry === undefined || !types.includes(entry.type)) {
      fail(`${path}.reference`, r, `a reference to a ${types.join(' or ')} of this Bundle; no entry has this id`);
    }
    const why = this.rejected.get(entry.index);
    if (why !== undefined) fail(`${path}.reference`, r, `a usable ${entry.type}: entry ${entry.row} was rejected (${why})`);
    return entry.index;
  }

  private entryAt(index: number): Entry | undefined {
    return this.entryByIndex[index];
  }

  /** A date-time with seconds and offset, not after now. */
  private time(v: unknown, path: string): string {
    if (typeof v !== 'string' || !DATE_TIME_PATTERN.test(v)) fail(path, v, 'an ISO 8601 date-time with seconds and offset, e.g. 2026-01-01T04:00:00Z');
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) fail(path, v, 'a valid calendar date-time');
    if (ms > this.now_ms) fail(path, v, `a time not in the future (now is ${new Date(this.now_ms).toISOString()})`);
    return v;
  }

  private optionalTime(o: Json, key: string, path: string): string | undefined {
    return o[key] === undefined ? undefined : this.time(o[key], `${path}.${key}`);
  }

  /** Every date-time inside a decoded extension value must not be in the future. */
  private checkTimes(v: unknown, path: string): void {
    if (typeof v === 'string') {
      if (DATE_TIME_PATTERN.test(v)) this.time(v, path);
    } else if (Array.isArray(v)) v.forEach((x, i) => this.checkTimes(x, `${path}[${i}]`));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) this.checkTimes(x, `${path}.${k}`);
  }

  /** The decoded value of the resource's extension at `url` (first one), checked for future times. */
  private extension(r: Json, path: string, url: string): unknown {
    const list = arrAt(r, 'extension', path);
    for (let k = 0; k < list.length; k++) {
      const e = list[k];
      if (isObj(e) && e['url'] === url) {
        const v = extensionValue(e);
        this.checkTimes(v, `${path}.extension[${k}]`);
        return v;
      }
    }
    return undefined;
  }

  /** Every decoded extension at `url`, in order. */
  private extensions(r: Json, path: string, url: string): unknown[] {
    const out: unknown[] = [];
    arrAt(r, 'extension', path).forEach((e, k) => {
      if (isObj(e) && e['url'] === url) {
        const v = extensionValue(e);
        this.checkTimes(v, `${path}.extension[${k}]`);
        out.push(v);
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- Patient

  private patient(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const id = r['id'] as string;
    let sourceId: string | undefined;
    let mrn: string | undefined;
    arrAt(r, 'identifier', p).forEach((x, k) => {
      if (!isObj(x)) fail(`${p}.identifier[${k}]`, x, 'an Identifier');
      const value = strAt(x, 'value', `${p}.identifier[${k}]`);
      const type = objAt(x, 'type', `${p}.identifier[${k}]`);
      const isMr = type !== undefined && Array.isArray(type['coding']) && type['coding'].some((c) => isObj(c) && c['code'] === 'MR');
      if (x['system'] === U.SID_PATIENT_SOURCE_ID && sourceId === undefined) sourceId = value;
      else if ((x['system'] === U.SID_MRN || isMr) && mrn === undefined) mrn = value;
    });
    const name = arrAt(r, 'name', p)[0];
    let familyName: string | undefined;
    let givenName: string | undefined;
    if (name !== undefined) {
      if (!isObj(name)) fail(`${p}.name[0]`, name, 'a HumanName');
      familyName = strAt(name, 'family', `${p}.name[0]`);
      const given = arrAt(name, 'given', `${p}.name[0]`);
      if (given.some((g) => typeof g !== 'string')) fail(`${p}.name[0].given`, given, 'an array of strings');
      if (given.length > 0) givenName = given.join(' ');
    }
    const gender = r['gender'];
    if (gender !== undefined && gender !== 'male' && gender !== 'female' && gender !== 'other' && gender !== 'unknown') {
      fail(`${p}.gender`, gender, 'one of male, female, other, unknown');
    }
    const birthDate = strAt(r, 'birthDate', p);
    if (birthDate !== undefined) {
      if (!FHIR_DATE.test(birthDate)) fail(`${p}.birthDate`, birthDate, 'a FHIR date YYYY-MM-DD');
      if (Date.parse(birthDate) > this.now_ms) fail(`${p}.birthDate`, birthDate, 'a birth date not in the future');
    }
    const deceasedTime = this.optionalTime(r, 'deceasedDateTime', p);
    const address = arrAt(r, 'address', p)[0];
    const postalCode = isObj(address) ? strAt(address, 'postalCode', `${p}.address[0]`) : undefined;
    const identity: PatientIdentity = {
      sourceId: sourceId ?? id,
      ...(mrn !== undefined ? { mrn } : {}),
      ...(familyName !== undefined ? { familyName } : {}),
      ...(givenName !== undefined ? { givenName } : {}),
      ...(birthDate !== undefined ? { birthDate } : {}),
      ...(postalCode !== undefined ? { postalCode } : {}),
    };
    this.patients.set(e.index, {
      entry: e,
      identity,
      ...(gender !== undefined ? { sex: gender as Demographics['sex'] } : {}),
      ...(deceasedTime !== undefined ? { deceased: { time: deceasedTime, path: `${p}.deceasedDateTime` } } : {}),
      encounters: [],
    });
  }

  // ---------------------------------------------------------------- Encounter

  private encounter(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const status = r['status'];
    if (status === 'entered-in-error' || status === 'cancelled') fail(`${p}.status`, status, 'an Encounter that took place (not entered-in-error or cancelled)');
    if (r['subject'] === undefined) fail(`${p}.subject`, undefined, 'a reference to the Patient');
    const patient = this.patients.get(this.resolve(r['subject'], `${p}.subject`, ['Patient']));
    if (patient === undefined) fail(`${p}.subject`, r['subject'], 'a usable Patient');

    let episodeId: string | undefined;
    arrAt(r, 'identifier', p).forEach((x, k) => {
      if (isObj(x) && x['system'] === U.SID_EPISODE && episodeId === undefined) episodeId = strAt(x, 'value', `${p}.identifier[${k}]`);
    });
    episodeId ??= r['id'] as string;

    const provider = objAt(r, 'serviceProvider', p);
    const providerId = provider !== undefined ? objAt(provider, 'identifier', `${p}.serviceProvider`) : undefined;
    const site = this.site ?? (providerId !== undefined ? strAt(providerId, 'value', `${p}.serviceProvider.identifier`) : undefined);
    if (site === undefined) fail(`${p}.serviceProvider.identifier.value`, undefined, 'a site code: Encounter.serviceProvider.identifier, or the --site option');

    const period = objAt(r, 'period', p);
    const admission = period !== undefined ? this.optionalTime(period, 'start', `${p}.period`) : undefined;
    const discharge = period !== undefined ? this.optionalTime(period, 'end', `${p}.period`) : undefined;

    const anchorExt = this.extension(r, p, U.EXT_ANCHOR);
    let anchor: Input['anchor'];
    if (anchorExt !== undefined) {
      if (!isObj(anchorExt) || !(ANCHOR_KINDS as readonly unknown[]).includes(anchorExt['kind'])) {
        fail(`${p}.extension(episode-anchor)`, anchorExt, `{kind: one of ${ANCHOR_KINDS.join(', ')}, time}`);
      }
      anchor = { kind: anchorExt['kind'] as Input['anchor']['kind'], time: this.time(anchorExt['time'], `${p}.extension(episode-anchor).time`) };
    } else if (admission !== undefined) {
      // An EHR Encounter has no Stratum anchor: the admission is the episode's time zero.
      anchor = { kind: 'admission', time: admission };
    } else {
      fail(`${p}.period.start`, undefined, 'an admission time (Encounter.period.start) or the Stratum episode-anchor extension');
    }

    const timesExt = this.extension(r, p, U.EXT_TIMES);
    const times: Json = { ...(isObj(timesExt) ? timesExt : {}) };
    if (admission !== undefined) times['admission'] = admission;
    if (discharge !== undefined) times['discharge'] = discharge;
    const age = this.extension(r, p, U.EXT_AGE_YEARS);
    const clinical = this.extension(r, p, U.EXT_CLINICAL_CONTEXT);
    const followUp = this.extension(r, p, U.EXT_FOLLOW_UP);
    const anticoagulation = this.extensions(r, p, U.EXT_ANTICOAGULATION_PROTOCOL) as AnticoagulationIn[];

    // Decoded extension values are passed through as entered: parseEpisode checks every field afterwards.
    const head = {
      id: episodeId,
      site,
      anchor,
      times: times as Input['times'],
      ...(isObj(clinical) ? { clinical: clinical as Input['clinical'] } : {}),
      anticoagulation,
      ...(isObj(followUp) ? { followUp: followUp as Input['followUp'] } : {}),
    };
    const rows: Record<string, number> = { '': e.row, anchor: e.row, times: e.row, clinical: e.row, followUp: e.row, demographics: patient.entry.row };
    anticoagulation.forEach((_, k) => (rows[`anticoagulation[${k}]`] = e.row));
    const builder: EpisodeBuilder = {
      entry: e,
      patient,
      site,
      head,
      ...(typeof age === 'number' ? { age_years: age } : {}),
      ...(admission !== undefined ? { periodStart: Date.parse(admission) } : {}),
      ...(discharge !== undefined ? { periodEnd: Date.parse(discharge) } : {}),
      rows,
      observations: [],
      infusions: [],
      boluses: [],
      purge: [],
      devices: [],
      supports: [],
      events: [],
    };
    patient.encounters.push(builder);
    this.episodes.set(e.index, builder);
  }

  /** The episode a resource belongs to: its Encounter reference, else its Patient's only (or enclosing) Encounter. */
  private episodeOf(e: Entry, encounterKey: string, subjectKey: string, time: string | undefined): EpisodeBuilder {
    const r = e.resource;
    const p = e.path;
    let fromSubject: PatientState | undefined;
    if (r[subjectKey] !== undefined) fromSubject = this.patients.get(this.resolve(r[subjectKey], `${p}.${subjectKey}`, ['Patient']));
    if (r[encounterKey] !== undefined) {
      const b = this.episodes.get(this.resolve(r[encounterKey], `${p}.${encounterKey}`, ['Encounter']));
      if (b === undefined) fail(`${p}.${encounterKey}`, r[encounterKey], 'a usable Encounter');
      if (fromSubject !== undefined && fromSubject !== b.patient) {
        fail(`${p}.${subjectKey}.reference`, (r[subjectKey] as Json)['reference'], 'the Patient of the referenced Encounter');
      }
      return b;
    }
    if (fromSubject === undefined) fail(`${p}.${subjectKey}`, undefined, `a reference to the Patient (${subjectKey}) or the Encounter (${encounterKey})`);
    const list = fromSubject.encounters.filter((b) => !this.rejected.has(b.entry.index));
    if (list.length === 1) return list[0];
    const t = time !== undefined ? Date.parse(time) : Number.NaN;
    const inside = list.filter((b) => b.periodStart !== undefined && t >= b.periodStart && (b.periodEnd === undefined || t <= b.periodEnd));
    if (inside.length === 1) return inside[0];
    return fail(`${p}.${encounterKey}`, undefined, `a reference to one of the Patient's ${list.length} Encounters (the time falls in ${inside.length} of their periods)`);
  }

  // ---------------------------------------------------------------- resources inside an episode

  private child(e: Entry): void {
    switch (e.type) {
      case 'Observation':
        return this.observation(e);
      case 'MedicationAdministration':
        return this.medication(e);
      case 'Procedure':
        return this.procedure(e);
      case 'Condition':
        return this.condition(e);
      default:
        return;
    }
  }

  private observation(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const status = r['status'];
    if (status === 'entered-in-error' || status === 'cancelled') fail(`${p}.status`, status, 'a valid measurement (not entered-in-error or cancelled)');
    const code = objAt(r, 'code', p);
    if (code === undefined) fail(`${p}.code`, undefined, 'a LOINC or Stratum observation code');
    const target = observationTarget(code, `${p}.code`);
    const { time, periodMin } = this.effective(r, p);
    const b = this.episodeOf(e, 'encounter', 'subject', time);
    if (target === 'weight' || target === 'height') {
      const q = quantityOf(r, 'valueQuantity', p);
      const units: Readonly<Record<string, number>> = target === 'weight' ? WEIGHT_UNITS : HEIGHT_UNITS;
      const unit = pickUnit(q.unit, q.code, (u) => units[u] !== undefined);
      if (unit === undefined) fail(`${p}.valueQuantity.unit`, q.unit ?? q.code, `a ${target} unit: one of ${Object.keys(units).join(', ')}`);
      if (b[target] !== undefined) {
        fail(`${p}.code`, target, `one body ${target} per episode: this episode already has one (the first in the Bundle is kept)`);
      }
      const canonical = target === 'weight' ? 'kg' : 'cm';
      b[target] = unit === canonical ? q.value : { value: q.value, unit };
      b.rows[`demographics.${target}`] = e.row;
      return;
    }
    const specimen = this.extension(r, p, U.EXT_SPECIMEN);
    const sampleId = this.extension(r, p, U.EXT_SAMPLE_ID);
    const periodExt = this.extension(r, p, U.EXT_PERIOD_MINUTES);
    const method = objAt(r, 'method', p);
    const methodText = method !== undefined ? (strAt(method, 'text', `${p}.method`) ?? firstCode(method)) : undefined;
    const note = noteText(r, p);
    // Built by assignment, not object spread: this runs once per Observation (a million in a large import).
    const withShared = (m: Measured): ObservationIn => {
      const o: Record<string, unknown> = { time, code: m.code, value: m.value };
      if (m.unit !== undefined) o['unit'] = m.unit;
      if (m.censored !== undefined) o['censored'] = m.censored;
      if (specimen !== undefined) o['specimen'] = specimen;
      if (methodText !== undefined) o['method'] = methodText;
      if (typeof periodExt === 'number') o['periodMin'] = periodExt;
      else if (periodMin !== undefined) o['periodMin'] = periodMin;
      if (typeof sampleId === 'string') o['sampleId'] = sampleId;
      if (note !== undefined) o['note'] = note;
      return o as ObservationIn;
    };
    const values: ObservationIn[] = [];
    if (target !== undefined) {
      values.push(withShared(measured(target, r, p)));
    } else {
      // A panel (e.g. blood pressure 85354-9): one observation per component, each with its own LOINC code.
      const components = arrAt(r, 'component', p);
      if (components.length === 0 || r['valueQuantity'] !== undefined) unknownCode(code, `${p}.code`);
      components.forEach((c, j) => {
        const cp = `${p}.component[${j}]`;
        if (!isObj(c)) fail(cp, c, 'an Observation component');
        const cc = objAt(c, 'code', cp);
        const ct = cc !== undefined ? observationTarget(cc, `${cp}.code`) : undefined;
        if (cc === undefined || ct === undefined || ct === 'weight' || ct === 'height') return unknownCode(cc ?? {}, `${cp}.code`);
        values.push(withShared(measured(ct, c, cp)));
      });
    }
    for (const v of values) {
      b.rows[`observations[${b.observations.length}]`] = e.row;
      b.observations.push(v);
    }
  }

  /** effectiveDateTime, or the end of effectivePeriod (a rate over the period ending then). */
  private effective(r: Json, p: string): { time: string; periodMin?: number } {
    if (r['effectiveDateTime'] !== undefined) return { time: this.time(r['effectiveDateTime'], `${p}.effectiveDateTime`) };
    const period = objAt(r, 'effectivePeriod', p);
    if (period === undefined) fail(`${p}.effectiveDateTime`, undefined, 'the time of the measurement (effectiveDateTime or effectivePeriod)');
    const start = this.optionalTime(period, 'start', `${p}.effectivePeriod`);
    const end = this.optionalTime(period, 'end', `${p}.effectivePeriod`);
    const time = end ?? start;
    if (time === undefined) fail(`${p}.effectivePeriod`, period, 'a period with a start or an end');
    const minutes = start !== undefined && end !== undefined ? (Date.parse(end) - Date.parse(start)) / 60000 : 0;
    return minutes > 0 ? { time, periodMin: minutes } : { time };
  }

  private medication(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const status = r['status'];
    if (status === 'entered-in-error' || status === 'not-done') fail(`${p}.status`, status, 'an administration that took place (not entered-in-error or not-done)');
    const med = objAt(r, 'medicationCodeableConcept', p);
    if (med === undefined) fail(`${p}.medicationCodeableConcept`, r['medicationReference'], 'a medicationCodeableConcept with a Stratum drug or purge-solution code');
    const kindExt = this.extension(r, p, U.EXT_ADMINISTRATION_KIND);
    const dosage = objAt(r, 'dosage', p) ?? {};
    const purgeSolution = codeIn(med, U.CS_PURGE_SOLUTION);
    if (kindExt !== undefined && kindExt !== 'infusion' && kindExt !== 'bolus' && kindExt !== 'purge') {
      fail(`${p}.extension(administration-kind)`, kindExt, 'infusion, bolus or purge');
    }
    const kind = kindExt ?? (purgeSolution !== undefined ? 'purge' : dosage['dose'] !== undefined ? 'bolus' : 'infusion');
    const note = noteText(r, p);
    if (kind === 'purge') {
      const { start, end } = this.period(r, p, 'effectivePeriod');
      const b = this.episodeOf(e, 'context', 'subject', start);
      const solution = purgeSolution ?? 'heparin_d5w';
      if (!(PURGE_SOLUTIONS as readonly string[]).includes(solution)) fail(`${p}.medicationCodeableConcept`, solution, `a purge solution: one of ${PURGE_SOLUTIONS.join(', ')}`);
      const flow = quantityOf(dosage, 'rateQuantity', `${p}.dosage`);
      if (pickUnit(flow.unit, flow.code, (u) => u === 'mL/h' || u === 'ml/h') === undefined) fail(`${p}.dosage.rateQuantity.unit`, flow.unit ?? flow.code, 'mL/h');
      const heparin = this.extension(r, p, U.EXT_PURGE_HEPARIN);
      if (!isObj(heparin) || typeof heparin['value'] !== 'number') fail(`${p}.extension(purge-heparin-concentration)`, heparin, 'the heparin concentration of the purge as a Quantity in [IU]/mL');
      if (pickUnit(heparin['unit'], heparin['code'], (u) => ['[IU]/mL', 'IU/mL', 'U/mL', '[iU]/mL'].includes(u)) === undefined) {
        fail(`${p}.extension(purge-heparin-concentration).unit`, heparin['unit'], '[IU]/mL');
      }
      const bicarb = this.extension(r, p, U.EXT_PURGE_BICARBONATE);
      const devices = arrAt(r, 'device', p);
      let deviceEntry: number | undefined;
      let deviceId: string | undefined;
      if (devices.length > 0) {
        const d = devices[0];
        if (isObj(d) && d['reference'] === undefined && isObj(d['identifier'])) deviceId = strAt(d['identifier'], 'value', `${p}.device[0].identifier`);
        else deviceEntry = this.resolve(d, `${p}.device[0]`, ['Device']);
      }
      const purge: Json = {
        ...(deviceId !== undefined ? { deviceId } : {}),
        start,
        ...(end !== undefined ? { end } : {}),
        solution,
        heparin_IU_mL: heparin['value'],
        flow_mL_h: flow.value,
        ...(isObj(bicarb) && typeof bicarb['value'] === 'number' ? { bicarbonate_meq_L: bicarb['value'] } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      b.rows[`purge[${b.purge.length}]`] = e.row;
      b.purge.push({ purge, ...(deviceEntry !== undefined ? { deviceEntry } : {}) });
      return;
    }
    const drug = codeIn(med, U.CS_DRUG);
    if (kind === 'bolus') {
      if (drug === undefined || !(BOLUS_DRUGS as readonly string[]).includes(drug)) {
        fail(`${p}.medicationCodeableConcept`, drug ?? codesOf(med), `a bolus drug in the Stratum drug CodeSystem: one of ${BOLUS_DRUGS.join(', ')}`);
      }
      const time = r['effectiveDateTime'] !== undefined ? this.time(r['effectiveDateTime'], `${p}.effectiveDateTime`) : this.period(r, p, 'effectivePeriod').start;
      const b = this.episodeOf(e, 'context', 'subject', time);
      const dose = quantityOf(dosage, 'dose', `${p}.dosage`);
      const context = this.extension(r, p, U.EXT_BOLUS_CONTEXT);
      const bolus = {
        drug: drug as BolusIn['drug'],
        time,
        dose: dose.value,
        // Bolus units are checked by parseEpisode (canonical spellings '[IU]', 'mg', 'ug', each optionally '/kg').
        doseUnit: dose.unit ?? dose.code ?? fail(`${p}.dosage.dose.unit`, undefined, 'the dose unit'),
        ...(typeof context === 'string' ? { context: context as BolusIn['context'] } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      b.rows[`boluses[${b.boluses.length}]`] = e.row;
      b.boluses.push(bolus);
      return;
    }
    if (drug === undefined || !(INFUSION_DRUGS as readonly string[]).includes(drug)) {
      fail(`${p}.medicationCodeableConcept`, drug ?? codesOf(med), `an infusion drug in the Stratum drug CodeSystem: one of ${INFUSION_DRUGS.join(', ')}`);
    }
    const { start, end } = this.period(r, p, 'effectivePeriod');
    const b = this.episodeOf(e, 'context', 'subject', start);
    const rate = quantityOf(dosage, 'rateQuantity', `${p}.dosage`);
    const def = INFUSION_DRUG_DEFS[drug as InfusionDrug];
    const rateUnit = pickUnit(rate.unit, rate.code, (u) => def.inputUnits.some((x) => x.unit === u));
    if (rateUnit === undefined) {
      fail(`${p}.dosage.rateQuantity.unit`, rate.unit ?? rate.code, `a rate unit for ${drug}: one of ${def.inputUnits.map((x) => x.unit).join(', ')}`);
    }
    const route = objAt(dosage, 'route', `${p}.dosage`);
    const routeText = route !== undefined ? (strAt(route, 'text', `${p}.dosage.route`) ?? firstCode(route)) : undefined;
    const infusion: InfusionIn = {
      drug: drug as InfusionDrug,
      start,
      ...(end !== undefined ? { end } : {}),
      rate: rate.value,
      rateUnit,
      ...(routeText !== undefined ? { route: routeText } : {}),
      ...(note !== undefined ? { note } : {}),
    };
    b.rows[`infusions[${b.infusions.length}]`] = e.row;
    b.infusions.push(infusion);
  }

  /** A period with a required start (`${key}.start`) and optional end, or a `…DateTime` start. */
  private period(r: Json, p: string, key: 'effectivePeriod' | 'performedPeriod'): { start: string; end?: string } {
    const dateTimeKey = key === 'effectivePeriod' ? 'effectiveDateTime' : 'performedDateTime';
    if (r[key] === undefined && r[dateTimeKey] !== undefined) return { start: this.time(r[dateTimeKey], `${p}.${dateTimeKey}`) };
    const period = objAt(r, key, p);
    if (period === undefined || period['start'] === undefined) fail(`${p}.${key}.start`, undefined, 'the start time');
    const start = this.time(period['start'], `${p}.${key}.start`);
    const end = this.optionalTime(period, 'end', `${p}.${key}`);
    return end !== undefined ? { start, end } : { start };
  }

  private procedure(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const status = r['status'];
    if (status === 'entered-in-error' || status === 'not-done') fail(`${p}.status`, status, 'a procedure that took place (not entered-in-error or not-done)');
    const code = objAt(r, 'code', p);
    const deviceKind = code !== undefined ? codeIn(code, U.CS_DEVICE_KIND) : undefined;
    const supportKind = code !== undefined ? codeIn(code, U.CS_SUPPORT) : undefined;
    const eventKind = code !== undefined ? codeIn(code, U.CS_EVENT) : undefined;
    const note = noteText(r, p);
    if (deviceKind !== undefined) return this.deviceProcedure(e, deviceKind, note);
    if (supportKind !== undefined) {
      const { start, end } = this.period(r, p, 'performedPeriod');
      const b = this.episodeOf(e, 'encounter', 'subject', start);
      b.rows[`supports[${b.supports.length}]`] = e.row;
      b.supports.push({ kind: supportKind as SupportIn['kind'], start, ...(end !== undefined ? { end } : {}), ...(note !== undefined ? { note } : {}) });
      return;
    }
    if (eventKind === 'transfusion') {
      const time = r['performedDateTime'] !== undefined ? this.time(r['performedDateTime'], `${p}.performedDateTime`) : this.period(r, p, 'performedPeriod').start;
      const b = this.episodeOf(e, 'encounter', 'subject', time);
      const used = arrAt(r, 'usedCode', p)[0];
      const product = isObj(used) ? codeIn(used, U.CS_TRANSFUSION_PRODUCT) : undefined;
      if (product === undefined) fail(`${p}.usedCode`, used, 'the blood product as a code of the Stratum transfusion-product CodeSystem');
      const units = this.extension(r, p, U.EXT_TRANSFUSION_UNITS);
      if (typeof units !== 'number') fail(`${p}.extension(transfusion-units)`, units, 'the number of units transfused');
      const reasons = arrAt(r, 'reasonReference', p);
      const forEntry = reasons.length > 0 ? this.resolve(reasons[0], `${p}.reasonReference[0]`, ['Condition', 'Procedure']) : undefined;
      const forIndex = this.extension(r, p, U.EXT_FOR_BLEEDING_EVENT_INDEX);
      const event: Json = {
        kind: 'transfusion',
        time,
        product,
        units,
        ...(typeof forIndex === 'number' ? { forBleedingEvent: forIndex } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      this.addEvent(b, e, event, forEntry);
      return;
    }
    fail(`${p}.code`, code !== undefined ? codesOf(code) : undefined, 'a Stratum device-kind, organ-support or event (transfusion) code');
  }

  private addEvent(b: EpisodeBuilder, e: Entry, event: Json, forEntry?: number): void {
    this.eventIndex.set(e.index, { builder: b, index: b.events.length });
    b.rows[`events[${b.events.length}]`] = e.row;
    b.events.push({ event, entry: e, ...(forEntry !== undefined ? { forEntry } : {}) });
  }

  private deviceProcedure(e: Entry, kind: string, note: string | undefined): void {
    const r = e.resource;
    const p = e.path;
    const { start, end } = this.period(r, p, 'performedPeriod');
    const b = this.episodeOf(e, 'encounter', 'subject', start);
    const reasons = arrAt(r, 'reasonCode', p).map((c, k) => {
      const code = isObj(c) ? codeIn(c, U.CS_SELECTION_REASON) : undefined;
      if (code === undefined) fail(`${p}.reasonCode[${k}]`, c, 'a device selection reason of the Stratum CodeSystem');
      return code;
    });
    const site = arrAt(r, 'bodySite', p)[0];
    const accessSite = isObj(site) ? codeIn(site, U.CS_ACCESS_SITE) : undefined;
    const details = this.extension(r, p, U.EXT_DEVICE_DETAILS);
    const focal = arrAt(r, 'focalDevice', p)[0];
    let deviceEntry: number | undefined;
    let deviceId: string | undefined;
    let model: string | undefined;
    if (focal !== undefined) {
      if (!isObj(focal)) fail(`${p}.focalDevice[0]`, focal, 'a focalDevice with manipulated');
      deviceEntry = this.resolve(focal['manipulated'], `${p}.focalDevice[0].manipulated`, ['Device']);
      if (this.deviceOwners.has(deviceEntry)) fail(`${p}.focalDevice[0].manipulated`, (focal['manipulated'] as Json)['reference'], 'a Device placed by no other Procedure');
      const device = this.entryAt(deviceEntry)?.resource ?? {};
      const dp = `entry[${deviceEntry}].resource`;
      arrAt(device, 'identifier', dp).forEach((x, k) => {
        if (isObj(x) && x['system'] === U.SID_DEVICE && deviceId === undefined) deviceId = strAt(x, 'value', `${dp}.identifier[${k}]`);
      });
      for (const n of arrAt(device, 'deviceName', dp)) if (isObj(n) && n['type'] === 'model-name' && typeof n['name'] === 'string') model ??= n['name'];
    }
    const record: Json = {
      kind,
      ...(deviceId !== undefined ? { id: deviceId } : {}),
      insertion: start,
      ...(end !== undefined ? { removal: end } : {}),
      ...(accessSite !== undefined ? { accessSite } : {}),
      ...(kind === 'microaxial' && model !== undefined ? { model } : {}),
      ...(isObj(details) ? details : {}),
      selectionReasons: reasons,
      ...(note !== undefined ? { note } : {}),
    };
    const builder: DeviceBuilder = { record, settings: [], settingRows: [], ...(deviceEntry !== undefined ? { deviceEntry } : {}) };
    if (deviceEntry !== undefined) this.deviceOwners.set(deviceEntry, builder);
    b.rows[`devices[${b.devices.length}]`] = e.row;
    b.devices.push(builder);
  }

  private deviceSetting(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const time = this.time(r['effectiveDateTime'], `${p}.effectiveDateTime`);
    if (r['device'] === undefined) fail(`${p}.device`, undefined, 'a reference to the Device the setting belongs to');
    const owner = this.deviceOwners.get(this.resolve(r['device'], `${p}.device`, ['Device']));
    if (owner === undefined) fail(`${p}.device.reference`, (r['device'] as Json)['reference'], 'a Device placed by a Procedure of this Bundle');
    const setting: Record<string, unknown> = { time };
    arrAt(r, 'component', p).forEach((c, j) => {
      const cp = `${p}.component[${j}]`;
      if (!isObj(c)) fail(cp, c, 'an Observation component');
      const cc = objAt(c, 'code', cp);
      const key = cc !== undefined ? codeIn(cc, U.CS_DEVICE_SETTING) : undefined;
      const def = SETTING_COMPONENTS.find((x) => x.key === key);
      if (def === undefined) fail(`${cp}.code`, key, `a device setting: one of ${SETTING_COMPONENTS.map((x) => x.key).join(', ')}`);
      if (def.kind === 'boolean') setting[def.key] = c['valueBoolean'];
      else if (def.kind === 'integer') setting[def.key] = c['valueInteger'];
      else {
        const q = quantityOf(c, 'valueQuantity', cp);
        if (pickUnit(q.unit, q.code, (u) => u === def.unit) === undefined) fail(`${cp}.valueQuantity.unit`, q.unit ?? q.code, def.unit);
        setting[def.key] = q.value;
      }
    });
    const note = noteText(r, p);
    if (note !== undefined) setting['note'] = note;
    owner.settings.push(setting as SettingIn);
    owner.settingRows.push(e.row);
  }

  private condition(e: Entry): void {
    const r = e.resource;
    const p = e.path;
    const verification = objAt(r, 'verificationStatus', p);
    if (verification !== undefined && (codeIn(verification, undefined) === 'entered-in-error' || codeIn(verification, undefined) === 'refuted')) {
      fail(`${p}.verificationStatus`, codeIn(verification, undefined), 'a condition that happened (not refuted or entered-in-error)');
    }
    const code = objAt(r, 'code', p);
    const kind = code !== undefined ? codeIn(code, U.CS_EVENT) : undefined;
    if (kind === undefined || !(EVENT_KINDS as readonly string[]).includes(kind)) {
      fail(`${p}.code`, code !== undefined ? codesOf(code) : undefined, `an event of the Stratum event CodeSystem: one of ${EVENT_KINDS.join(', ')}`);
    }
    const time = this.time(r['onsetDateTime'], `${p}.onsetDateTime`);
    const b = this.episodeOf(e, 'encounter', 'subject', time);
    const note = noteText(r, p);
    const extra = kind === 'bleeding' ? { facts: this.extension(r, p, U.EXT_BLEEDING_FACTS) ?? {} } : this.extension(r, p, U.EXT_EVENT_DETAILS);
    const event: Json = { kind, time, ...(isObj(extra) ? extra : {}), ...(note !== undefined ? { note } : {}) };
    this.addEvent(b, e, event);
  }

  // ---------------------------------------------------------------- the record

  private finish(b: EpisodeBuilder): RegistryRecord {
    const rows = b.rows;
    // Transfusions point at the bleeding they treated by resource; turn that into the index in this episode's events.
    const events: EventIn[] = b.events.map((slot) => {
      if (slot.forEntry === undefined) return slot.event as EventIn;
      const target = this.eventIndex.get(slot.forEntry);
      return { ...slot.event, forBleedingEvent: target !== undefined && target.builder === b ? target.index : -1 } as EventIn;
    });
    // A death recorded only as Patient.deceasedDateTime (EHR data) becomes a death event of the patient's latest episode.
    const deceased = b.patient.deceased;
    const patientHasDeath = b.patient.encounters.some((x) => x.events.some((s) => s.event['kind'] === 'death'));
    const latest = b.patient.encounters.filter((x) => !this.rejected.has(x.entry.index)).at(-1);
    if (deceased !== undefined && !patientHasDeath && latest === b) {
      rows[`events[${events.length}]`] = b.patient.entry.row;
      events.push({ kind: 'death', time: deceased.time, cause: 'unknown' });
    }
    // A device without an id gets the one parseEpisode would give it ('<kind>-<index>'), so a purge can name it.
    const devices = b.devices.map((d, i): DeviceIn => {
      d.settingRows.forEach((row, j) => (rows[`devices[${i}].settings[${j}]`] = row));
      const id = d.record['id'] ?? `${String(d.record['kind'])}-${i}`;
      return { ...d.record, id, settings: d.settings } as DeviceIn;
    });
    const purge = b.purge.map((slot): PurgeIn => {
      if (slot.deviceEntry === undefined) return slot.purge as PurgeIn;
      const i = b.devices.findIndex((d) => d.deviceEntry === slot.deviceEntry);
      // A purge pointing at a Device no Procedure of this episode placed keeps the Device's id, for parseEpisode to reject.
      const deviceId = i >= 0 ? devices[i].id : this.entryAt(slot.deviceEntry)?.resource['id'];
      return { ...slot.purge, deviceId } as PurgeIn;
    });
    const demographics: Demographics = {
      ...(b.age_years !== undefined ? { age_years: b.age_years } : {}),
      ...(b.patient.sex !== undefined ? { sex: b.patient.sex } : {}),
      ...(b.weight !== undefined ? { weight: b.weight } : {}),
      ...(b.height !== undefined ? { height: b.height } : {}),
    };
    const episode: Input = {
      ...b.head,
      demographics,
      observations: b.observations,
      infusions: b.infusions,
      boluses: b.boluses,
      purge,
      devices: devicesWithDefaultIds(devices, b.devices),
      supports: b.supports,
      events,
    };
    return { site: b.site, patient: b.patient.identity, episode, sourceRows: rows };
  }
}

/** Devices keep the id they were given; only those that had none and are not named by a purge lose the synthetic one. */
function devicesWithDefaultIds(devices: DeviceIn[], builders: readonly DeviceBuilder[]): DeviceIn[] {
  return devices.map((d, i) => {
    if (builders[i].record['id'] !== undefined) return d;
    // parseEpisode gives the same '<kind>-<index>' to a device without id; leaving it out keeps the input as exported.
    const { id: _id, ...rest } = d;
    return rest as DeviceIn;
  });
}

// ---------------------------------------------------------------- codes, quantities, notes

function isDeviceSetting(r: Json): boolean {
  const code = r['code'];
  return isObj(code) && codeIn(code, U.CS_DEVICE_SETTING) === DEVICE_SETTING_CODE;
}

/** The code of the first coding in `system` (any system when undefined). */
function codeIn(concept: Json, system: string | undefined): string | undefined {
  const coding = concept['coding'];
  if (!Array.isArray(coding)) return undefined;
  for (const c of coding) {
    if (isObj(c) && (system === undefined || c['system'] === system) && typeof c['code'] === 'string') return c['code'];
  }
  return undefined;
}

function firstCode(concept: Json): string | undefined {
  return codeIn(concept, undefined);
}

/** 'system|code' of every coding, for a rejection's value. */
function codesOf(concept: Json): string {
  const coding = concept['coding'];
  if (!Array.isArray(coding)) return JSON.stringify(concept);
  return coding.map((c) => (isObj(c) ? `${String(c['system'] ?? '')}|${String(c['code'] ?? '')}` : String(c))).join(', ');
}

/**
 * What an Observation.code stands for: a canonical observation code, body weight / height, or undefined when no
 * coding is one Stratum reads. A Stratum coding wins over LOINC; an unknown Stratum code fails.
 */
function observationTarget(code: Json, path: string): ObservationCode | 'weight' | 'height' | undefined {
  const coding = code['coding'];
  if (!Array.isArray(coding)) return undefined;
  let fromLoinc: ObservationCode | 'weight' | 'height' | undefined;
  for (let k = 0; k < coding.length; k++) {
    const c = coding[k];
    if (!isObj(c) || typeof c['code'] !== 'string') continue;
    const value = c['code'];
    if (c['system'] === U.CS_OBSERVATION) {
      if (!isObservationCode(value)) fail(`${path}.coding[${k}].code`, value, 'a Stratum observation code (OBSERVATION_CODE_NAMES)');
      return value;
    }
    if (c['system'] === U.LOINC_SYSTEM && fromLoinc === undefined) {
      if (value === LOINC_BODY_WEIGHT || value === LOINC_BODY_WEIGHT_MEASURED) fromLoinc = 'weight';
      else if (value === LOINC_BODY_HEIGHT) fromLoinc = 'height';
      else fromLoinc = observationCodeForLoinc(value);
    }
  }
  return fromLoinc;
}

/** Fails naming the first LOINC coding (Stratum does not know it), or the whole code when it has no LOINC coding. */
function unknownCode(code: Json, path: string): never {
  const coding = Array.isArray(code['coding']) ? code['coding'] : [];
  const k = coding.findIndex((c) => isObj(c) && c['system'] === U.LOINC_SYSTEM);
  const reason = 'a LOINC code Stratum knows (observation-codes.ts; docs/fhir.md lists them), or the Stratum observation CodeSystem';
  if (k >= 0) fail(`${path}.coding[${k}].code`, (coding[k] as Json)['code'], reason);
  return fail(path, codesOf(code), reason);
}

interface QuantityIn {
  readonly value: number;
  readonly unit?: string;
  readonly code?: string;
  readonly comparator?: string;
}

function quantityOf(o: Json, key: string, path: string): QuantityIn {
  const q = objAt(o, key, path);
  if (q === undefined) fail(`${path}.${key}`, undefined, `a ${key} with a value and a unit`);
  const qp = `${path}.${key}`;
  const value = numAt(q, 'value', qp);
  if (value === undefined) fail(`${qp}.value`, undefined, 'a number');
  const unit = strAt(q, 'unit', qp);
  const code = strAt(q, 'code', qp);
  const comparator = strAt(q, 'comparator', qp);
  return { value, unit, code, comparator };
}

/** Quantity.unit when accepted (it keeps the spelling as entered), else Quantity.code (UCUM). */
function pickUnit(unit: unknown, code: unknown, accepted: (u: string) => boolean): string | undefined {
  if (typeof unit === 'string' && accepted(unit)) return unit;
  if (typeof code === 'string' && accepted(code)) return code;
  return undefined;
}

type Measured = Pick<ObservationIn, 'code' | 'value' | 'unit' | 'censored'>;

/** The value, unit and censoring of a measured observation (or component) of `code`. */
function measured(code: ObservationCode, o: Json, path: string): Measured {
  const q = quantityOf(o, 'valueQuantity', path);
  const unit = pickUnit(q.unit, q.code, (u) => findUnit(code, u) !== undefined);
  if (unit === undefined) {
    fail(`${path}.valueQuantity.unit`, q.unit ?? q.code, `a unit Stratum converts for ${code} (${OBSERVATION_CODES[code].label}): one of ${acceptedUnits(code).join(', ')}`);
  }
  let censored: 'gt' | 'lt' | undefined;
  if (q.comparator === '>') censored = 'gt';
  else if (q.comparator === '<') censored = 'lt';
  else if (q.comparator !== undefined) fail(`${path}.valueQuantity.comparator`, q.comparator, "'<' or '>' (a value below or above the assay's range)");
  return censored !== undefined ? { code, value: q.value, unit, censored } : { code, value: q.value, unit };
}

/** Annotation texts joined by a blank line (our export writes one). */
function noteText(r: Json, path: string): string | undefined {
  const list = arrAt(r, 'note', path);
  if (list.length === 0) return undefined;
  const texts = list.map((n, k) => {
    if (!isObj(n) || typeof n['text'] !== 'string') fail(`${path}.note[${k}].text`, n, 'an Annotation with text');
    return n['text'];
  });
  return texts.join('\n\n');
}
