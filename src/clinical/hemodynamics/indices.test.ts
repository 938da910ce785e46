import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bodySurfaceArea,
  cardiacIndex,
  cardiacPowerIndex,
  cardiacPowerOutput,
  meanArterialPressure,
  pulmonaryArteryPulsatilityIndex,
  rapPcwpRatio,
  shockIndex,
  systemicVascularResistance,
} from './indices.js';

const fired = (r: { reasons: readonly { criterion: string }[] }, c: string) => r.reasons.some((x) => x.criterion === c);

test('MAP (reference 2): measured value wins; else DBP + (SBP − DBP)/3', () => {
  assert.equal(meanArterialPressure({ sbp_mmHg: 120, dbp_mmHg: 60, map_mmHg: 85 }).result, 85);
  // 60 + (120 − 60)/3 = 80
  const calc = meanArterialPressure({ sbp_mmHg: { value: 120, time: '2026-01-01T00:00:00Z' }, dbp_mmHg: 60 });
  assert.equal(calc.result, 80);
  assert.equal(calc.reasons[0]?.time, '2026-01-01T00:00:00Z');
  const none = meanArterialPressure({ sbp_mmHg: 120 });
  assert.equal(none.result, null);
  assert.deepEqual(none.missing, ['map_mmHg', 'dbp_mmHg']);
});

test('shock index = HR/SBP; > 1.0 flagged, exactly 1.0 not (reference 2, Allgöwer)', () => {
  assert.equal(shockIndex({ heart_rate_per_min: 100, sbp_mmHg: 100 }).result, 1);
  assert.ok(!fired(shockIndex({ heart_rate_per_min: 100, sbp_mmHg: 100 }), 'shock_index_gt_1'));
  assert.ok(fired(shockIndex({ heart_rate_per_min: 101, sbp_mmHg: 100 }), 'shock_index_gt_1'));
  assert.ok(!fired(shockIndex({ heart_rate_per_min: 99, sbp_mmHg: 100 }), 'shock_index_gt_1'));
  assert.deepEqual(shockIndex({ sbp_mmHg: 100 }).missing, ['heart_rate_per_min']);
  assert.equal(shockIndex({ heart_rate_per_min: 100, sbp_mmHg: 0 }).result, null);
});

test('BSA Mosteller and DuBois (reference 2)', () => {
  // Mosteller: √(180 × 80 / 3600) = √4 = 2.0
  assert.equal(bodySurfaceArea({ weight_kg: 80, height_cm: 180 }).result, 2);
  // DuBois: 0.007184 × 80^0.425 × 180^0.725 = 0.007184 × 6.4389 × 43.159 = 1.9964
  assert.equal(bodySurfaceArea({ weight_kg: 80, height_cm: 180 }, 'dubois').result, 1.996);
  assert.deepEqual(bodySurfaceArea({ weight_kg: 80 }).missing, ['height_cm']);
});

test('cardiac index = CO/BSA; SCAI C at CI < 2.2 (boundary 2.2 does not fire)', () => {
  assert.equal(cardiacIndex({ cardiac_output_L_min: 4.4, bsa_m2: 2 }).result, 2.2);
  assert.ok(!fired(cardiacIndex({ cardiac_output_L_min: 4.4, bsa_m2: 2 }), 'ci_lt_2_2'));
  assert.ok(fired(cardiacIndex({ cardiac_output_L_min: 4.38, bsa_m2: 2 }), 'ci_lt_2_2')); // 2.19
  assert.ok(!fired(cardiacIndex({ cardiac_output_L_min: 4.42, bsa_m2: 2 }), 'ci_lt_2_2')); // 2.21
  assert.equal(cardiacIndex({ cardiac_index_L_min_m2: 1.8 }).result, 1.8);
  assert.deepEqual(cardiacIndex({ cardiac_output_L_min: 4 }).missing, ['bsa_m2']);
});

