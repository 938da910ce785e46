import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { norepinephrineEquivalent, vasoactiveInotropicScore } from './vasoactive-score.js';

const u = 'ug/kg/min';

test('VIS worked example (reference 2.1): vasopressin 0.04 U/min at 80 kg → 0.0005 U/kg/min → 5 points', () => {
  const r = vasoactiveInotropicScore([{ drug: 'vasopressin', rate: 0.04, rateUnit: 'U/min' }], { weight_kg: 80 });
  assert.equal(r.result, 5);
});

test('VIS Gaies 2010: dopamine + dobutamine + 100 epi + 100 NE + 10 milrinone + 10,000 vasopressin', () => {
  // 3 + 5 + 100×0.05 + 100×0.1 + 10×0.5 + 10000×(0.04/80) = 3 + 5 + 5 + 10 + 5 + 5 = 33
  const doses = [
    { drug: 'dopamine', rate: 3, rateUnit: u }, { drug: 'dobutamine', rate: 5, rateUnit: u }, { drug: 'epinephrine', rate: 0.05, rateUnit: u },
    { drug: 'norepinephrine', rate: 0.1, rateUnit: u }, { drug: 'milrinone', rate: 0.5, rateUnit: u }, { drug: 'vasopressin', rate: 0.04, rateUnit: 'U/min' },
  ];
  assert.equal(vasoactiveInotropicScore(doses, { weight_kg: 80, version: 'gaies2010' }).result, 33);
});

test('VIS phenylephrine counts (×10) only in the adult CICU variant; levosimendan never', () => {
  const doses = [{ drug: 'phenylephrine', rate: 1, rateUnit: u }, { drug: 'levosimendan', rate: 0.1, rateUnit: u }];
  assert.equal(vasoactiveInotropicScore(doses, { version: 'gaies2010' }).result, 0);
  const r = vasoactiveInotropicScore(doses, { version: 'gaies2010_phenylephrine' });
  assert.equal(r.result, 10);
  assert.ok(r.reasons.some((x) => x.criterion === 'vis_excluded_levosimendan'));
});

test('VIS with vasopressin but no weight: null and weight_kg missing, never a silent partial score', () => {
  const r = vasoactiveInotropicScore([{ drug: 'norepinephrine', rate: 0.1, rateUnit: u }, { drug: 'vasopressin', rate: 0.04, rateUnit: 'U/min' }]);
  assert.equal(r.result, null);
  assert.deepEqual(r.missing, ['weight_kg']);
});

test('VIS of no infusions is 0 (no vasoactives is a known fact, not missing data)', () => {
  assert.equal(vasoactiveInotropicScore([]).result, 0);
});

test('NEE (reference 2.2, Jentzer/Mayo): NE + epi + dopamine/150 + phenylephrine/10 + 2.5 × vasopressin U/min; inotropes excluded', () => {
  // 0.1 + 0.1 + 15/150 + 1/10 + 2.5 × 0.04 = 0.1 + 0.1 + 0.1 + 0.1 + 0.1 = 0.5
  const doses = [
    { drug: 'norepinephrine', rate: 0.1, rateUnit: u }, { drug: 'epinephrine', rate: 0.1, rateUnit: u }, { drug: 'dopamine', rate: 15, rateUnit: u },
    { drug: 'phenylephrine', rate: 1, rateUnit: u }, { drug: 'vasopressin', rate: 0.04, rateUnit: 'U/min' }, { drug: 'dobutamine', rate: 10, rateUnit: u },
  ];
  const r = norepinephrineEquivalent(doses);
  assert.equal(r.result, 0.5);
  assert.ok(r.reasons.some((x) => x.criterion === 'nee_excluded_dobutamine'));
  // dopamine/100 table: 15/100 = 0.15 instead of 0.1
  assert.equal(norepinephrineEquivalent(doses, { table: 'dopamine_100' }).result, 0.55);
});

test('property: raising any single vasoactive dose never lowers VIS or NEE', () => {
  const drugs = ['dopamine', 'dobutamine', 'epinephrine', 'norepinephrine', 'milrinone', 'phenylephrine'];
  fc.assert(
    fc.property(
      fc.array(fc.record({ drug: fc.constantFrom(...drugs), rate: fc.double({ min: 0, max: 5, noNaN: true }) }), { maxLength: 6 }),
      fc.nat(),
      fc.double({ min: 0, max: 5, noNaN: true }),
      (list, idx, extra) => {
        const doses = list.map((d) => ({ ...d, rateUnit: u }));
        if (doses.length === 0) return true;
        const i = idx % doses.length;
        const worse = doses.map((d, j) => (j === i ? { ...d, rate: d.rate + extra } : d));
        const v0 = vasoactiveInotropicScore(doses).result ?? 0;
        const v1 = vasoactiveInotropicScore(worse).result ?? 0;
        const n0 = norepinephrineEquivalent(doses).result ?? 0;
        const n1 = norepinephrineEquivalent(worse).result ?? 0;
        return v1 >= v0 - 1e-9 && n1 >= n0 - 1e-9;
      },
    ),
  );
});
