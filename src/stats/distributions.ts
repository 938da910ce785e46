// Tail probabilities used for Wald and score tests, computed in the tail so that very small p-values
// keep their precision (as R's pnorm(lower.tail = FALSE) and pchisq(lower.tail = FALSE) do).
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';

/** 97.5th percentile of the standard normal, qnorm(0.975) in R, for 95% confidence intervals. */
export const Z_975 = 1.959963984540054;

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided p-value of a Wald z statistic: 2 * P(Z > |z|). */
export function twoSidedNormalP(z: number): number {
  return 2 * normalUpperTail(Math.abs(z));
}

/** P(X > x) for X ~ chi-square with `df` degrees of freedom. */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`chiSquareUpperTail: df must be > 0, got ${df}`);
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}
