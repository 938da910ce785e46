// The canonical episode: the parsed, unit-converted, plausibility-checked form of a patient's shock episode that
// every clinical rule reads. `parseEpisode(raw)` is the only way in: structure (zod), units converted once
// (reference 8), impossible values rejected and extreme ones flagged (reference 9), every time resolved to minutes
// since the anchor. Every problem is collected, not just the first. Format documented in docs/episode-format.md.
import type { z } from 'zod';
import { bleedingFactsWarnings, type BleedingFacts } from '../bleeding/bleeding-facts.js';
import { BUNDLED_PROTOCOL_IDS, type TargetBand } from '../anticoagulation/protocol.js';
import {
  anchorSchema,
  anticoagulationInForceInputSchema,
  bolusInputSchema,
  clinicalContextSchema,
  demographicsSchema,
  deviceInputSchema,
  episodeInputSchema,
  eventInputSchema,
  observationInputSchema,
  infusionInputSchema,
  purgeInputSchema,
  supportInputSchema,
  HEIGHT_UNITS,
  WEIGHT_UNITS,
  type AnchorKind,
  type EpisodeStructured,
  type ObservationInput,
  type QuantityInput,
  type SelectionReason,
} from './episode-schema.js';
import { OBSERVATION_CODES, type ObservationCode } from './observation-codes.js';
import { INFUSION_DRUG_DEFS, canonicalHeparinUnit, type InfusionDrug } from './infusion-drugs.js';
import { acceptedUnits, findUnit, tidy } from './units.js';
import {
  checkObservationValue,
  checkRange,
  HEIGHT_REJECT_CM,
  HEIGHT_WARN_CM,
  PCWP_OVER_PAD_WARN_MMHG,
  PURGE_FLOW_REJECT_ML_H,
  PURGE_FLOW_WARN_ML_H,
  PURGE_HEPARIN_EXPECTED_IU_ML,
  PURGE_HEPARIN_REJECT_IU_ML,
  SAME_GAS_MAX_APART_MIN,
  WEIGHT_REJECT_KG,
  WEIGHT_WARN_KG,
  type PlausibilityRanges,
  type RangeCheck,
} from './plausibility.js';
import { problemsFromZod, type InputProblem, type InputWarning } from './problems.js';

export { episodeInputSchema } from './episode-schema.js';
export type { EpisodeInput } from './episode-schema.js';
export type { InputProblem, InputWarning } from './problems.js';

// ---------------------------------------------------------------- parsed types

/** Minutes since the episode's anchor time (negative = before the anchor). */
export type TMin = number;

export interface Observation {
  /** ISO 8601 as given, with offset. */
  readonly time: string;
  readonly t_min: TMin;
  readonly code: ObservationCode;
  /** Value in the code's canonical unit. */
  readonly value: number;
  /** The code's canonical UCUM unit. */
  readonly unit: string;
  /** Present when the value was entered in another unit. */
  readonly originalValue?: number;
  readonly originalUnit?: string;
  readonly censored?: 'gt' | 'lt';
  readonly specimen?: 'arterial' | 'venous' | 'mixed_venous' | 'capillary' | 'unknown';
  readonly method?: string;
  readonly periodMin?: number;
  readonly sampleId?: string;
  readonly note?: string;
}

export interface Infusion {
  readonly drug: InfusionDrug;
  readonly kind: 'vasopressor_inotrope' | 'anticoagulant';
  readonly start: string;
  readonly t_start_min: TMin;
  /** Absent = running until the end of the record. Active on [t_start_min, t_end_min). */
  readonly end?: string;
  readonly t_end_min?: TMin;
  /** Rate in the canonical unit: ug/kg/min (catecholamines, milrinone, argatroban, ...), U/min (vasopressin),
   *  [IU]/kg/h or [IU]/h (heparin, as given), mg/kg/h (bivalirudin), ng/kg/min (angiotensin II). */
  readonly rate: number;
  readonly rateUnit: string;
  readonly originalRate?: number;
  readonly originalRateUnit?: string;
  readonly route?: string;
  readonly note?: string;
}

export interface Bolus {
  readonly drug: 'ufh' | 'bivalirudin' | 'argatroban';
  readonly time: string;
  readonly t_min: TMin;
  readonly dose: number;
  /** Canonical spelling: '[IU]' | '[IU]/kg' | 'mg' | 'mg/kg' | 'ug' | 'ug/kg' (kept as given). */
  readonly doseUnit: string;
  readonly context?: 'protocol' | 'procedural' | 'flush' | 'other';
  readonly note?: string;
}

export interface PurgeRecord {
  readonly deviceId?: string;
  readonly start: string;
  readonly t_start_min: TMin;
  readonly end?: string;
  readonly t_end_min?: TMin;
  readonly solution: 'heparin_d5w' | 'bicarbonate_d5w' | 'dti' | 'other';
  readonly heparin_IU_mL: number;
  readonly flow_mL_h: number;
  /** Heparin delivered by the purge: concentration × flow (reference 7.1). */
  readonly heparin_IU_h: number;
  readonly bicarbonate_meq_L?: number;
  readonly note?: string;
}

