// Kaplan-Meier survival curve with Greenwood variance and log-type confidence intervals, as R's
// survival::survfit(Surv(time, status) ~ 1) computes by default (conf.type = "log", conf.int = 0.95).
//
//   S(t)        = prod_{t_i <= t} (1 - d_i / n_i)                       (Kaplan & Meier 1958)
//   var log S   = sum_{t_i <= t} d_i / (n_i (n_i - d_i))                 (Greenwood 1926)
//   CI          = exp(log S +/- z * sqrt(var log S)), upper capped at 1  (R's "log" type)
//   std.err     = S * sqrt(var log S), the SE of S that summary(survfit) prints
// With case weights, n_i and d_i are weighted sums, as in survfit. Times are compared exactly
// (R also merges times closer than sqrt(machine eps); that matters only for computed times).
import { Z_975 } from './distributions.js';
import { StatsError } from './stats-error.js';

export interface KaplanMeierInput {
  readonly time: Float64Array;
  /** 1 = event, 0 = censored. */
  readonly event: Uint8Array;
  readonly weights?: Float64Array;
}

/** A survival curve tabulated at its distinct times (all of them, or the event times only). */
export interface KaplanMeierCurve {
  readonly time: number[];
  readonly nRisk: number[];
  readonly nEvent: number[];
  readonly nCensor: number[];
  readonly surv: number[];
  /** Standard error of the survival estimate (not of its log). */
  readonly stdErr: number[];
  /** Lower and upper 95% limits; null where S = 0 (no interval on the log scale). */
  readonly lower: Array<number | null>;
  readonly upper: Array<number | null>;
  /** Median survival and its 95% CI (survfit's rule); null when the curve does not reach 0.5. */
  readonly median: number | null;
  readonly medianLower: number | null;
  readonly medianUpper: number | null;
}

/** Indices 0..n-1 ordered by ascending time (stable, so equal times keep data order). */
export function orderByTime(time: Float64Array): Int32Array {
  const order = new Int32Array(time.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => time[a] - time[b] || a - b);
  return order;
}

/** Kaplan-Meier estimate at every distinct time of the data. */
export function kaplanMeier(input: KaplanMeierInput): KaplanMeierCurve {
  const { time, event, weights } = input;
  const n = time.length;
  if (n === 0) throw new StatsError('empty', 'Kaplan-Meier needs at least one row');
  for (let i = 0; i < n; i++) {
    if (!(time[i] >= 0)) throw new StatsError('invalid-input', `time at row ${i + 1} is ${time[i]}; expected a number >= 0`, 'time');
  }
  const order = orderByTime(time);
  let atRisk = 0;
  for (let i = 0; i < n; i++) atRisk += weights ? weights[i] : 1;

  const out = {
    time: [] as number[], nRisk: [] as number[], nEvent: [] as number[], nCensor: [] as number[],
    surv: [] as number[], stdErr: [] as number[], lower: [] as Array<number | null>, upper: [] as Array<number | null>,
  };
  let surv = 1;
  let greenwood = 0;
  let k = 0;
  while (k < n) {
    const t = time[order[k]];
    let deaths = 0;
    let censored = 0;
    let j = k;
    while (j < n && time[order[j]] === t) {
      const w = weights ? weights[order[j]] : 1;
      if (event[order[j]] === 1) deaths += w;
      else censored += w;
      j++;
    }
    if (deaths > 0) {
      surv *= 1 - deaths / atRisk;
      // Greenwood's term is infinite when everyone at risk dies; S is then 0 and so is its SE.
      greenwood += atRisk > deaths ? deaths / (atRisk * (atRisk - deaths)) : Infinity;
    }
    const seLog = Math.sqrt(greenwood);
    out.time.push(t);
    out.nRisk.push(atRisk);
    out.nEvent.push(deaths);
    out.nCensor.push(censored);
    out.surv.push(surv);
    out.stdErr.push(surv > 0 ? surv * seLog : 0);
    if (surv > 0) {
      out.lower.push(Math.exp(Math.log(surv) - Z_975 * seLog));
      out.upper.push(Math.min(1, Math.exp(Math.log(surv) + Z_975 * seLog)));
    } else {
      out.lower.push(null);
      out.upper.push(null);
    }
    atRisk -= deaths + censored;
    k = j;
  }
  return {
    ...out,
    median: survfitQuantileTime(out.surv, out.time),
    // The CI of the median is where each confidence limit crosses 0.5 (Brookmeyer & Crowley 1982, as survfit).
    medianLower: survfitQuantileTime(out.lower, out.time),
    medianUpper: survfitQuantileTime(out.upper, out.time),
  };
}

/**
 * First time at which a curve is at or below 0.5, as survival's `minmin` helper in survmean():
 * values within sqrt(eps) of 0.5 count as 0.5, and when the curve sits exactly at 0.5 the median is the
 * midpoint between that time and the next time the curve drops further.
 */
function survfitQuantileTime(curve: ReadonlyArray<number | null>, time: readonly number[]): number | null {
  const tolerance = Math.sqrt(Number.EPSILON);
  const keptY: number[] = [];
  const keptX: number[] = [];
  for (let i = 0; i < curve.length; i++) {
    const y = curve[i];
    if (y !== null && y < 0.5 + tolerance) {
      keptY.push(y);
      keptX.push(time[i]);
    }
  }
  if (keptY.length === 0) return null;
  if (Math.abs(keptY[0] - 0.5) < tolerance) {
    const next = keptY.findIndex((y) => y < keptY[0]);
    if (next >= 0) return (keptX[0] + keptX[next]) / 2;
  }
  return keptX[0];
}

/** The rows of a curve at event times only, as summary(survfit) prints it by default. */
export function atEventTimes(curve: KaplanMeierCurve): KaplanMeierCurve {
  const keep = curve.nEvent.map((d, i) => (d > 0 ? i : -1)).filter((i) => i >= 0);
  const pick = <T>(values: readonly T[]): T[] => keep.map((i) => values[i]);
  return {
    time: pick(curve.time), nRisk: pick(curve.nRisk), nEvent: pick(curve.nEvent), nCensor: pick(curve.nCensor),
    surv: pick(curve.surv), stdErr: pick(curve.stdErr), lower: pick(curve.lower), upper: pick(curve.upper),
    median: curve.median, medianLower: curve.medianLower, medianUpper: curve.medianUpper,
  };
}

/** Kaplan-Meier within each group code 0..nGroups-1 (e.g. survfit(... ~ sex)). */
export function kaplanMeierByGroup(input: KaplanMeierInput, group: Int32Array, nGroups: number): KaplanMeierCurve[] {
  const curves: KaplanMeierCurve[] = [];
  for (let g = 0; g < nGroups; g++) {
    const idx: number[] = [];
    for (let i = 0; i < group.length; i++) if (group[i] === g) idx.push(i);
    if (idx.length === 0) throw new StatsError('empty', `group ${g + 1} has no rows`);
    curves.push(
      kaplanMeier({
        time: Float64Array.from(idx, (i) => input.time[i]),
        event: Uint8Array.from(idx, (i) => input.event[i]),
        weights: input.weights ? Float64Array.from(idx, (i) => (input.weights as Float64Array)[i]) : undefined,
      }),
    );
  }
  return curves;
}
