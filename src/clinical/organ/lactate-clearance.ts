// Lactate clearance, clinical reference 4.3 [D]: clearance (%) = (L0 − Lt) / L0 × 100 with an explicit t (commonly
// 6, 8 or 24 h); positive = falling. Also the absolute change and the later value itself (the ~8-h lactate predicted
// better than clearance in IABP-SHOCK II, Fuernau et al. 2019 [R]). Not computed when L0 < 2 mmol/L.
import type { Reason, RuleResult } from '../rule-result.js';
import type { Episode, Observation, TMin } from '../episode/episode.js';
import { firstAtOrAfter, nearestTo } from '../episode/series.js';
import { formatValue } from '../format-value.js';

/** Below this initial lactate, % clearance is "not applicable" (reference 4.3) [D]. */
export const LACTATE_CLEARANCE_MIN_L0_MMOL_L = 2;

export interface LactateClearanceParameters {
  /** Horizons in hours (reference 4.3: commonly 6, 8 or 24 h). */
  readonly hours: readonly number[];
  /** The later sample may be this many minutes from L0 + t [D]. */
  readonly toleranceMin: number;
  readonly minL0_mmol_L: number;
}

export const DEFAULT_LACTATE_CLEARANCE_PARAMETERS: LactateClearanceParameters = {
  hours: [6, 8, 24],
  toleranceMin: 90,
  minL0_mmol_L: LACTATE_CLEARANCE_MIN_L0_MMOL_L,
};

export type LactateClearanceStatus = 'computed' | 'not_applicable_low_l0' | 'specimen_mismatch';

export interface LactateClearance {
  readonly status: LactateClearanceStatus;
  /** % clearance; null unless status is 'computed'. */
  readonly clearancePct: number | null;
  /** Lt − L0, mmol/L (negative = falling). */
  readonly absoluteChange_mmol_L: number;
  readonly l0_mmol_L: number;
  readonly lt_mmol_L: number;
  /** Actual hours between the two samples. */
  readonly hours: number;
}

/** Clearance between two lactate samples (reference 4.3). Both must come from the same specimen type when known. */
export function lactateClearance(l0: Observation, lt: Observation, minL0 = LACTATE_CLEARANCE_MIN_L0_MMOL_L): RuleResult<LactateClearance> {
  const hours = Math.round(((lt.t_min - l0.t_min) / 60) * 100) / 100;
  const change = Math.round((lt.value - l0.value) * 1000) / 1000;
  const base = { absoluteChange_mmol_L: change, l0_mmol_L: l0.value, lt_mmol_L: lt.value, hours };
  const reasons: Reason[] = [
    { criterion: 'lactate_l0', text: `L0 lactate ${formatValue(l0.value)} mmol/L`, value: l0.value, unit: 'mmol/L', time: l0.time },
    { criterion: 'lactate_lt', text: `lactate ${formatValue(lt.value)} mmol/L after ${hours} h (change ${change >= 0 ? '+' : ''}${change})`, value: lt.value, unit: 'mmol/L', time: lt.time },
  ];
  if (l0.specimen && lt.specimen && l0.specimen !== 'unknown' && lt.specimen !== 'unknown' && l0.specimen !== lt.specimen) {
    reasons.push({ criterion: 'lactate_specimen_mismatch', text: `L0 is ${l0.specimen} and Lt is ${lt.specimen}: clearance needs the same specimen type` });
    return { result: { status: 'specimen_mismatch', clearancePct: null, ...base }, reasons, missing: [] };
  }
  if (l0.value < minL0) {
    reasons.push({ criterion: 'lactate_clearance_not_applicable', text: `L0 ${formatValue(l0.value)} < ${minL0} mmol/L: % clearance not applicable`, value: l0.value, unit: 'mmol/L', time: l0.time });
    return { result: { status: 'not_applicable_low_l0', clearancePct: null, ...base }, reasons, missing: [] };
  }
  const pct = Math.round(((l0.value - lt.value) / l0.value) * 1000) / 10;
  reasons.push({ criterion: 'lactate_clearance', text: `clearance ${pct} % = (${formatValue(l0.value)} − ${formatValue(lt.value)}) / ${formatValue(l0.value)} × 100 over ${hours} h`, value: pct, unit: '%' });
  const missing: string[] = [];
  if (!l0.specimen || !lt.specimen || l0.specimen === 'unknown' || lt.specimen === 'unknown') missing.push('lactate_specimen');
  return { result: { status: 'computed', clearancePct: pct, ...base }, reasons, missing };
}

export interface LactateCourse {
  readonly l0?: Observation;
  /** One entry per horizon; result null when no sample near L0 + t. */
  readonly byHorizon: readonly { readonly hours: number; readonly clearance: RuleResult<LactateClearance | null> }[];
}

/** Lactate clearance of an episode from the first lactate at or after `fromMin` (default: the anchor). */
export function assessLactateClearance(
  episode: Episode,
  options: { fromMin?: TMin; parameters?: Partial<LactateClearanceParameters> } = {},
): LactateCourse {
  const p: LactateClearanceParameters = { ...DEFAULT_LACTATE_CLEARANCE_PARAMETERS, ...options.parameters };
  const l0 = firstAtOrAfter(episode, 'lactate_mmol_L', options.fromMin ?? 0);
  if (!l0) {
    return { byHorizon: p.hours.map((hours) => ({ hours, clearance: { result: null, reasons: [], missing: ['lactate_mmol_L'] } })) };
  }
  return {
    l0,
    byHorizon: p.hours.map((hours) => {
      const lt = nearestTo(episode, 'lactate_mmol_L', l0.t_min + hours * 60, p.toleranceMin);
      if (!lt || lt === l0) return { hours, clearance: { result: null, reasons: [], missing: [`lactate_mmol_L_at_${hours}h`] } };
      return { hours, clearance: lactateClearance(l0, lt, p.minL0_mmol_L) };
    }),
  };
}
