// Parameters of the synthetic CS-MCS registry: every number of the causal model (docs/synthetic-data.md), with
// documented defaults. Plain typed objects (no schema library): `synthParameters(overrides)` merges overrides into the
// defaults and checks them once, with errors that name the field, the value and what was expected.
//
// The defaults are calibrated so that the crude comparison reproduces the published claims study (Miller et al.,
// JAMA Intern Med 2022;182:926: microaxial pump vs IABP 1-year mortality 58.9 % vs 45.0 %; 30-day bleeding 19.1 % vs
// 14.5 %) while the true within-stage effect of the device on death is null (log-HR 0): the whole crude difference is
// confounding by indication (sicker patients get the pump) — the critique of Vandenbriele et al., JAMA Intern Med 2023.
import type { BundledProtocolId } from '../clinical/anticoagulation/protocol.js';

/** The device group of a patient: what a study compares. 'combination' = VA-ECMO plus a microaxial pump. */
export const DEVICE_GROUPS = ['iabp', 'microaxial', 'va_ecmo', 'combination', 'none'] as const;
export type DeviceGroup = (typeof DEVICE_GROUPS)[number];

/** True SCAI stages the generator uses (stage A patients are not in a shock registry). */
export const TRUE_STAGES = ['B', 'C', 'D', 'E'] as const;
export type TrueStage = (typeof TRUE_STAGES)[number];

/** A site's anticoagulation practice: titrate on aPTT alone, or the parallel anti-Xa/aPTT protocol (reference 7.3). */
export const ANTICOAGULATION_PRACTICES = ['aptt_only', 'parallel_antixa_aptt'] as const;
export type AnticoagulationPractice = (typeof ANTICOAGULATION_PRACTICES)[number];

export interface SiteMixParameters {
  /** SD of each site's shift of the mean latent severity (case mix), in severity SD units. */
  readonly caseMixSd: number;
  /** SD of each site's log preference multiplier per device group (practice variation, Amin 2020: > 5-fold). */
  readonly devicePreferenceSd: number;
  /** SD of the log of a site's relative size (patients are allocated to sites in proportion). */
  readonly sizeSdLog: number;
  /** Share of sites running the parallel anti-Xa/aPTT protocol; the others titrate on aPTT alone. */
  readonly parallelProtocolShare: number;
  /** Protocol of a parallel-protocol site (standard band 0.31–0.50 IU/mL ↔ aPTT 56–80 s). */
  readonly parallelProtocolId: BundledProtocolId;
  /** Parallel-protocol sites switch a patient with coagulopathy (INR ≥ this) to the low band (Van Edom 2025). */
  readonly lowBandProtocolId: BundledProtocolId;
  readonly lowBandInrAtLeast: number;
  /** Protocols an aPTT-only site may run (one per site, drawn uniformly). */
  readonly apttProtocolIds: readonly BundledProtocolId[];
  /** Share of sites that do NOT subtract purge heparin from the IV rate, by practice (Reed 2019 survey: 41 % overall). */
  readonly purgeNotCountedShare: Readonly<Record<AnticoagulationPractice, number>>;
  /** Purge heparin concentrations (IU/mL) sites use, with weights (Reed 2019: 50 U/mL 52 %, 25 U/mL 29 %, 12.5 U/mL 13 %). */
  readonly purgeConcentrationWeights: Readonly<Record<'12.5' | '25' | '50', number>>;
}

export interface SeverityParameters {
  /** Latent severity ~ Normal(site shift, 1). Stage cut points on that scale: B below bToC, E at or above dToE. */
  readonly bToC: number;
  readonly cToD: number;
  readonly dToE: number;
  /**
   * Probability that the data recorded before device start describe a stage next to the true one (charting gaps,
   * a lactate drawn late): the engine then sees that neighbour. Keeps the engine's agreement realistic (< 100 %).
   */
  readonly stageMisrecordedProbability: number;
}

export interface DeathParameters {
  /** 1-year risk of death by true stage for a 65-year-old on an IABP (Weibull scale set from it). */
  readonly oneYearRiskByStage: Readonly<Record<TrueStage, number>>;
  /** Weibull shape (< 1: hazard highest right after device start; Miller 2022: 30-day 40.1 % of the 58.9 % at 1 year). */
  readonly weibullShape: number;
  /** Log hazard ratio per year of age above 65 (age is independent of device and stage). */
  readonly ageLogHrPerYear: number;
  /** TRUE within-stage effect of the device group on death, log-HR against IABP. Default 0 for every group. */
  readonly deviceLogHr: Readonly<Record<DeviceGroup, number>>;
  /** Share of survivors lost to follow-up before 1 year (censored at a uniform time after discharge). */
  readonly lossToFollowUp: number;
}

