import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxDoseDuring, neeAt, vasoactivesDuring, visAt } from './vasoactive-adapter.js';
import { infusion } from './__fixtures__/scai-builders.js';

test('VIS: vasopressin 0.04 U/min at 80 kg contributes 5 points (reference 2.1 worked example)', () => {
  // 0.04 / 80 = 0.0005 U/kg/min × 10,000 = 5
  const r = visAt([infusion('vasopressin', 0, 0.04)], 10, 80, 'gaies2010');
  assert.ok(r.value !== null && Math.abs(r.value - 5) < 1e-9);
});

test('VIS: Gaies formula, norepinephrine 0.1 + dobutamine 5 + milrinone 0.5 = 10 + 5 + 5 = 20 (reference 2.1)', () => {
  const inf = [infusion('norepinephrine', 0, 0.1), infusion('dobutamine', 0, 5), infusion('milrinone', 0, 0.5)];
  const r = visAt(inf, 0, undefined, 'gaies2010');
  assert.ok(r.value !== null && Math.abs(r.value - 20) < 1e-9);
});

test('VIS: adult variant adds 10 × phenylephrine; vasopressin without weight is missing, not zero', () => {
  assert.equal(visAt([infusion('phenylephrine', 0, 1)], 0, 70, 'gaies2010+phenylephrine').value, 10);
  assert.equal(visAt([infusion('phenylephrine', 0, 1)], 0, 70, 'gaies2010').value, 0);
  const r = visAt([infusion('vasopressin', 0, 0.04)], 0, undefined, 'gaies2010');
  assert.equal(r.value, null);
  assert.deepEqual(r.missing, ['weight_kg']);
});

test('NEE: 0.1 NE = 0.1 epi = 15 dopamine = 1 phenylephrine = 0.04 U/min vasopressin (reference 2.2)', () => {
  for (const [drug, rate] of [['norepinephrine', 0.1], ['epinephrine', 0.1], ['dopamine', 15], ['phenylephrine', 1], ['vasopressin', 0.04]] as const) {
    const r = neeAt([infusion(drug, 0, rate)], 0);
    assert.ok(r.value !== null && Math.abs(r.value - 0.1) < 1e-12, drug);
  }
  assert.equal(neeAt([infusion('dobutamine', 0, 10), infusion('milrinone', 0, 0.5)], 0).value, 0, 'inotropes are not in NEE');
});

test('infusions run over [start, end): counts and maxima over a window', () => {
  const inf = [infusion('norepinephrine', 0, 0.05, 120), infusion('norepinephrine', 120, 0.2), infusion('dobutamine', 200, 5, 300)];
  assert.deepEqual(vasoactivesDuring(inf, 0, 60), ['norepinephrine']);
  assert.deepEqual(vasoactivesDuring(inf, 0, 200), ['dobutamine', 'norepinephrine']);
  assert.deepEqual(vasoactivesDuring(inf, 300, 400), ['norepinephrine'], 'dobutamine ended at 300');
  const m = maxDoseDuring(inf, 0, 400, (x) => neeAt(inf, x));
  assert.equal(m.value, 0.2);
  assert.equal(m.t_min, 120);
});

test('scores come from the hemodynamics rules: a rate not in its canonical unit, or a weight of 0, is missing, not scored', () => {
  const perMin = { drug: 'norepinephrine', t_start_min: 0, rate: 8, rateUnit: 'ug/min' };
  assert.deepEqual(visAt([perMin], 0, 80, 'gaies2010'), { value: null, missing: ['norepinephrine_rate_in_canonical_unit'] });
  assert.deepEqual(neeAt([perMin], 0), { value: null, missing: ['norepinephrine_rate_in_ug/kg/min'] });
  assert.deepEqual(visAt([infusion('vasopressin', 0, 0.04)], 0, 0, 'gaies2010'), { value: null, missing: ['weight_kg'] });
});
