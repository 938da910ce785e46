// Cumulative incidence of one event in the presence of a competing event: the Aalen-Johansen estimator
// for the three-state model (event-free -> event of interest | competing event), as R's
// survival::survfit(Surv(time, factor(status)) ~ 1) computes it (survival 3.5-3; its column for state "1").
//
//   S(t)   = prod_{s <= t} (1 - d(s) / n(s))            all-cause Kaplan-Meier, d = d1 + d2
//   F1(t)  = sum_{s <= t} S(s-) d1(s) / n(s)             (Aalen & Johansen, Scand J Stat 1978; Kalbfleisch &
//                                                          Prentice 2002, eq. 8.8)
// With case weights, n, d1 and d2 are weighted sums, as in survfit(..., weights = w).
//
// Standard error: survfit's default for multi-state curves, the infinitesimal jackknife (IJ),
//   var F1(t) = sum_i (w_i * dF1(t)/dw_i)^2,
// one term per row (no id/cluster; survfit's default with no id treats each row as a subject). Writing
// h = d/n, h1 = d1/n and c(u) = 1/(n(u) - d(u)), the derivative for a row with time T_i and status s_i is
//   dF1(t)/dw_i = [s_i = 1, T_i <= t] S(T_i-)/n(T_i) - A1(min(t, T_i))
//                 - F1(t) ([s_i != 0, T_i <= t] c(T_i) - Hc(min(t, T_i)))
//                 + [s_i != 0, T_i <= t] c(T_i) F1(T_i) - HcF(min(t, T_i)),
//   A1(t) = sum_{u <= t} S(u-) h1(u) / n(u),  Hc(t) = sum_{u <= t} h(u) c(u),  HcF(t) = sum_{u <= t} h(u) c(u) F1(u),
// (differentiate F1 through d1(s)/n(s) and through log S(s-) = sum_{u < s} log(1 - d(u)/n(u))). For rows still
// at risk after t it is one common value, and for rows that have left it is a_i + b_i F1(t); so the sum of
// squares at every time comes from running sums of w^2, w^2 a^2, w^2 a b and w^2 b^2: O(n log n) in all
// (the sort), O(n) memory.
//
// Confidence interval: survfit's default conf.type = "log" on the probability, exp(log F1 +/- z se / F1),
// upper limit capped at 1; no interval (null) where F1 = 0.
//
// Where this differs from R on purpose: nRisk, nEvent and nCompeting are weighted sums (survfit's multi-state
// n.risk and n.event are unweighted counts); the estimates are the same. As survfit (timefix = TRUE), times
// closer than sqrt(machine eps) are merged first (concordance.ts mergeNearTiedTimes, R's aeqSurv).
import { Z_975 } from './distributions.js';
import { orderSurvivalData } from './concordance.js';
import { StatsError } from './stats-error.js';

export interface CompetingRisksInput {
  /** Follow-up time, finite and >= 0. */
  readonly time: Float64Array;
  /** 0 = censored, 1 = event of interest, 2 = competing event. */
  readonly status: Uint8Array;
  /** Case weights >= 0 (IPTW / matching weights). */
  readonly weights?: Float64Array;
}

export interface CumulativeIncidenceCurve {
  /** Distinct times (all of them, like survfit's full curve). */
  readonly time: number[];
  /** Weighted number at risk just before each time. */
  readonly nRisk: number[];
  /** Events of interest at the time (weighted). */
  readonly nEvent: number[];
  /** Competing events at the time (weighted). */
  readonly nCompeting: number[];
  /** Cumulative incidence of the event of interest. */
  readonly cif: number[];
  /** Infinitesimal-jackknife standard error of cif (survfit's default). */
  readonly stdErr: number[];
  /** 95% CI, log type as R's survfit multi-state default; null where cif = 0. */
  readonly lower: Array<number | null>;
  readonly upper: Array<number | null>;
}

/** Checks the shared competing-risks input; used by the Fine-Gray fitter too. */
export function checkCompetingRisksInput(input: CompetingRisksInput, what: string): void {
  const { time, status, weights } = input;
  const n = time.length;
  if (status.length !== n) throw new StatsError('invalid-input', `${what}: ${n} times but ${status.length} status codes; expected equal lengths.`, 'status');
  if (weights && weights.length !== n) throw new StatsError('invalid-input', `${what}: ${n} times but ${weights.length} weights; expected equal lengths.`, 'weights');
  for (let i = 0; i < n; i++) {
    if (!(time[i] >= 0) || !Number.isFinite(time[i])) throw new StatsError('invalid-input', `${what}: time at row ${i + 1} is ${time[i]}; expected a finite number >= 0.`, 'time');
    const s = status[i];
    if (s !== 0 && s !== 1 && s !== 2) throw new StatsError('invalid-input', `${what}: status at row ${i + 1} is ${s}; expected 0 (censored), 1 (event of interest) or 2 (competing event).`, 'status');
    if (weights) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new StatsError('invalid-input', `${what}: weight at row ${i + 1} is ${w}; expected a finite number >= 0.`, 'weights');
    }
  }
}

