// Step curves (Kaplan-Meier survival, cumulative incidence) thinned for plotting: a curve over 1,000,000 patients
// has a step at nearly every distinct time, far more than a plot can show or results.json should hold.
import { StatsError } from '../stats/stats-error.js';
import type { CurvePoints } from './study-results.js';

/**
 * The points of a right-continuous step curve up to `horizon_d`, at most `maxPoints` of them:
 *  - points after the horizon are dropped; when the input goes past the horizon (follow-up reached it) and has no
 *    point exactly there, a last point at the horizon carries the value in force then, so the plot ends there;
 *  - when more than `maxPoints` remain, the first point is kept and (0, horizon] is cut into maxPoints - 2 equal
 *    time bins, keeping the last point of each bin: the curve stays exact at every bin end and a step moves
 *    later by less than one bin width (horizon / (maxPoints - 2): under a day for 365 days and 400 points).
 * Time must ascend. Values are copied, not rounded.
 */
export function thinCurve(
  time: number[],
  estimate: number[],
  lower: Array<number | null>,
  upper: Array<number | null>,
  maxPoints: number,
  horizon_d: number,
): CurvePoints {
  const n = time.length;
  if (estimate.length !== n || lower.length !== n || upper.length !== n) {
    throw new StatsError('invalid-input', `thinCurve: time has ${n} points but estimate, lower and upper have ${estimate.length}, ${lower.length} and ${upper.length}; expected equal lengths`, 'estimate');
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 3) throw new StatsError('invalid-input', `thinCurve: maxPoints is ${maxPoints}; expected a whole number >= 3`, 'maxPoints');
  if (!(horizon_d > 0) || !Number.isFinite(horizon_d)) throw new StatsError('invalid-input', `thinCurve: horizon_d is ${horizon_d}; expected days > 0`, 'horizon_d');
  for (let i = 1; i < n; i++) {
    if (!(time[i] >= time[i - 1])) throw new StatsError('invalid-input', `thinCurve: time must ascend, but point ${i + 1} (${time[i]}) follows ${time[i - 1]}`, 'time');
  }

  let last = 0; // points [0, last) are at or before the horizon
  while (last < n && time[last] <= horizon_d) last++;
  const extend = last > 0 && last < n && time[last - 1] < horizon_d;
  const total = last + (extend ? 1 : 0);

  const out = { time: [] as number[], estimate: [] as number[], lower: [] as Array<number | null>, upper: [] as Array<number | null> };
  const push = (i: number, t: number): void => {
    out.time.push(t);
    out.estimate.push(estimate[i]);
    out.lower.push(lower[i]);
    out.upper.push(upper[i]);
  };
  if (total <= maxPoints) {
    for (let i = 0; i < last; i++) push(i, time[i]);
  } else {
    const bins = maxPoints - 2;
    const width = horizon_d / bins;
    push(0, time[0]);
    for (let i = 1; i < last; i++) {
      const bin = Math.min(bins - 1, Math.max(0, Math.ceil(time[i] / width) - 1));
      const nextBin = i + 1 < last ? Math.min(bins - 1, Math.max(0, Math.ceil(time[i + 1] / width) - 1)) : -1;
      if (nextBin !== bin) push(i, time[i]); // the last point of its bin
    }
  }
  if (extend) push(last - 1, horizon_d);
  return out;
}
