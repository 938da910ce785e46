import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { lalondePropensity } from '../../test/support/lalonde.js';
import { fixturePath } from '../../test/support/paths.js';
import { fitPropensity } from '../stats/propensity.js';
import { designFromColumns } from '../stats/matrix.js';
import { propensityWeights } from '../stats/weighting.js';
import { propensityDiagnostics } from './propensity-diagnostics.js';

// R: test/fixtures/r/lalonde_weighting.R.
interface Expected {
  diagnostics: {
    c_statistic: number;
    equipoise_share: number;
    overlap_target: number[];
    overlap_comparator: number[];
    overlap_target_after_ate: number[];
    overlap_comparator_after_ate: number[];
  };
}
const expected = JSON.parse(readFileSync(fixturePath('expected', 'lalonde_adjustment.json'), 'utf8')) as Expected;

test('lalonde: c-statistic, equipoise share and overlap histogram (before, ATE-weighted after) match R', () => {
  const { score, treated, x } = lalondePropensity();
  const { fit } = fitPropensity(treated, x);
  const d = propensityDiagnostics({ set: 'critique', score, treated, weightsAfter: propensityWeights(score, treated, 'ate'), fit, trimmed: 0 });
  assertClose(d.cStatistic, expected.diagnostics.c_statistic, 1e-9, 'c-statistic');
  assertClose(d.equipoiseShare, expected.diagnostics.equipoise_share, 1e-12, 'equipoise share');
  assert.deepEqual(d.overlap.map((b) => b.target), expected.diagnostics.overlap_target);
  assert.deepEqual(d.overlap.map((b) => b.comparator), expected.diagnostics.overlap_comparator);
  assertAllClose(d.overlap.map((b) => b.targetAfter), expected.diagnostics.overlap_target_after_ate, 1e-8, 'target after', 1e-6);
  assertAllClose(d.overlap.map((b) => b.comparatorAfter), expected.diagnostics.overlap_comparator_after_ate, 1e-8, 'comparator after', 1e-6);
  assert.equal(d.overlap.length, 20);
  assert.equal(d.overlap[3].binStart, 0.15);
  assert.equal(d.overlap[19].binEnd, 1);
  assert.deepEqual(d.terms.map((t) => t.term), x.names);
  assertClose(d.terms[1].coef, fit.coef[1], 0, 'age coef');
  assertClose(d.terms[1].se, fit.se[1], 0, 'age se');
  assert.equal(d.set, 'critique');
  assert.equal(d.trimmed, 0);
});

test('equipoise by hand: 1 of 4 treated, so logit F = logit PS + ln 3, F = 3 PS / (3 PS + 1 - PS)', () => {
  // PS 0.1 -> F 0.25 (out), 0.2 -> 0.4286 (in), 0.4 -> 0.6667 (in), 0.5 -> 0.75 (out): share 2/4.
  const score = Float64Array.from([0.1, 0.2, 0.4, 0.5]);
  const treated = Uint8Array.from([0, 1, 0, 0]);
  const fit = fitPropensity(Uint8Array.from([0, 1, 0, 1, 1]), designFromColumns(['intercept', 'z'], [[1, 1, 1, 1, 1], [1, 2, 3, 1, 2]])).fit;
  const d = propensityDiagnostics({ set: 'published', score, treated, weightsAfter: Float64Array.from([1, 1, 0.5, 0]), fit, trimmed: 3 });
  assert.equal(d.equipoiseShare, 0.5);
  // Bins: 0.1 -> [0.1, 0.15), 0.2 -> [0.2, 0.25), 0.4 -> [0.4, 0.45), 0.5 -> [0.5, 0.55); weights after as given.
  const nonEmpty = d.overlap.filter((b) => b.target + b.comparator > 0).map((b) => [b.binStart, b.target, b.comparator, b.targetAfter, b.comparatorAfter]);
  assert.deepEqual(nonEmpty, [
    [0.1, 0, 1, 0, 1],
    [0.2, 1, 0, 1, 0],
    [0.4, 0, 1, 0, 0.5],
    [0.5, 0, 1, 0, 0],
  ]);
  assert.equal(d.cStatistic, 1 / 3); // the treated 0.2 beats 0.1 only, of three comparators
  assert.equal(d.trimmed, 3);
});

test('scores of exactly 0 and 1 go to the first and last bins and are never in equipoise', () => {
  const fit = fitPropensity(Uint8Array.from([0, 1, 0, 1, 1]), designFromColumns(['intercept', 'z'], [[1, 1, 1, 1, 1], [1, 2, 3, 1, 2]])).fit;
  const d = propensityDiagnostics({ set: 'critique', score: Float64Array.from([0, 1, 0.999, 0.5]), treated: Uint8Array.from([0, 1, 1, 0]), weightsAfter: new Float64Array(4).fill(1), fit, trimmed: 0 });
  assert.equal(d.overlap[0].comparator, 1);
  assert.equal(d.overlap[19].target, 2);
  assert.equal(d.equipoiseShare, 0.25);
  assert.throws(() => propensityDiagnostics({ set: 'critique', score: Float64Array.from([1.5]), treated: Uint8Array.from([1]), weightsAfter: Float64Array.from([1]), fit, trimmed: 0 }), /not in \[0, 1\]/);
});
