// Export: a registry record (patient identity + episode in the canonical input format) as FHIR R4 resources, and
// records as a Bundle. Pure. Every field of the episode format has a place (mapping table in docs/fhir.md), so that
// fhirBundleToRecords(recordsToFhirBundle(records)) gives back episodes that parse to the same canonical Episode.
// Values are written as entered, with the unit as entered in Quantity.unit and its UCUM form in Quantity.code; times
// are written as entered (with their offset). Resource ids derive from source ids; fullUrl is 'Type/id'.
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import { OBSERVATION_CODES, type ObservationCategory, type ObservationCode } from '../../clinical/episode/observation-codes.js';
import type { RegistryRecord } from '../record.js';
import { complexExtension } from './detail-extensions.js';
import { DEVICE_SETTING_CODE, SETTING_COMPONENTS } from './device-setting-components.js';
import { FhirIdAllocator } from './fhir-id.js';
import type {
  Annotation,
  BundleEntry,
  CodeableConcept,
  Condition,
  Device,
  Encounter,
  Extension,
  FhirBundle,
  FhirResource,
  MedicationAdministration,
  Observation,
  ObservationComponent,
  Patient,
  Procedure,
  Quantity,
  Reference,
} from './fhir-types.js';
import { LOINC_BODY_HEIGHT, LOINC_BODY_WEIGHT, loincForObservationCode } from './observation-loinc.js';
import * as U from './stratum-fhir-urls.js';
import { ucumCode } from './ucum.js';

type Input = EpisodeInput;
type ObservationIn = NonNullable<Input['observations']>[number];
type DeviceIn = NonNullable<Input['devices']>[number];
type EventIn = NonNullable<Input['events']>[number];
type SettingIn = NonNullable<DeviceIn['settings']>[number];

export interface FhirBundleOptions {
  /** 'collection' (default) or 'transaction' (each entry a PUT to Type/id, so re-posting is idempotent). */
  readonly type?: 'collection' | 'transaction';
}

/** Longest suffix a child resource adds to its Encounter's id ('-d999s99999'), so child ids stay within 64. */
const ENCOUNTER_ID_MAX = 48;

/** The FHIR resources of one record: its Patient first, then the Encounter and everything recorded in it. */
export function recordToFhirResources(record: RegistryRecord): FhirResource[] {
  const ids = new FhirIdAllocator();
  const out: FhirResource[] = [];
  const patientId = ids.claim('Patient', record.patient.sourceId);
  out.push(patientResource(record, patientId, deathTime(record.episode)));
  writeEpisode(record, `Patient/${patientId}`, ids, out);
  return out;
}

/** A Bundle of the records; a patient with several episodes (same site and sourceId) appears once. */
export function recordsToFhirBundle(records: readonly RegistryRecord[], options: FhirBundleOptions = {}): FhirBundle {
  const type = options.type ?? 'collection';
  const ids = new FhirIdAllocator();
  // First pass: one Patient per (site, sourceId); a death in any of its episodes sets Patient.deceasedDateTime.
  const deaths = new Map<string, string>();
  for (const r of records) {
    const d = deathTime(r.episode);
    const key = patientKey(r);
    if (d !== undefined && !deaths.has(key)) deaths.set(key, d);
  }
  const patientRefs = new Map<string, string>();
  const resources: FhirResource[] = [];
  for (const r of records) {
    const key = patientKey(r);
    let ref = patientRefs.get(key);
    if (ref === undefined) {
      const id = ids.claim('Patient', r.patient.sourceId);
      ref = `Patient/${id}`;
      patientRefs.set(key, ref);
      resources.push(patientResource(r, id, deaths.get(key)));
    }
    writeEpisode(r, ref, ids, resources);
  }
  const entry: BundleEntry[] = resources.map((resource) => {
    const url = `${resource.resourceType}/${resource.id}`;
    return type === 'transaction' ? { fullUrl: url, resource, request: { method: 'PUT', url } } : { fullUrl: url, resource };
  });
  return { resourceType: 'Bundle', type, entry };
}

function patientKey(r: RegistryRecord): string {
  return `${r.site}\u0000${r.patient.sourceId}`;
}

function deathTime(e: Input): string | undefined {
  for (const ev of e.events ?? []) if (ev.kind === 'death') return ev.time;
  return undefined;
}

// ---------------------------------------------------------------- small builders

const nonEmpty = (s: string | undefined): s is string => s !== undefined && s !== '';

/** UCUM code per unit spelling, computed once (quantities are written millions of times in a large export). */
const UCUM_CACHE = new Map<string, string | null>();

