import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OBSERVATION_CODES, OBSERVATION_CODE_NAMES } from './observation-codes.js';
import { fromCanonical, toCanonical } from './units.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

// Reference 8, conversion factors.
test('lactate mg/dL → mmol/L (reference 8: × 0.111; 18 mg/dL ≈ 2.0 mmol/L)', () => {
  // 18 × 10 / 90.08 = 1.99822...
  close(toCanonical('lactate_mmol_L', 18, 'mg/dL'), 1.998224, 1e-6);
  close(toCanonical('lactate_mmol_L', 90.08, 'mg/dL'), 10);
});

test('creatinine µmol/L → mg/dL (reference 8: µmol/L = mg/dL × 88.4)', () => {
  close(toCanonical('creatinine_mg_dL', 88.4, 'umol/L'), 1);
  close(toCanonical('creatinine_mg_dL', 353.6, 'µmol/L'), 4); // KDIGO 3 threshold 4.0 mg/dL = 353.6 µmol/L
});

test('hemoglobin g/L and mmol/L → g/dL (reference 5.1/8: g/L ÷ 10; mmol/L ÷ 0.6206)', () => {
  close(toCanonical('hemoglobin_g_dL', 120, 'g/L'), 12);
  close(toCanonical('hemoglobin_g_dL', 6.206, 'mmol/L'), 10);
  // ISTH: 2 g/dL = 20 g/L = 1.24 mmol/L (1.2412 exactly)
  close(toCanonical('hemoglobin_g_dL', 1.2412, 'mmol/L'), 2);
});

test('bilirubin µmol/L → mg/dL (reference 8: × 17.1; SOFA 20 µmol/L ≈ 1.2 mg/dL)', () => {
  close(toCanonical('bilirubin_mg_dL', 17.1, 'umol/L'), 1);
  close(toCanonical('bilirubin_mg_dL', 205.2, 'umol/L'), 12);
});

test('plasma free Hb mg/L → mg/dL (reference 8: 500 mg/L = 50 mg/dL)', () => {
  close(toCanonical('plasma_free_hb_mg_dL', 500, 'mg/L'), 50);
});

test('fibrinogen and haptoglobin g/L → mg/dL (reference 8: × 100); 1.5 g/L = 150 mg/dL', () => {
  close(toCanonical('fibrinogen_mg_dL', 1.5, 'g/L'), 150);
  close(toCanonical('haptoglobin_mg_dL', 0.3, 'g/L'), 30);
});

test('enzymes µkat/L → U/L (× 60); troponin ng/mL → ng/L (× 1000); kPa → mmHg', () => {
  close(toCanonical('ldh_U_L', 10, 'ukat/L'), 600);
  close(toCanonical('troponin_ng_L', 0.05, 'ng/mL'), 50);
  close(toCanonical('pao2_mmHg', 13.3322, 'kPa'), 100, 1e-6);
});

test('temperature °F → °C, FiO2 % → fraction', () => {
  close(toCanonical('temperature_C', 98.6, '[degF]'), 37);
  close(toCanonical('fio2_fraction', 40, '%'), 0.4);
});

test('unknown unit throws with the accepted units named', () => {
  assert.throws(() => toCanonical('lactate_mmol_L', 1, 'g/L'), /expected one of mmol\/L, mmol\/l, mg\/dL/);
});

test('property: converting into the canonical unit and back changes nothing (every code, every unit)', () => {
  const pairs = OBSERVATION_CODE_NAMES.flatMap((c) => OBSERVATION_CODES[c].inputUnits.map((u) => [c, u.unit] as const));
  fc.assert(
    fc.property(fc.constantFrom(...pairs), fc.double({ min: -1000, max: 100000, noNaN: true }), ([code, unit], v) => {
      const back = fromCanonical(code, toCanonical(code, v, unit), unit);
      return Math.abs(back - v) <= 1e-9 * Math.max(1, Math.abs(v));
    }),
  );
});
