import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { lungBySex } from '../../test/support/lung.js';
import { referenceCase } from '../../test/support/reference.js';
import { atEventTimes, kaplanMeier, kaplanMeierByGroup } from './kaplan-meier.js';

type Numbers = number[];

test('KM on lung agrees with R survfit(Surv(time, status) ~ 1) at every event time', () => {
  const ref = referenceCase('lung_km');
  const { time, event } = lungBySex();
  const curve = atEventTimes(kaplanMeier({ time, event }));
  assert.deepEqual(curve.time, ref.time);
  assert.deepEqual(curve.nRisk, ref.n_risk);
  assert.deepEqual(curve.nEvent, ref.n_event);
  assertAllClose(curve.surv, ref.surv as Numbers, 1e-9, 'surv');
  assertAllClose(curve.stdErr, ref.std_err as Numbers, 1e-9, 'std.err');
  assertAllClose(curve.lower, ref.lower as Numbers, 1e-9, 'lower');
  assertAllClose(curve.upper, ref.upper as Numbers, 1e-9, 'upper');
  assert.equal(curve.median, ref.median);
  assert.equal(curve.medianLower, ref.median_lower);
  assert.equal(curve.medianUpper, ref.median_upper);
});

test('KM by sex on lung agrees with R survfit(... ~ sex), each stratum', () => {
  const ref = referenceCase('lung_km_sex');
  const { time, event, sex } = lungBySex();
  const curves = kaplanMeierByGroup({ time, event }, sex, 2).map(atEventTimes);
  const strata = ref.strata as string[];
  ['sex=1', 'sex=2'].forEach((name, g) => {
    const idx = strata.map((s, i) => (s === name ? i : -1)).filter((i) => i >= 0);
    const pick = (key: string) => idx.map((i) => (ref[key] as Numbers)[i]);
    assert.deepEqual(curves[g].time, pick('time'), `${name} time`);
    assert.deepEqual(curves[g].nRisk, pick('n_risk'), `${name} n.risk`);
    assertAllClose(curves[g].surv, pick('surv'), 1e-9, `${name} surv`);
    assertAllClose(curves[g].stdErr, pick('std_err'), 1e-9, `${name} std.err`);
    assertAllClose(curves[g].lower, pick('lower'), 1e-9, `${name} lower`);
    assertAllClose(curves[g].upper, pick('upper'), 1e-9, `${name} upper`);
    assert.equal(curves[g].median, (ref.median as Record<string, number>)[name]);
    assert.equal(curves[g].medianLower, (ref.median_lower as Record<string, number>)[name]);
    assert.equal(curves[g].medianUpper, (ref.median_upper as Record<string, number>)[name]);
  });
});

test('tied event times: both deaths at t=1 enter one factor (hand calculation)', () => {
  const curve = kaplanMeier({ time: Float64Array.from([1, 3, 1, 2, 4]), event: Uint8Array.from([1, 1, 1, 0, 0]) });
  assert.deepEqual(curve.time, [1, 2, 3, 4]);
  assert.deepEqual(curve.nRisk, [5, 3, 2, 1]);
  assert.deepEqual(curve.nEvent, [2, 0, 1, 0]);
  assert.deepEqual(curve.nCensor, [0, 1, 0, 1]);
  assertAllClose(curve.surv, [0.6, 0.6, 0.3, 0.3], 1e-12, 'surv');
  assertClose(curve.stdErr[2], 0.3 * Math.sqrt(2 / 15 + 1 / 2), 1e-12, 'se at 3');
  // S reaches 0.3 < 0.5 first at t = 3.
  assert.equal(curve.median, 3);
});

test('median at exactly 0.5 is the midpoint to the next drop (survfit rule); never reaching 0.5 gives null', () => {
  // S: t=1 -> 3/4, t=2 -> 1/2 (exactly), t=3 -> 1/4.
  const curve = kaplanMeier({ time: Float64Array.from([1, 2, 3, 4]), event: Uint8Array.from([1, 1, 1, 0]) });
  assert.equal(curve.median, 2.5);
  const allCensored = kaplanMeier({ time: Float64Array.from([1, 2, 3]), event: Uint8Array.from([0, 0, 0]) });
  assert.deepEqual(allCensored.surv, [1, 1, 1]);
  assert.equal(allCensored.median, null);
  assert.deepEqual(atEventTimes(allCensored).time, []);
});

test('case weights act as repeated rows', () => {
  const weighted = kaplanMeier({ time: Float64Array.from([1, 2, 3]), event: Uint8Array.from([1, 0, 1]), weights: Float64Array.from([2, 1, 1]) });
  const repeated = kaplanMeier({ time: Float64Array.from([1, 1, 2, 3]), event: Uint8Array.from([1, 1, 0, 1]) });
  assertAllClose(weighted.surv, repeated.surv, 1e-12, 'surv');
  assertAllClose(weighted.stdErr, repeated.stdErr, 1e-12, 'se');
});

test('negative time is a clear error', () => {
  assert.throws(() => kaplanMeier({ time: Float64Array.from([1, -2]), event: Uint8Array.from([1, 0]) }), /time at row 2 is -2; expected a number >= 0/);
});

// Three groups, hand-checkable: groups must sum O - E to zero and df = k - 1.