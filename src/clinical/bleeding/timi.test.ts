import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';
import { classifyTimi } from './timi.js';
import { classifyBleedingEvent } from './classify-bleeding-event.js';

const base: BleedingFactsInput = {
  site: 'access_site',
  overt: true,
  fatal: false,
  rbcUnitsWithin48h: 0,
  hbBaseline: { value: 13 },
  hbNadir: { value: 12 },
};
const timi = (x: Partial<BleedingFactsInput>, rs = DEFAULT_BLEEDING_RULE_SET) =>
  classifyTimi(bleedingFactsSchema.parse({ ...base, ...x }), rs);

describe('TIMI (reference 5.4)', () => {
  it('5.4 boundaries on the corrected Hb drop: 2.9 minimal, 3.0 minor, 4.9 minor, 5.0 major', () => {
    assert.equal(timi({ hbNadir: { value: 10.1 } }).result, 'minimal');
    assert.equal(timi({ hbNadir: { value: 10 } }).result, 'minor');
    assert.equal(timi({ hbNadir: { value: 8.1 } }).result, 'minor');
    assert.equal(timi({ hbNadir: { value: 8 } }).result, 'major');
  });
  it('5.4: transfusion-corrected: 13 → 10 with 2 units between = 3 + 2 = 5 g/dL → major', () => {
    assert.equal(timi({ hbNadir: { value: 10 }, rbcUnitsWithin48h: 2, unitsBetweenBaselineAndNadir: 2 }).result, 'major');
  });
  it('5.4: any intracranial hemorrhage is major', () => {
    assert.equal(timi({ site: 'intracranial' }).result, 'major');
  });
  it('5.4: fatal is major, or its own class when timiSeparateFatalClass', () => {
    assert.equal(timi({ fatal: true }).result, 'major');
    assert.equal(timi({ fatal: true }, { ...DEFAULT_BLEEDING_RULE_SET, timiSeparateFatalClass: true }).result, 'fatal');
  });
  it('5.4: hematocrit drop when Hb is missing: 8.9 minimal, 9 minor, 14.9 minor, 15 major (% points)', () => {
    const hct = (drop: number) => ({ hbBaseline: undefined, hbNadir: undefined, hctBaseline: { value_pct: 40 }, hctNadir: { value_pct: 40 - drop } });
    assert.equal(timi(hct(8.9)).result, 'minimal');
    assert.equal(timi(hct(9)).result, 'minor');
    assert.equal(timi(hct(14.9)).result, 'minor');
    assert.equal(timi(hct(15)).result, 'major');
  });
  it('5.4: hematocrit correction uses 3 % points per unit: 40 → 34 with 3 units = 6 + 9 = 15 → major', () => {
    const r = timi({ hbBaseline: undefined, hbNadir: undefined, hctBaseline: { value_pct: 40 }, hctNadir: { value_pct: 34 }, rbcUnitsWithin48h: 3, unitsBetweenBaselineAndNadir: 3 });
    assert.equal(r.result, 'major');
  });
  it('5.4: non-overt bleeding is not graded by TIMI', () => {
    assert.equal(timi({ overt: false, imagingConfirmed: false }).result, 'none');
  });
  it('missing data: overt bleed with no Hb is minimal as recorded, major as upper bound', () => {
    const r = timi({ hbBaseline: undefined, hbNadir: undefined });
    assert.equal(r.result, 'minimal');
    assert.equal(r.upperBound, 'major');
    assert.ok(r.missing.includes('hbBaseline') && r.missing.includes('hbNadir'));
  });
  it('5.4: "requiring medical attention" flag for a non-major bleed that prompted evaluation', () => {
    const c = classifyBleedingEvent(bleedingFactsSchema.parse({ ...base, promptedEvaluation: true }));
    assert.equal(c.timiRequiringMedicalAttention, true);
  });
});
