// Log-rank test for k groups, as R's survival::survdiff(Surv(time, status) ~ group) with rho = 0
// (Mantel 1966; Peto & Peto 1972). At each distinct event time t with n at risk and d deaths,
//   E_g += d * n_g / n
//   V_gh += d (n - d) / (n - 1) * (n_g / n) * (delta_gh - n_h / n)      (hypergeometric variance)
// and the statistic is (O - E)' V^- (O - E) on k - 1 degrees of freedom, computed on the first k - 1
// groups (V has rank k - 1). Groups with no one at risk at any event time add nothing, as in survdiff.
import { chiSquareUpperTail } from './distributions.js';
import { cholesky, choleskySolve } from './matrix.js';
import { orderByTime } from './kaplan-meier.js';
import { StatsError } from './stats-error.js';

export interface LogRankInput {
  readonly time: Float64Array;
  /** 1 = event, 0 = censored. */
  readonly event: Uint8Array;
  /** Group code 0..nGroups-1 per row. */
  readonly group: Int32Array;
  readonly nGroups: number;
}

export interface LogRankResult {
  readonly chisq: number;
  readonly df: number;
  readonly p: number;
  readonly observed: number[];
  readonly expected: number[];
  /** Variance matrix of O - E (k x k, row-major). */
  readonly variance: number[];
}

export function logRankTest(input: LogRankInput): LogRankResult {
  const { time, event, group, nGroups: k } = input;
  const n = time.length;
  if (k < 2) throw new StatsError('invalid-input', `the log-rank test needs at least two groups; found ${k}`, 'group');
  const atRisk = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (!(time[i] >= 0)) throw new StatsError('invalid-input', `time at row ${i + 1} is ${time[i]}; expected a number >= 0`, 'time');
    atRisk[group[i]]++;
  }
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const deathsByGroup = new Float64Array(k);
  const leaving = new Float64Array(k);
  const order = orderByTime(time);
  let totalEvents = 0;
  let start = 0;
  while (start < n) {
    const t = time[order[start]];
    let end = start;
    deathsByGroup.fill(0);
    leaving.fill(0);
    let deaths = 0;
    while (end < n && time[order[end]] === t) {
      const i = order[end];
      leaving[group[i]]++;
      if (event[i] === 1) {
        deathsByGroup[group[i]]++;
        deaths++;
      }
      end++;
    }
    if (deaths > 0) {
      let nTotal = 0;
      for (let g = 0; g < k; g++) nTotal += atRisk[g];
      for (let g = 0; g < k; g++) {
        observed[g] += deathsByGroup[g];
        expected[g] += (deaths * atRisk[g]) / nTotal;
      }
      if (nTotal > 1) {
        const factor = (deaths * (nTotal - deaths)) / (nTotal - 1);
        for (let g = 0; g < k; g++) {
          for (let h = 0; h < k; h++) {
            const delta = g === h ? 1 : 0;
            variance[g * k + h] += factor * (atRisk[g] / nTotal) * (delta - atRisk[h] / nTotal);
          }
        }
      }
      totalEvents += deaths;
    }
    for (let g = 0; g < k; g++) atRisk[g] -= leaving[g];
    start = end;
  }
  if (totalEvents === 0) throw new StatsError('no-events', 'the log-rank test needs at least one event; every row is censored', 'event');

  // Reduce to the groups that contribute (expected > 0), as survdiff's df counts them, then drop the last.
  const used: number[] = [];
  for (let g = 0; g < k; g++) if (expected[g] > 0) used.push(g);
  const m = used.length - 1;
  if (m < 1) throw new StatsError('invalid-input', 'the log-rank test needs events at risk in at least two groups', 'group');
  const v = new Float64Array(m * m);
  const diff = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    diff[a] = observed[used[a]] - expected[used[a]];
    for (let b = 0; b < m; b++) v[a * m + b] = variance[used[a] * k + used[b]];
  }
  const l = cholesky(v, m, 1e-12);
  if (!l) throw new StatsError('singular', 'the log-rank variance matrix is singular; check that each group has subjects at risk at event times', 'group');
  const solved = choleskySolve(l, m, diff);
  let chisq = 0;
  for (let a = 0; a < m; a++) chisq += diff[a] * solved[a];
  return {
    chisq,
    df: m,
    p: chiSquareUpperTail(chisq, m),
    observed: Array.from(observed),
    expected: Array.from(expected),
    variance: Array.from(variance),
  };
}
