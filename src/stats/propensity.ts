// Propensity scores from a logistic regression of treatment on covariates, as MatchIt's distance = "glm"
// (MatchIt R/distance2glm.R: glm(family = binomial), then fitted() for link = "logit" and
// predict(type = "link") for link = "linear.logit").
import { fitLogistic, type LogisticFit } from './logistic.js';
import type { DesignMatrix } from './matrix.js';
import { StatsError } from './stats-error.js';

export interface PropensityResult {
  fit: LogisticFit;
  /** Estimated P(treated | x): MatchIt's distance with link = "logit" (the default). */
  score: Float64Array;
  /** The linear predictor log(score / (1 - score)): MatchIt's distance with link = "linear.logit". */
  linearLogit: Float64Array;
}

/**
 * Fits the propensity model. `x` should include an intercept column. Separation, singular designs and
 * non-convergence raise StatsError from fitLogistic; a treatment that is not 0/1 is refused here.
 */
export function fitPropensity(treated: Uint8Array, x: DesignMatrix): PropensityResult {
  if (treated.length !== x.nRows) {
    throw new StatsError('invalid-input', `propensity model: ${treated.length} treatment values for ${x.nRows} rows`, 'treatment');
  }
  const y = new Float64Array(treated.length);
  for (let i = 0; i < treated.length; i++) {
    if (treated[i] !== 0 && treated[i] !== 1) {
      throw new StatsError('invalid-input', `propensity model: treatment ${treated[i]} in row ${i + 1} is not 0 or 1`, 'treatment');
    }
    y[i] = treated[i];
  }
  const fit = fitLogistic({ y, x });
  return { fit, score: fit.fitted, linearLogit: fit.linearPredictor };
}