export interface DeviceSetting {
  readonly time: string;
  readonly t_min: TMin;
  readonly pLevel?: number;
  readonly speed_rpm?: number;
  readonly flow_L_min?: number;
  readonly iabpRatio?: number;
  readonly positionChecked?: boolean;
  readonly positionOk?: boolean;
  readonly note?: string;
}

interface DeviceBase {
  /** As given, or '<kind>-<index>' when not given. */
  readonly id: string;
  readonly insertion: string;
  readonly t_insertion_min: TMin;
  readonly removal?: string;
  readonly t_removal_min?: TMin;
  readonly accessSite?: 'femoral' | 'axillary' | 'subclavian' | 'jugular' | 'transaortic' | 'central' | 'other';
  readonly side?: 'left' | 'right';
  readonly placement?: 'before_pci' | 'during_pci' | 'after_pci' | 'no_pci' | 'icu' | 'operating_room' | 'other';
  readonly selectionReasons: readonly SelectionReason[];
  readonly selectionNote?: string;
  readonly closure?: string;
  readonly removalReason?: 'recovery' | 'escalation' | 'complication' | 'death' | 'transfer' | 'other';
  readonly settings: readonly DeviceSetting[];
  readonly note?: string;
}
export type MicroaxialModel = 'Impella 2.5' | 'Impella CP' | 'Impella 5.0' | 'Impella 5.5' | 'Impella RP' | 'other';
export type Device =
  | (DeviceBase & { readonly kind: 'iabp'; readonly size_mL?: number })
  | (DeviceBase & { readonly kind: 'microaxial'; readonly model: MicroaxialModel; readonly modelOther?: string })
  | (DeviceBase & { readonly kind: 'va_ecmo'; readonly cannulation?: 'peripheral' | 'central'; readonly distalPerfusionCannula?: boolean })
  | (DeviceBase & { readonly kind: 'other'; readonly description: string });
export type DeviceKind = Device['kind'];

export interface Support {
  readonly kind: 'invasive_ventilation' | 'noninvasive_ventilation' | 'high_flow_oxygen' | 'kidney_replacement';
  readonly start: string;
  readonly t_start_min: TMin;
  readonly end?: string;
  readonly t_end_min?: TMin;
  readonly note?: string;
}

type StructuredEvent = EpisodeStructured['events'][number];
type WithT<E> = E extends unknown ? E & { readonly t_min: TMin } : never;
/** Events as entered plus t_min; bleeding facts are parsed by engineer C's schema (Hb in g/dL). */
export type EpisodeEvent = WithT<StructuredEvent>;
export type BleedingEvent = Extract<EpisodeEvent, { kind: 'bleeding' }> & { readonly facts: BleedingFacts };
export type CardiacArrestEvent = Extract<EpisodeEvent, { kind: 'cardiac_arrest' }>;
export type HemolysisEvent = Extract<EpisodeEvent, { kind: 'hemolysis' }>;
export type TransfusionEvent = Extract<EpisodeEvent, { kind: 'transfusion' }>;
export type DeathEvent = Extract<EpisodeEvent, { kind: 'death' }>;

export interface AnticoagulationInForce {
  readonly from: string;
  readonly t_min: TMin;
  readonly protocolId: string;
  readonly target?: TargetBand | TargetBand[];
  readonly note?: string;
}

export interface Demographics {
  readonly age_years?: number;
  readonly sex: 'female' | 'male' | 'other' | 'unknown';
  readonly weight_kg?: number;
  readonly height_cm?: number;
  readonly originalWeight?: QuantityInput;
  readonly originalHeight?: QuantityInput;
}

export interface BaselineCreatinine {
  readonly value_mg_dL: number;
  readonly time?: string;
  readonly t_min?: TMin;
  readonly source?: 'prior_7_days' | 'outpatient_365_days' | 'other';
  readonly originalValue: number;
  readonly originalUnit: string;
}

export type ClinicalContext = Omit<EpisodeStructured['clinical'], 'baselineCreatinine'> & {
  readonly baselineCreatinine?: BaselineCreatinine;
};

/** A validated episode in canonical units. Arrays of timed records are sorted by time (stable); events keep input order. */
export interface Episode {
  readonly formatVersion: string;
  readonly id: string;
  readonly site?: string;
  readonly anchor: { readonly kind: AnchorKind; readonly time: string };
  readonly times: EpisodeStructured['times'];
  readonly demographics: Demographics;
  readonly clinical: ClinicalContext;
  readonly observations: readonly Observation[];
  readonly infusions: readonly Infusion[];
  readonly boluses: readonly Bolus[];
  readonly purge: readonly PurgeRecord[];
  readonly devices: readonly Device[];
  readonly supports: readonly Support[];
  /** In input order (transfusion.forBleedingEvent refers to these indices). */
  readonly events: readonly EpisodeEvent[];
  readonly anticoagulation: readonly AnticoagulationInForce[];
  /** Vital-status follow-up after discharge (to 1 year); death itself is a `death` event. */
  readonly followUp: EpisodeStructured['followUp'];
}

