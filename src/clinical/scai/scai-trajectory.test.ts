import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JENTZER_2019 } from './rule-set.js';
import { scaiTrajectory } from './scai-trajectory.js';
import type { ScaiObservation } from './scai-input.js';
import { device, input, obs, vitals } from './__fixtures__/scai-builders.js';

/** A complete set of values at t (SBP, MAP, HR, lactate, urine output, creatinine). */
const at = (t: number, v: { sbp?: number; lactate?: number } = {}): ScaiObservation[] => [
  ...vitals(t, { sbp: v.sbp ?? 120, map: 85, hr: 80 }),
  obs('lactate_mmol_L', t, v.lactate ?? 1.0),
  obs('urine_output_mL_h', t, 80),
  obs('creatinine_mg_dL', t, 1.0),
];

// Six 4-hour blocks (the serial-staging design of reference 1.1): A, B, D, A, A, A. Block 3 has lactate 3 > 2
// (hypoperfusion) and 3 > the first lactate 1.0 of the 24-h window (deterioration, reference 1.4) → D.
const series = [...at(0), ...at(240), ...at(480, { sbp: 85 }), ...at(720, { lactate: 3 }), ...at(960), ...at(1200), ...at(1440)];

test('1.1 trajectory in 4-h blocks: stage per block, maximum, time-weighted mean, hours in shock', () => {
  const r = scaiTrajectory(input({ observations: series }), JENTZER_2019, { blockMin: 240 });
  assert.deepEqual(r.result.blocks.map((b) => b.label), ['A', 'B', 'D', 'A', 'A', 'A']);
  assert.equal(r.result.maximum.lower, 'D');
  assert.equal(r.result.maximum.firstReachedLower_min, 720);
  // mean = (1 + 2 + 4 + 1 + 1 + 1) × 240 / 1440 = 10/6 = 1.667
  assert.equal(r.result.timeWeightedMean.lower, 1.667);
  assert.equal(r.result.timeWeightedMean.upper, 1.667);
  assert.equal(r.result.hoursInShock.lower, 4);
  assert.deepEqual(r.reasons.map((x) => x.criterion), ['stage_A_reached', 'stage_B_reached', 'stage_D_reached']);
});

test('stage at device start is the stage that led to the device (device not yet counted)', () => {
  const r = scaiTrajectory(input({ observations: series, devices: [device('iabp', 500)] }), JENTZER_2019, { blockMin: 240 });
  assert.equal(r.result.atDeviceStart.length, 1);
  assert.equal(r.result.atDeviceStart[0].t_min, 500);
  assert.equal(r.result.atDeviceStart[0].assessment.label, 'B', 'SBP 85 at 480 in the hour before; lactate 1.0 at 480');
});

test('missing blocks widen the mean into a range instead of counting as normal (reference 1.6)', () => {
  // Only the first 4 h carry data; the lactate look-back (6 h) then runs out.
  const r = scaiTrajectory(input({ observations: [...at(0), ...at(240)] }), JENTZER_2019, { blockMin: 240 });
  assert.equal(r.result.blocks[0].label, 'A');
  assert.equal(r.result.blocks[5].label, 'A..E');
  assert.ok(r.result.timeWeightedMean.upper > r.result.timeWeightedMean.lower);
  assert.ok(r.missing.includes('lactate_mmol_L'));
});

test('horizon and block length are parameters; a bad horizon is rejected with the values', () => {
  const r = scaiTrajectory(input({ observations: series }), JENTZER_2019, { fromMin: 0, toMin: 720, blockMin: 60 });
  assert.equal(r.result.blocks.length, 12);
  assert.throws(() => scaiTrajectory(input({}), JENTZER_2019, { blockMin: 0 }), /blockMin > 0/);
});
