import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { classifyGusto } from './gusto.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';

const base: BleedingFactsInput = {
  site: 'gastrointestinal',
  overt: true,
  fatal: false,
  hemodynamicCompromise: false,
  vasoactiveStartedForBleeding: false,
  surgicalOrEndovascularControl: false,
  pericardiocentesis: false,
  medicalInterventionByProfessional: false,
  rbcUnitsWithin48h: 0,
  wholeBloodUnits: 0,
};
const gusto = (x: Partial<BleedingFactsInput>, rs = DEFAULT_BLEEDING_RULE_SET) =>
  classifyGusto(bleedingFactsSchema.parse({ ...base, ...x }), rs);

describe('GUSTO (reference 5.3, GUSTO Investigators 1993)', () => {
  it('5.3: bleeding without transfusion or compromise is mild', () => {
    assert.equal(gusto({}).result, 'mild');
    assert.deepEqual(gusto({}).missing, []);
  });
  it('5.3: transfusion without hemodynamic compromise is moderate (boundary 0 → 1 unit)', () => {
    assert.equal(gusto({ rbcUnitsWithin48h: 0 }).result, 'mild');
    assert.equal(gusto({ rbcUnitsWithin48h: 1 }).result, 'moderate');
    assert.equal(gusto({ wholeBloodUnits: 1 }).result, 'moderate');
  });
  it('5.3: intracranial hemorrhage is severe', () => {
    assert.equal(gusto({ site: 'intracranial' }).result, 'severe');
  });
  it('5.3: hemodynamic compromise requiring intervention is severe; compromise alone is not', () => {
    assert.equal(gusto({ hemodynamicCompromise: true, vasoactiveStartedForBleeding: true }).result, 'severe');
    assert.equal(gusto({ hemodynamicCompromise: true, rbcUnitsWithin48h: 2 }).result, 'severe');
    assert.equal(gusto({ hemodynamicCompromise: true }).result, 'mild');
  });
  it('fatal bleeding is severe by default (rule-set gustoFatalIsSevere) and mild when switched off', () => {
    assert.equal(gusto({ fatal: true }).result, 'severe');
    assert.equal(gusto({ fatal: true }, { ...DEFAULT_BLEEDING_RULE_SET, gustoFatalIsSevere: false }).result, 'mild');
  });
  it('missing data: unknown transfusion and compromise are listed; upper bound severe', () => {
    const r = classifyGusto(bleedingFactsSchema.parse({ site: 'gastrointestinal', overt: true }));
    assert.equal(r.result, 'mild');
    assert.equal(r.upperBound, 'severe');
    assert.ok(r.missing.includes('rbcUnitsWithin48h'));
    assert.ok(r.missing.includes('fatal'));
  });
});
