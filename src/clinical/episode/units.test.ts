import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OBSERVATION_CODES, OBSERVATION_CODE_NAMES } from './observation-codes.js';
import { fromCanonical, tidy, toCanonical } from './units.js';

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

test('tidy: the integer fast path gives the 12-significant-digit rounding, up to and past its 1e12 bound', () => {
  const rounded = (x: number) => Number(x.toPrecision(12));
  const cases = [1, -1, 59, 1440, 525_600, 999_999_999_999, -999_999_999_999, 1e12, 1e12 + 1, -1e12 - 7, 123_456_789_012_345, 0.1 + 0.2, 1.2000000000000002, -3.0000000000000004];
  for (const x of cases) assert.equal(tidy(x), rounded(x), String(x));
  // 1e12 + 1 has 13 digits: it must be rounded (to 1e12), not passed through.
  assert.equal(tidy(1e12 + 1), 1e12);
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 10_000; i++) {
    const x = Math.round((next() - 0.5) * 10 ** Math.floor(next() * 15));
    if (x === 0) continue; // tidy leaves a zero (and its sign) alone, as it always has
    assert.equal(tidy(x), rounded(x), String(x));
  }
});