export interface BleedingParameters {
  /** Access-site bleeding rate per device-day for an 8 Fr sheath at anti-Xa 0.3 IU/mL and average coagulopathy. */
  readonly accessRatePerDay: number;
  /** Log rate ratio per French of access bore above 8 Fr (mechanism: larger bore → more access bleeding). */
  readonly logRrPerFrench: number;
  /** Non-access (GI, pulmonary, retroperitoneal, ...) bleeding rate per ICU day at anti-Xa 0.3 and average coagulopathy. */
  readonly systemicRatePerDay: number;
  /** Log rate ratio per SD of coagulopathy (severity → coagulopathy → bleeding). */
  readonly coagulopathyLogRr: number;
  /** Log rate ratio per 0.1 IU/mL of mean true anti-Xa above 0.3 (purge heparin not subtracted → more heparin). */
  readonly antiXaLogRrPerTenth: number;
  /** Direct device effect on bleeding beyond the mechanisms above, log rate ratio against IABP. Default 0. */
  readonly deviceLogRr: Readonly<Record<DeviceGroup, number>>;
  /** Days of exposure counted at most (device days, or ICU days without a device). */
  readonly maxExposureDays: number;
}

export interface CoagulopathyParameters {
  /** Coagulopathy = slope × severity + Normal(0, noiseSd) (reference 7.3: shock severity brings coagulation dysfunction). */
  readonly severitySlope: number;
  readonly noiseSd: number;
}

export interface CardiacArrestParameters {
  /** Probability of a cardiac arrest before device start, by true stage (Miller 2022: 32 % overall). */
  readonly probabilityByStage: Readonly<Record<TrueStage, number>>;
  /** Probability of coma (GCS < 9) after the arrest (SCAI 2022 modifier, reference 1.2). */
  readonly comaProbability: number;
  /** Share of VA-ECMO / combination patients in stage E started during CPR (ECPR). */
  readonly ecprShareOfEcmoInE: number;
}

/**
 * Device complications after time zero that do not change death: limb ischemia requiring intervention and stroke.
 * Each is a 30-day risk by device group (the risk of having the event in hospital within 30 days of time zero; it is
 * never pre-empted by death or discharge), so the true risk ratio against IABP is the ratio of the parameters, the
 * same crude and within any stratum. Large-bore arterial access brings limb ischemia (ECMO 17 Fr arterial cannula,
 * Impella CP 14 Fr, IABP 7.5 Fr); ECMO brings stroke (circuit thrombo-embolism, anticoagulation).
 */
export interface ComplicationParameters {
  /**
   * Limb ischemia requiring intervention within 30 days, by device group. ECLS-SHOCK (Thiele, NEJM 2023;389:1286):
   * peripheral ischemic vascular complications needing intervention 11.0 % with VA-ECMO vs 3.8 % without [S];
   * IABP and pump values are design assumptions in the ranges the literature reports (IABP 3–5 %, pump 5–10 %) [D].
   */
  readonly limbIschemiaRisk30d: Readonly<Record<DeviceGroup, number>>;
  /** Stroke (ischemic or hemorrhagic) within 30 days, by device group [D] (IABP 1–2 %, pump 2–3 %, ECMO 4–6 %). */
  readonly strokeRisk30d: Readonly<Record<DeviceGroup, number>>;
  /** Share of strokes that are hemorrhagic (the rest ischemic) [D]. */
  readonly hemorrhagicStrokeShare: number;
}

export interface SynthParameters {
  readonly patients: number;
  readonly sites: number;
  /** Non-negative integer; the same seed gives the same registry. */
  readonly seed: number;
  /** First possible device-start date (YYYY-MM-DD, UTC) and the enrolment period in days. */
  readonly startDate: string;
  readonly enrolmentDays: number;
  readonly siteMix: SiteMixParameters;
  readonly severity: SeverityParameters;
  /**
   * Device choice: relative weights of each device group by true stage (multiplied by each site's preferences).
   * Sicker patients get the microaxial pump or VA-ECMO more often: the confounding by indication of the claims studies.
   */
  readonly deviceChoice: Readonly<Record<TrueStage, Readonly<Record<DeviceGroup, number>>>>;
  readonly death: DeathParameters;
  readonly bleeding: BleedingParameters;
  readonly coagulopathy: CoagulopathyParameters;
  readonly cardiacArrest: CardiacArrestParameters;
  readonly complications: ComplicationParameters;
  /** Age ~ Normal(mean, sd) truncated to [minAge, 100]: about 2 % are older than 89 (HIPAA grouping). */
  readonly age: { readonly mean: number; readonly sd: number; readonly minAge: number };
  /** Probability that a patient without a device receives a heparin infusion (ACS treatment). */
  readonly heparinWithoutDevice: number;
}

