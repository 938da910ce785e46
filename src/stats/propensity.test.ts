import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { lalonde } from '../../test/support/lalonde.js';
import { referenceCase } from '../../test/support/reference.js';
import { designFromColumns } from './matrix.js';
import { fitPropensity } from './propensity.js';
import { StatsError } from './stats-error.js';

test('lalonde propensity model is R glm, score = plogis(linear logit)', () => {
  const { treated, x } = lalonde();
  const ref = referenceCase('lalonde_logistic') as { coef: Record<string, number> };
  const ps = fitPropensity(treated, x);
  ps.fit.names.forEach((name, j) => assertClose(ps.fit.coef[j], ref.coef[name], 1e-6, `coef ${name}`));
  for (let i = 0; i < treated.length; i++) {
    assertClose(ps.score[i], 1 / (1 + Math.exp(-ps.linearLogit[i])), 1e-12, `score[${i}]`);
  }
  // The caliper case's caliper is 0.2 x sd(linear logit) (R: 0.360902392538), an independent check of the logits.
  const ll = ps.linearLogit;
  const mean = ll.reduce((a, b) => a + b, 0) / ll.length;
  const sd = Math.sqrt(ll.reduce((a, b) => a + (b - mean) ** 2, 0) / (ll.length - 1));
  assertClose(0.2 * sd, (referenceCase('lalonde_match_caliper') as { caliper_logit: number }).caliper_logit, 1e-6, 'caliper');
});

test('treatment must be 0/1', () => {
  const x = designFromColumns(['(Intercept)', 'a'], [[1, 1, 1], [1, 2, 3]]);
  assert.throws(() => fitPropensity(Uint8Array.from([0, 2, 1]), x), (e: unknown) => e instanceof StatsError && e.kind === 'invalid-input' && e.term === 'treatment');
});
