import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { classifyIsth } from './isth.js';

const base: BleedingFactsInput = {
  site: 'gastrointestinal',
  overt: true,
  fatal: false,
  compartmentSyndrome: false,
  rbcUnitsWithin48h: 0,
  wholeBloodUnits: 0,
  hbBaseline: { value: 12 },
  hbNadir: { value: 11 },
  medicalInterventionByProfessional: false,
  causedHospitalizationOrHigherCare: false,
  promptedEvaluation: false,
  anticoagulationInterrupted: false,
  discomfortOrImpairedActivities: false,
  surgicalOrEndovascularControl: false,
  vasoactiveStartedForBleeding: false,
};
const isth = (x: Partial<BleedingFactsInput>) => classifyIsth(bleedingFactsSchema.parse({ ...base, ...x }));

describe('ISTH major / CRNM (reference 5.5, Schulman & Kearon 2005; Kaatz 2015)', () => {
  it('5.5: uncorrected Hb fall boundary 1.9 → not major, 2.0 → major (≥ 2 g/dL)', () => {
    assert.equal(isth({ hbNadir: { value: 10.1 } }).result, 'minor');
    assert.equal(isth({ hbNadir: { value: 10 } }).result, 'major');
  });
  it('5.5: Hb fall in g/L and mmol/L is converted first (20 g/L; 1.24 mmol/L ≈ 2 g/dL)', () => {
    assert.equal(isth({ hbBaseline: { value: 120, unit: 'g/L' }, hbNadir: { value: 100, unit: 'g/L' } }).result, 'major');
    // 7.45 − 6.20 = 1.25 mmol/L = 2.014 g/dL → major; 7.45 − 6.22 = 1.23 mmol/L = 1.98 g/dL → not
    assert.equal(isth({ hbBaseline: { value: 7.45, unit: 'mmol/L' }, hbNadir: { value: 6.2, unit: 'mmol/L' } }).result, 'major');
    assert.equal(isth({ hbBaseline: { value: 7.45, unit: 'mmol/L' }, hbNadir: { value: 6.22, unit: 'mmol/L' } }).result, 'minor');
  });
  it('5.5: the Hb fall is NOT transfusion-corrected; ≥ 2 units is its own trigger (1 unit: not major)', () => {
    // 12 → 10.5 = 1.5 g/dL with 1 unit between: corrected 2.5 but ISTH uses 1.5 → not major (CRNM: intervention)
    const r = isth({ hbNadir: { value: 10.5 }, rbcUnitsWithin48h: 1, unitsBetweenBaselineAndNadir: 1 });
    assert.equal(r.result, 'crnm');
    assert.equal(isth({ rbcUnitsWithin48h: 2 }).result, 'major');
  });
  it('5.5: critical sites are major; intramuscular only with compartment syndrome', () => {
    for (const site of ['intracranial', 'intraspinal', 'intraocular', 'retroperitoneal', 'intra_articular', 'pericardial'] as const) {
      assert.equal(isth({ site }).result, 'major', site);
    }
    assert.equal(isth({ site: 'intramuscular' }).result, 'minor');
    assert.equal(isth({ site: 'intramuscular', compartmentSyndrome: true }).result, 'major');
  });
  it('5.5: fatal bleeding is major', () => {
    assert.equal(isth({ fatal: true }).result, 'major');
  });
  it('5.5 (Kaatz 2015): overt non-major bleeding with intervention, contact, interruption or discomfort is CRNM', () => {
    assert.equal(isth({ medicalInterventionByProfessional: true }).result, 'crnm');
    assert.equal(isth({ promptedEvaluation: true }).result, 'crnm');
    assert.equal(isth({ anticoagulationInterrupted: true }).result, 'crnm');
    assert.equal(isth({ discomfortOrImpairedActivities: true }).result, 'crnm');
    assert.equal(isth({ causedHospitalizationOrHigherCare: true }).result, 'crnm');
    assert.equal(isth({ overt: false, anticoagulationInterrupted: true }).result, 'minor');
  });
});