function quantity(value: number, unit: string, comparator?: Quantity['comparator']): Quantity {
  let code = UCUM_CACHE.get(unit);
  if (code === undefined) UCUM_CACHE.set(unit, (code = ucumCode(unit) ?? null));
  if (comparator !== undefined) return code !== null ? { value, comparator, unit, system: U.UCUM_SYSTEM, code } : { value, comparator, unit };
  return code !== null ? { value, unit, system: U.UCUM_SYSTEM, code } : { value, unit };
}

function coded(system: string, code: string, text?: string): CodeableConcept {
  return { coding: [{ system, code }], ...(text !== undefined ? { text } : {}) };
}

function notes(note: string | undefined): { note?: Annotation[] } {
  return nonEmpty(note) ? { note: [{ text: note }] } : {};
}

function extensions(list: readonly (Extension | undefined)[]): { extension?: Extension[] } {
  const kept = list.filter((e): e is Extension => e !== undefined);
  return kept.length > 0 ? { extension: kept } : {};
}

function ext(url: string, value: Omit<Extension, 'url'> | undefined): Extension | undefined {
  return value === undefined ? undefined : { url, ...value };
}

function period(start: string | undefined, end: string | undefined): { start?: string; end?: string } {
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

/** The fields of `o` other than `except`, for a details extension. */
function rest(o: object, except: readonly string[]): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!except.includes(k)) r[k] = v;
  return r;
}

// ---------------------------------------------------------------- Patient

function patientResource(record: RegistryRecord, id: string, deceased: string | undefined): Patient {
  const p = record.patient;
  const sex = record.episode.demographics.sex;
  return {
    resourceType: 'Patient',
    id,
    identifier: [
      { system: U.SID_PATIENT_SOURCE_ID, value: p.sourceId },
      ...(nonEmpty(p.mrn) ? [{ type: coded(U.IDENTIFIER_TYPE_SYSTEM, 'MR'), system: U.SID_MRN, value: p.mrn }] : []),
    ],
    ...(nonEmpty(p.familyName) || nonEmpty(p.givenName)
      ? { name: [{ ...(nonEmpty(p.familyName) ? { family: p.familyName } : {}), ...(nonEmpty(p.givenName) ? { given: [p.givenName] } : {}) }] }
      : {}),
    ...(sex !== undefined ? { gender: sex } : {}),
    ...(nonEmpty(p.birthDate) ? { birthDate: p.birthDate } : {}),
    ...(deceased !== undefined ? { deceasedDateTime: deceased } : {}),
    ...(nonEmpty(p.postalCode) ? { address: [{ postalCode: p.postalCode }] } : {}),
  };
}

// ---------------------------------------------------------------- the episode

