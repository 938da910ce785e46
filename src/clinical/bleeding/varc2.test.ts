import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';
import { classifyVarc2 } from './varc2.js';

const base: BleedingFactsInput = {
  site: 'access_site',
  overt: true,
  fatal: false,
  pericardiocentesis: false,
  compartmentSyndrome: false,
  hemodynamicCompromise: false,
  vasoactiveStartedForBleeding: false,
  surgicalOrEndovascularControl: false,
  causedHospitalizationOrHigherCare: false,
  permanentInjury: false,
  rbcUnitsWithin48h: 0,
  wholeBloodUnits: 0,
  hbBaseline: { value: 12 },
  hbNadir: { value: 11 },
};
const varc = (x: Partial<BleedingFactsInput>, rs = DEFAULT_BLEEDING_RULE_SET) =>
  classifyVarc2(bleedingFactsSchema.parse({ ...base, ...x }), rs);

describe('VARC-2 (reference 5.6, Kappetein 2012)', () => {
  it('5.6: access-site hematoma without consequences is minor', () => {
    assert.equal(varc({}).result, 'minor');
    assert.deepEqual(varc({}).missing, []);
  });
  it('5.6 boundary: Hb drop 2.9 minor, 3.0 major (≥ 3.0 default; "> 3.0" option), 4.9 major, 5.0 life-threatening', () => {
    assert.equal(varc({ hbNadir: { value: 9.1 } }).result, 'minor');
    assert.equal(varc({ hbNadir: { value: 9 } }).result, 'major');
    const strict = { ...DEFAULT_BLEEDING_RULE_SET, varc2MajorHbDropComparison: '>' as const };
    assert.equal(varc({ hbNadir: { value: 9 } }, strict).result, 'minor');
    assert.equal(varc({ hbNadir: { value: 8.9 } }, strict).result, 'major');
    assert.equal(varc({ hbNadir: { value: 7.1 } }).result, 'major');
    assert.equal(varc({ hbNadir: { value: 7 } }).result, 'life_threatening');
  });
  it('5.6 boundary on units: 1 minor, 2 and 3 major, 4 life-threatening', () => {
    const u = (n: number) => ({ rbcUnitsWithin48h: n, unitsBetweenBaselineAndNadir: 0 });
    assert.equal(varc(u(1)).result, 'minor');
    assert.equal(varc(u(2)).result, 'major');
    assert.equal(varc(u(3)).result, 'major');
    assert.equal(varc(u(4)).result, 'life_threatening');
  });
  it('VARC-2 uses the corrected drop by default (12 → 10 + 1 unit between = 3 → major); uncorrected option gives minor', () => {
    const x = { hbNadir: { value: 10 }, rbcUnitsWithin48h: 1, unitsBetweenBaselineAndNadir: 1 };
    assert.equal(varc(x).result, 'major');
    assert.equal(varc(x, { ...DEFAULT_BLEEDING_RULE_SET, varc2HbDrop: 'uncorrected' }).result, 'minor');
  });
  it('5.6: critical organ bleeding is life-threatening (pericardial needs pericardiocentesis; muscle needs compartment syndrome)', () => {
    assert.equal(varc({ site: 'intracranial' }).result, 'life_threatening');
    assert.equal(varc({ site: 'intraspinal' }).result, 'life_threatening');
    assert.equal(varc({ site: 'intraocular' }).result, 'life_threatening');
    assert.equal(varc({ site: 'pericardial' }).result, 'minor');
    assert.equal(varc({ site: 'pericardial', pericardiocentesis: true }).result, 'life_threatening');
    assert.equal(varc({ site: 'intramuscular', compartmentSyndrome: true }).result, 'life_threatening');
    assert.equal(varc({ site: 'retroperitoneal' }).result, 'minor');
  });
  it('5.6: hypovolemic shock needing vasopressors or surgery is life-threatening; fatal is life-threatening', () => {
    assert.equal(varc({ hemodynamicCompromise: true, vasoactiveStartedForBleeding: true }).result, 'life_threatening');
    assert.equal(varc({ hemodynamicCompromise: true, surgicalOrEndovascularControl: true }).result, 'life_threatening');
    assert.equal(varc({ fatal: true }).result, 'life_threatening');
  });
  it('5.6: hospitalization, permanent injury or surgery make an overt bleed major', () => {
    assert.equal(varc({ causedHospitalizationOrHigherCare: true }).result, 'major');
    assert.equal(varc({ permanentInjury: true }).result, 'major');
    assert.equal(varc({ surgicalOrEndovascularControl: true }).result, 'major');
  });
});
