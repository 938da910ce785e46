import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBarc } from './barc.js';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';

const facts = (x: BleedingFactsInput) => bleedingFactsSchema.parse(x);
/** A fully recorded, non-actionable overt femoral access-site bleed; tests change one thing at a time. */
const base: BleedingFactsInput = {
  site: 'access_site',
  overt: true,
  fatal: false,
  cabgRelated: false,
  tamponade: false,
  surgicalOrEndovascularControl: false,
  vasoactiveStartedForBleeding: false,
  medicalInterventionByProfessional: false,
  causedHospitalizationOrHigherCare: false,
  promptedEvaluation: false,
  rbcUnitsWithin48h: 0,
  wholeBloodUnits: 0,
  hbBaseline: { value: 12 },
  hbNadir: { value: 11.5 },
};
const barc = (x: Partial<BleedingFactsInput>) => classifyBarc(facts({ ...base, ...x }));

describe('BARC (reference 5.2, Mehran 2011)', () => {
  it('5.2 step 7: overt bleed without action is type 1, fully determined', () => {
    const r = barc({});
    assert.equal(r.result, '1');
    assert.equal(r.upperBound, '1');
    assert.deepEqual(r.missing, []);
  });
  it('5.2 step 6: overt and actionable (medical intervention / hospitalization / evaluation) is type 2', () => {
    assert.equal(barc({ medicalInterventionByProfessional: true }).result, '2');
    assert.equal(barc({ causedHospitalizationOrHigherCare: true }).result, '2');
    assert.equal(barc({ promptedEvaluation: true }).result, '2');
  });
  it('5.2: not overt and actionable is type 1 (type 2 requires overt)', () => {
    assert.equal(barc({ overt: false, promptedEvaluation: true }).result, '1');
  });
  it('5.2 step 5: any transfusion with overt bleeding is 3a', () => {
    const r = barc({ rbcUnitsWithin48h: 1, unitsBetweenBaselineAndNadir: 0 });
    assert.equal(r.result, '3a');
    assert.ok(r.reasons.some((x) => x.criterion === 'barc_3a_transfusion'));
  });
  it('5.2 boundary: corrected Hb drop 2.9 → 1, 3.0 → 3a (≥ 3), 4.9 → 3a, 5.0 → 3b (≥ 5), 5.1 → 3b', () => {
    // drop = 12 − nadir (no transfusion)
    assert.equal(barc({ hbNadir: { value: 9.1 } }).result, '1');
    assert.equal(barc({ hbNadir: { value: 9 } }).result, '3a');
    assert.equal(barc({ hbNadir: { value: 7.1 } }).result, '3a');
    assert.equal(barc({ hbNadir: { value: 7 } }).result, '3b');
    assert.equal(barc({ hbNadir: { value: 6.9 } }).result, '3b');
  });
  it('5.1: the Hb drop is transfusion-corrected: 12 → 9.5 with 3 units between = 2.5 + 3 = 5.5 g/dL → 3b', () => {
    const r = barc({ hbNadir: { value: 9.5 }, rbcUnitsWithin48h: 3, unitsBetweenBaselineAndNadir: 3 });
    assert.equal(r.result, '3b');
    assert.ok(r.reasons.some((x) => x.criterion === 'barc_3b_hb_drop' && x.value === 5.5));
  });
  it('5.2 step 4: tamponade, surgical control, vasoactives each give 3b', () => {
    assert.equal(barc({ tamponade: true, site: 'pericardial' }).result, '3b');
    assert.equal(barc({ surgicalOrEndovascularControl: true }).result, '3b');
    assert.equal(barc({ vasoactiveStartedForBleeding: true }).result, '3b');
  });
  it('5.2 step 4: an Hb drop ≥ 5 without overt bleeding is not 3b', () => {
    assert.equal(barc({ overt: false, hbNadir: { value: 6 } }).result, '1');
  });
  it('5.2 step 3: intracranial (and intraspinal) hemorrhage is 3c; the confirmation source is the subcategory', () => {
    const r = barc({ site: 'intracranial', imagingConfirmed: true });
    assert.equal(r.result, '3c');
    assert.ok(r.reasons.some((x) => x.criterion === 'barc_3c_intracranial' && x.value === 'imaging'));
    assert.equal(barc({ site: 'intraspinal', imagingConfirmed: true }).result, '3c');
    assert.equal(barc({ site: 'intracranial', autopsyConfirmed: true }).result, '3c');
    const lp = barc({ site: 'intracranial', lumbarPunctureConfirmed: true });
    assert.ok(lp.reasons.some((x) => x.value === 'lumbar_puncture'));
    const none = barc({ site: 'intracranial' });
    assert.equal(none.result, '3c');
    assert.ok(none.reasons.some((x) => x.value === 'unconfirmed'));
  });
  it('5.2 step 3: microbleeds / hemorrhagic transformation are excluded from 3c', () => {
    const r = barc({ site: 'intracranial', imagingConfirmed: true, microbleedOrHemorrhagicTransformation: true });
    assert.equal(r.result, '1');
  });
  it('5.2 step 3: intraocular bleeding is 3c only when it compromises vision', () => {
    assert.equal(barc({ site: 'intraocular', visionCompromised: true }).result, '3c');
    assert.equal(barc({ site: 'intraocular', visionCompromised: false }).result, '1');
  });
  it('5.2 step 2: CABG-related criteria give 4 (reoperation; ≥ 5 units / 48 h; chest tube ≥ 2 L / 24 h; ICH ≤ 48 h)', () => {
    const cabg = { cabgRelated: true, reoperationForBleeding: false, chestTubeOutputMl24h: 500, withinHoursOfCabg: 10 };
    assert.equal(barc({ ...cabg, reoperationForBleeding: true }).result, '4');
    assert.equal(barc({ ...cabg, rbcUnitsWithin48h: 4, unitsBetweenBaselineAndNadir: 0 }).result, '3a'); // 4 < 5
    assert.equal(barc({ ...cabg, rbcUnitsWithin48h: 5, unitsBetweenBaselineAndNadir: 0 }).result, '4');
    assert.equal(barc({ ...cabg, rbcUnitsWithin48h: 3, wholeBloodUnits: 2, unitsBetweenBaselineAndNadir: 0 }).result, '4');
    assert.equal(barc({ ...cabg, chestTubeOutputMl24h: 1999 }).result, '1');
    assert.equal(barc({ ...cabg, chestTubeOutputMl24h: 2000 }).result, '4');
    assert.equal(barc({ ...cabg, site: 'intracranial', imagingConfirmed: true, withinHoursOfCabg: 48 }).result, '4');
    assert.equal(barc({ ...cabg, site: 'intracranial', imagingConfirmed: true, withinHoursOfCabg: 48.5 }).result, '3c');
  });
  it('5.2 step 2: CABG bleed meeting no type-4 criterion falls through by default, or is type 0 under not_a_bleed', () => {
    const cabg = { cabgRelated: true, reoperationForBleeding: false, chestTubeOutputMl24h: 500, medicalInterventionByProfessional: true };
    const r = barc(cabg);
    assert.equal(r.result, '2');
    assert.ok(r.reasons.some((x) => x.criterion === 'barc_cabg_not_type_4'));
    const rs = { ...DEFAULT_BLEEDING_RULE_SET, barcCabgNonQualifying: 'not_a_bleed' as const };
    assert.equal(classifyBarc(facts({ ...base, ...cabg }), rs).result, '0');
    // ... but a type-3 CABG-related bleed still counts under not_a_bleed
    assert.equal(classifyBarc(facts({ ...base, ...cabg, vasoactiveStartedForBleeding: true }), rs).result, '3b');
  });
  it('5.2 step 1: fatal bleeding: overt → 5b, not overt and unconfirmed → 5a, autopsy-confirmed → 5b', () => {
    assert.equal(barc({ fatal: true }).result, '5b');
    assert.equal(barc({ fatal: true, overt: false, imagingConfirmed: false, autopsyConfirmed: false }).result, '5a');
    assert.equal(barc({ fatal: true, overt: false, autopsyConfirmed: true }).result, '5b');
    assert.equal(barc({ fatal: true, overt: false, imagingConfirmed: false, deathCertainty: 'definite' }).result, '5b');
  });
  it('missing data: an unrecorded fact never reads as "no": it is listed and raises the upper bound', () => {
    const r = classifyBarc(facts({ site: 'gastrointestinal', overt: true }));
    assert.equal(r.result, '1');
    assert.equal(r.upperBound, '5b');
    assert.equal(r.determinate, false);
    for (const k of ['fatal', 'hbBaseline', 'hbNadir', 'rbcUnitsWithin48h', 'tamponade', 'vasoactiveStartedForBleeding']) {
      assert.ok(r.missing.includes(k), `missing should list ${k}: ${r.missing.join(',')}`);
    }
    assert.ok(r.reasons.some((x) => x.criterion === 'upper_bound'));
  });
  it('missing data: facts that cannot change the class are not listed', () => {
    // Type 3b from vasoactives: only fatal/CABG/ICH/intraocular facts could raise it.
    const r = classifyBarc(facts({ ...base, vasoactiveStartedForBleeding: true, promptedEvaluation: undefined }));
    assert.equal(r.result, '3b');
    assert.ok(!r.missing.includes('promptedEvaluation'));
  });
  it('missing data: unknown units between baseline and nadir give a range (lower: none counted; upper: all 48-h units)', () => {
    // 12 → 10 = 2 g/dL; 3 units in 48 h: recorded 3a (transfusion); could be 3b if all 3 were between (2 + 3 = 5).
    const r = barc({ hbNadir: { value: 10 }, rbcUnitsWithin48h: 3 });
    assert.equal(r.result, '3a');
    assert.equal(r.upperBound, '3b');
    assert.deepEqual(r.missing, ['unitsBetweenBaselineAndNadir']);
  });
  it('regression (property counterexample): unknown cabgRelated under not_a_bleed keeps upper bound ≥ result', () => {
    const rs = { ...DEFAULT_BLEEDING_RULE_SET, barcCabgNonQualifying: 'not_a_bleed' as const };
    const f = facts({ site: 'access_site', overt: false, imagingConfirmed: false, rbcUnitsWithin48h: 1, fatal: false, chestTubeOutputMl24h: 0, reoperationForBleeding: false });
    const r = classifyBarc(f, rs);
    assert.equal(r.result, '1');
    assert.equal(r.upperBound, '1');
  });
});
