import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatsError } from '../stats/stats-error.js';
import { thinCurve } from './curve-points.js';
import type { CurvePoints } from './study-results.js';

/** Value of a right-continuous step curve at t (the last point at or before t). */
function stepAt(curve: { time: readonly number[]; estimate: readonly number[] }, t: number): number {
  let value = NaN;
  for (let i = 0; i < curve.time.length && curve.time[i] <= t; i++) value = curve.estimate[i];
  return value;
}

test('thinCurve: a short curve is kept as it is, cut at the horizon and ended there', () => {
  const c = thinCurve([0, 5, 10, 40], [1, 0.9, 0.8, 0.5], [1, 0.8, 0.7, 0.3], [1, 1, 0.9, null], 400, 30);
  assert.deepEqual(c, { time: [0, 5, 10, 30], estimate: [1, 0.9, 0.8, 0.8], lower: [1, 0.8, 0.7, 0.7], upper: [1, 1, 0.9, 0.9] } satisfies CurvePoints);
});

test('thinCurve: no extra point when follow-up stops before the horizon, or a point sits on it', () => {
  assert.deepEqual(thinCurve([0, 5], [1, 0.9], [1, 0.8], [1, 1], 400, 30).time, [0, 5]);
  assert.deepEqual(thinCurve([0, 30, 31], [1, 0.9, 0.8], [1, 0.8, 0.7], [1, 1, 1], 400, 30).time, [0, 30]);
});

test('thinCurve: a long curve keeps at most maxPoints and stays exact at every bin end', () => {
  const n = 20000;
  const time: number[] = [];
  const estimate: number[] = [];
  for (let i = 0; i < n; i++) {
    time.push((i * 400) / n); // past the horizon of 365
    estimate.push(1 - i / n);
  }
  const lower = estimate.map((e) => e - 0.05);
  const upper = estimate.map((e) => Math.min(1, e + 0.05));
  const c = thinCurve(time, estimate, lower, upper, 400, 365);
  assert.ok(c.time.length <= 400, `kept ${c.time.length} points`);
  assert.ok(c.time.length >= 390, `kept only ${c.time.length} points`);
  assert.equal(c.time[0], 0);
  assert.equal(c.time[c.time.length - 1], 365);
  const width = 365 / 398;
  for (let k = 1; k <= 398; k++) assert.equal(stepAt(c, k * width), stepAt({ time, estimate }, k * width), `at bin end ${k}`);
  // Every kept point is an input point (limits travel with it).
  c.time.forEach((t, j) => {
    const i = time.indexOf(t);
    if (t !== 365) assert.deepEqual([c.estimate[j], c.lower[j], c.upper[j]], [estimate[i], lower[i], upper[i]]);
  });
});

test('thinCurve: bad input is a StatsError naming the argument', () => {
  assert.throws(() => thinCurve([0, 1], [1], [1], [1], 400, 10), (e: unknown) => e instanceof StatsError && e.term === 'estimate');
  assert.throws(() => thinCurve([1, 0], [1, 1], [1, 1], [1, 1], 400, 10), /time must ascend/);
  assert.throws(() => thinCurve([0], [1], [1], [1], 2, 10), /maxPoints/);
  assert.throws(() => thinCurve([0], [1], [1], [1], 400, 0), /horizon_d/);
});
