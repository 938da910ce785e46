import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeTruth } from './ground-truth.js';
import type { PatientTruth } from './patient-truth.js';
import { synthParameters, type DeviceGroup, type TrueStage } from './synth-parameters.js';

function truth(i: number, stage: TrueStage, group: DeviceGroup, died: boolean, bleeds: PatientTruth['bleedingEvents'] = [], rate = 0.1, limbDay: number | null = null, strokeDay: number | null = null): PatientTruth {
  return {
    index: i, site: 'site-01', episodeId: `EP${i}`, severity: 0, trueStage: stage, recordedStage: i === 0 ? 'B' : stage, deviceGroup: group,
    ageYears: 65, coagulopathy: 0, cardiacArrest: false, comaAfterArrest: false, anticoagulationPractice: 'aptt_only', protocolId: null,
    purgeHeparinCounted: true, meanTrueAntiXa_IU_mL: null, maxAccessFrench: 0, bleedingRate: rate, bleedingEvents: bleeds,
    limbIschemiaDay: limbDay, strokeDay, strokeType: strokeDay === null ? null : 'ischemic',
    deathDay: died ? 10 : 500, diedWithin1Year: died, observedDay: died ? 10 : 365, observedDeath: died, timeZero: '2022-01-01T00:00:00Z',
  };
}

test('crude and stage-standardised rates, computed by hand', () => {
  // Stage C: IABP 1/4 dead, pump 1/2 dead. Stage E: IABP 1/1 dead, pump 3/4 dead.
  // Crude: IABP 2/5 = 0.4, pump 4/6 = 0.6667, difference 0.2667.
  // Standardised to the pump's stage mix (C: 2, E: 4): pump (2·0.5 + 4·0.75)/6 = 0.6667; IABP (2·0.25 + 4·1)/6 = 0.75;
  // difference −0.0833.
  const ts: PatientTruth[] = [
    truth(0, 'C', 'iabp', true), truth(1, 'C', 'iabp', false), truth(2, 'C', 'iabp', false), truth(3, 'C', 'iabp', false),
    truth(4, 'C', 'microaxial', true, [{ day: 2, grade: 'major', site: 'access_site' }], 0.3), truth(5, 'C', 'microaxial', false, [], 0.3),
    truth(6, 'E', 'iabp', true),
    truth(7, 'E', 'microaxial', true, [{ day: 40, grade: 'minor', site: 'gastrointestinal' }], 0.2), truth(8, 'E', 'microaxial', true, [], 0.2),
    truth(9, 'E', 'microaxial', true, [], 0.2), truth(10, 'E', 'microaxial', false, [], 0.2),
  ];
  const g = summarizeTruth(synthParameters({ patients: 11 }), ts);
  assert.equal(g.realised.patients, 11);
  assert.equal(g.realised.crude.iabp.mortality1y, 2 / 5);
  assert.equal(g.realised.crude.microaxial.mortality1y, 4 / 6);
  assert.ok(Math.abs((g.realised.mortalityDifferenceMicroaxialVsIabp.crude ?? NaN) - (4 / 6 - 2 / 5)) < 1e-12);
  assert.ok(Math.abs((g.realised.mortalityDifferenceMicroaxialVsIabp.stageStandardised ?? NaN) - (4 / 6 - 0.75)) < 1e-12);
  // Bleeding: pump 2/6 any, 1/6 major, 1/6 within 30 days; IABP none.
  assert.equal(g.realised.crude.microaxial.anyBleeding, 2 / 6);
  assert.equal(g.realised.crude.microaxial.majorBleeding, 1 / 6);
  assert.equal(g.realised.crude.microaxial.bleeding30d, 1 / 6);
  // Rate ratio standardised to the pump's mix: pump (2·0.3 + 4·0.2)/6 over IABP (2·0.1 + 4·0.1)/6 = 1.4 / 0.6.
  assert.ok(Math.abs((g.trueEffects.bleeding.rateRatioVsIabpStandardised.microaxial ?? NaN) - 1.4 / 0.6) < 1e-12);
  assert.equal(g.realised.crude.none.mortality1y, null);
  assert.equal(g.realised.deviceByStage.E.microaxial, 4);
  assert.ok(Math.abs(g.realised.misrecordedStageShare - 1 / 11) < 1e-12);
  assert.equal(g.trueEffects.death.hazardRatio.microaxial, 1);
});

test('30-day limb ischemia and stroke shares by group, and the true risk ratios from the parameters', () => {
  // IABP: limb ischemia on day 2 (counts) and day 40 (does not), 1 stroke on day 30 (counts) of 4 patients.
  // Pump: 1 limb ischemia on day 0.5 of 2 patients, no stroke.
  const ts: PatientTruth[] = [
    truth(0, 'C', 'iabp', false, [], 0.1, 2, null), truth(1, 'C', 'iabp', false, [], 0.1, 40, null),
    truth(2, 'C', 'iabp', false, [], 0.1, null, 30), truth(3, 'C', 'iabp', false),
    truth(4, 'D', 'microaxial', true, [], 0.1, 0.5, null), truth(5, 'D', 'microaxial', false),
  ];
  const p = synthParameters({ patients: 6, complications: { limbIschemiaRisk30d: { iabp: 0.04, microaxial: 0.06, va_ecmo: 0.12, combination: 0.14, none: 0.01 }, strokeRisk30d: { iabp: 0, microaxial: 0.02, va_ecmo: 0.05, combination: 0.05, none: 0.01 } } });
  const g = summarizeTruth(p, ts);
  assert.equal(g.realised.crude.iabp.limbIschemia30d, 1 / 4);
  assert.equal(g.realised.crude.iabp.stroke30d, 1 / 4);
  assert.equal(g.realised.crude.microaxial.limbIschemia30d, 1 / 2);
  assert.equal(g.realised.crude.microaxial.stroke30d, 0);
  assert.equal(g.realised.crude.none.stroke30d, null);
  assert.ok(Math.abs((g.trueEffects.complications.riskRatioVsIabp.limbIschemia.microaxial ?? NaN) - 1.5) < 1e-12);
  assert.ok(Math.abs((g.trueEffects.complications.riskRatioVsIabp.limbIschemia.va_ecmo ?? NaN) - 3) < 1e-12);
  assert.equal(g.trueEffects.complications.riskRatioVsIabp.stroke.microaxial, null);
});
