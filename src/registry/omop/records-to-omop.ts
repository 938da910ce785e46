// Registry records -> OMOP CDM v5.4 rows (person, visit_occurrence, measurement, drug_exposure,
// procedure_occurrence, device_exposure, condition_occurrence, death) and their CSV files. Pure: no file or DB I/O.
// Each record is read through parseEpisode, so every value is already in its canonical unit (conversion happens
// once, on the way in). Mapping documented table by table in docs/omop.md; conventions from the OMOP CDM v5.4
// documentation (https://ohdsi.github.io/CommonDataModel/cdm54.html).
import { stringify } from 'csv-stringify/sync';
import { parseEpisode, type Device, type Episode, type Observation } from '../../clinical/episode/episode.js';
import { OBSERVATION_CODES, type ObservationCode } from '../../clinical/episode/observation-codes.js';
import type { PatientIdentity, RegistryRecord } from '../record.js';
import { OMOP_TABLE_NAMES, omopColumns, type OmopRow, type OmopTableName } from './omop-cdm-v54-tables.js';
import { GENDER_CONCEPT, INPATIENT_VISIT, NO_MATCHING_CONCEPT, OPERATOR_CONCEPT, TYPE_EHR, UNIT_CONCEPT } from './omop-concepts.js';

/** Rows of every exported table, in CDM column order per row type. */
export type OmopTables = { readonly [N in OmopTableName]: OmopRow<N>[] };

/** Why a record could not be exported: which record, which field, the value seen and what was expected. */
export interface OmopExportProblem {
  /** 0-based index of the record in the input. */
  readonly record: number;
  readonly episodeId: string;
  /** Field at fault: an episode path ('observations[3].value'), 'patient.birthDate', or '<table>.<column>'. */
  readonly path: string;
  readonly value: string;
  readonly expected: string;
  readonly message: string;
}

/** Raised by recordsToOmop with every problem found in the whole input (not only the first). */
export class OmopExportError extends Error {
  constructor(readonly problems: readonly OmopExportProblem[]) {
    super(`OMOP export failed with ${problems.length} problem(s):\n${problems.map((p) => `  ${p.message}`).join('\n')}`);
    this.name = 'OmopExportError';
  }
}

/** Largest value of a PostgreSQL integer column (int4): the CDM v5.4 DDL declares every id as integer. */
const INT4_MAX = 2_147_483_647;

/**
 * Converts registry records into OMOP CDM v5.4 rows. Ids are integers assigned in input order (the same input gives
 * the same ids): one person per (site, patient.sourceId), one visit_occurrence per record, row ids numbered from 1
 * per table. Throws OmopExportError listing every problem when any record cannot be exported without loss.
 */
