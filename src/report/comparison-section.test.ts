import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareOfCrudeRemoved } from './comparison-section.js';

test('share of the crude log ratio removed by adjustment (hand-computed)', () => {
  // HR 2 crude, sqrt(2) adjusted: log sqrt(2) = log(2) / 2, so half is removed.
  assert.ok(Math.abs((shareOfCrudeRemoved(2, Math.SQRT2) ?? Number.NaN) - 0.5) < 1e-12);
  // Adjusted at the null: all of it; unchanged: none; crossed the null: more than all.
  assert.equal(shareOfCrudeRemoved(1.5, 1), 1);
  assert.equal(shareOfCrudeRemoved(1.5, 1.5), 0);
  assert.ok(Math.abs((shareOfCrudeRemoved(2, 0.5) ?? Number.NaN) - 2) < 1e-12);
  // Protective crude HR 0.5 moved to 0.25: further from the null, share -1.
  assert.ok(Math.abs((shareOfCrudeRemoved(0.5, 0.25) ?? Number.NaN) + 1) < 1e-12);
  // Fixture's death outcome: 1 - log(1.12) / log(1.52) = 1 - 0.113329 / 0.418710 = 0.72934.
  assert.ok(Math.abs((shareOfCrudeRemoved(1.52, 1.12) ?? Number.NaN) - 0.72934) < 1e-5);
});

test('no share when the crude estimate is within 2% of the null or a ratio is not positive and finite', () => {
  assert.equal(shareOfCrudeRemoved(1.01, 0.9), null);
  assert.equal(shareOfCrudeRemoved(0, 1.2), null);
  assert.equal(shareOfCrudeRemoved(2, Number.POSITIVE_INFINITY), null);
  assert.equal(shareOfCrudeRemoved(Number.NaN, 1.2), null);
});
