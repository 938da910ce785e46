// Who the patient is when the device decision is made: the roots of the causal graph (docs/synthetic-data.md).
// site → latent severity → true SCAI stage → device group (with the site's preferences); severity → coagulopathy;
// stage → cardiac arrest (and coma); age independent of all of them.
import type { Rng } from './prng.js';
import type { SiteProfile } from './site-profiles.js';
import { DEVICE_GROUPS, type DeviceGroup, type SynthParameters, type TrueStage } from './synth-parameters.js';

export interface CardiacArrestPlan {
  /** Ongoing CPR at device start (ECPR): the engine sees stage E from it (SCAI "ongoing CPR"). */
  readonly ecpr: boolean;
  readonly coma: boolean;
  readonly setting: 'OHCA' | 'IHCA';
  readonly rhythm: 'VF' | 'VT' | 'PEA' | 'asystole';
}

export interface Presentation {
  readonly severity: number;
  readonly trueStage: TrueStage;
  /** Stage the pre-device chart shows: trueStage, or a neighbour for a misrecorded patient. */
  readonly recordedStage: TrueStage;
  readonly deviceGroup: DeviceGroup;
  readonly ageYears: number;
  readonly sex: 'female' | 'male';
  readonly weight_kg: number;
  readonly height_cm: number;
  readonly coagulopathy: number;
  readonly arrest: CardiacArrestPlan | null;
}

/** The true stage of a latent severity under the parameters' cut points. */
export function stageOfSeverity(severity: number, p: SynthParameters['severity']): TrueStage {
  return severity < p.bToC ? 'B' : severity < p.cToD ? 'C' : severity < p.dToE ? 'D' : 'E';
}

const NEIGHBOURS: Readonly<Record<TrueStage, readonly TrueStage[]>> = { B: ['C'], C: ['B', 'D'], D: ['C', 'E'], E: ['D'] };

export function drawPresentation(params: SynthParameters, site: SiteProfile, rng: Rng): Presentation {
  const severity = rng.normal(site.severityShift, 1);
  const trueStage = stageOfSeverity(severity, params.severity);
  const recordedStage = rng.chance(params.severity.stageMisrecordedProbability) ? rng.pick(NEIGHBOURS[trueStage]) : trueStage;

  // Device choice depends on the true stage and the site only, so within a stage the device is unrelated to anything
  // else that drives death: the within-stage device effect on death is exactly the parameter deviceLogHr.
  const base = params.deviceChoice[trueStage];
  const w = {} as Record<DeviceGroup, number>;
  for (const g of DEVICE_GROUPS) w[g] = base[g] * site.devicePreference[g];
  const deviceGroup = rng.weighted(w);

  let age = rng.normal(params.age.mean, params.age.sd);
  while (age < params.age.minAge || age > 100) age = rng.normal(params.age.mean, params.age.sd);
  const sex = rng.chance(0.7) ? 'male' : 'female';
  const height_cm = Math.round(sex === 'male' ? rng.normal(176, 7) : rng.normal(163, 6));
  const weight_kg = Math.round(Math.min(160, Math.max(45, rng.normal(sex === 'male' ? 86 : 72, 14))));
  const coagulopathy = params.coagulopathy.severitySlope * severity + rng.normal(0, params.coagulopathy.noiseSd);

  let arrest: CardiacArrestPlan | null = null;
  const ecmo = deviceGroup === 'va_ecmo' || deviceGroup === 'combination';
  const ecpr = recordedStage === 'E' && ecmo && rng.chance(params.cardiacArrest.ecprShareOfEcmoInE);
  if (ecpr || rng.chance(params.cardiacArrest.probabilityByStage[trueStage])) {
    const shockable = rng.chance(0.6);
    arrest = {
      ecpr,
      coma: rng.chance(params.cardiacArrest.comaProbability),
      setting: rng.chance(0.6) ? 'OHCA' : 'IHCA',
      rhythm: shockable ? (rng.chance(0.85) ? 'VF' : 'VT') : rng.chance(0.6) ? 'PEA' : 'asystole',
    };
  }
  return { severity, trueStage, recordedStage, deviceGroup, ageYears: age, sex, weight_kg, height_cm, coagulopathy, arrest };
}

/** Position of the severity inside its stage's interval, 0..1 (drives how extreme the charted values are). */
export function withinStage(severity: number, stage: TrueStage, p: SynthParameters['severity']): number {
  const lo = stage === 'B' ? p.bToC - 1.5 : stage === 'C' ? p.bToC : stage === 'D' ? p.cToD : p.dToE;
  const hi = stage === 'B' ? p.bToC : stage === 'C' ? p.cToD : stage === 'D' ? p.dToE : p.dToE + 1.5;
  return Math.min(1, Math.max(0, (severity - lo) / (hi - lo)));
}

