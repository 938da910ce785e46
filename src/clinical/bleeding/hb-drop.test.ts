import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';

const drop = (x: BleedingFactsInput) => transfusionCorrectedHbDrop(bleedingFactsSchema.parse(x));

describe('transfusion-corrected Hb drop (reference 5.1)', () => {
  it('5.1 worked case: 12.0 → 8.5 g/dL with 2 units between = 3.5 + 2 × 1.0 = 5.5 g/dL', () => {
    const r = drop({ site: 'gastrointestinal', hbBaseline: { value: 12 }, hbNadir: { value: 8.5 }, rbcUnitsWithin48h: 2, unitsBetweenBaselineAndNadir: 2 });
    assert.equal(r.result.uncorrected_g_dL, 3.5);
    assert.equal(r.result.corrected_g_dL, 5.5);
    assert.equal(r.result.unitsKnown, true);
    assert.deepEqual(r.missing, []);
  });
  it('5.1 unit conversion: 120 → 85 g/L is 3.5 g/dL; 7.447 → 5.275 mmol/L is 3.5 g/dL (÷ 0.6206)', () => {
    assert.equal(drop({ site: 'other', hbBaseline: { value: 120, unit: 'g/L' }, hbNadir: { value: 85, unit: 'g/L' }, rbcUnitsWithin48h: 0 }).result.corrected_g_dL, 3.5);
    const m = drop({ site: 'other', hbBaseline: { value: 7.4472, unit: 'mmol/L' }, hbNadir: { value: 5.2751, unit: 'mmol/L' }, rbcUnitsWithin48h: 0 });
    assert.ok(Math.abs((m.result.corrected_g_dL ?? NaN) - 3.5) < 0.001);
  });
  it('no transfusion within 48 h: units between are 0 and known', () => {
    const r = drop({ site: 'other', hbBaseline: { value: 12 }, hbNadir: { value: 10 }, rbcUnitsWithin48h: 0 });
    assert.equal(r.result.corrected_g_dL, 2);
    assert.equal(r.result.unitsKnown, true);
  });
  it('missing: units between baseline and nadir unknown when units were given → listed, counted as 0 with a max', () => {
    const r = drop({ site: 'other', hbBaseline: { value: 12 }, hbNadir: { value: 10 }, rbcUnitsWithin48h: 3 });
    assert.equal(r.result.corrected_g_dL, 2);
    assert.equal(r.result.unitsKnown, false);
    assert.equal(r.result.correctionUnitsMax, 3);
    assert.deepEqual(r.missing, ['unitsBetweenBaselineAndNadir']);
  });
  it('missing: no Hb → no drop, baseline and nadir listed', () => {
    const r = drop({ site: 'other' });
    assert.equal(r.result.corrected_g_dL, undefined);
    assert.deepEqual(r.missing, ['hbBaseline', 'hbNadir']);
  });
  it('5.1: hemodilution suspected is flagged', () => {
    const r = drop({ site: 'cannula_site', hbBaseline: { value: 12 }, hbNadir: { value: 9 }, hemodilutionSuspected: true, rbcUnitsWithin48h: 0 });
    assert.equal(r.result.hemodilutionSuspected, true);
    assert.ok(r.reasons.some((x) => x.criterion === 'hemodilution_suspected'));
  });
});
