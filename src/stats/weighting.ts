// Propensity-score balancing weights (Rosenbaum 1987; Hirano, Imbens & Ridder 2003; Li, Morgan & Zaslavsky
// 2018 for overlap weights), unnormalised as WeightIt's get_w_from_ps() returns them for a binary treatment:
//   ATE      treated 1/e,  control 1/(1 - e)
//   ATT      treated 1,    control e/(1 - e)
//   overlap  treated 1 - e, control e
// Weighted means divide by the sum of weights in each group, so normalising would not change any balance
// statistic or effect estimate computed from them. Balance with these weights: balanceTable(..., estimand),
// whose SMD denominator per estimand is documented in balance.ts (ATT: treated SD; ATE and overlap: pooled
// sqrt((s1^2 + s0^2)/2) of the unweighted groups, as cobalt).
import { StatsError } from './stats-error.js';

export type WeightEstimand = 'ate' | 'att' | 'overlap';

/** Balancing weights from propensity scores in (0, 1). */
export function propensityWeights(score: Float64Array, treated: Uint8Array, estimand: WeightEstimand): Float64Array {
  const n = score.length;
  if (treated.length !== n) throw new StatsError('invalid-input', `weights: ${treated.length} treatment values for ${n} scores`, 'treatment');
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = score[i];
    const t = treated[i];
    if (t !== 0 && t !== 1) throw new StatsError('invalid-input', `weights: treatment ${t} in row ${i + 1} is not 0 or 1`, 'treatment');
    // A score of exactly 0 or 1 makes ATE/ATT weights infinite: a positivity violation to report, not to clip.
    if (!(e > 0 && e < 1)) throw new StatsError('invalid-input', `weights: propensity score ${e} in row ${i + 1} is not strictly between 0 and 1`, 'score');
    switch (estimand) {
      case 'ate':
        w[i] = t === 1 ? 1 / e : 1 / (1 - e);
        break;
      case 'att':
        w[i] = t === 1 ? 1 : e / (1 - e);
        break;
      case 'overlap':
        w[i] = t === 1 ? 1 - e : e;
        break;
      default: {
        const never: never = estimand;
        throw new StatsError('invalid-input', `weights: unknown estimand ${String(never)}`, 'estimand');
      }
    }
  }
  return w;
}

/** Kish's effective sample size (sum w)^2 / sum w^2, over the rows where mask is 1 (all rows without a mask). */
export function effectiveSampleSize(weights: Float64Array, mask?: Uint8Array): number {
  if (mask && mask.length !== weights.length) throw new StatsError('invalid-input', `effective sample size: mask has ${mask.length} values for ${weights.length} weights`, 'mask');
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    if (mask && mask[i] !== 1) continue;
    s += weights[i];
    s2 += weights[i] * weights[i];
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}
