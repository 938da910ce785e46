import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OBSERVATION_CODES, OBSERVATION_CODE_NAMES, isObservationCode } from './observation-codes.js';

test('every code has a definition whose canonical unit is accepted with factor 1', () => {
  for (const code of OBSERVATION_CODE_NAMES) {
    const def = OBSERVATION_CODES[code];
    assert.equal(def.code, code);
    const canonical = def.inputUnits.find((u) => u.unit === def.unit);
    assert.ok(canonical, `${code}: canonical unit ${def.unit} not in inputUnits`);
    assert.equal(canonical.factor, 1);
    assert.equal(canonical.offset ?? 0, 0);
  }
  assert.equal(Object.keys(OBSERVATION_CODES).length, OBSERVATION_CODE_NAMES.length);
});

test('warn band lies inside the reject band for every code', () => {
  for (const code of OBSERVATION_CODE_NAMES) {
    const { reject, warn } = OBSERVATION_CODES[code];
    assert.ok(reject.min < reject.max, code);
    if (warn) assert.ok(warn.min >= reject.min && warn.max <= reject.max, code);
  }
});

test('reference 9 ranges are transcribed (spot checks)', () => {
  assert.deepEqual(OBSERVATION_CODES.lactate_mmol_L.reject, { min: 0, max: 35 });
  assert.deepEqual(OBSERVATION_CODES.lactate_mmol_L.warn, { min: 0.3, max: 20 });
  assert.deepEqual(OBSERVATION_CODES.creatinine_mg_dL.reject, { min: 0.05, max: 30 });
  assert.deepEqual(OBSERVATION_CODES.hemoglobin_g_dL.reject, { min: 1, max: 25 });
  assert.deepEqual(OBSERVATION_CODES.rap_mmHg.reject, { min: -10, max: 50 });
  assert.deepEqual(OBSERVATION_CODES.aptt_s.reject, { min: 10, max: 300 });
  assert.equal(OBSERVATION_CODES.gcs.integer, true);
  assert.ok(isObservationCode('anti_xa_IU_mL'));
  assert.ok(!isObservationCode('lactate'));
});