/** Default parameters; every number is documented in docs/synthetic-data.md. */
export const DEFAULT_SYNTH_PARAMETERS: SynthParameters = {
  patients: 2000,
  sites: 12,
  seed: 1,
  startDate: '2022-01-01',
  enrolmentDays: 3 * 365,
  siteMix: {
    caseMixSd: 0.25,
    devicePreferenceSd: 0.25,
    sizeSdLog: 0.5,
    parallelProtocolShare: 0.4,
    parallelProtocolId: 'vandenbriele-2022-standard',
    lowBandProtocolId: 'vandenbriele-2022-low',
    lowBandInrAtLeast: 1.5,
    apttProtocolIds: ['raschke-1993-aptt', 'aptt-intermediate-40-60', 'aptt-therapeutic-60-80'],
    purgeNotCountedShare: { aptt_only: 0.5, parallel_antixa_aptt: 0.1 },
    purgeConcentrationWeights: { '12.5': 13, '25': 29, '50': 52 },
  },
  severity: { bToC: -1.6, cToD: 0.15, dToE: 0.95, stageMisrecordedProbability: 0.03 },
  deviceChoice: {
    B: { iabp: 0.4, microaxial: 0.08, va_ecmo: 0, combination: 0, none: 0.52 },
    C: { iabp: 0.45, microaxial: 0.18, va_ecmo: 0.04, combination: 0.03, none: 0.25 },
    D: { iabp: 0.32, microaxial: 0.45, va_ecmo: 0.1, combination: 0.1, none: 0.13 },
    E: { iabp: 0.05, microaxial: 0.45, va_ecmo: 0.25, combination: 0.18, none: 0.07 },
  },
  death: {
    oneYearRiskByStage: { B: 0.22, C: 0.4, D: 0.6, E: 0.8 },
    weibullShape: 0.22,
    ageLogHrPerYear: 0.02,
    deviceLogHr: { iabp: 0, microaxial: 0, va_ecmo: 0, combination: 0, none: 0 },
    lossToFollowUp: 0.05,
  },
  bleeding: {
    accessRatePerDay: 0.02,
    logRrPerFrench: 0.08,
    systemicRatePerDay: 0.04,
    coagulopathyLogRr: 0.45,
    antiXaLogRrPerTenth: 0.25,
    deviceLogRr: { iabp: 0, microaxial: 0, va_ecmo: 0, combination: 0, none: 0 },
    maxExposureDays: 7,
  },
  coagulopathy: { severitySlope: 0.6, noiseSd: 0.8 },
  cardiacArrest: { probabilityByStage: { B: 0.05, C: 0.22, D: 0.35, E: 0.45 }, comaProbability: 0.45, ecprShareOfEcmoInE: 0.35 },
  complications: {
    limbIschemiaRisk30d: { iabp: 0.04, microaxial: 0.07, va_ecmo: 0.12, combination: 0.14, none: 0.01 },
    strokeRisk30d: { iabp: 0.015, microaxial: 0.025, va_ecmo: 0.05, combination: 0.055, none: 0.01 },
    hemorrhagicStrokeShare: 0.25,
  },
  age: { mean: 65, sd: 12, minAge: 25 },
  heparinWithoutDevice: 0.4,
};

/** Deep-partial overrides of the parameters. */
export type SynthParameterOverrides = {
  readonly [K in keyof SynthParameters]?: SynthParameters[K] extends readonly unknown[]
    ? SynthParameters[K]
    : SynthParameters[K] extends object
      ? { readonly [L in keyof SynthParameters[K]]?: SynthParameters[K][L] extends readonly unknown[] ? SynthParameters[K][L] : SynthParameters[K][L] extends object ? Partial<SynthParameters[K][L]> : SynthParameters[K][L] }
      : SynthParameters[K];
};

