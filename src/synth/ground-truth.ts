// The ground-truth document written next to a synthetic registry: the parameters, the true within-stage device
// effects, and the rates the generated patients realised (crude and by true stage). A study run on the registry
// should recover deviceLogHr (0 by default) after adjusting for stage, while the crude comparison shows the claims
// study's pattern. See docs/synthetic-data.md, "Checking a study against the truth".
import type { BleedingParameters, ComplicationParameters, DeviceGroup, SynthParameters, TrueStage } from './synth-parameters.js';
import { DEVICE_GROUPS, TRUE_STAGES } from './synth-parameters.js';
import type { PatientTruth } from './patient-truth.js';
import { siteProfiles, type SiteProfile } from './site-profiles.js';

export interface GroupRates {
  readonly n: number;
  /** Deaths within 365 days (true, before censoring). */
  readonly deaths1y: number;
  readonly mortality1y: number | null;
  /** Share with at least one bleeding event / one major or life-threatening one (generator grades), any time. */
  readonly anyBleeding: number | null;
  readonly majorBleeding: number | null;
  /** Share with a bleeding event within 30 days of time zero. */
  readonly bleeding30d: number | null;
  /** Mean of the model's expected number of bleeds (the Poisson mean), a noise-free bleeding intensity. */
  readonly meanBleedingRate: number | null;
  /** Share with limb ischemia requiring intervention / a stroke within 30 days of time zero. */
  readonly limbIschemia30d: number | null;
  readonly stroke30d: number | null;
}

export interface GroundTruth {
  readonly generator: 'stratum synthetic registry';
  readonly truthFormatVersion: '1';
  readonly parameters: SynthParameters;
  readonly sites: readonly SiteProfile[];
  readonly trueEffects: {
    readonly death: {
      readonly scale: 'log hazard ratio against IABP, within true SCAI stage (Weibull proportional hazards)';
      readonly deviceLogHr: Readonly<Record<DeviceGroup, number>>;
      readonly hazardRatio: Readonly<Record<DeviceGroup, number>>;
    };
    readonly bleeding: {
      readonly mechanisms: readonly string[];
      readonly parameters: BleedingParameters;
      /** Ratio of mean expected bleeding intensity vs IABP, standardised to the microaxial group's stage mix. */
      readonly rateRatioVsIabpStandardised: Readonly<Record<DeviceGroup, number | null>>;
    };
    readonly complications: {
      readonly scale: '30-day risk by device group, independent of stage and severity (the same crude and within stage); no effect on death';
      readonly parameters: ComplicationParameters;
      /** Risk ratio against IABP (null when the IABP risk is 0). */
      readonly riskRatioVsIabp: {
        readonly limbIschemia: Readonly<Record<DeviceGroup, number | null>>;
        readonly stroke: Readonly<Record<DeviceGroup, number | null>>;
      };
    };
  };
  readonly realised: {
    readonly patients: number;
    readonly stageDistribution: Readonly<Record<TrueStage, number>>;
    readonly deviceByStage: Readonly<Record<TrueStage, Readonly<Record<DeviceGroup, number>>>>;
    readonly crude: Readonly<Record<DeviceGroup, GroupRates>>;
    readonly byStage: Readonly<Record<TrueStage, Readonly<Record<DeviceGroup, GroupRates>>>>;
    /** 1-year mortality difference microaxial − IABP: crude, and standardised over true stage to the pump group's mix. */
    readonly mortalityDifferenceMicroaxialVsIabp: { readonly crude: number | null; readonly stageStandardised: number | null };
    /** Share of patients whose pre-device chart shows a stage other than the true one. */
    readonly misrecordedStageShare: number;
  };
}

interface Acc {
  n: number;
  deaths: number;
  anyBleed: number;
  majorBleed: number;
  bleed30: number;
  rate: number;
  limb30: number;
  stroke30: number;
}

const emptyAcc = (): Acc => ({ n: 0, deaths: 0, anyBleed: 0, majorBleed: 0, bleed30: 0, rate: 0, limb30: 0, stroke30: 0 });

function rates(a: Acc): GroupRates {
  const share = (x: number): number | null => (a.n > 0 ? x / a.n : null);
  return {
    n: a.n,
    deaths1y: a.deaths,
    mortality1y: share(a.deaths),
    anyBleeding: share(a.anyBleed),
    majorBleeding: share(a.majorBleed),
    bleeding30d: share(a.bleed30),
    meanBleedingRate: share(a.rate),
    limbIschemia30d: share(a.limb30),
    stroke30d: share(a.stroke30),
  };
}

function add(a: Acc, t: PatientTruth): void {
  a.n++;
  if (t.diedWithin1Year) a.deaths++;
  if (t.bleedingEvents.length > 0) a.anyBleed++;
  if (t.bleedingEvents.some((e) => e.grade === 'major' || e.grade === 'life_threatening')) a.majorBleed++;
  if (t.bleedingEvents.some((e) => e.day <= 30)) a.bleed30++;
  a.rate += t.bleedingRate;
  if (t.limbIschemiaDay !== null && t.limbIschemiaDay <= 30) a.limb30++;
  if (t.strokeDay !== null && t.strokeDay <= 30) a.stroke30++;
}

