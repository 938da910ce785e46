// Death and follow-up. Death time ~ Weibull proportional hazards (time in days since time zero):
//   S(t) = exp(−λ_stage · t^k · exp(η)),  η = ageLogHrPerYear × (age − 65) + deviceLogHr[device group],
//   λ_stage = −ln(1 − oneYearRiskByStage[stage]) / 365^k,
// so a 65-year-old on an IABP in stage s dies within a year with probability oneYearRiskByStage[s]. The hazard depends
// on nothing else (not on bleeding, arrest, site or the latent severity within the stage), so the within-stage effect of
// the device on death is exactly deviceLogHr. Follow-up ends at 365 days; some survivors are lost to follow-up earlier.
import type { Rng } from './prng.js';
import type { DeviceGroup, SynthParameters, TrueStage } from './synth-parameters.js';

/** Earliest death after time zero, days (about 30 min): the device was started, so the patient was alive at 0. */
const MIN_DEATH_DAY = 0.02;

/** Days from time zero to death under the Weibull model. */
export function drawDeathDay(p: SynthParameters['death'], stage: TrueStage, ageYears: number, group: DeviceGroup, rng: Rng): number {
  const k = p.weibullShape;
  const lambda = -Math.log(1 - p.oneYearRiskByStage[stage]) / Math.pow(365, k);
  const eta = p.ageLogHrPerYear * (ageYears - 65) + p.deviceLogHr[group];
  const e = rng.exponential(1);
  return Math.max(MIN_DEATH_DAY, Math.pow(e / (lambda * Math.exp(eta)), 1 / k));
}

export interface FollowUp {
  /** Days of observed follow-up (≤ 365). */
  readonly observedDay: number;
  readonly observedDeath: boolean;
  /** Source of the last contact when alive at the end of follow-up. */
  readonly source: 'registry_linkage' | 'phone' | 'visit';
}

/** Censoring: administrative at 365 days, or loss to follow-up at a uniform time after discharge. */
export function followUp(p: SynthParameters['death'], deathDay: number, dischargeDay: number, rng: Rng): FollowUp {
  const lost = rng.chance(p.lossToFollowUp);
  const censorDay = lost ? rng.uniform(Math.min(dischargeDay, 364), 365) : 365;
  if (deathDay <= censorDay) return { observedDay: deathDay, observedDeath: true, source: 'registry_linkage' };
  return { observedDay: censorDay, observedDeath: false, source: lost ? (rng.chance(0.5) ? 'phone' : 'visit') : 'registry_linkage' };
}