export type ParseEpisodeResult =
  | { readonly ok: true; readonly episode: Episode; readonly warnings: readonly InputWarning[] }
  | { readonly ok: false; readonly problems: readonly InputProblem[]; readonly warnings: readonly InputWarning[] };

export interface ParseEpisodeOptions {
  /** Site overrides of the plausibility ranges (reference 9 ranges are proposals to tune with local data). */
  readonly ranges?: PlausibilityRanges;
}

// ---------------------------------------------------------------- time

/** Minutes from `anchorIso` to `iso` (both ISO 8601 with offset). Pure: no clock. */
export function minutesBetween(anchorIso: string, iso: string): number {
  return (Date.parse(iso) - Date.parse(anchorIso)) / 60000;
}

// ---------------------------------------------------------------- parse

/** Parses raw JSON into a canonical Episode, collecting every problem (field path, value, expectation). */
export function parseEpisode(raw: unknown, options: ParseEpisodeOptions = {}): ParseEpisodeResult {
  const parsed = episodeInputSchema.safeParse(raw);
  if (!parsed.success) {
    // The structure is invalid somewhere; still run every value and cross-field check on the parts that are
    // well-formed, so the user sees all problems at once, not only the structural ones.
    const checked = checkRecords(wellFormedParts(raw), options);
    return { ok: false, problems: [...problemsFromZod(parsed.error.issues, raw), ...checked.out.problems], warnings: checked.out.warnings };
  }
  const input = parsed.data;
  const { records, out } = checkRecords(partsOf(input), options);
  if (out.problems.length > 0) return { ok: false, problems: out.problems, warnings: out.warnings };
  const episode: Episode = {
    formatVersion: input.formatVersion,
    id: input.id,
    ...(input.site !== undefined ? { site: input.site } : {}),
    anchor: { kind: input.anchor.kind, time: input.anchor.time },
    times: input.times,
    ...records,
    followUp: input.followUp,
  };
  return { ok: true, episode, warnings: out.warnings };
}

// ---------------------------------------------------------------- well-formed parts

/** A structurally valid record with its index in the input array, so problem paths point into the input. */
interface Indexed<T> {
  readonly index: number;
  readonly record: T;
}

/**
 * The parts of an episode that every value and cross-field check reads. From a valid input these are all of it;
 * from an invalid one, the sections and array records that are well-formed on their own (the rest is reported by
 * the structural parse and skipped here).
 */
interface EpisodeParts {
  /** The anchor time; a fixed stand-in when the input's anchor is malformed (the checks only compare times). */
  readonly anchorTime: string;
  readonly demographics: EpisodeStructured['demographics'];
  readonly clinical: EpisodeStructured['clinical'];
  readonly observations: readonly Indexed<ObservationInput>[];
  readonly infusions: readonly Indexed<EpisodeStructured['infusions'][number]>[];
  readonly boluses: readonly Indexed<EpisodeStructured['boluses'][number]>[];
  readonly purge: readonly Indexed<EpisodeStructured['purge'][number]>[];
  readonly devices: readonly Indexed<EpisodeStructured['devices'][number]>[];
  readonly supports: readonly Indexed<EpisodeStructured['supports'][number]>[];
  /** Every entry of `events`, undefined where malformed (transfusion.forBleedingEvent refers to these indices). */
  readonly events: readonly (StructuredEvent | undefined)[];
  readonly anticoagulation: readonly Indexed<EpisodeStructured['anticoagulation'][number]>[];
}

/** Stand-in anchor for an input whose anchor is malformed; times are then only compared with each other. */
const STAND_IN_ANCHOR = '1970-01-01T00:00:00Z';

function indexed<T>(list: readonly T[]): Indexed<T>[] {
  return list.map((record, index) => ({ index, record }));
}

function partsOf(input: EpisodeStructured): EpisodeParts {
  return {
    anchorTime: input.anchor.time,
    demographics: input.demographics,
    clinical: input.clinical,
    observations: indexed(input.observations),
    infusions: indexed(input.infusions),
    boluses: indexed(input.boluses),
    purge: indexed(input.purge),
    devices: indexed(input.devices),
    supports: indexed(input.supports),
    events: input.events,
    anticoagulation: indexed(input.anticoagulation),
  };
}