/** Risk of each group over the IABP risk (null when the IABP risk is 0). */
function ratioVsIabp(risk: Readonly<Record<DeviceGroup, number>>): Record<DeviceGroup, number | null> {
  return Object.fromEntries(DEVICE_GROUPS.map((g) => [g, risk.iabp > 0 ? risk[g] / risk.iabp : null])) as Record<DeviceGroup, number | null>;
}

/** Aggregates the per-patient truths into the ground-truth document. */
export function summarizeTruth(params: SynthParameters, truths: Iterable<PatientTruth>): GroundTruth {
  const crude = Object.fromEntries(DEVICE_GROUPS.map((g) => [g, emptyAcc()])) as Record<DeviceGroup, Acc>;
  const byStage = Object.fromEntries(TRUE_STAGES.map((s) => [s, Object.fromEntries(DEVICE_GROUPS.map((g) => [g, emptyAcc()]))])) as Record<TrueStage, Record<DeviceGroup, Acc>>;
  let n = 0;
  let misrecorded = 0;
  for (const t of truths) {
    n++;
    if (t.recordedStage !== t.trueStage) misrecorded++;
    add(crude[t.deviceGroup], t);
    add(byStage[t.trueStage][t.deviceGroup], t);
  }
  const stageDistribution = {} as Record<TrueStage, number>;
  const deviceByStage = {} as Record<TrueStage, Record<DeviceGroup, number>>;
  for (const s of TRUE_STAGES) {
    let ns = 0;
    deviceByStage[s] = {} as Record<DeviceGroup, number>;
    for (const g of DEVICE_GROUPS) {
      ns += byStage[s][g].n;
      deviceByStage[s][g] = byStage[s][g].n;
    }
    stageDistribution[s] = n > 0 ? ns / n : 0;
  }

  // Standardise to the microaxial group's stage mix (the effect in the treated), over stages where both groups exist.
  const standardised = (value: (a: Acc) => number, ref: DeviceGroup, g: DeviceGroup, combine: 'difference' | 'ratio'): number | null => {
    let w = 0;
    let sg = 0;
    let sr = 0;
    for (const s of TRUE_STAGES) {
      const a = byStage[s][g];
      const r = byStage[s][ref];
      const weight = byStage[s].microaxial.n;
      if (a.n === 0 || r.n === 0 || weight === 0) continue;
      w += weight;
      sg += (weight * value(a)) / a.n;
      sr += (weight * value(r)) / r.n;
    }
    if (w === 0) return null;
    return combine === 'difference' ? (sg - sr) / w : sr > 0 ? sg / sr : null;
  };
  const mort = (a: Acc): number => a.deaths;
  const crudeMicro = crude.microaxial.n > 0 ? crude.microaxial.deaths / crude.microaxial.n : null;
  const crudeIabp = crude.iabp.n > 0 ? crude.iabp.deaths / crude.iabp.n : null;

  return {
    generator: 'stratum synthetic registry',
    truthFormatVersion: '1',
    parameters: params,
    sites: siteProfiles(params),
    trueEffects: {
      death: {
        scale: 'log hazard ratio against IABP, within true SCAI stage (Weibull proportional hazards)',
        deviceLogHr: params.death.deviceLogHr,
        hazardRatio: Object.fromEntries(DEVICE_GROUPS.map((g) => [g, Math.exp(params.death.deviceLogHr[g])])) as Record<DeviceGroup, number>,
      },
      bleeding: {
        mechanisms: [
          'access bore: log rate ratio logRrPerFrench per French above 8 (IABP 7.5 Fr, Impella CP 14 Fr, Impella 5.5 19 Fr, ECMO 17 + 23 Fr)',
          'heparin intensity: log rate ratio antiXaLogRrPerTenth per 0.1 IU/mL of mean true anti-Xa above 0.3 (purge heparin not counted in the IV rate raises it)',
          'coagulopathy (driven by severity): log rate ratio coagulopathyLogRr per SD, non-access bleeding',
          'direct device effect: deviceLogRr (default 0)',
        ],
        parameters: params.bleeding,
        rateRatioVsIabpStandardised: Object.fromEntries(DEVICE_GROUPS.map((g) => [g, standardised((a) => a.rate, 'iabp', g, 'ratio')])) as Record<DeviceGroup, number | null>,
      },
      complications: {
        scale: '30-day risk by device group, independent of stage and severity (the same crude and within stage); no effect on death',
        parameters: params.complications,
        riskRatioVsIabp: {
          limbIschemia: ratioVsIabp(params.complications.limbIschemiaRisk30d),
          stroke: ratioVsIabp(params.complications.strokeRisk30d),
        },
      },
    },
    realised: {
      patients: n,
      stageDistribution,
      deviceByStage,
      crude: Object.fromEntries(DEVICE_GROUPS.map((g) => [g, rates(crude[g])])) as Record<DeviceGroup, GroupRates>,
      byStage: Object.fromEntries(TRUE_STAGES.map((s) => [s, Object.fromEntries(DEVICE_GROUPS.map((g) => [g, rates(byStage[s][g])]))])) as Record<TrueStage, Record<DeviceGroup, GroupRates>>,
      mortalityDifferenceMicroaxialVsIabp: {
        crude: crudeMicro !== null && crudeIabp !== null ? crudeMicro - crudeIabp : null,
        stageStandardised: standardised(mort, 'iabp', 'microaxial', 'difference'),
      },
      misrecordedStageShare: n > 0 ? misrecorded / n : 0,
    },
  };
}