export function recordsToOmop(records: readonly RegistryRecord[]): OmopTables {
  const out: { -readonly [N in OmopTableName]: OmopRow<N>[] } = {
    person: [], visit_occurrence: [], measurement: [], drug_exposure: [], procedure_occurrence: [],
    device_exposure: [], condition_occurrence: [], death: [],
  };
  const problems: OmopExportProblem[] = [];
  const personIds = new Map<string, number>();
  const deathOwner = new Map<number, number>();

  records.forEach((record, index) => {
    const episodeId = typeof record.episode.id === 'string' ? record.episode.id : '(no id)';
    const problem = (path: string, value: unknown, expected: string, message: string) =>
      problems.push({ record: index, episodeId, path, value: shown(value), expected, message: `record ${index} (episode '${episodeId}'): ${message}` });
    const parsed = parseEpisode(record.episode);
    if (!parsed.ok) {
      for (const p of parsed.problems) problem(p.path, p.value, p.expected, p.message);
      return;
    }
    const e = parsed.episode;

    // person: one per (site, sourceId); the first record of a patient supplies sex and birth.
    const key = `${record.site}\u0000${record.patient.sourceId}`;
    let personId = personIds.get(key);
    if (personId === undefined) {
      const birth = birthOf(record.patient, e);
      if ('problem' in birth) {
        problem(birth.path, birth.value, birth.expected, birth.problem);
        return;
      }
      personId = personIds.size + 1;
      personIds.set(key, personId);
      out.person.push({
        person_id: personId,
        gender_concept_id: e.demographics.sex === 'male' ? GENDER_CONCEPT.male : e.demographics.sex === 'female' ? GENDER_CONCEPT.female : NO_MATCHING_CONCEPT,
        year_of_birth: birth.year,
        month_of_birth: birth.month,
        day_of_birth: birth.day,
        birth_datetime: null,
        // Race and ethnicity are not recorded by the episode format.
        race_concept_id: NO_MATCHING_CONCEPT,
        ethnicity_concept_id: NO_MATCHING_CONCEPT,
        location_id: null, provider_id: null, care_site_id: null,
        person_source_value: `${record.site}/${record.patient.sourceId}`,
        gender_source_value: e.demographics.sex,
        gender_source_concept_id: null,
        race_source_value: null, race_source_concept_id: null, ethnicity_source_value: null, ethnicity_source_concept_id: null,
      });
    }

    // visit_occurrence: the hospital stay of the episode.
    const visitId = out.visit_occurrence.length + 1;
    const visitStart = e.times.admission ?? e.anchor.time;
    const lastTime = lastRecordTime(e);
    if (e.times.discharge !== undefined && Date.parse(e.times.discharge) < Date.parse(visitStart)) {
      problem('times.discharge', e.times.discharge, `a time at or after the admission ${visitStart}`, `times.discharge ${e.times.discharge} is before the visit start ${visitStart}`);
      return;
    }
    const visitEnd = e.times.discharge ?? later(visitStart, lastTime);
    const vs = utc(visitStart);
    const ve = utc(visitEnd);
    out.visit_occurrence.push({
      visit_occurrence_id: visitId, person_id: personId, visit_concept_id: INPATIENT_VISIT,
      visit_start_date: vs.date, visit_start_datetime: vs.datetime, visit_end_date: ve.date, visit_end_datetime: ve.datetime,
      visit_type_concept_id: TYPE_EHR, provider_id: null, care_site_id: null,
      visit_source_value: e.id, visit_source_concept_id: null,
      admitted_from_concept_id: null, admitted_from_source_value: null, discharged_to_concept_id: null, discharged_to_source_value: null,
      preceding_visit_occurrence_id: null,
    });
    const common = { person_id: personId, provider_id: null, visit_occurrence_id: visitId, visit_detail_id: null } as const;

    // measurement: every observation, in its canonical unit.
    for (const o of e.observations) {
      const t = utc(o.time);
      out.measurement.push({
        ...common,
        measurement_id: out.measurement.length + 1,
        measurement_concept_id: NO_MATCHING_CONCEPT,
        measurement_date: t.date, measurement_datetime: t.datetime, measurement_time: null,
        measurement_type_concept_id: TYPE_EHR,
        operator_concept_id: o.censored === undefined ? null : OPERATOR_CONCEPT[o.censored],
        value_as_number: o.value, value_as_concept_id: null,
        unit_concept_id: UNIT_CONCEPT[o.unit] ?? NO_MATCHING_CONCEPT,
        range_low: null, range_high: null,
        measurement_source_value: loincOf(o.code) ?? o.code, measurement_source_concept_id: NO_MATCHING_CONCEPT,
        unit_source_value: o.unit, unit_source_concept_id: null,
        value_source_value: valueAsEntered(o),
        measurement_event_id: null, meas_event_field_concept_id: null,
      });
    }

    // drug_exposure: infusions (rate in sig), boluses (dose in quantity), purge solutions.
    const drug = (d: { start: string; end: string; verbatimEnd: string | null; source: string; route: string | null; sig: string; quantity: number | null; doseUnit: string | null }) => {
      const s = utc(d.start);
      const f = utc(d.end);
      out.drug_exposure.push({
        ...common,
        drug_exposure_id: out.drug_exposure.length + 1, drug_concept_id: NO_MATCHING_CONCEPT,
        drug_exposure_start_date: s.date, drug_exposure_start_datetime: s.datetime,
        drug_exposure_end_date: f.date, drug_exposure_end_datetime: f.datetime,
        verbatim_end_date: d.verbatimEnd === null ? null : utc(d.verbatimEnd).date,
        drug_type_concept_id: TYPE_EHR, stop_reason: null, refills: null, quantity: d.quantity, days_supply: null,
        sig: d.sig, route_concept_id: null, lot_number: null,
        drug_source_value: d.source, drug_source_concept_id: NO_MATCHING_CONCEPT,
        route_source_value: d.route, dose_unit_source_value: d.doseUnit,
      });
    };
    for (const inf of e.infusions) {
      const entered = inf.originalRate !== undefined ? ` (entered as ${inf.originalRate} ${inf.originalRateUnit})` : '';
      drug({
        start: inf.start, end: inf.end ?? later(inf.start, visitEnd), verbatimEnd: inf.end ?? null, source: inf.drug,
        route: nonEmpty(inf.route), sig: `continuous infusion ${inf.rate} ${inf.rateUnit}${entered}`, quantity: null, doseUnit: inf.rateUnit,
      });
    }
    for (const b of e.boluses) {
      drug({
        start: b.time, end: b.time, verbatimEnd: b.time, source: b.drug, route: null,
        sig: `bolus ${b.dose} ${b.doseUnit}${b.context !== undefined ? ` (${b.context})` : ''}`, quantity: b.dose, doseUnit: b.doseUnit,
      });
    }
    for (const p of e.purge) {
      const heparin = p.heparin_IU_mL > 0;
      drug({
        start: p.start, end: p.end ?? later(p.start, visitEnd), verbatimEnd: p.end ?? null,
        source: heparin ? 'ufh' : p.solution === 'bicarbonate_d5w' ? 'sodium_bicarbonate' : `purge_${p.solution}`,
        route: 'microaxial_purge',
        sig: `purge ${p.solution}: heparin ${p.heparin_IU_mL} [IU]/mL at ${p.flow_mL_h} mL/h = ${p.heparin_IU_h} [IU]/h` +
          (p.bicarbonate_meq_L !== undefined ? `, bicarbonate ${p.bicarbonate_meq_L} meq/L` : ''),
        quantity: null, doseUnit: heparin ? '[IU]/h' : null,
      });
    }

    // procedure_occurrence: organ support, transfusions, device insertions.
    const procedure = (start: string, end: string | undefined, source: string, quantity: number | null, modifier: string | null) => {
      const s = utc(start);
      const f = end === undefined ? null : utc(end);
      out.procedure_occurrence.push({
        ...common,
        procedure_occurrence_id: out.procedure_occurrence.length + 1, procedure_concept_id: NO_MATCHING_CONCEPT,
        procedure_date: s.date, procedure_datetime: s.datetime,
        procedure_end_date: f?.date ?? null, procedure_end_datetime: f?.datetime ?? null,
        procedure_type_concept_id: TYPE_EHR, modifier_concept_id: null, quantity,
        procedure_source_value: source, procedure_source_concept_id: NO_MATCHING_CONCEPT, modifier_source_value: modifier,
      });
    };
    for (const s of e.supports) procedure(s.start, s.end, s.kind, null, null);
    for (const d of e.devices) {
      procedure(d.insertion, undefined, `${d.kind}_insertion`, null, nonEmpty([d.accessSite, d.side].filter((x) => x !== undefined).join(' ')));
    }
    for (const ev of e.events) if (ev.kind === 'transfusion') procedure(ev.time, undefined, `transfusion_${ev.product}`, ev.units, null);

    // device_exposure: each mechanical circulatory support device.
    for (const d of e.devices) {
      const s = utc(d.insertion);
      const f = d.removal === undefined ? null : utc(d.removal);
      out.device_exposure.push({
        ...common,
        device_exposure_id: out.device_exposure.length + 1, device_concept_id: NO_MATCHING_CONCEPT,
        device_exposure_start_date: s.date, device_exposure_start_datetime: s.datetime,
        device_exposure_end_date: f?.date ?? null, device_exposure_end_datetime: f?.datetime ?? null,
        device_type_concept_id: TYPE_EHR, unique_device_id: null, production_id: null, quantity: 1,
        device_source_value: deviceSourceValue(d), device_source_concept_id: NO_MATCHING_CONCEPT,
        unit_concept_id: null, unit_source_value: null, unit_source_concept_id: null,
      });
    }

    // condition_occurrence: the shock itself, then complications.
    const condition = (time: string, source: string) => {
      const s = utc(time);
      out.condition_occurrence.push({
        ...common,
        condition_occurrence_id: out.condition_occurrence.length + 1, condition_concept_id: NO_MATCHING_CONCEPT,
        condition_start_date: s.date, condition_start_datetime: s.datetime, condition_end_date: null, condition_end_datetime: null,
        condition_type_concept_id: TYPE_EHR, condition_status_concept_id: null, stop_reason: null,
        condition_source_value: source, condition_source_concept_id: NO_MATCHING_CONCEPT, condition_status_source_value: null,
      });
    };
    condition(e.times.shockOnset ?? e.anchor.time, e.clinical.etiology !== undefined ? `cardiogenic_shock/${e.clinical.etiology}` : 'cardiogenic_shock');
    for (const ev of e.events) {
      if (ev.kind === 'cardiac_arrest') condition(ev.time, ev.setting !== undefined ? `cardiac_arrest/${ev.setting}` : 'cardiac_arrest');
      else if (ev.kind === 'bleeding') condition(ev.time, `bleeding/${ev.facts.site}`);
      else if (ev.kind === 'stroke') condition(ev.time, `stroke/${ev.type}`);
      else if (ev.kind === 'limb_ischemia') condition(ev.time, 'limb_ischemia');
      else if (ev.kind === 'hemolysis') condition(ev.time, 'hemolysis');
    }

    // death: at most one per person (a second death in another episode of the same patient is a data error).
    for (const ev of e.events) {
      if (ev.kind !== 'death') continue;
      const earlier = deathOwner.get(personId);
      if (earlier !== undefined) {
        problem('events', ev.time, 'at most one death per patient across episodes', `patient ${record.site}/${record.patient.sourceId} already has a death in record ${earlier}`);
        continue;
      }
      deathOwner.set(personId, index);
      const t = utc(ev.time);
      out.death.push({
        person_id: personId, death_date: t.date, death_datetime: t.datetime, death_type_concept_id: TYPE_EHR,
        cause_concept_id: NO_MATCHING_CONCEPT, cause_source_value: ev.cause, cause_source_concept_id: null,
      });
    }
  });

  if (problems.length === 0) problems.push(...checkAgainstCdm(out));
  if (problems.length > 0) throw new OmopExportError(problems);
  return out;
}