/** The well-formed parts of an input that failed the structural parse. */
function wellFormedParts(raw: unknown): EpisodeParts {
  const r: Record<string, unknown> = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const field = (key: string): Record<string, unknown> => {
    const v = r[key];
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  };
  const records = <S extends z.ZodType>(key: string, schema: S): Indexed<z.output<S>>[] => {
    const list = r[key];
    if (!Array.isArray(list)) return [];
    const out: Indexed<z.output<S>>[] = [];
    list.forEach((item: unknown, index) => {
      const p = schema.safeParse(item);
      if (p.success) out.push({ index, record: p.data });
    });
    return out;
  };
  const anchor = anchorSchema.safeParse(r['anchor']);
  // A malformed section still contributes the fields that are well-formed (e.g. the weight when the sex is invalid).
  const demographics = demographicsSchema.safeParse(r['demographics']);
  const clinical = clinicalContextSchema.safeParse(r['clinical'] ?? {});
  const events = Array.isArray(r['events']) ? r['events'].map((e: unknown) => {
    const p = eventInputSchema.safeParse(e);
    return p.success ? p.data : undefined;
  }) : [];
  return {
    anchorTime: anchor.success ? anchor.data.time : STAND_IN_ANCHOR,
    demographics: demographics.success ? demographics.data : (wellFormedFields(demographicsSchema, field('demographics')) ?? { sex: 'unknown' }),
    clinical: clinical.success ? clinical.data : (wellFormedFields(clinicalContextSchema, field('clinical')) ?? {}),
    observations: records('observations', observationInputSchema),
    infusions: records('infusions', infusionInputSchema),
    boluses: records('boluses', bolusInputSchema),
    purge: records('purge', purgeInputSchema),
    devices: records('devices', deviceInputSchema),
    supports: records('supports', supportInputSchema),
    events,
    anticoagulation: records('anticoagulation', anticoagulationInForceInputSchema),
  };
}

/** An object schema's output built from only the fields of `raw` that are valid on their own (defaults for the rest). */
function wellFormedFields<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>): z.output<S> | undefined {
  const kept: Record<string, unknown> = {};
  for (const [key, fieldSchema] of Object.entries(schema.shape)) {
    if ((fieldSchema as z.ZodType).safeParse(raw[key]).success) kept[key] = raw[key];
  }
  // Every field kept is valid and every other one is absent: this fails only if the schema has a required field.
  const p = schema.safeParse(kept);
  return p.success ? p.data : undefined;
}

// ---------------------------------------------------------------- checks

type CheckedRecords = Omit<Episode, 'formatVersion' | 'id' | 'site' | 'anchor' | 'times' | 'followUp'>;

