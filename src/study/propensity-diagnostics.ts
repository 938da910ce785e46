// Diagnostics of a propensity model, as OHDSI CohortMethod reports them beside the balance table: how well the
// score separates the groups (c-statistic), how many patients are in clinical equipoise (preference score), and
// how the score distributions overlap before and after adjustment.
import type { LogisticFit } from '../stats/logistic.js';
import { aucMannWhitney } from '../stats/auc.js';
import { StatsError } from '../stats/stats-error.js';
import type { AdjustmentSet, PropensityDiagnostics } from './study-results.js';

/** Preference-score band counted as equipoise (Walker AM et al., Comp Eff Res 2013;3:11-20). */
export const EQUIPOISE_BAND = { lower: 0.3, upper: 0.7 } as const;

/** Overlap histogram: 20 bins of width 0.05 on [0, 1]. */
const BINS = 20;

/**
 * c-statistic, equipoise share, overlap histogram and model terms. `score`, `treated` and `weightsAfter` cover
 * every patient the model was fitted on (trimmed ones with weight 0), so "before" is the whole modelled cohort.
 */
export function propensityDiagnostics(args: {
  set: AdjustmentSet;
  score: Float64Array;
  treated: Uint8Array;
  weightsAfter: Float64Array;
  fit: LogisticFit;
  trimmed: number;
}): PropensityDiagnostics {
  const { set, score, treated, weightsAfter, fit, trimmed } = args;
  const n = score.length;
  if (treated.length !== n || weightsAfter.length !== n) {
    throw new StatsError('invalid-input', `propensity diagnostics: ${n} scores, ${treated.length} treatment values and ${weightsAfter.length} weights`, 'score');
  }
  let nTreated = 0;
  for (let i = 0; i < n; i++) {
    if (!(score[i] >= 0 && score[i] <= 1)) throw new StatsError('invalid-input', `propensity diagnostics: score ${score[i]} in row ${i + 1} is not in [0, 1]`, 'score');
    nTreated += treated[i];
  }

  // Walker et al. 2013: ln(F / (1 - F)) = ln(PS / (1 - PS)) - ln(P / (1 - P)), P = share treated. Solved for F
  // as F = PS (1 - P) / (PS (1 - P) + (1 - PS) P), which also holds at PS = 0 or 1 (F = 0 or 1).
  const share = nTreated / n;
  let inBand = 0;
  for (let i = 0; i < n; i++) {
    const a = score[i] * (1 - share);
    const f = a / (a + (1 - score[i]) * share);
    if (f >= EQUIPOISE_BAND.lower && f <= EQUIPOISE_BAND.upper) inBand++;
  }

  const counts = new Float64Array(4 * BINS); // per bin: target, comparator, targetAfter, comparatorAfter
  for (let i = 0; i < n; i++) {
    // score * 20 rather than score / 0.05: 0.15 * 20 is 3 (bin [0.15, 0.2)), 0.15 / 0.05 is 2.9999999999999996.
    const bin = Math.min(BINS - 1, Math.floor(score[i] * BINS));
    const g = treated[i] === 1 ? 0 : 1;
    counts[4 * bin + g] += 1;
    counts[4 * bin + 2 + g] += weightsAfter[i];
  }
  const overlap = Array.from({ length: BINS }, (_, b) => ({
    binStart: b / BINS,
    binEnd: (b + 1) / BINS,
    target: counts[4 * b],
    comparator: counts[4 * b + 1],
    targetAfter: counts[4 * b + 2],
    comparatorAfter: counts[4 * b + 3],
  }));

  return {
    set,
    terms: fit.names.map((term, j) => ({ term, coef: fit.coef[j], se: fit.se[j] })),
    cStatistic: aucMannWhitney(score, treated),
    equipoiseShare: inBand / n,
    overlap,
    trimmed,
  };
}
