import { test } from 'node:test';
import assert from 'node:assert/strict';
import { episodeOf, ob, at } from '../episode/__fixtures__/build.js';
import { assessAki } from './kdigo-aki.js';

const base = (v: number) => ({ clinical: { baselineCreatinine: { value: v, unit: 'mg/dL', source: 'outpatient_365_days' } } });
const aki = (extra: Record<string, unknown>, atMin = 10000) => assessAki(episodeOf(extra), { atMin });

test('creatinine ratio to baseline (reference 4.2): 1.5 → 1, 2.0 → 2, 3.0 → 3; just below stays lower', () => {
  const cases: [number, number][] = [[1.49, 0], [1.5, 1], [1.99, 1], [2.0, 2], [2.99, 2], [3.0, 3]];
  for (const [v, s] of cases) assert.equal(aki({ ...base(1.0), observations: [ob('creatinine_mg_dL', v, 60)] }).result, s, `creatinine ${v}`);
});

test('creatinine in µmol/L against a baseline in µmol/L: 88.4 → 265.2 µmol/L is 3.0 × → stage 3', () => {
  const r = aki({ clinical: { baselineCreatinine: { value: 88.4, unit: 'umol/L' } }, observations: [ob('creatinine_mg_dL', 265.2, 60, { unit: 'umol/L' })] });
  assert.equal(r.result, 3);
});

test('absolute rise ≥ 0.3 mg/dL within 48 h → stage 1; 0.29 or outside 48 h does not', () => {
  assert.equal(aki({ observations: [ob('creatinine_mg_dL', 1.0, 0), ob('creatinine_mg_dL', 1.3, 1440)] }).result, 1);
  assert.equal(aki({ observations: [ob('creatinine_mg_dL', 1.0, 0), ob('creatinine_mg_dL', 1.29, 1440)] }).result, 0);
  assert.equal(aki({ observations: [ob('creatinine_mg_dL', 1.0, 0), ob('creatinine_mg_dL', 1.3, 2881)] }).result, 0);
});

test('creatinine ≥ 4.0 mg/dL → stage 3 when an AKI criterion is met (KDIGO "increase to ≥ 4.0")', () => {
  // 4.0 / 2.6 = 1.54 → AKI → 3
  assert.equal(aki({ ...base(2.6), observations: [ob('creatinine_mg_dL', 4.0, 60)] }).result, 3);
  // stable CKD 3.9 → 4.0: no AKI criterion → 0
  assert.equal(aki({ ...base(3.9), observations: [ob('creatinine_mg_dL', 4.0, 60)] }).result, 0);
  assert.equal(assessAki(episodeOf({ ...base(3.9), observations: [ob('creatinine_mg_dL', 4.0, 60)] }), { atMin: 100, parameters: { creatinine4RequiresAki: false } }).result, 3);
});

test('kidney replacement therapy start → stage 3 regardless of creatinine', () => {
  const r = aki({ ...base(1.0), observations: [ob('creatinine_mg_dL', 1.1, 60)], supports: [{ kind: 'kidney_replacement', start: at(600) }] });
  assert.equal(r.result, 3);
  assert.ok(r.krt);
  assert.equal(r.stageTime, at(600));
});

test('urine output (80 kg): < 0.5 mL/kg/h (40 mL/h) for 6 h → 1, for 12 h → 2; < 0.3 for 24 h → 3; anuria 12 h → 3', () => {
  const hours = (mlH: number, n: number) => Array.from({ length: n }, (_, i) => ob('urine_output_mL_h', mlH, 60 * (i + 1)));
  assert.equal(aki({ observations: hours(39, 6) }).urineStage, 1);
  assert.equal(aki({ observations: hours(40, 6) }).urineStage, 0);
  assert.equal(aki({ observations: hours(39, 5) }).urineStage, null); // 5 h only: cannot judge
  assert.equal(aki({ observations: hours(39, 12) }).urineStage, 2);
  assert.equal(aki({ observations: hours(23.9, 24) }).urineStage, 3); // 0.3 × 80 = 24 mL/h
  assert.equal(aki({ observations: hours(24, 24) }).urineStage, 2);
  assert.equal(aki({ observations: hours(0, 12) }).urineStage, 3);
});

test('missing data: a single creatinine without baseline cannot be staged; no weight blocks urine criteria', () => {
  const r = aki({ observations: [ob('creatinine_mg_dL', 3.0, 60)] });
  assert.equal(r.result, null);
  assert.ok(r.baselineUnknown);
  assert.ok(r.missing.includes('baseline_creatinine'));
  const noW = assessAki(episodeOf({ demographics: {}, observations: Array.from({ length: 6 }, (_, i) => ob('urine_output_mL_h', 10, 60 * (i + 1))) }), { atMin: 600 });
  assert.equal(noW.urineStage, null);
  assert.ok(noW.missing.includes('weight_kg'));
});

test('property-like: raising the last creatinine never lowers the stage', () => {
  for (let v = 0.5; v <= 8; v += 0.1) {
    const s1 = aki({ ...base(1.0), observations: [ob('creatinine_mg_dL', 1.0, 0), ob('creatinine_mg_dL', v, 600)] }).result ?? 0;
    const s2 = aki({ ...base(1.0), observations: [ob('creatinine_mg_dL', 1.0, 0), ob('creatinine_mg_dL', v + 0.1, 600)] }).result ?? 0;
    assert.ok(s2 >= s1, `creatinine ${v}`);
  }
});
