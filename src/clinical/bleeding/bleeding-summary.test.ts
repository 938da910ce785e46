import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bleedingFactsSchema, type BleedingFactsInput } from './bleeding-facts.js';
import { classifyBleedingEvent } from './classify-bleeding-event.js';
import { summarizeBleeding } from './bleeding-summary.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';

const known: BleedingFactsInput = {
  site: 'access_site',
  overt: true,
  fatal: false,
  cabgRelated: false,
  tamponade: false,
  surgicalOrEndovascularControl: false,
  vasoactiveStartedForBleeding: false,
  hemodynamicCompromise: false,
  pericardiocentesis: false,
  compartmentSyndrome: false,
  medicalInterventionByProfessional: false,
  causedHospitalizationOrHigherCare: false,
  promptedEvaluation: false,
  anticoagulationInterrupted: false,
  discomfortOrImpairedActivities: false,
  permanentInjury: false,
  rbcUnitsWithin48h: 0,
  wholeBloodUnits: 0,
  hbBaseline: { value: 12 },
  hbNadir: { value: 11.5 },
};
const ev = (index: number, t_min: number, x: Partial<BleedingFactsInput>) => ({
  index,
  t_min,
  time: `t+${t_min}`,
  classification: classifyBleedingEvent(bleedingFactsSchema.parse({ ...known, ...x })),
});

describe('patient-level bleeding summary', () => {
  it('no events: BARC 0, none elsewhere, no first major bleed', () => {
    const s = summarizeBleeding([]);
    assert.equal(s.barc.worst, '0');
    assert.equal(s.isth.worst, 'none');
    assert.equal(s.varc2.firstMajor, null);
  });
  it('worst class per definition and time to first major bleed per definition (out-of-order input)', () => {
    const s = summarizeBleeding([
      ev(2, 900, { site: 'intracranial', imagingConfirmed: true }), // BARC 3c, ISTH major, TIMI major at 900 min
      ev(0, 100, { promptedEvaluation: true }), // BARC 2, ISTH CRNM
      ev(1, 400, { rbcUnitsWithin48h: 1, unitsBetweenBaselineAndNadir: 1 }), // BARC 3a, GUSTO moderate, ISTH CRNM
    ]);
    assert.equal(s.eventCount, 3);
    assert.equal(s.barc.worst, '3c');
    assert.equal(s.barc.counts['2'], 1);
    assert.equal(s.barc.firstMajor?.t_min, 400); // first BARC ≥ 3a
    assert.equal(s.barc.firstMajor?.cls, '3a');
    assert.equal(s.gusto.firstMajor?.t_min, 400); // moderate counts as major (majorFrom.gusto)
    assert.equal(s.isth.firstMajor?.t_min, 900);
    assert.equal(s.timi.firstMajor?.t_min, 900);
    assert.equal(s.varc2.firstMajor?.t_min, 900);
    assert.equal(s.barc.firstPossibleMajor, null);
  });
  it('an earlier event that could be major if its unrecorded facts were worst is reported as firstPossibleMajor', () => {
    const s = summarizeBleeding([
      { index: 0, t_min: 50, time: 't+50', classification: classifyBleedingEvent(bleedingFactsSchema.parse({ site: 'gastrointestinal', overt: true })) },
      ev(1, 400, { rbcUnitsWithin48h: 1, unitsBetweenBaselineAndNadir: 1 }),
    ]);
    assert.equal(s.barc.firstMajor?.t_min, 400);
    assert.equal(s.barc.firstPossibleMajor?.t_min, 50);
    assert.equal(s.barc.worstUpperBound, '5b');
  });
  it('majorFrom is a rule-set parameter (GUSTO severe only)', () => {
    const rs = { ...DEFAULT_BLEEDING_RULE_SET, majorFrom: { ...DEFAULT_BLEEDING_RULE_SET.majorFrom, gusto: 'severe' as const } };
    const s = summarizeBleeding([ev(0, 400, { rbcUnitsWithin48h: 1, unitsBetweenBaselineAndNadir: 1 })], rs);
    assert.equal(s.gusto.worst, 'moderate');
    assert.equal(s.gusto.firstMajor, null);
  });
});
