// Area under the ROC curve of a score for a 0/1 label, as the Mann-Whitney probability
//   AUC = P(score of a positive > score of a negative) + 0.5 P(equal)
// (Hanley & McNeil, Radiology 1982;143:29-36), i.e. W / (n1 n0) with R's wilcox.test() statistic
// W = R1 - n1 (n1 + 1) / 2 from mid-ranks. For a propensity score it is the model's c-statistic.
//
// Speed: the scores of each group are sorted separately (native numeric sort of a Float64Array, O(n log n)),
// then one merge walk counts for every positive score the negatives below it and equal to it.
import { StatsError } from './stats-error.js';

/** Mann-Whitney AUC of `score` for `positive` (1 = positive, 0 = negative); ties count one half. */
export function aucMannWhitney(score: Float64Array, positive: Uint8Array): number {
  const n = score.length;
  if (positive.length !== n) throw new StatsError('invalid-input', `AUC: ${positive.length} labels for ${n} scores`, 'positive');
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i] !== 0 && positive[i] !== 1) throw new StatsError('invalid-input', `AUC: label ${positive[i]} in row ${i + 1} is not 0 or 1`, 'positive');
    if (Number.isNaN(score[i])) throw new StatsError('invalid-input', `AUC: score in row ${i + 1} is missing (NaN)`, 'score');
    n1 += positive[i];
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) throw new StatsError('invalid-input', `AUC: need both labels, have ${n1} positive and ${n0} negative`, 'positive');
  const pos = new Float64Array(n1);
  const neg = new Float64Array(n0);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i] === 1) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  // For each positive score s: `below` = negatives < s, `equal` = negatives == s. Both pointers only move forward.
  let below = 0;
  let upTo = 0; // negatives <= s
  let wins = 0; // 2 x (count of pairs won) + ties, kept as an integer-valued double
  for (let k = 0; k < n1; k++) {
    const s = pos[k];
    while (below < n0 && neg[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < n0 && neg[upTo] <= s) upTo++;
    wins += 2 * below + (upTo - below);
  }
  return wins / 2 / n1 / n0;
}
