import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { eValue, eValueOfRiskRatio } from './evalue.js';
import { StatsError } from './stats-error.js';

test('VanderWeele & Ding 2017 worked example: RR 3.9 (1.8, 8.45) gives 7.26 and 3.0', () => {
  // 3.9 + sqrt(3.9 * 2.9) = 3.9 + sqrt(11.31) = 7.2630; 1.8 + sqrt(1.8 * 0.8) = 1.8 + 1.2 = 3.0.
  const e = eValue({ estimate: 3.9, lower: 1.8, upper: 8.45 });
  assertClose(e.point, 3.9 + Math.sqrt(11.31), 1e-12, 'point');
  assertClose(e.point, 7.263, 1e-4, 'point as printed in the paper (7.26)');
  assertClose(e.confidenceBound, 3.0, 1e-12, 'lower limit');
  assert.equal(e.conversion, 'none');
});

test('a protective RR is inverted and the upper limit is used', () => {
  // RR 0.8 (0.71, 0.91): 1/0.8 = 1.25 -> 1.25 + sqrt(1.25 * 0.25) = 1.809017; 1/0.91 = 1.0989011 ->
  // 1.0989011 + sqrt(1.0989011 * 0.0989011) = 1.0989011 + 0.3296703 = 1.4285714 (= 10/7 exactly).
  const e = eValue({ estimate: 0.8, lower: 0.71, upper: 0.91 });
  assertClose(e.point, 1.25 + Math.sqrt(0.3125), 1e-12, 'point');
  assertClose(e.confidenceBound, 10 / 7, 1e-9, 'upper limit');
  assertClose(eValueOfRiskRatio(0.8), eValueOfRiskRatio(1.25), 1e-12, 'symmetry');
});

test('a confidence interval that includes 1 gives a bound E-value of 1', () => {
  assert.equal(eValue({ estimate: 1.5, lower: 0.9, upper: 2.5 }).confidenceBound, 1);
  assert.equal(eValue({ estimate: 0.7, lower: 0.4, upper: 1.2 }).confidenceBound, 1);
  assert.equal(eValue({ estimate: 1, lower: 0.8, upper: 1.25 }).point, 1);
  assert.equal(eValue({ estimate: 2 }).confidenceBound, null);
});

test('odds ratio with a common outcome: RR ~ sqrt(OR) (EValue: evalues.OR(0.86, 0.75, 0.99, rare = FALSE))', () => {
  // sqrt(0.86) = 0.9273618 -> 1/0.9273618 = 1.0783277 -> 1.0783277 + sqrt(1.0783277 * 0.0783277) = 1.3689...;
  // upper sqrt(0.99) = 0.9949874 -> 1/0.9949874 = 1.0050378 -> + sqrt(1.0050378 * 0.0050378) = 1.0762 (1.08).
  const e = eValue({ estimate: 0.86, lower: 0.75, upper: 0.99, measure: 'or', rareOutcome: false });
  const r = 1 / Math.sqrt(0.86);
  const u = 1 / Math.sqrt(0.99);
  assertClose(e.riskRatio, Math.sqrt(0.86), 1e-12, 'rr');
  assertClose(e.point, r + Math.sqrt(r * (r - 1)), 1e-12, 'point');
  assertClose(e.point, 1.369, 1e-3, 'point ~ 1.37');
  assertClose(e.confidenceBound, u + Math.sqrt(u * (u - 1)), 1e-12, 'bound');
  assertClose(e.confidenceBound, 1.076, 1e-3, 'bound ~ 1.08');
  // Rare outcome: the OR is used as the RR.
  assertClose(eValue({ estimate: 3.9, measure: 'or', rareOutcome: true }).point, 3.9 + Math.sqrt(11.31), 1e-12, 'rare OR');
});

test('hazard ratio with a common outcome: RR ~ (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR)) (evalues.HR(0.56, 0.46, 0.69, rare = FALSE))', () => {
  // HR 0.56: 0.5^sqrt(0.56) = 0.5^0.7483315 = 0.5952916, 0.5^sqrt(1/0.56) = 0.5^1.3363062 = 0.3960333
  // -> RR = 0.4047084 / 0.6039667 = 0.6700840; 1/RR = 1.4923503 -> E = 1.4923503 + sqrt(1.4923503 * 0.4923503)
  // = 1.4923503 + 0.8571810 = 2.3495.
  const e = eValue({ estimate: 0.56, lower: 0.46, upper: 0.69, measure: 'hr', rareOutcome: false });
  assertClose(e.riskRatio, 0.670084, 1e-6, 'rr');
  assertClose(e.point, 2.3495, 1e-4, 'point');
  const conv = (h: number): number => (1 - 0.5 ** Math.sqrt(h)) / (1 - 0.5 ** Math.sqrt(1 / h));
  const u = 1 / conv(0.69);
  assertClose(e.confidenceBound, u + Math.sqrt(u * (u - 1)), 1e-12, 'bound from the upper limit');
  // The conversion maps 1 to 1 and is increasing, so an interval including 1 still gives 1.
  assertClose(conv(1), 1, 1e-15, 'conv(1)');
  assert.equal(eValue({ estimate: 0.8, lower: 0.6, upper: 1.1, measure: 'hr', rareOutcome: false }).confidenceBound, 1);
});

test('OR and HR need the rare-outcome answer; nonsense ratios are refused', () => {
  assert.throws(() => eValue({ estimate: 2, measure: 'hr' }), (e: unknown) => e instanceof StatsError && e.term === 'rareOutcome');
  assert.throws(() => eValue({ estimate: -1 }), StatsError);
  assert.throws(() => eValue({ estimate: 2, lower: 2.5 }), StatsError);
});