/** Converts units and runs every value, order and cross-field check on the parts, collecting problems and warnings. */
function checkRecords(input: EpisodeParts, options: ParseEpisodeOptions): { readonly records: CheckedRecords; readonly out: RangeCheck } {
  const out: RangeCheck = { problems: [], warnings: [] };
  const anchor = input.anchorTime;
  // The anchor parsed once (the same arithmetic as minutesBetween, without parsing it again for every record).
  const anchorMs = Date.parse(anchor);
  const t = (iso: string): number => tidy((Date.parse(iso) - anchorMs) / 60_000);

  // demographics
  const weight = convertQuantity(input.demographics.weight, 'demographics.weight', 'weight', WEIGHT_UNITS, 'kg', WEIGHT_REJECT_KG, WEIGHT_WARN_KG, out);
  const height = convertQuantity(input.demographics.height, 'demographics.height', 'height', HEIGHT_UNITS, 'cm', HEIGHT_REJECT_CM, HEIGHT_WARN_CM, out);
  const demographics: Demographics = {
    ...(input.demographics.age_years !== undefined ? { age_years: input.demographics.age_years } : {}),
    sex: input.demographics.sex,
    ...(weight !== undefined ? { weight_kg: weight } : {}),
    ...(height !== undefined ? { height_cm: height } : {}),
    ...(typeof input.demographics.weight === 'object' ? { originalWeight: input.demographics.weight } : {}),
    ...(typeof input.demographics.height === 'object' ? { originalHeight: input.demographics.height } : {}),
  };

  // clinical context (baseline creatinine converted like an observation)
  const { baselineCreatinine: bcIn, ...clinicalRest } = input.clinical;
  let baselineCreatinine: BaselineCreatinine | undefined;
  if (bcIn) {
    const unit = findUnit('creatinine_mg_dL', bcIn.unit);
    if (!unit) {
      out.problems.push(unitProblem('clinical.baselineCreatinine.unit', 'creatinine_mg_dL', bcIn.unit));
    } else {
      const v = tidy(bcIn.value * unit.factor);
      if (checkObservationValue(out, 'clinical.baselineCreatinine.value', 'creatinine_mg_dL', v, shownIfConverted(bcIn.value, bcIn.unit, 'mg/dL'), options.ranges)) {
        baselineCreatinine = {
          value_mg_dL: v,
          ...(bcIn.time ? { time: bcIn.time, t_min: t(bcIn.time) } : {}),
          ...(bcIn.source ? { source: bcIn.source } : {}),
          originalValue: bcIn.value,
          originalUnit: bcIn.unit,
        };
      }
    }
  }
  const clinical: ClinicalContext = { ...clinicalRest, ...(baselineCreatinine ? { baselineCreatinine } : {}) };

  // observations
  const observations: Observation[] = [];
  const pathOf = new Map<Observation, string>();
  input.observations.forEach(({ index: i, record: o }) => {
    const c = convertObservation(o, `observations[${i}]`, out, options, t(o.time));
    if (c) {
      observations.push(c);
      pathOf.set(c, `observations[${i}]`);
    }
  });
  crossCheckObservations(observations, pathOf, out);

  // infusions
  const infusions: Infusion[] = [];
  input.infusions.forEach(({ index: i, record: inf }) => {
    const path = `infusions[${i}]`;
    const c = convertInfusion(inf, path, weight, out, anchor);
    if (!c) return;
    if (inf.end !== undefined && t(inf.end) < t(inf.start)) {
      out.problems.push(orderProblem(`${path}.end`, inf.end, inf.start));
      return;
    }
    infusions.push(c);
  });

  // boluses
  const boluses: Bolus[] = [];
  input.boluses.forEach(({ index: i, record: b }) => {
    const unit = canonicalBolusUnit(b.drug, b.doseUnit);
    if (!unit) {
      const accepted = b.drug === 'ufh' ? '[IU], [IU]/kg' : b.drug === 'bivalirudin' ? 'mg, mg/kg' : 'ug, ug/kg';
      out.problems.push({ path: `boluses[${i}].doseUnit`, value: b.doseUnit, expected: `one of: ${accepted}`, message: `boluses[${i}].doseUnit: unit '${b.doseUnit}' is not accepted for ${b.drug}; expected one of: ${accepted}` });
      return;
    }
    boluses.push({ ...stripUndefined({ drug: b.drug, time: b.time, t_min: t(b.time), dose: b.dose, doseUnit: unit, context: b.context, note: b.note }) } as Bolus);
  });

  // purge
  const purge: PurgeRecord[] = [];
  input.purge.forEach(({ index: i, record: p }) => {
    const path = `purge[${i}]`;
    let ok = checkRange(out, `${path}.flow_mL_h`, 'purge flow', p.flow_mL_h, 'mL/h', PURGE_FLOW_REJECT_ML_H, PURGE_FLOW_WARN_ML_H);
    ok = checkRange(out, `${path}.heparin_IU_mL`, 'purge heparin concentration', p.heparin_IU_mL, '[IU]/mL', PURGE_HEPARIN_REJECT_IU_ML, undefined) && ok;
    if (ok && !PURGE_HEPARIN_EXPECTED_IU_ML.includes(p.heparin_IU_mL)) {
      out.warnings.push({
        path: `${path}.heparin_IU_mL`, value: p.heparin_IU_mL, expected: PURGE_HEPARIN_EXPECTED_IU_ML.join(', '),
        message: `${path}.heparin_IU_mL: purge heparin ${p.heparin_IU_mL} IU/mL is not one of the usual concentrations ${PURGE_HEPARIN_EXPECTED_IU_ML.join(', ')} IU/mL; accepted, please review`,
      });
    }
    if (p.solution === 'bicarbonate_d5w' && p.heparin_IU_mL > 0) {
      out.warnings.push({ path: `${path}.heparin_IU_mL`, value: p.heparin_IU_mL, expected: '0 for a heparin-free (bicarbonate) purge', message: `${path}: bicarbonate purge recorded with heparin ${p.heparin_IU_mL} IU/mL; accepted, please review` });
    }
    if (p.end !== undefined && t(p.end) < t(p.start)) {
      out.problems.push(orderProblem(`${path}.end`, p.end, p.start));
      ok = false;
    }
    if (!ok) return;
    purge.push(stripUndefined({
      deviceId: p.deviceId, start: p.start, t_start_min: t(p.start), end: p.end, t_end_min: p.end !== undefined ? t(p.end) : undefined,
      solution: p.solution, heparin_IU_mL: p.heparin_IU_mL, flow_mL_h: p.flow_mL_h, heparin_IU_h: tidy(p.heparin_IU_mL * p.flow_mL_h),
      bicarbonate_meq_L: p.bicarbonate_meq_L, note: p.note,
    }) as PurgeRecord);
  });

  // devices
  const devices: Device[] = [];
  const seenIds = new Set<string>();
  input.devices.forEach(({ index: i, record: d }) => {
    const path = `devices[${i}]`;
    const id = d.id ?? `${d.kind}-${i}`;
    if (seenIds.has(id)) {
      out.problems.push({ path: `${path}.id`, value: id, expected: 'a device id unique in the episode', message: `${path}.id: device id '${id}' is used twice` });
      return;
    }
    seenIds.add(id);
    if (d.removal !== undefined && t(d.removal) < t(d.insertion)) {
      out.problems.push(orderProblem(`${path}.removal`, d.removal, d.insertion));
      return;
    }
    const settings = d.settings.map((s) => ({ ...s, t_min: t(s.time) })).sort((a, b) => a.t_min - b.t_min);
    devices.push(stripUndefined({ ...d, id, t_insertion_min: t(d.insertion), t_removal_min: d.removal !== undefined ? t(d.removal) : undefined, settings }) as Device);
  });
  input.purge.forEach(({ index: i, record: p }) => {
    if (p.deviceId !== undefined && !devices.some((d) => d.id === p.deviceId && d.kind === 'microaxial')) {
      out.problems.push({ path: `purge[${i}].deviceId`, value: p.deviceId, expected: 'the id of a microaxial device of this episode', message: `purge[${i}].deviceId: '${p.deviceId}' is not a microaxial device of this episode` });
    }
  });

  // supports
  const supports: Support[] = [];
  input.supports.forEach(({ index: i, record: s }) => {
    if (s.end !== undefined && t(s.end) < t(s.start)) {
      out.problems.push(orderProblem(`supports[${i}].end`, s.end, s.start));
      return;
    }
    supports.push(stripUndefined({ ...s, t_start_min: t(s.start), t_end_min: s.end !== undefined ? t(s.end) : undefined }) as Support);
  });

  // events
  const events: EpisodeEvent[] = [];
  input.events.forEach((e, i) => {
    if (e === undefined) return;
    events.push({ ...e, t_min: t(e.time) } as EpisodeEvent);
    if (e.kind === 'bleeding') {
      for (const w of bleedingFactsWarnings(e.facts)) {
        out.warnings.push({ path: `events[${i}].facts.${w.path}`, value: w.value, expected: 'a usual value', message: `events[${i}].facts.${w.path}: ${w.text}; accepted, please review` });
      }
    }
    // A referenced event that is itself malformed was reported by the structural parse; only an index past the
    // end, or a well-formed event that is not a bleeding, is a problem here.
    if (e.kind === 'transfusion' && e.forBleedingEvent !== undefined && !refersToBleeding(input.events, e.forBleedingEvent)) {
      out.problems.push({ path: `events[${i}].forBleedingEvent`, value: e.forBleedingEvent, expected: 'the index of a bleeding event in events', message: `events[${i}].forBleedingEvent: events[${e.forBleedingEvent}] is not a bleeding event` });
    }
    if (e.kind === 'cardiac_arrest' && e.comaAfterArrest === false && e.gcsAfter !== undefined && e.gcsAfter < 9) {
      out.warnings.push({ path: `events[${i}].gcsAfter`, value: e.gcsAfter, expected: 'GCS ≥ 9 when comaAfterArrest is false', message: `events[${i}]: comaAfterArrest is false but GCS after arrest is ${e.gcsAfter} (< 9 usually means coma); please review` });
    }
  });
  const deaths = input.events.filter((e) => e?.kind === 'death');
  if (deaths.length > 1) {
    out.problems.push({ path: 'events', value: deaths.length, expected: 'at most one death event', message: `events: ${deaths.length} death events recorded; expected at most one` });
  }

  // anticoagulation protocol in force
  const anticoagulation: AnticoagulationInForce[] = input.anticoagulation.map(({ index: i, record: a }) => {
    if (!(BUNDLED_PROTOCOL_IDS as readonly string[]).includes(a.protocolId)) {
      out.warnings.push({ path: `anticoagulation[${i}].protocolId`, value: a.protocolId, expected: `a bundled protocol id (${BUNDLED_PROTOCOL_IDS.join(', ')}) or a site protocol`, message: `anticoagulation[${i}].protocolId: '${a.protocolId}' is not a bundled protocol; it must be supplied as a site protocol` });
    }
    return stripUndefined({ from: a.from, t_min: t(a.from), protocolId: a.protocolId, target: a.target, note: a.note }) as AnticoagulationInForce;
  });

  const byT = <T,>(key: (x: T) => number) => (a: T, b: T) => key(a) - key(b);
  const records: CheckedRecords = {
    demographics,
    clinical,
    observations: observations.sort(byT((o: Observation) => o.t_min)),
    infusions: infusions.sort(byT((x: Infusion) => x.t_start_min)),
    boluses: boluses.sort(byT((x: Bolus) => x.t_min)),
    purge: purge.sort(byT((x: PurgeRecord) => x.t_start_min)),
    devices: devices.sort(byT((x: Device) => x.t_insertion_min)),
    supports: supports.sort(byT((x: Support) => x.t_start_min)),
    events,
    anticoagulation: anticoagulation.sort(byT((x: AnticoagulationInForce) => x.t_min)),
  };
  return { records, out };
}

