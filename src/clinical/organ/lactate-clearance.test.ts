import { test } from 'node:test';
import assert from 'node:assert/strict';
import { episodeOf, ob } from '../episode/__fixtures__/build.js';
import { assessLactateClearance } from './lactate-clearance.js';
import { assessLiverInjury } from './liver-injury.js';
import { assessOrganFunction } from './assess-organ.js';

test('lactate clearance (reference 4.3): (L0 − Lt)/L0 × 100; 4 → 2 mmol/L over 6 h = 50 %', () => {
  const c = assessLactateClearance(episodeOf({ observations: [ob('lactate_mmol_L', 4, 0), ob('lactate_mmol_L', 2, 360)] }));
  const six = c.byHorizon.find((h) => h.hours === 6)?.clearance.result;
  assert.equal(six?.clearancePct, 50);
  assert.equal(six?.absoluteChange_mmol_L, -2);
  assert.equal(six?.lt_mmol_L, 2);
  // no sample near 24 h
  assert.deepEqual(c.byHorizon.find((h) => h.hours === 24)?.clearance.missing, ['lactate_mmol_L_at_24h']);
});

test('lactate clearance from mg/dL input: 36.03 mg/dL (4.0 mmol/L) → 27.02 mg/dL (3.0) = 25 %', () => {
  const c = assessLactateClearance(episodeOf({ observations: [ob('lactate_mmol_L', 36.032, 0, { unit: 'mg/dL' }), ob('lactate_mmol_L', 27.024, 480, { unit: 'mg/dL' })] }));
  assert.equal(c.byHorizon.find((h) => h.hours === 8)?.clearance.result?.clearancePct, 25);
});

test('L0 < 2 mmol/L: not applicable; L0 exactly 2 is computed; a rising lactate gives negative clearance', () => {
  const low = assessLactateClearance(episodeOf({ observations: [ob('lactate_mmol_L', 1.9, 0), ob('lactate_mmol_L', 1.0, 360)] }));
  assert.equal(low.byHorizon[0]?.clearance.result?.status, 'not_applicable_low_l0');
  assert.equal(low.byHorizon[0]?.clearance.result?.clearancePct, null);
  const two = assessLactateClearance(episodeOf({ observations: [ob('lactate_mmol_L', 2, 0), ob('lactate_mmol_L', 3, 360)] }));
  assert.equal(two.byHorizon[0]?.clearance.result?.clearancePct, -50);
});

test('arterial vs venous samples are not compared', () => {
  const c = assessLactateClearance(episodeOf({ observations: [ob('lactate_mmol_L', 4, 0, { specimen: 'arterial' }), ob('lactate_mmol_L', 2, 360, { specimen: 'venous' })] }));
  assert.equal(c.byHorizon[0]?.clearance.result?.status, 'specimen_mismatch');
});

test('no lactate at all: every horizon reports lactate missing', () => {
  const c = assessLactateClearance(episodeOf({}));
  assert.equal(c.l0, undefined);
  assert.ok(c.byHorizon.every((h) => h.clearance.missing.includes('lactate_mmol_L')));
});

test('liver (reference 4.4): ALT > 200 U/L (CCCTN) — 200 does not fire, 201 does; > 20 × ULN pattern', () => {
  assert.equal(assessLiverInjury(episodeOf({ observations: [ob('alt_U_L', 200, 60)] }), 0, 1440).altAbove200, false);
  assert.equal(assessLiverInjury(episodeOf({ observations: [ob('alt_U_L', 201, 60)] }), 0, 1440).altAbove200, true);
  assert.equal(assessLiverInjury(episodeOf({}), 0, 1440).altAbove200, 'unknown');
  const e = episodeOf({ clinical: { altUpperLimitOfNormal_U_L: 40 }, observations: [ob('alt_U_L', 801, 60)] });
  assert.equal(assessLiverInjury(e, 0, 1440).hypoxicHepatitisPattern, true); // 801/40 = 20.03 > 20
  const e2 = episodeOf({ clinical: { altUpperLimitOfNormal_U_L: 40 }, observations: [ob('alt_U_L', 800, 60)] });
  assert.equal(assessLiverInjury(e2, 0, 1440).hypoxicHepatitisPattern, false); // exactly 20 ×
});

test('organ function bundle runs on an empty episode and lists what it lacks', () => {
  const o = assessOrganFunction(episodeOf({}), { atMin: 1440 });
  assert.equal(o.aki.result, null);
  assert.ok(o.missing.includes('creatinine_mg_dL'));
});
