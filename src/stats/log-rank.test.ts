import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, assertAllClose } from '../../test/support/close.js';
import { lungBySex } from '../../test/support/lung.js';
import { referenceCase } from '../../test/support/reference.js';
import { logRankTest } from './log-rank.js';

test('log-rank on lung by sex agrees with R survdiff', () => {
  const ref = referenceCase('lung_logrank_sex');
  const { time, event, sex } = lungBySex();
  const result = logRankTest({ time, event, group: sex, nGroups: 2 });
  assertClose(result.chisq, ref.chisq as number, 1e-9, 'chisq');
  assert.equal(result.df, ref.df);
  assertClose(result.p, ref.p as number, 1e-8, 'p');
  assert.deepEqual(result.observed, ref.observed);
  assertAllClose(result.expected, ref.expected as number[], 1e-9, 'expected');
});

// Hand-computed: times 1,1,2,3,4 with events 1,1,0,1,0. At t=1: n=5, d=2 -> S=3/5; at t=3: n=2, d=1 -> S=3/10.
// Greenwood at t=3: 2/(5*3) + 1/(2*1) = 0.6333..; SE = 0.3 * sqrt(0.6333..).
test('log-rank with three groups has df 2 and O - E summing to zero', () => {
  const time = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const event = Uint8Array.from([1, 1, 0, 1, 1, 1, 0, 1, 1]);
  const group = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  const result = logRankTest({ time, event, group, nGroups: 3 });
  assert.equal(result.df, 2);
  const sum = result.observed.reduce((a, o, g) => a + o - result.expected[g], 0);
  assertClose(sum, 0, 1e-12, 'sum O - E', 1);
  assert.ok(result.p > 0 && result.p <= 1);
});

test('an all-censored log-rank is a clear error', () => {
  assert.throws(
    () => logRankTest({ time: Float64Array.from([1, 2]), event: Uint8Array.from([0, 0]), group: Int32Array.from([0, 1]), nGroups: 2 }),
    /needs at least one event/,
  );
});
