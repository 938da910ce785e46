// Numbers in the human-readable text of reasons. Values keep full precision in the data (Observation.value,
// Reason.value); only the sentence a clinician reads is rounded, so a converted 160 umol/L reads "creatinine 1.81
// mg/dL", not "1.80995475113".

/** Significant digits of a number in reason text: enough for any lab value, few enough to read. */
export const TEXT_SIGNIFICANT_DIGITS = 4;

/**
 * `x` with at most `digits` significant digits, without trailing zeros or an exponent: 9.3567251462 → '9.357',
 * 78.01788764 → '78.02', 0.35 → '0.35', 1234.5 → '1235' (a number with more integer digits than `digits` is
 * rounded to an integer, not to 1.235e+4).
 */
export function formatValue(x: number, digits = TEXT_SIGNIFICANT_DIGITS): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 10 ** digits) return String(Math.round(x));
  return String(Number(x.toPrecision(digits)));
}