// ---------------------------------------------------------------- helpers

/** False when `index` is past the end of `events` or names a well-formed event that is not a bleeding. */
function refersToBleeding(events: EpisodeParts['events'], index: number): boolean {
  if (index >= events.length) return false;
  const e = events[index];
  return e === undefined || e.kind === 'bleeding';
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  const r: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) r[k] = o[k];
  return r as T;
}

function orderProblem(path: string, end: string, start: string): InputProblem {
  return { path, value: end, expected: `a time at or after ${start}`, message: `${path}: ${end} is before the start ${start}` };
}

function unitProblem(path: string, code: ObservationCode, unit: string): InputProblem {
  const accepted = acceptedUnits(code).join(', ');
  return { path, value: unit, expected: `one of: ${accepted}`, message: `${path}: unit '${unit}' is not accepted for ${code}; expected one of: ${accepted}` };
}

function shownIfConverted(value: number, unit: string, canonicalUnit: string): string | undefined {
  return unit === canonicalUnit ? undefined : `${value} ${unit}`;
}

function convertQuantity(
  q: number | QuantityInput | undefined,
  path: string,
  label: string,
  units: Readonly<Record<string, number>>,
  canonicalUnit: string,
  reject: { min: number; max: number },
  warn: { min: number; max: number },
  out: RangeCheck,
): number | undefined {
  if (q === undefined) return undefined;
  let v: number;
  let shown: string | undefined;
  if (typeof q === 'number') v = q;
  else {
    const f = units[q.unit];
    if (f === undefined) {
      const accepted = Object.keys(units).join(', ');
      out.problems.push({ path: `${path}.unit`, value: q.unit, expected: `one of: ${accepted}`, message: `${path}.unit: unit '${q.unit}' is not accepted for ${label}; expected one of: ${accepted}` });
      return undefined;
    }
    v = tidy(q.value * f);
    shown = q.unit === canonicalUnit ? undefined : `${q.value} ${q.unit}`;
  }
  return checkRange(out, typeof q === 'number' ? path : `${path}.value`, label, v, canonicalUnit, reject, warn, shown) ? v : undefined;
}