function writeEpisode(record: RegistryRecord, patientRef: string, ids: FhirIdAllocator, out: FhirResource[]): void {
  const e = record.episode;
  const encId = ids.claim('Encounter', e.id, ENCOUNTER_ID_MAX);
  const subject: Reference = { reference: patientRef };
  const encounter: Reference = { reference: `Encounter/${encId}` };
  const events = e.events ?? [];
  out.push(encounterResource(record, encId, subject));

  const demo = e.demographics;
  if (demo.weight !== undefined) {
    const q = typeof demo.weight === 'number' ? { value: demo.weight, unit: 'kg' } : demo.weight;
    out.push(vitalSign(`${encId}-wt`, LOINC_BODY_WEIGHT, 'Body weight', q.value, q.unit, e.anchor.time, subject, encounter));
  }
  if (demo.height !== undefined) {
    const q = typeof demo.height === 'number' ? { value: demo.height, unit: 'cm' } : demo.height;
    out.push(vitalSign(`${encId}-ht`, LOINC_BODY_HEIGHT, 'Body height', q.value, q.unit, e.anchor.time, subject, encounter));
  }
  (e.observations ?? []).forEach((o, i) => out.push(observationResource(`${encId}-o${i}`, o, subject, encounter)));

  (e.infusions ?? []).forEach((inf, i) => {
    out.push({
      resourceType: 'MedicationAdministration',
      id: `${encId}-i${i}`,
      ...extensions([{ url: U.EXT_ADMINISTRATION_KIND, valueCode: 'infusion' }]),
      status: inf.end !== undefined ? 'completed' : 'in-progress',
      medicationCodeableConcept: coded(U.CS_DRUG, inf.drug, inf.drug),
      subject,
      context: encounter,
      effectivePeriod: period(inf.start, inf.end),
      ...notes(inf.note),
      dosage: { ...(nonEmpty(inf.route) ? { route: { text: inf.route } } : {}), rateQuantity: quantity(inf.rate, inf.rateUnit) },
    });
  });
  (e.boluses ?? []).forEach((b, i) => {
    out.push({
      resourceType: 'MedicationAdministration',
      id: `${encId}-b${i}`,
      ...extensions([
        { url: U.EXT_ADMINISTRATION_KIND, valueCode: 'bolus' },
        ext(U.EXT_BOLUS_CONTEXT, b.context !== undefined ? { valueCode: b.context } : undefined),
      ]),
      status: 'completed',
      medicationCodeableConcept: coded(U.CS_DRUG, b.drug, b.drug),
      subject,
      context: encounter,
      effectiveDateTime: b.time,
      ...notes(b.note),
      dosage: { dose: quantity(b.dose, b.doseUnit) },
    });
  });

  const devices = e.devices ?? [];
  const deviceResourceId = (deviceId: string): string | undefined => {
    const i = devices.findIndex((d) => d.id === deviceId);
    return i >= 0 ? `${encId}-d${i}` : undefined;
  };
  (e.purge ?? []).forEach((p, i) => {
    const devRes = nonEmpty(p.deviceId) ? deviceResourceId(p.deviceId) : undefined;
    const device: Reference | undefined = !nonEmpty(p.deviceId)
      ? undefined
      : devRes !== undefined
        ? { reference: `Device/${devRes}` }
        : { identifier: { system: U.SID_DEVICE, value: p.deviceId } };
    out.push({
      resourceType: 'MedicationAdministration',
      id: `${encId}-p${i}`,
      ...extensions([
        { url: U.EXT_ADMINISTRATION_KIND, valueCode: 'purge' },
        { url: U.EXT_PURGE_HEPARIN, valueQuantity: quantity(p.heparin_IU_mL, '[IU]/mL') },
        ext(U.EXT_PURGE_BICARBONATE, p.bicarbonate_meq_L !== undefined ? { valueQuantity: quantity(p.bicarbonate_meq_L, 'meq/L') } : undefined),
      ]),
      status: p.end !== undefined ? 'completed' : 'in-progress',
      // The schema's default solution is heparin in D5W; written explicitly so a reader needs no defaults.
      medicationCodeableConcept: coded(U.CS_PURGE_SOLUTION, p.solution ?? 'heparin_d5w'),
      subject,
      context: encounter,
      effectivePeriod: period(p.start, p.end),
      ...(device !== undefined ? { device: [device] } : {}),
      ...notes(p.note),
      dosage: { rateQuantity: quantity(p.flow_mL_h, 'mL/h') },
    });
  });

  devices.forEach((d, i) => {
    const devId = `${encId}-d${i}`;
    out.push(deviceResource(devId, d, subject));
    out.push(deviceProcedure(devId, d, subject, encounter));
    (d.settings ?? []).forEach((s, j) => out.push(settingObservation(`${devId}s${j}`, s, devId, subject, encounter)));
  });

  (e.supports ?? []).forEach((s, i) => {
    out.push({
      resourceType: 'Procedure',
      id: `${encId}-s${i}`,
      status: s.end !== undefined ? 'completed' : 'in-progress',
      code: coded(U.CS_SUPPORT, s.kind, s.kind),
      subject,
      encounter,
      performedPeriod: period(s.start, s.end),
      ...notes(s.note),
    });
  });

  const eventRef = (index: number): Reference | undefined => {
    const target = events[index];
    if (target === undefined) return undefined;
    return { reference: `${target.kind === 'transfusion' ? 'Procedure' : 'Condition'}/${encId}-e${index}` };
  };
  events.forEach((ev, i) => out.push(eventResource(`${encId}-e${i}`, ev, subject, encounter, eventRef)));
}

