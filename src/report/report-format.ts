// How numbers read in the report (the CSV tables keep full precision): ratios with 2 decimals, percentages
// with 1, p below 0.001 printed as "< 0.001" (the convention of JAMA's and the BMJ's instructions for authors).
import type { EffectEstimate } from '../study/study-results.js';

const NOT_AVAILABLE = 'NA';

/** A ratio (HR, SHR, RR) or any 2-decimal number: 1.234 -> "1.23". */
export function formatRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : NOT_AVAILABLE;
}

/** A share in [0, 1] as a percentage with 1 decimal: 0.4123 -> "41.2%". */
export function formatPercent(share: number | null): string {
  return share !== null && Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : NOT_AVAILABLE;
}

/** A difference of proportions in percentage points with 1 decimal: 0.042 -> "4.2". */
export function formatPoints(difference: number): string {
  return Number.isFinite(difference) ? (difference * 100).toFixed(1) : NOT_AVAILABLE;
}

/** A p-value: "< 0.001" below 0.001, else 3 decimals. */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return NOT_AVAILABLE;
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A standardized mean difference with 3 decimals, so 0.098 and 0.102 read on the right side of the 0.1 line. */
export function formatSmd(smd: number | null): string {
  return smd !== null && Number.isFinite(smd) ? smd.toFixed(3) : '';
}

/** A count with thousands separators; an effective sample size (not an integer) with 1 decimal. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return NOT_AVAILABLE;
  const text = Number.isInteger(n) ? String(n) : n.toFixed(1);
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** "1.23 (0.98 to 1.54)" for a ratio; "4.2 (-1.0 to 9.4)" percentage points for a risk difference. */
export function formatEffect(e: EffectEstimate): string {
  const f = e.measure === 'RD' ? formatPoints : formatRatio;
  return `${f(e.estimate)} (${f(e.lower)} to ${f(e.upper)})`;
}

/** A ratio in words: 1.23 -> "23% higher", 0.8 -> "20% lower", 1 -> "no different". */
export function ratioInWords(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'not estimable';
  const change = Math.round(Math.abs(ratio - 1) * 100);
  if (change === 0) return 'no different';
  return ratio > 1 ? `${change}% higher` : `${change}% lower`;
}

/** "p < 0.001" or "p = 0.042". */
export function pPhrase(p: number | null): string {
  const text = formatP(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}