function convertObservation(o: ObservationInput, path: string, out: RangeCheck, options: ParseEpisodeOptions, t_min: number): Observation | undefined {
  const def = OBSERVATION_CODES[o.code];
  const unitIn = o.unit ?? def.unit;
  const unit = findUnit(o.code, unitIn);
  if (!unit) {
    out.problems.push(unitProblem(`${path}.unit`, o.code, unitIn));
    return undefined;
  }
  if (o.censored && !def.censorable) {
    out.problems.push({ path: `${path}.censored`, value: o.censored, expected: `no censoring for ${o.code}`, message: `${path}.censored: ${o.code} cannot be reported as censored ("> cap" / "< floor")` });
    return undefined;
  }
  const value = tidy(o.value * unit.factor + (unit.offset ?? 0));
  if (!checkObservationValue(out, `${path}.value`, o.code, value, shownIfConverted(o.value, unitIn, def.unit), options.ranges)) return undefined;
  const converted = unitIn !== def.unit;
  return stripUndefined({
    time: o.time, t_min, code: o.code, value, unit: def.unit,
    originalValue: converted ? o.value : undefined, originalUnit: converted ? unitIn : undefined,
    censored: o.censored, specimen: o.specimen, method: o.method, periodMin: o.periodMin, sampleId: o.sampleId, note: o.note,
  }) as Observation;
}

function convertInfusion(
  inf: z.output<typeof infusionInputSchema>,
  path: string,
  weight_kg: number | undefined,
  out: RangeCheck,
  anchor: string,
): Infusion | undefined {
  const def = INFUSION_DRUG_DEFS[inf.drug];
  const ru = def.inputUnits.find((u) => u.unit === inf.rateUnit);
  if (!ru) {
    const accepted = def.inputUnits.map((u) => u.unit).join(', ');
    out.problems.push({ path: `${path}.rateUnit`, value: inf.rateUnit, expected: `one of: ${accepted}`, message: `${path}.rateUnit: unit '${inf.rateUnit}' is not accepted for ${inf.drug}; expected one of: ${accepted}` });
    return undefined;
  }
  let rate = inf.rate * ru.factor;
  let rateUnit = def.units[0] as string;
  if (ru.divideByWeight) {
    if (weight_kg === undefined) {
      out.problems.push({ path: `${path}.rateUnit`, value: inf.rateUnit, expected: `a weight in demographics, or a rate in ${def.units[0]}`, message: `${path}: ${inf.drug} ${inf.rate} ${inf.rateUnit} needs the patient's weight to convert to ${def.units[0]}, and no valid weight is recorded` });
      return undefined;
    }
    rate = rate / weight_kg;
  }
  if (inf.drug === 'ufh') rateUnit = canonicalHeparinUnit(inf.rateUnit);
  rate = tidy(rate);
  // Range check, per kg for heparin (reference 9 gives UFH total in IU/kg/h).
  let perKg: number | undefined = rate;
  if (inf.drug === 'ufh' && rateUnit === '[IU]/h') perKg = weight_kg !== undefined ? tidy(rate / weight_kg) : undefined;
  if (perKg !== undefined && def.rejectMax !== undefined) {
    const unitShown = def.units[0] as string;
    const shown = inf.rateUnit === unitShown ? undefined : `${inf.rate} ${inf.rateUnit}`;
    if (!checkRange(out, `${path}.rate`, inf.drug, perKg, unitShown, { min: 0, max: def.rejectMax }, def.warnMax !== undefined ? { min: 0, max: def.warnMax } : undefined, shown)) return undefined;
  }
  const converted = inf.rateUnit !== rateUnit;
  return stripUndefined({
    drug: inf.drug, kind: def.kind, start: inf.start, t_start_min: tidy(minutesBetween(anchor, inf.start)),
    end: inf.end, t_end_min: inf.end !== undefined ? tidy(minutesBetween(anchor, inf.end)) : undefined,
    rate, rateUnit, originalRate: converted ? inf.rate : undefined, originalRateUnit: converted ? inf.rateUnit : undefined,
    route: inf.route, note: inf.note,
  }) as Infusion;
}