/** Aalen-Johansen cumulative incidence of status 1 at every distinct time of the data (see the file comment). */
export function aalenJohansen(input: CompetingRisksInput): CumulativeIncidenceCurve {
  const { time, status, weights } = input;
  const n = time.length;
  if (n === 0) throw new StatsError('empty', 'Aalen-Johansen needs at least one row.');
  checkCompetingRisksInput(input, 'Aalen-Johansen');
  // One O(n) radix sort; times closer than sqrt(eps) are merged first, as survfit does (aeqSurv, timefix = TRUE).
  const eventFlag = new Uint8Array(n);
  for (let i = 0; i < n; i++) eventFlag[i] = status[i] === 0 ? 0 : 1;
  const sorted = orderSurvivalData(time, eventFlag, undefined, true);
  const order = sorted.order;
  const sortedTime = sorted.sortedTime;

  // Distinct-time groups; the weight at risk is a reverse cumulative sum so the last group's n is exactly
  // its own d + censored (a running subtraction would leave rounding there and a spurious 1 / (n - d)).
  const groupStart: number[] = [];
  for (let k = 0; k < n; k++) if (k === 0 || sortedTime[k] !== sortedTime[k - 1]) groupStart.push(k);
  const nGroups = groupStart.length;
  groupStart.push(n);
  const atRisk = new Float64Array(nGroups);
  const d1 = new Float64Array(nGroups);
  const d2 = new Float64Array(nGroups);
  const w2AtRisk = new Float64Array(nGroups); // sum of w^2 over rows with time >= the group's time
  let total = 0;
  let total2 = 0;
  for (let g = nGroups - 1; g >= 0; g--) {
    for (let k = groupStart[g]; k < groupStart[g + 1]; k++) {
      const i = order[k];
      const w = weights ? weights[i] : 1;
      total += w;
      total2 += w * w;
      if (status[i] === 1) d1[g] += w;
      else if (status[i] === 2) d2[g] += w;
    }
    atRisk[g] = total;
    w2AtRisk[g] = total2;
  }

  const out = {
    time: new Array<number>(nGroups), nRisk: new Array<number>(nGroups), nEvent: new Array<number>(nGroups),
    nCompeting: new Array<number>(nGroups), cif: new Array<number>(nGroups), stdErr: new Array<number>(nGroups),
    lower: new Array<number | null>(nGroups), upper: new Array<number | null>(nGroups),
  };
  let surv = 1; // S(t-) while processing t
  let f1 = 0;
  let a1 = 0;
  let hc = 0;
  let hcf = 0;
  // Sums over rows that have left the risk set of w^2 a^2, w^2 a b and w^2 b^2.
  let saa = 0;
  let sab = 0;
  let sbb = 0;
  for (let g = 0; g < nGroups; g++) {
    const nr = atRisk[g];
    const d = d1[g] + d2[g];
    const survBefore = surv;
    if (nr > 0) {
      f1 += survBefore * (d1[g] / nr);
      a1 += (survBefore * d1[g]) / (nr * nr);
      // c(u) = 1/(n - d) is infinite when everyone at risk has an event; S is then 0 from here on, F1 stops
      // changing, and every term c(u) (F1(t) - F1(u)) it multiplies is 0, so it is dropped.
      const c = nr > d ? 1 / (nr - d) : 0;
      hc += (d / nr) * c;
      hcf += (d / nr) * c * f1;
      surv = nr > d ? survBefore * (1 - d / nr) : 0;
      // Rows leaving at this time: the a_i, b_i of the file comment.
      for (let k = groupStart[g]; k < groupStart[g + 1]; k++) {
        const i = order[k];
        const w = weights ? weights[i] : 1;
        if (w === 0) continue;
        const s = status[i];
        const cEvent = s !== 0 ? c : 0;
        const a = (s === 1 ? survBefore / nr : 0) - a1 + cEvent * f1 - hcf;
        const b = hc - cEvent;
        const w2 = w * w;
        saa += w2 * a * a;
        sab += w2 * a * b;
        sbb += w2 * b * b;
      }
    }
    const stay = g + 1 < nGroups ? w2AtRisk[g + 1] : 0;
    const v = -a1 + f1 * hc - hcf;
    const variance = Math.max(0, stay * v * v + saa + 2 * f1 * sab + f1 * f1 * sbb);
    const se = Math.sqrt(variance);
    out.time[g] = sortedTime[groupStart[g]];
    out.nRisk[g] = nr;
    out.nEvent[g] = d1[g];
    out.nCompeting[g] = d2[g];
    out.cif[g] = f1;
    out.stdErr[g] = se;
    if (f1 > 0) {
      out.lower[g] = Math.exp(Math.log(f1) - (Z_975 * se) / f1);
      out.upper[g] = Math.min(1, Math.exp(Math.log(f1) + (Z_975 * se) / f1));
    } else {
      out.lower[g] = null;
      out.upper[g] = null;
    }
  }
  return out;
}

/**
 * The curve's value at time t (step function, right-continuous); t before the first time gives 0.
 * Where the curve has no interval (cif = 0) the limits are 0 and 0.
 */
export function cumulativeIncidenceAt(curve: CumulativeIncidenceCurve, t: number): { estimate: number; stdErr: number; lower: number; upper: number } {
  if (Number.isNaN(t)) throw new StatsError('invalid-input', `cumulativeIncidenceAt: time is NaN; expected a number.`, 'time');
  // Last index with time <= t (binary search).
  let lo = 0;
  let hi = curve.time.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (curve.time[mid] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return { estimate: 0, stdErr: 0, lower: 0, upper: 0 };
  return { estimate: curve.cif[found], stdErr: curve.stdErr[found], lower: curve.lower[found] ?? 0, upper: curve.upper[found] ?? 0 };
}
