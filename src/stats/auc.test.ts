import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertClose } from '../../test/support/close.js';
import { lalondePropensity } from '../../test/support/lalonde.js';
import { fixturePath } from '../../test/support/paths.js';
import { aucMannWhitney } from './auc.js';
import { StatsError } from './stats-error.js';

// R: test/fixtures/r/lalonde_weighting.R (W of wilcox.test / (n1 n0)).
const expected = JSON.parse(readFileSync(fixturePath('expected', 'lalonde_adjustment.json'), 'utf8')) as { diagnostics: { c_statistic: number; auc_tiny: number } };

/** Every positive-negative pair, ties one half: the definition, O(n1 n0). */
function bruteForce(score: ArrayLike<number>, positive: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < score.length; i++) {
    if (positive[i] !== 1) continue;
    for (let j = 0; j < score.length; j++) {
      if (positive[j] !== 0) continue;
      pairs++;
      wins += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

test('tiny case with ties: R wilcox.test W / (n1 n0) = 8.5 / 12', () => {
  const auc = aucMannWhitney(Float64Array.from([0.1, 0.4, 0.4, 0.8, 0.4, 0.2, 0.8]), Uint8Array.from([0, 1, 0, 1, 1, 0, 0]));
  assertClose(auc, expected.diagnostics.auc_tiny, 1e-15, 'auc tiny');
  assertClose(auc, 8.5 / 12, 1e-15, 'auc tiny by hand');
});

test('lalonde propensity score c-statistic matches R', () => {
  const { score, treated } = lalondePropensity();
  assertClose(aucMannWhitney(score, treated), expected.diagnostics.c_statistic, 1e-9, 'c-statistic');
});

test('perfect, reversed and uninformative scores', () => {
  const y = Uint8Array.from([0, 0, 1, 1]);
  assert.equal(aucMannWhitney(Float64Array.from([1, 2, 3, 4]), y), 1);
  assert.equal(aucMannWhitney(Float64Array.from([4, 3, 2, 1]), y), 0);
  assert.equal(aucMannWhitney(Float64Array.from([5, 5, 5, 5]), y), 0.5);
});

test('agrees with the pairwise definition on random tied data', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 40 }), (pairs) => {
      const score = Float64Array.from(pairs, ([s]) => s / 4);
      const y = Uint8Array.from(pairs, ([, l]) => l);
      const n1 = y.reduce((a, b) => a + b, 0);
      fc.pre(n1 > 0 && n1 < y.length);
      assertClose(aucMannWhitney(score, y), bruteForce(score, y), 1e-12, 'auc');
    }),
  );
});

test('refuses a single class, bad labels and NaN scores', () => {
  assert.throws(() => aucMannWhitney(Float64Array.from([1, 2]), Uint8Array.from([1, 1])), StatsError);
  assert.throws(() => aucMannWhitney(Float64Array.from([1, 2]), Uint8Array.from([1, 2])), /not 0 or 1/);
  assert.throws(() => aucMannWhitney(Float64Array.from([NaN, 2]), Uint8Array.from([1, 0])), /missing/);
});
