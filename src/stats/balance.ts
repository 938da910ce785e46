// Covariate balance before and after matching or weighting: standardized mean differences (SMD) as
// MatchIt's summary.matchit(standardize = TRUE) and cobalt's bal.tab() report them.
//
// SMD = (mean treated - mean control) / SD, where the means "after" use the matching or balancing weights and
// the SD is always computed in the full, unweighted sample (so that before and after are on the same scale;
// MatchIt R/summary.matchit.R computes it once from the unmatched data, cobalt does the same by default):
//   * estimand 'att' (MatchIt's default): SD of the treated group;
//   * 'atc': SD of the control group;
//   * 'ate': the pooled sqrt((s1^2 + s0^2) / 2) of the two unweighted groups (cobalt's s.d.denom = "pooled",
//     its default for the ATE);
//   * 'overlap': the same pooled SD — the overlap population is neither group, so neither group's SD is the
//     natural unit (our choice; pass 'att' or 'atc' to bal.tab-compare against a one-group denominator);
// with SD = sqrt(p (1 - p)) for a binary covariate (p its group proportion; no n - 1 correction, as MatchIt's
// and cobalt's col_w_sd with bin.vars) and the n - 1 sample SD otherwise.
// A zero SD (a covariate constant in the reference group) makes the SMD undefined; we report NaN for it
// rather than dividing by zero silently into Infinity.
import { StatsError } from './stats-error.js';

export interface BalanceCovariate {
  name: string;
  values: Float64Array;
  /** 0/1 covariate: its SD is sqrt(p(1-p)). */
  binary: boolean;
}

export interface BalanceRow {
  covariate: string;
  smdBefore: number;
  smdAfter: number;
  meanTreatedBefore: number;
  meanControlBefore: number;
  meanTreatedAfter: number;
  meanControlAfter: number;
  /** The SD the differences were divided by. */
  sdDenominator: number;
}

export type BalanceEstimand = 'att' | 'ate' | 'atc' | 'overlap';

interface GroupStats {
  mean: number;
  sd: number;
}

function groupStats(values: Float64Array, treated: Uint8Array, group: 0 | 1, binary: boolean): GroupStats {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (treated[i] === group) {
      n++;
      sum += values[i];
    }
  }
  const mean = sum / n;
  if (binary) return { mean, sd: Math.sqrt(mean * (1 - mean)) };
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (treated[i] === group) ss += (values[i] - mean) * (values[i] - mean);
  return { mean, sd: Math.sqrt(ss / (n - 1)) };
}

function weightedMean(values: Float64Array, weights: Float64Array, treated: Uint8Array, group: 0 | 1): number {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    if (treated[i] === group) {
      sw += weights[i];
      s += weights[i] * values[i];
    }
  }
  return s / sw;
}

/** Balance table for the given covariates; `weightsAfter` are matching weights (0 = unmatched) or balancing weights. */
export function balanceTable(covariates: BalanceCovariate[], treated: Uint8Array, weightsAfter: Float64Array, estimand: BalanceEstimand = 'att'): BalanceRow[] {
  const n = treated.length;
  if (weightsAfter.length !== n) throw new StatsError('invalid-input', `balance: ${weightsAfter.length} weights for ${n} units`, 'weights');
  let n1 = 0;
  let w1 = 0;
  let w0 = 0;
  for (let i = 0; i < n; i++) {
    if (treated[i] !== 0 && treated[i] !== 1) throw new StatsError('invalid-input', `balance: treatment ${treated[i]} in row ${i + 1} is not 0 or 1`, 'treatment');
    if (!(weightsAfter[i] >= 0) || !Number.isFinite(weightsAfter[i])) throw new StatsError('invalid-input', `balance: weight ${weightsAfter[i]} in row ${i + 1} is not a finite non-negative number`, 'weights');
    n1 += treated[i];
    if (treated[i] === 1) w1 += weightsAfter[i];
    else w0 += weightsAfter[i];
  }
  if (n1 < 2 || n - n1 < 2) throw new StatsError('invalid-input', `balance: need at least 2 treated and 2 control units, have ${n1} and ${n - n1}`, 'treatment');
  if (!(w1 > 0) || !(w0 > 0)) throw new StatsError('invalid-input', 'balance: the weights after leave no treated or no control unit', 'weights');
  return covariates.map((cov) => {
    if (cov.values.length !== n) throw new StatsError('invalid-input', `balance: covariate '${cov.name}' has ${cov.values.length} values for ${n} units`, cov.name);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(cov.values[i])) throw new StatsError('invalid-input', `balance: covariate '${cov.name}' is not finite in row ${i + 1}`, cov.name);
    }
    const t = groupStats(cov.values, treated, 1, cov.binary);
    const c = groupStats(cov.values, treated, 0, cov.binary);
    const sd = estimand === 'att' ? t.sd : estimand === 'atc' ? c.sd : Math.sqrt((t.sd * t.sd + c.sd * c.sd) / 2);
    const meanTreatedAfter = weightedMean(cov.values, weightsAfter, treated, 1);
    const meanControlAfter = weightedMean(cov.values, weightsAfter, treated, 0);
    const smd = (d: number): number => (sd > 0 ? d / sd : NaN);
    return {
      covariate: cov.name,
      smdBefore: smd(t.mean - c.mean),
      smdAfter: smd(meanTreatedAfter - meanControlAfter),
      meanTreatedBefore: t.mean,
      meanControlBefore: c.mean,
      meanTreatedAfter,
      meanControlAfter,
      sdDenominator: sd,
    };
  });
}