/** Raised when a parameter is out of range; names the field, the value and what was expected. */
export class SynthParameterError extends Error {
  constructor(readonly field: string, readonly value: unknown, readonly expected: string) {
    super(`synthetic registry parameter ${field}: got ${JSON.stringify(value)}; expected ${expected}`);
    this.name = 'SynthParameterError';
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = merge(base[k], v);
  return out;
}

/** The defaults with `overrides` merged in (nested objects merge key by key), checked. */
export function synthParameters(overrides: SynthParameterOverrides = {}): SynthParameters {
  const p = merge(DEFAULT_SYNTH_PARAMETERS, overrides) as SynthParameters;
  checkSynthParameters(p);
  return p;
}

/** Checks every parameter; throws SynthParameterError at the first one out of range. */
export function checkSynthParameters(p: SynthParameters): void {
  const int = (field: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new SynthParameterError(field, v, `an integer ≥ ${min}`);
  };
  const num = (field: string, v: number, min: number, max: number): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new SynthParameterError(field, v, `a number in [${min}, ${max}]`);
  };
  int('patients', p.patients, 0);
  int('sites', p.sites, 1);
  if (!Number.isSafeInteger(p.seed) || p.seed < 0) throw new SynthParameterError('seed', p.seed, 'a non-negative integer');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(p.startDate) || Number.isNaN(Date.parse(`${p.startDate}T00:00:00Z`))) {
    throw new SynthParameterError('startDate', p.startDate, 'a date YYYY-MM-DD');
  }
  int('enrolmentDays', p.enrolmentDays, 1);
  const s = p.siteMix;
  num('siteMix.caseMixSd', s.caseMixSd, 0, 3);
  num('siteMix.devicePreferenceSd', s.devicePreferenceSd, 0, 3);
  num('siteMix.sizeSdLog', s.sizeSdLog, 0, 3);
  num('siteMix.parallelProtocolShare', s.parallelProtocolShare, 0, 1);
  num('siteMix.lowBandInrAtLeast', s.lowBandInrAtLeast, 0.5, 10);
  if (s.apttProtocolIds.length === 0) throw new SynthParameterError('siteMix.apttProtocolIds', s.apttProtocolIds, 'at least one protocol id');
  for (const k of ANTICOAGULATION_PRACTICES) num(`siteMix.purgeNotCountedShare.${k}`, s.purgeNotCountedShare[k], 0, 1);
  for (const [k, w] of Object.entries(s.purgeConcentrationWeights)) num(`siteMix.purgeConcentrationWeights.${k}`, w, 0, Infinity);
  const v = p.severity;
  if (!(v.bToC < v.cToD && v.cToD < v.dToE)) throw new SynthParameterError('severity', { bToC: v.bToC, cToD: v.cToD, dToE: v.dToE }, 'cut points with bToC < cToD < dToE');
  num('severity.stageMisrecordedProbability', v.stageMisrecordedProbability, 0, 1);
  for (const st of TRUE_STAGES) {
    let total = 0;
    for (const g of DEVICE_GROUPS) {
      num(`deviceChoice.${st}.${g}`, p.deviceChoice[st][g], 0, Infinity);
      total += p.deviceChoice[st][g];
    }
    if (!(total > 0)) throw new SynthParameterError(`deviceChoice.${st}`, p.deviceChoice[st], 'weights with a positive sum');
    num(`death.oneYearRiskByStage.${st}`, p.death.oneYearRiskByStage[st], 0, 0.999);
    num(`cardiacArrest.probabilityByStage.${st}`, p.cardiacArrest.probabilityByStage[st], 0, 1);
  }
  num('death.weibullShape', p.death.weibullShape, 0.05, 5);
  num('death.ageLogHrPerYear', p.death.ageLogHrPerYear, -1, 1);
  for (const g of DEVICE_GROUPS) {
    num(`death.deviceLogHr.${g}`, p.death.deviceLogHr[g], -5, 5);
    num(`bleeding.deviceLogRr.${g}`, p.bleeding.deviceLogRr[g], -5, 5);
    num(`complications.limbIschemiaRisk30d.${g}`, p.complications.limbIschemiaRisk30d[g], 0, 1);
    num(`complications.strokeRisk30d.${g}`, p.complications.strokeRisk30d[g], 0, 1);
  }
  num('death.lossToFollowUp', p.death.lossToFollowUp, 0, 1);
  const b = p.bleeding;
  num('bleeding.accessRatePerDay', b.accessRatePerDay, 0, 5);
  num('bleeding.logRrPerFrench', b.logRrPerFrench, -1, 1);
  num('bleeding.systemicRatePerDay', b.systemicRatePerDay, 0, 5);
  num('bleeding.coagulopathyLogRr', b.coagulopathyLogRr, -3, 3);
  num('bleeding.antiXaLogRrPerTenth', b.antiXaLogRrPerTenth, -3, 3);
  num('bleeding.maxExposureDays', b.maxExposureDays, 1, 60);
  num('coagulopathy.severitySlope', p.coagulopathy.severitySlope, -3, 3);
  num('coagulopathy.noiseSd', p.coagulopathy.noiseSd, 0, 5);
  num('cardiacArrest.comaProbability', p.cardiacArrest.comaProbability, 0, 1);
  num('cardiacArrest.ecprShareOfEcmoInE', p.cardiacArrest.ecprShareOfEcmoInE, 0, 1);
  num('complications.hemorrhagicStrokeShare', p.complications.hemorrhagicStrokeShare, 0, 1);
  num('age.mean', p.age.mean, 18, 100);
  num('age.sd', p.age.sd, 0, 40);
  num('age.minAge', p.age.minAge, 18, 100);
  num('heparinWithoutDevice', p.heparinWithoutDevice, 0, 1);
}
