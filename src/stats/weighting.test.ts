import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { balanceTable } from './balance.js';
import { StatsError } from './stats-error.js';
import { effectiveSampleSize, propensityWeights } from './weighting.js';

// Four units: scores 0.2, 0.5, 0.8, 0.25; treated rows 0 and 2.
const score = Float64Array.from([0.2, 0.5, 0.8, 0.25]);
const treated = Uint8Array.from([1, 0, 1, 0]);

test('ATE, ATT and overlap weights by hand', () => {
  // ATE: 1/0.2, 1/(1-0.5), 1/0.8, 1/(1-0.25) = 5, 2, 1.25, 4/3.
  assertAllClose(propensityWeights(score, treated, 'ate'), [5, 2, 1.25, 4 / 3], 1e-15, 'ate');
  // ATT: treated 1; control e/(1-e) = 1, 1/3.
  assertAllClose(propensityWeights(score, treated, 'att'), [1, 1, 1, 1 / 3], 1e-15, 'att');
  // Overlap: treated 1 - e = 0.8, 0.2; control e = 0.5, 0.25.
  assertAllClose(propensityWeights(score, treated, 'overlap'), [0.8, 0.5, 0.2, 0.25], 1e-15, 'overlap');
});

test('effective sample size (sum w)^2 / sum w^2', () => {
  const w = propensityWeights(score, treated, 'ate');
  // All: (5 + 2 + 1.25 + 4/3)^2 / (25 + 4 + 1.5625 + 16/9) = 9.583333^2 / 32.340278.
  assertClose(effectiveSampleSize(w), (9.583333333333334 * 9.583333333333334) / (25 + 4 + 1.5625 + 16 / 9), 1e-12, 'ess all');
  // Treated: 6.25^2 / 26.5625 = 1.4705882...
  assertClose(effectiveSampleSize(w, treated), 39.0625 / 26.5625, 1e-12, 'ess treated');
  assertClose(effectiveSampleSize(new Float64Array(5).fill(3)), 5, 1e-12, 'equal weights');
});

test('weighted SMD with ATE weights uses the pooled SD of the unweighted groups', () => {
  // x = 1, 3, 2, 5. Treated (rows 0, 2): x 1, 2, weights 5, 1.25 -> weighted mean 7.5 / 6.25 = 1.2; sd^2 0.5.
  // Control (rows 1, 3): x 3, 5, weights 2, 4/3 -> (6 + 20/3) / (10/3) = 3.8; sd^2 2.
  // Pooled sd sqrt((0.5 + 2) / 2) = sqrt(1.25). Before: (1.5 - 4) / sqrt(1.25); after: (1.2 - 3.8) / sqrt(1.25).
  const w = propensityWeights(score, treated, 'ate');
  const [row] = balanceTable([{ name: 'x', values: Float64Array.from([1, 3, 2, 5]), binary: false }], treated, w, 'ate');
  assertClose(row.smdBefore, -2.5 / Math.sqrt(1.25), 1e-12, 'before');
  assertClose(row.smdAfter, -2.6 / Math.sqrt(1.25), 1e-12, 'after');
  // With ATT the denominator is the treated SD, sqrt(0.5): after = (1.5 - (3 + 5/3)/(4/3)) / sqrt(0.5) = (1.5 - 3.5) / sqrt(0.5).
  const [att] = balanceTable([{ name: 'x', values: Float64Array.from([1, 3, 2, 5]), binary: false }], treated, propensityWeights(score, treated, 'att'), 'att');
  assertClose(att.smdAfter, -2 / Math.sqrt(0.5), 1e-12, 'att after');
});

test('scores of exactly 0 or 1 are a positivity violation, reported', () => {
  assert.throws(() => propensityWeights(Float64Array.from([0, 0.5]), Uint8Array.from([1, 0]), 'ate'), (e: unknown) => e instanceof StatsError && e.term === 'score');
  assert.throws(() => propensityWeights(Float64Array.from([0.5, 0.5]), Uint8Array.from([1, 3]), 'ate'), StatsError);
});