test('CPO = MAP × CO / 451 (Fincke 2004); ≤ 0.6 W fires at exactly 0.6 (SCAI C), ≤ 0.53 W (Fincke)', () => {
  // 60 × 4.51 / 451 = 0.6
  const at = cardiacPowerOutput({ map_mmHg: 60, cardiac_output_L_min: 4.51 });
  assert.equal(at.result, 0.6);
  assert.ok(fired(at, 'cpo_le_0_6'));
  assert.ok(!fired(at, 'cpo_le_0_53'));
  // 61 × 4.51 / 451 = 0.61
  assert.ok(!fired(cardiacPowerOutput({ map_mmHg: 61, cardiac_output_L_min: 4.51 }), 'cpo_le_0_6'));
  // 53 × 4.51 / 451 = 0.53
  assert.ok(fired(cardiacPowerOutput({ map_mmHg: 53, cardiac_output_L_min: 4.51 }), 'cpo_le_0_53'));
  // variant (MAP − RAP): (80 − 10) × 4.51 / 451 = 0.7
  assert.equal(cardiacPowerOutput({ map_mmHg: 80, cardiac_output_L_min: 4.51, rap_mmHg: 10 }, 'map_minus_rap').result, 0.7);
  assert.deepEqual(cardiacPowerOutput({ map_mmHg: 80, cardiac_output_L_min: 4.51 }, 'map_minus_rap').missing, ['rap_mmHg']);
  assert.deepEqual(cardiacPowerOutput({ map_mmHg: 80 }).missing, ['cardiac_output_L_min']);
});

test('CPI = CPO / BSA', () => {
  assert.equal(cardiacPowerIndex({ cpo_W: 0.6, bsa_m2: 2 }).result, 0.3);
  assert.deepEqual(cardiacPowerIndex({ cpo_W: 0.6 }).missing, ['bsa_m2']);
});

test('PAPi = (PAS − PAD)/RAP; < 1.85 (SCAI) and < 0.9 (inferior MI); undefined when RAP ≤ 0 (reference 9)', () => {
  assert.equal(pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 40, padp_mmHg: 20, rap_mmHg: 10 }).result, 2);
  // (37 − 18.5)/10 = 1.85 → not < 1.85
  assert.ok(!fired(pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 37, padp_mmHg: 18.5, rap_mmHg: 10 }), 'papi_lt_1_85'));
  assert.ok(fired(pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 36, padp_mmHg: 18, rap_mmHg: 10 }), 'papi_lt_1_85'));
  // (27 − 18)/10 = 0.9 → not < 0.9; (26 − 18)/10 = 0.8 → < 0.9
  assert.ok(!fired(pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 27, padp_mmHg: 18, rap_mmHg: 10 }), 'papi_lt_0_9'));
  assert.ok(fired(pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 26, padp_mmHg: 18, rap_mmHg: 10 }), 'papi_lt_0_9'));
  const zero = pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 30, padp_mmHg: 15, rap_mmHg: 0 });
  assert.equal(zero.result, null);
  assert.equal(zero.missing.length, 0);
  assert.ok(fired(zero, 'papi_undefined_rap_le_0'));
  assert.deepEqual(pulmonaryArteryPulsatilityIndex({ pasp_mmHg: 30 }).missing, ['padp_mmHg', 'rap_mmHg']);
});

test('RAP/PCWP: ≥ 0.8 fires at exactly 0.8 (SCAI C); > 0.63 (Kormos)', () => {
  const at = rapPcwpRatio({ rap_mmHg: 16, pcwp_mmHg: 20 });
  assert.equal(at.result, 0.8);
  assert.ok(fired(at, 'rap_pcwp_ge_0_8'));
  assert.ok(!fired(rapPcwpRatio({ rap_mmHg: 15, pcwp_mmHg: 20 }), 'rap_pcwp_ge_0_8')); // 0.75
  assert.ok(fired(rapPcwpRatio({ rap_mmHg: 15, pcwp_mmHg: 20 }), 'rap_pcwp_gt_0_63'));
  assert.ok(!fired(rapPcwpRatio({ rap_mmHg: 6.3, pcwp_mmHg: 10 }), 'rap_pcwp_gt_0_63')); // exactly 0.63
  assert.equal(rapPcwpRatio({ rap_mmHg: 5, pcwp_mmHg: 0 }).result, null);
});

test('SVR = 80 × (MAP − RAP)/CO (reference 2)', () => {
  // 80 × (80 − 10) / 5 = 1120
  assert.equal(systemicVascularResistance({ map_mmHg: 80, rap_mmHg: 10, cardiac_output_L_min: 5 }).result, 1120);
  assert.deepEqual(systemicVascularResistance({ map_mmHg: 80 }).missing, ['rap_mmHg', 'cardiac_output_L_min']);
});
