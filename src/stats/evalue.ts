// E-values for unmeasured confounding (VanderWeele TJ, Ding P. Sensitivity analysis in observational research:
// introducing the E-value. Ann Intern Med 2017;167:268-274), as the EValue R package computes them:
//   * for a risk ratio RR >= 1, E = RR + sqrt(RR (RR - 1)); an RR < 1 is inverted first (RR* = 1/RR);
//   * the E-value for the confidence interval uses the limit closer to the null: the lower limit when RR > 1,
//     the upper limit when RR < 1; if the interval includes 1 that E-value is 1;
//   * odds and hazard ratios are first converted to approximate risk ratios (the paper's Table 2, EValue's
//     toRR): a rare outcome (< 15% at the end of follow-up) uses them as they are; for a common outcome
//     RR ~ sqrt(OR) and RR ~ (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR)).
import { StatsError } from './stats-error.js';

export type EValueMeasure = 'rr' | 'hr' | 'or';

export interface EValueInput {
  estimate: number;
  lower?: number;
  upper?: number;
  /** Scale of the estimate; default 'rr'. */
  measure?: EValueMeasure;
  /** For 'or' and 'hr': whether the outcome is rare (< 15%). Required for those measures. */
  rareOutcome?: boolean;
}

export interface EValueResult {
  /** E-value for the point estimate. */
  point: number;
  /** E-value for the confidence limit closer to the null, 1 if the interval includes 1; null without that limit. */
  confidenceBound: number | null;
  /** The estimate on the (approximate) risk-ratio scale. */
  riskRatio: number;
  riskRatioLower: number | null;
  riskRatioUpper: number | null;
  /** Which approximation was used to reach the risk-ratio scale. */
  conversion: 'none' | 'rare-outcome' | 'sqrt-or' | 'hr-common';
}

/** E-value of a risk ratio (inverted when below 1). */
export function eValueOfRiskRatio(rr: number): number {
  if (!(rr > 0) || !Number.isFinite(rr)) throw new StatsError('invalid-input', `E-value: risk ratio must be a positive finite number, got ${rr}`, 'estimate');
  const r = rr < 1 ? 1 / rr : rr;
  return r + Math.sqrt(r * (r - 1));
}

function toRiskRatio(v: number, measure: EValueMeasure, rare: boolean | undefined): number {
  if (measure === 'rr' || rare) return v;
  if (measure === 'or') return Math.sqrt(v);
  return (1 - Math.pow(0.5, Math.sqrt(v))) / (1 - Math.pow(0.5, Math.sqrt(1 / v)));
}

export function eValue(input: EValueInput): EValueResult {
  const measure = input.measure ?? 'rr';
  const { estimate, lower, upper } = input;
  if (measure !== 'rr' && input.rareOutcome === undefined) {
    throw new StatsError('invalid-input', `E-value: say whether the outcome is rare (< 15%) to convert a${measure === 'or' ? 'n odds' : ' hazard'} ratio to a risk ratio`, 'rareOutcome');
  }
  for (const [label, v] of [['estimate', estimate], ['lower', lower], ['upper', upper]] as const) {
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new StatsError('invalid-input', `E-value: ${label} must be a positive finite ratio, got ${v}`, label);
  }
  if (lower !== undefined && lower > estimate) throw new StatsError('invalid-input', `E-value: lower limit ${lower} is above the estimate ${estimate}`, 'lower');
  if (upper !== undefined && upper < estimate) throw new StatsError('invalid-input', `E-value: upper limit ${upper} is below the estimate ${estimate}`, 'upper');
  const rr = toRiskRatio(estimate, measure, input.rareOutcome);
  const rrLower = lower === undefined ? null : toRiskRatio(lower, measure, input.rareOutcome);
  const rrUpper = upper === undefined ? null : toRiskRatio(upper, measure, input.rareOutcome);
  // Both conversions are increasing, so the limits stay ordered and 1 maps to 1.
  let confidenceBound: number | null = null;
  if (rr > 1) {
    if (rrLower !== null) confidenceBound = rrLower <= 1 ? 1 : eValueOfRiskRatio(rrLower);
  } else if (rr < 1) {
    if (rrUpper !== null) confidenceBound = rrUpper >= 1 ? 1 : eValueOfRiskRatio(rrUpper);
  } else if (rrLower !== null || rrUpper !== null) {
    confidenceBound = 1; // a null estimate: any interval around it includes 1
  }
  return {
    point: eValueOfRiskRatio(rr),
    confidenceBound,
    riskRatio: rr,
    riskRatioLower: rrLower,
    riskRatioUpper: rrUpper,
    conversion: measure === 'rr' ? 'none' : input.rareOutcome ? 'rare-outcome' : measure === 'or' ? 'sqrt-or' : 'hr-common',
  };
}