/**
 * CSV files of the tables: '<table>.csv' -> text. Header = column names in CDM order; dates 'YYYY-MM-DD',
 * timestamps 'YYYY-MM-DD HH:MM:SS' in UTC; NULL is an empty unquoted field (PostgreSQL COPY ... CSV reads it as NULL).
 */
export function omopTablesToCsv(tables: OmopTables): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of OMOP_TABLE_NAMES) {
    const columns = omopColumns(name).map((c) => c.name);
    const rows = (tables[name] as readonly Readonly<Record<string, string | number | null>>[]).map((row) => columns.map((c) => row[c] ?? ''));
    files.set(`${name}.csv`, stringify([columns, ...rows]));
  }
  return files;
}

// ---------------------------------------------------------------- helpers

/** Instant in UTC, in the CDM's load format. */
function utc(iso: string): { date: string; datetime: string } {
  const s = new Date(Date.parse(iso)).toISOString();
  return { date: s.slice(0, 10), datetime: `${s.slice(0, 10)} ${s.slice(11, 19)}` };
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function nonEmpty(s: string | undefined): string | null {
  return s === undefined || s.trim() === '' ? null : s;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '(missing)' : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

type Birth = { year: number; month: number | null; day: number | null } | { problem: string; path: string; value: unknown; expected: string };

/**
 * Birth from the identity's birthDate when known; otherwise year_of_birth = anchor year (UTC) minus whole years of
 * age at the anchor, month and day unknown (the usual OMOP ETL convention when only age is recorded).
 */
function birthOf(patient: PatientIdentity, e: Episode): Birth {
  if (patient.birthDate !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(patient.birthDate);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
      return { path: 'patient.birthDate', value: patient.birthDate, expected: 'a date YYYY-MM-DD', problem: `patient.birthDate '${patient.birthDate}' is not a date YYYY-MM-DD` };
    }
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  if (e.demographics.age_years !== undefined) {
    return { year: new Date(Date.parse(e.anchor.time)).getUTCFullYear() - Math.floor(e.demographics.age_years), month: null, day: null };
  }
  return {
    path: 'patient.birthDate', value: undefined, expected: 'patient.birthDate or demographics.age_years (OMOP person.year_of_birth is required)',
    problem: 'neither patient.birthDate nor demographics.age_years is recorded; OMOP person.year_of_birth is required',
  };
}

/** The code's first LOINC code that is not marked unverified in observation-codes.ts (tags like ' [S]' stripped). */
function loincOf(code: ObservationCode): string | undefined {
  const entry = OBSERVATION_CODES[code].loinc.find((l) => !l.includes('unverified'));
  return entry?.split(' ')[0];
}

/** The value as the source reported it, when it differs from value_as_number alone: censoring or another unit. */
function valueAsEntered(o: Observation): string | null {
  const sign = o.censored === 'gt' ? '>' : o.censored === 'lt' ? '<' : '';
  if (o.originalValue !== undefined) return `${sign}${o.originalValue} ${o.originalUnit}`;
  return sign === '' ? null : `${sign}${o.value} ${o.unit}`;
}

/** Free text cut to a varchar(50) source value; the structured part before it always fits. */
function fit50(s: string): string {
  return s.length <= 50 ? s : `${s.slice(0, 47)}...`;
}

function deviceSourceValue(d: Device): string {
  switch (d.kind) {
    case 'iabp': return 'iabp';
    case 'microaxial': return fit50(`microaxial/${d.model === 'other' ? d.modelOther ?? 'other' : d.model}`);
    case 'va_ecmo': return d.cannulation !== undefined ? `va_ecmo/${d.cannulation}` : 'va_ecmo';
    case 'other': return fit50(`other/${d.description}`);
  }
}

/** The latest time recorded anywhere in the episode (follow-up after discharge excluded). */
function lastRecordTime(e: Episode): string {
  const times: string[] = [e.anchor.time];
  const add = (t: string | undefined) => { if (t !== undefined) times.push(t); };
  for (const t of Object.values(e.times)) add(t);
  for (const o of e.observations) add(o.time);
  for (const i of e.infusions) { add(i.start); add(i.end); }
  for (const b of e.boluses) add(b.time);
  for (const p of e.purge) { add(p.start); add(p.end); }
  for (const d of e.devices) { add(d.insertion); add(d.removal); for (const s of d.settings) add(s.time); }
  for (const s of e.supports) { add(s.start); add(s.end); }
  for (const ev of e.events) add(ev.time);
  for (const a of e.anticoagulation) add(a.from);
  return times.reduce((a, b) => later(a, b));
}

/** Every row against the table description: required filled, integers in int4, finite numbers, varchar lengths. */
function checkAgainstCdm(tables: OmopTables): OmopExportProblem[] {
  const problems: OmopExportProblem[] = [];
  for (const name of OMOP_TABLE_NAMES) {
    const rows = tables[name] as readonly Readonly<Record<string, string | number | null>>[];
    rows.forEach((row, i) => {
      for (const c of omopColumns(name)) {
        const v = row[c.name];
        const path = `${name}[${i}].${c.name}`;
        const bad = (expected: string) =>
          problems.push({ record: -1, episodeId: '', path, value: shown(v), expected, message: `${path}: got ${shown(v)}; expected ${expected}` });
        if (v === null || v === undefined) {
          if (c.required) bad('a value (NOT NULL in the CDM)');
          continue;
        }
        if (c.type === 'integer' && !(typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= INT4_MAX)) bad('an integer within PostgreSQL integer range');
        else if (c.type === 'numeric' && !(typeof v === 'number' && Number.isFinite(v))) bad('a finite number');
        else if (c.type.startsWith('varchar(')) {
          const max = Number(c.type.slice(8, -1));
          if (typeof v !== 'string' || v.length === 0 || v.length > max) bad(`text of 1 to ${max} characters`);
        }
      }
    });
  }
  return problems;
}