function canonicalBolusUnit(drug: 'ufh' | 'bivalirudin' | 'argatroban', unit: string): string | undefined {
  const perKg = unit.endsWith('/kg');
  const base = perKg ? unit.slice(0, -3) : unit;
  const ok =
    drug === 'ufh' ? ['[IU]', '[iU]', 'IU', 'U'].includes(base) : drug === 'bivalirudin' ? base === 'mg' : ['ug', 'µg', 'mcg'].includes(base);
  if (!ok) return undefined;
  const canon = drug === 'ufh' ? '[IU]' : drug === 'bivalirudin' ? 'mg' : 'ug';
  return perKg ? `${canon}/kg` : canon;
}

/** Reference 9 cross-field checks on values recorded at the same instant. */
function crossCheckObservations(converted: readonly Observation[], pathOf: ReadonlyMap<Observation, string>, out: RangeCheck): void {
  const byInstant = new Map<number, Map<ObservationCode, Observation>>();
  for (const o of converted) {
    let m = byInstant.get(o.t_min);
    if (!m) byInstant.set(o.t_min, (m = new Map()));
    m.set(o.code, o);
  }
  for (const m of byInstant.values()) {
    const sbp = m.get('sbp_mmHg');
    const dbp = m.get('dbp_mmHg');
    const map = m.get('map_mmHg');
    const pas = m.get('pasp_mmHg');
    const pad = m.get('padp_mmHg');
    const pcwp = m.get('pcwp_mmHg');
    if (sbp && dbp && dbp.value > sbp.value) {
      const path = `${pathOf.get(dbp)}.value`;
      out.problems.push({ path, value: dbp.value, expected: `≤ SBP ${sbp.value} mmHg at ${sbp.time}`, message: `${path}: DBP ${dbp.value} mmHg is above SBP ${sbp.value} mmHg at ${dbp.time}` });
    } else if (sbp && dbp && map && (map.value < dbp.value || map.value > sbp.value)) {
      const path = `${pathOf.get(map)}.value`;
      out.problems.push({ path, value: map.value, expected: `between DBP ${dbp.value} and SBP ${sbp.value} mmHg`, message: `${path}: MAP ${map.value} mmHg is not between DBP ${dbp.value} and SBP ${sbp.value} mmHg at ${map.time}` });
    }
    if (pas && pad && pad.value > pas.value) {
      const path = `${pathOf.get(pad)}.value`;
      out.problems.push({ path, value: pad.value, expected: `≤ PA systolic ${pas.value} mmHg`, message: `${path}: PA diastolic ${pad.value} mmHg is above PA systolic ${pas.value} mmHg at ${pad.time}` });
    }
    if (pad && pcwp && pcwp.value >= pad.value + PCWP_OVER_PAD_WARN_MMHG) {
      const path = `${pathOf.get(pcwp)}.value`;
      out.warnings.push({ path, value: pcwp.value, expected: `< PA diastolic + ${PCWP_OVER_PAD_WARN_MMHG} = ${pad.value + PCWP_OVER_PAD_WARN_MMHG} mmHg`, message: `${path}: PCWP ${pcwp.value} mmHg is not below PA diastolic ${pad.value} + ${PCWP_OVER_PAD_WARN_MMHG} mmHg; accepted, please review the wedge tracing` });
    }
  }
  // lactate and pH of the same blood gas (same sampleId) should be within 15 min
  const gas = new Map<string, Observation[]>();
  for (const o of converted) {
    if (o.sampleId && (o.code === 'lactate_mmol_L' || o.code === 'ph')) {
      const l = gas.get(o.sampleId) ?? [];
      l.push(o);
      gas.set(o.sampleId, l);
    }
  }
  for (const [id, list] of gas) {
    const lac = list.find((o) => o.code === 'lactate_mmol_L');
    const ph = list.find((o) => o.code === 'ph');
    if (lac && ph && Math.abs(lac.t_min - ph.t_min) > SAME_GAS_MAX_APART_MIN) {
      const path = `${pathOf.get(ph)}.time`;
      out.warnings.push({ path, value: ph.time, expected: `within ${SAME_GAS_MAX_APART_MIN} min of the lactate of sample '${id}'`, message: `${path}: pH and lactate of sample '${id}' are ${Math.abs(lac.t_min - ph.t_min)} min apart; accepted, please review` });
    }
  }
}