function encounterResource(record: RegistryRecord, id: string, subject: Reference): Encounter {
  const e = record.episode;
  const times = e.times ?? {};
  const finished = times.discharge !== undefined || (e.events ?? []).some((x) => x.kind === 'death');
  const anticoagulation = (e.anticoagulation ?? []).map((a) =>
    complexExtension(U.EXT_ANTICOAGULATION_PROTOCOL, { from: a.from, protocolId: a.protocolId, target: a.target, note: a.note }),
  );
  return {
    resourceType: 'Encounter',
    id,
    ...extensions([
      { url: U.EXT_ANCHOR, extension: [{ url: 'kind', valueCode: e.anchor.kind }, { url: 'time', valueDateTime: e.anchor.time }] },
      complexExtension(U.EXT_TIMES, { cicuAdmission: times.cicuAdmission, shockOnset: times.shockOnset, pciStart: times.pciStart }),
      ext(U.EXT_AGE_YEARS, e.demographics.age_years !== undefined ? { valueDecimal: e.demographics.age_years } : undefined),
      complexExtension(U.EXT_CLINICAL_CONTEXT, e.clinical ?? {}),
      complexExtension(U.EXT_FOLLOW_UP, e.followUp ?? {}),
      ...anticoagulation,
    ]),
    identifier: [{ system: U.SID_EPISODE, value: e.id }],
    status: finished ? 'finished' : 'in-progress',
    class: { system: U.ACT_CODE_SYSTEM, code: 'IMP', display: 'inpatient encounter' },
    subject,
    ...(times.admission !== undefined || times.discharge !== undefined ? { period: period(times.admission, times.discharge) } : {}),
    // SNOMED CT 89138009 |Cardiogenic shock (disorder)|: why the episode is in the registry (descriptive; not read).
    reasonCode: [{ coding: [{ system: U.SNOMED_SYSTEM, code: '89138009', display: 'Cardiogenic shock' }] }],
    serviceProvider: { identifier: { system: U.SID_SITE, value: record.site }, display: record.site },
  };
}

// ---------------------------------------------------------------- Observations

const CATEGORY: Readonly<Record<ObservationCategory, string>> = {
  vital: 'vital-signs',
  hemodynamic: 'procedure',
  lab: 'laboratory',
  neuro: 'exam',
  device: 'procedure',
};

function vitalSign(id: string, loinc: string, display: string, value: number, unit: string, time: string, subject: Reference, encounter: Reference): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [coded(U.OBSERVATION_CATEGORY_SYSTEM, 'vital-signs')],
    code: { coding: [{ system: U.LOINC_SYSTEM, code: loinc, display }], text: display },
    subject,
    encounter,
    effectiveDateTime: time,
    valueQuantity: quantity(value, unit),
  };
}

interface ObservationConcepts {
  readonly category: readonly CodeableConcept[];
  readonly code: CodeableConcept;
}

/** Category and code of each observation code, built once and shared by every Observation of that code. */
const CONCEPTS = new Map<ObservationCode, ObservationConcepts>();

function conceptsOf(code: ObservationCode): ObservationConcepts {
  let c = CONCEPTS.get(code);
  if (c === undefined) {
    const def = OBSERVATION_CODES[code];
    const loinc = loincForObservationCode(code);
    c = {
      category: [coded(U.OBSERVATION_CATEGORY_SYSTEM, CATEGORY[def.category])],
      code: {
        coding: [...(loinc !== undefined ? [{ system: U.LOINC_SYSTEM, code: loinc }] : []), { system: U.CS_OBSERVATION, code, display: def.label }],
        text: def.label,
      },
    };
    CONCEPTS.set(code, c);
  }
  return c;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

function observationResource(id: string, o: ObservationIn, subject: Reference, encounter: Reference): Observation {
  // Built by assignment rather than object spread: the hot path of a large export.
  const concepts = conceptsOf(o.code);
  const extension: Extension[] = [];
  if (o.specimen !== undefined) extension.push({ url: U.EXT_SPECIMEN, valueCode: o.specimen });
  if (o.periodMin !== undefined) extension.push({ url: U.EXT_PERIOD_MINUTES, valueDecimal: o.periodMin });
  if (nonEmpty(o.sampleId)) extension.push({ url: U.EXT_SAMPLE_ID, valueString: o.sampleId });
  const r: Writable<Observation> = {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: concepts.category,
    code: concepts.code,
    subject,
    encounter,
    effectiveDateTime: o.time,
    valueQuantity: quantity(o.value, o.unit ?? OBSERVATION_CODES[o.code].unit, o.censored === 'gt' ? '>' : o.censored === 'lt' ? '<' : undefined),
  };
  if (extension.length > 0) r.extension = extension;
  if (nonEmpty(o.method)) r.method = { text: o.method };
  if (nonEmpty(o.note)) r.note = [{ text: o.note }];
  return r;
}

function settingObservation(id: string, s: SettingIn, deviceId: string, subject: Reference, encounter: Reference): Observation {
  const component: ObservationComponent[] = [];
  for (const c of SETTING_COMPONENTS) {
    const v = s[c.key];
    if (v === undefined) continue;
    const code = coded(U.CS_DEVICE_SETTING, c.key);
    if (c.kind === 'boolean') component.push({ code, valueBoolean: v as boolean });
    else if (c.kind === 'integer') component.push({ code, valueInteger: v as number });
    else component.push({ code, valueQuantity: quantity(v as number, c.unit) });
  }
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [coded(U.OBSERVATION_CATEGORY_SYSTEM, 'procedure')],
    code: coded(U.CS_DEVICE_SETTING, DEVICE_SETTING_CODE, 'MCS device setting'),
    subject,
    encounter,
    effectiveDateTime: s.time,
    device: { reference: `Device/${deviceId}` },
    ...notes(s.note),
    ...(component.length > 0 ? { component } : {}),
  };
}

// ---------------------------------------------------------------- devices

function deviceResource(id: string, d: DeviceIn, patient: Reference): Device {
  const names: { name: string; type: 'model-name' | 'other' }[] = [];
  if (d.kind === 'microaxial') names.push({ name: d.model, type: 'model-name' });
  if (d.kind === 'other' && nonEmpty(d.description)) names.push({ name: d.description, type: 'other' });
  return {
    resourceType: 'Device',
    id,
    ...(nonEmpty(d.id) ? { identifier: [{ system: U.SID_DEVICE, value: d.id }] } : {}),
    status: d.removal !== undefined ? 'inactive' : 'active',
    ...(names.length > 0 ? { deviceName: names } : {}),
    type: coded(U.CS_DEVICE_KIND, d.kind, d.kind),
    patient,
  };
}

/** Device fields with their own FHIR element; the rest go to the device-details extension. */
const DEVICE_MAPPED = ['kind', 'id', 'insertion', 'removal', 'accessSite', 'selectionReasons', 'settings', 'note'];

function deviceProcedure(deviceId: string, d: DeviceIn, subject: Reference, encounter: Reference): Procedure {
  const reasons = d.selectionReasons ?? [];
  return {
    resourceType: 'Procedure',
    id: deviceId,
    ...extensions([complexExtension(U.EXT_DEVICE_DETAILS, rest(d, DEVICE_MAPPED))]),
    status: d.removal !== undefined ? 'completed' : 'in-progress',
    code: coded(U.CS_DEVICE_KIND, d.kind, `MCS device: ${d.kind}`),
    subject,
    encounter,
    performedPeriod: period(d.insertion, d.removal),
    ...(reasons.length > 0 ? { reasonCode: reasons.map((r) => coded(U.CS_SELECTION_REASON, r)) } : {}),
    ...(d.accessSite !== undefined ? { bodySite: [coded(U.CS_ACCESS_SITE, d.accessSite, d.accessSite)] } : {}),
    ...notes(d.note),
    focalDevice: [{ manipulated: { reference: `Device/${deviceId}` } }],
  };
}

// ---------------------------------------------------------------- events

/** SNOMED CT codes written beside the Stratum event code where the concept is unambiguous (descriptive; not read). */
const EVENT_SNOMED: Partial<Record<EventIn['kind'], { code: string; display: string }>> = {
  cardiac_arrest: { code: '410429000', display: 'Cardiac arrest' },
  stroke: { code: '230690007', display: 'Cerebrovascular accident' },
};

function eventResource(
  id: string,
  ev: EventIn,
  subject: Reference,
  encounter: Reference,
  eventRef: (index: number) => Reference | undefined,
): Condition | Procedure {
  const snomed = EVENT_SNOMED[ev.kind];
  const code: CodeableConcept = {
    coding: [{ system: U.CS_EVENT, code: ev.kind }, ...(snomed ? [{ system: U.SNOMED_SYSTEM, code: snomed.code, display: snomed.display }] : [])],
    text: ev.kind,
  };
  if (ev.kind === 'transfusion') {
    const target = ev.forBleedingEvent !== undefined ? eventRef(ev.forBleedingEvent) : undefined;
    return {
      resourceType: 'Procedure',
      id,
      ...extensions([
        { url: U.EXT_TRANSFUSION_UNITS, valueInteger: ev.units },
        ext(U.EXT_FOR_BLEEDING_EVENT_INDEX, ev.forBleedingEvent !== undefined && target === undefined ? { valueInteger: ev.forBleedingEvent } : undefined),
      ]),
      status: 'completed',
      code,
      subject,
      encounter,
      performedDateTime: ev.time,
      ...(target !== undefined ? { reasonReference: [target] } : {}),
      ...notes(ev.note),
      usedCode: [coded(U.CS_TRANSFUSION_PRODUCT, ev.product, ev.product)],
    };
  }
  const details =
    ev.kind === 'bleeding'
      ? complexExtension(U.EXT_BLEEDING_FACTS, ev.facts)
      : complexExtension(U.EXT_EVENT_DETAILS, rest(ev, ['kind', 'time', 'note']));
  return {
    resourceType: 'Condition',
    id,
    ...extensions([details]),
    code,
    subject,
    encounter,
    onsetDateTime: ev.time,
    ...notes(ev.note),
  };
}

