import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JENTZER_2019, SCAI_2019, SCAI_2022, scaiRuleSet, type ScaiRuleSet } from './rule-set.js';
import { jentzerAdmissionStage, scaiStageAt } from './scai-assessment.js';
import type { ScaiInput, ScaiObservation } from './scai-input.js';
import { device, infusion, input, normalAt, obs, vitals } from './__fixtures__/scai-builders.js';

const at = (inp: ScaiInput, t: number, rs: ScaiRuleSet = JENTZER_2019) => scaiStageAt(inp, t, rs);
const label = (inp: ScaiInput, t: number, rs: ScaiRuleSet = JENTZER_2019): string => at(inp, t, rs).result.label;
/** normal data at t=60 with some observations replaced by code. */
const normalWith = (t: number, ...over: ScaiObservation[]): ScaiObservation[] => [
  ...normalAt(t).filter((o) => !over.some((x) => x.code === o.code && x.t_min === o.t_min)),
  ...over,
];

// ---- worked cases, one per stage (reference 1.4 assignment table)

test('1.4 stage A: no building block met, complete data', () => {
  const r = at(input({ observations: normalAt(60) }), 60);
  assert.equal(r.result.label, 'A');
  assert.equal(r.result.determinate, true);
  assert.deepEqual(r.reasons, []);
});

test('1.4 stage B: hypotension (SBP < 90) without hypoperfusion', () => {
  const r = at(input({ observations: normalWith(60, obs('sbp_mmHg', 60, 85)) }), 60);
  assert.equal(r.result.label, 'B');
  assert.ok(r.reasons.some((x) => x.criterion === 'hypotensionOrTachycardia.sbp_hypotension' && x.value === 85));
});

test('1.4 stage C: hypoperfusion (lactate > 2) without deterioration or refractory shock', () => {
  const r = at(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 3.0), obs('sbp_mmHg', 60, 85)) }), 60);
  assert.equal(r.result.label, 'C');
  assert.ok(r.reasons.some((x) => x.criterion === 'hypoperfusion.lactate_hypoperfusion'));
});

test('1.4 stage D: hypoperfusion + rising lactate within 24 h', () => {
  const o = [...normalWith(240, obs('lactate_mmol_L', 240, 4.0)), obs('lactate_mmol_L', 0, 2.5)];
  const r = at(input({ observations: o }), 240);
  assert.equal(r.result.label, 'D');
  assert.ok(r.reasons.some((x) => x.criterion === 'deterioration.lactate_rise'));
});

test('1.4 stage D: hypoperfusion + escalation from one to two vasoactives (count, VIS and NEE rise)', () => {
  const o = normalWith(240, obs('lactate_mmol_L', 240, 3.0));
  const inf = [infusion('norepinephrine', 0, 0.1), infusion('epinephrine', 120, 0.05)];
  const r = at(input({ observations: o, infusions: inf }), 240);
  assert.equal(r.result.label, 'D');
  for (const id of ['vasoactive_count_rise', 'vis_rise', 'nee_rise']) assert.ok(r.reasons.some((x) => x.criterion === `deterioration.${id}`), id);
});

test('1.4 stage E: hypoperfusion + lactate > 10', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 11)) }), 60), 'E');
});

test('1.4 stage E: more than 2 vasoactives in the first hour', () => {
  const inf = [infusion('norepinephrine', 0, 0.1), infusion('epinephrine', 0, 0.1), infusion('vasopressin', 0, 0.04)];
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 3)), infusions: inf, weight_kg: 80 }), 60), 'E');
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 3)), infusions: inf.slice(0, 2), weight_kg: 80 }), 60), 'C', 'two is not > 2');
});

test('1.4 stage E: more than 1 vasoactive plus IABP within 24 h (device counted after insertion)', () => {
  const inf = [infusion('norepinephrine', 0, 0.1), infusion('dobutamine', 0, 5)];
  const o = normalWith(120, obs('lactate_mmol_L', 120, 3));
  assert.equal(label(input({ observations: o, infusions: inf, devices: [device('iabp', 30)] }), 120), 'E');
  assert.equal(label(input({ observations: o, infusions: inf, devices: [device('microaxial', 30)] }), 120), 'C', 'Jentzer counts IABP only');
  const site = scaiRuleSet('jentzer2019', { refractoryDeviceKinds: ['iabp', 'microaxial'] });
  assert.equal(label(input({ observations: o, infusions: inf, devices: [device('microaxial', 30)] }), 120, site), 'E');
  assert.equal(site.id, 'jentzer2019+site');
  assert.equal(label(input({ observations: o, infusions: inf, devices: [device('iabp', 120)] }), 120), 'C', 'IABP inserted at t is not yet counted at t');
});

test('1.4 mean SBP < 80 on vasoactives: boundary 79 / 80', () => {
  const inf = [infusion('norepinephrine', 0, 0.2)];
  const mk = (sbp: number) => input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 3), obs('sbp_mmHg', 60, sbp), obs('sbp_mmHg', 30, sbp)), infusions: inf });
  assert.equal(label(mk(79), 60), 'E');
  assert.equal(label(mk(80), 60), 'C');
});

test('1.4 mean MAP < 50 on vasoactives: boundary 49 / 50; MAP derived from SBP/DBP when not measured', () => {
  const inf = [infusion('norepinephrine', 0, 0.2)];
  const base = normalAt(60).filter((o) => !['map_mmHg', 'sbp_mmHg', 'lactate_mmol_L'].includes(o.code));
  // SBP 85, DBP 32: MAP = 32 + 53/3 = 49.67 < 50; DBP 33: MAP = 33 + 52/3 = 50.33
  const mk = (dbp: number) => input({ observations: [...base, obs('lactate_mmol_L', 60, 3), ...vitals(60, { sbp: 85, dbp })], infusions: inf });
  assert.equal(label(mk(32), 60), 'E');
  assert.equal(label(mk(33), 60), 'C');
});

// ---- boundaries at each threshold, exactly as the source states > or ≥

test('boundary SBP < 90: 89 B, 90 A; MAP < 60: 59 B, 60 A', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('sbp_mmHg', 60, 89)) }), 60), 'B');
  assert.equal(label(input({ observations: normalWith(60, obs('sbp_mmHg', 60, 90)) }), 60), 'A');
  assert.equal(label(input({ observations: normalWith(60, obs('map_mmHg', 60, 59)) }), 60), 'B');
  assert.equal(label(input({ observations: normalWith(60, obs('map_mmHg', 60, 60)) }), 60), 'A');
});

test('boundary heart rate: Jentzer > 100 (100 A, 101 B); SCAI tables ≥ 100 (100 B)', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('heart_rate_per_min', 60, 100)) }), 60), 'A');
  assert.equal(label(input({ observations: normalWith(60, obs('heart_rate_per_min', 60, 101)) }), 60), 'B');
  assert.equal(label(input({ observations: normalWith(60, obs('heart_rate_per_min', 60, 100)) }), 60, SCAI_2022), 'B');
  assert.equal(label(input({ observations: normalWith(60, obs('heart_rate_per_min', 60, 99)) }), 60, SCAI_2022), 'A');
});

test('boundary lactate: Jentzer > 2 (2.0 A, 2.1 C); SCAI ≥ 2 (2.0 C)', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 2.0)) }), 60), 'A');
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 2.1)) }), 60), 'C');
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 2.0)) }), 60, SCAI_2019), 'C');
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 1.9)) }), 60, SCAI_2019), 'A');
});

test('boundary lactate refractory: Jentzer > 10 (10 C, 10.1 E)', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 10)) }), 60), 'C');
  assert.equal(label(input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 10.1)) }), 60), 'E');
});

test('boundary stage-E lactate: 2019 ≥ 5, 2022 ≥ 8 (reference 1.3 inconsistency kept by version)', () => {
  const mk = (l: number) => input({ observations: normalWith(60, obs('lactate_mmol_L', 60, l)) });
  assert.equal(label(mk(4.9), 60, SCAI_2019), 'C');
  assert.equal(label(mk(5), 60, SCAI_2019), 'E');
  assert.equal(label(mk(5), 60, SCAI_2022), 'C');
  assert.equal(label(mk(7.9), 60, SCAI_2022), 'C');
  assert.equal(label(mk(8), 60, SCAI_2022), 'E');
  assert.equal(label(mk(8), 60, JENTZER_2019), 'C', 'Jentzer uses > 10');
});

test('boundary pH ≤ 7.2 (SCAI E): 7.20 E, 7.21 C', () => {
  const mk = (ph: number) => input({ observations: normalWith(60, obs('lactate_mmol_L', 60, 3), obs('ph', 60, ph)) });
  assert.equal(label(mk(7.2), 60, SCAI_2022), 'E');
  assert.equal(label(mk(7.21), 60, SCAI_2022), 'C');
});

test('boundary urine output < 30 mL/h (= < 720 mL/24 h): 29.9 C, 30 A', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('urine_output_mL_h', 60, 29.9)) }), 60), 'C');
  assert.equal(label(input({ observations: normalWith(60, obs('urine_output_mL_h', 60, 30)) }), 60), 'A');
});

test('boundary creatinine rise ≥ 0.3 mg/dL in 24 h: 1.0 → 1.3 C, 1.0 → 1.29 A', () => {
  assert.equal(label(input({ observations: normalWith(60, obs('creatinine_mg_dL', 60, 1.3)) }), 60), 'C');
  assert.equal(label(input({ observations: normalWith(60, obs('creatinine_mg_dL', 60, 1.29)) }), 60), 'A');
});

test('SCAI C hemodynamics: CI < 2.2, PCWP > 15, RAP/PCWP ≥ 0.8, PAPi < 1.85, CPO ≤ 0.6 (reference 1.3)', () => {
  const mk = (...o: ScaiObservation[]) => label(input({ observations: [...normalAt(60), ...o] }), 60, SCAI_2022);
  assert.equal(mk(obs('cardiac_index_L_min_m2', 60, 2.1)), 'C');
  assert.equal(mk(obs('cardiac_index_L_min_m2', 60, 2.2)), 'A');
  assert.equal(mk(obs('pcwp_mmHg', 60, 16)), 'C');
  assert.equal(mk(obs('pcwp_mmHg', 60, 15)), 'A');
  assert.equal(mk(obs('rap_mmHg', 60, 12), obs('pcwp_mmHg', 60, 15)), 'C', '12/15 = 0.8');
  assert.equal(mk(obs('rap_mmHg', 60, 11), obs('pcwp_mmHg', 60, 15)), 'A', '11/15 = 0.73');
  // PAPi = (PAS − PAD) / RAP: (30 − 15)/8 = 1.875 not < 1.85; (30 − 16)/8 = 1.75 < 1.85 (RAP/PCWP 8/15 = 0.53)
  assert.equal(mk(obs('pasp_mmHg', 60, 30), obs('padp_mmHg', 60, 15), obs('rap_mmHg', 60, 8), obs('pcwp_mmHg', 60, 15)), 'A');
  assert.equal(mk(obs('pasp_mmHg', 60, 30), obs('padp_mmHg', 60, 16), obs('rap_mmHg', 60, 8), obs('pcwp_mmHg', 60, 15)), 'C');
  // CPO = MAP × CO / 451: 85 × 3.2 / 451 = 0.603 > 0.6; 85 × 3.18 / 451 = 0.5993 ≤ 0.6
  assert.equal(mk(obs('cardiac_output_L_min', 60, 3.2)), 'A');
  assert.equal(mk(obs('cardiac_output_L_min', 60, 3.18)), 'C');
  assert.equal(mk(obs('cpo_W', 60, 0.6)), 'C', 'recorded CPO at the threshold');
  assert.equal(label(input({ observations: [...normalAt(60), obs('cardiac_index_L_min_m2', 60, 2.1)] }), 60, JENTZER_2019), 'A', 'Jentzer has no PAC criteria');
});

test('SCAI 2022 D: lactate rising and persistently ≥ 2; 2019 only rising (reference 1.3)', () => {
  const mk = (first: number) => input({ observations: [...normalWith(240, obs('lactate_mmol_L', 240, 4)), obs('lactate_mmol_L', 0, first)] });
  assert.equal(label(mk(1.5), 240, SCAI_2019), 'D');
  assert.equal(label(mk(1.5), 240, SCAI_2022), 'C');
  assert.equal(label(mk(2.0), 240, SCAI_2022), 'D');
});

test('SCAI D: MCS added after ≥ 30 min of initial therapy (parameter minTimeOnInitialTherapyMin)', () => {
  const o = normalWith(240, obs('lactate_mmol_L', 240, 3));
  const inf = [infusion('norepinephrine', 0, 0.1)];
  assert.equal(label(input({ observations: o, infusions: inf, devices: [device('microaxial', 30)] }), 240, SCAI_2022), 'D');
  assert.equal(label(input({ observations: o, infusions: inf, devices: [device('microaxial', 29)] }), 240, SCAI_2022), 'C');
  assert.equal(label(input({ observations: o, devices: [device('microaxial', 30)] }), 240, SCAI_2022), 'C', 'first device is the initial therapy');
});

test('SCAI E: VA-ECMO in place; SCAI C: any vasoactive or MCS holding the pressure', () => {
  assert.equal(label(input({ observations: normalAt(120), devices: [device('va_ecmo', 30)] }), 120, SCAI_2022), 'E');
  assert.equal(label(input({ observations: normalAt(120), infusions: [infusion('dobutamine', 0, 3)] }), 120, SCAI_2022), 'C');
  assert.equal(label(input({ observations: normalAt(120), infusions: [infusion('dobutamine', 0, 3)] }), 120, JENTZER_2019), 'A');
});

test('1.2 cardiac arrest with coma: SCAI 2022 E-A while CPR is in the status window; modifier stays after', () => {
  const o = normalWith(60, obs('lactate_mmol_L', 60, 6));
  const arrests = [{ t_min: 30, gcsAfter: 5 }];
  assert.equal(label(input({ observations: o, arrests }), 60, SCAI_2022), 'E-A');
  assert.equal(label(input({ observations: o, arrests }), 60, JENTZER_2019), 'C-A');
  assert.equal(label(input({ observations: o, arrests: [{ t_min: 30, gcsAfter: 14 }] }), 60, JENTZER_2019), 'C-A', '2019: any arrest');
  assert.equal(label(input({ observations: o, arrests: [{ t_min: 30, gcsAfter: 14 }] }), 60, SCAI_2022), 'E', '2022: no coma, no modifier');
  const later = normalWith(300, obs('lactate_mmol_L', 300, 3));
  assert.equal(label(input({ observations: later, arrests }), 300, SCAI_2022), 'C-A');
  assert.equal(label(input({ observations: later, arrests: [{ t_min: 30 }] }), 300, SCAI_2022), 'C-A?', 'coma unknown');
});

// ---- missing data (reference 1.6)

test('1.6 missing data: nothing but normal vitals gives bounds A..E and names the missing inputs', () => {
  const r = at(input({ observations: vitals(60, { sbp: 120, map: 85, hr: 80 }) }), 60);
  assert.equal(r.result.stage, 'A');
  assert.equal(r.result.stageLowerBound, 'A');
  assert.equal(r.result.stageUpperBound, 'E');
  assert.equal(r.result.label, 'A..E');
  assert.equal(r.result.determinate, false);
  for (const m of ['lactate_mmol_L', 'urine_output_mL_h', 'creatinine_mg_dL']) assert.ok(r.missing.includes(m), m);
  assert.equal(r.result.completeness.lactate, false);
  assert.equal(r.result.completeness.bp, true);
});

test('1.6 missing data: hypotension proven, perfusion unknown → B..E; a lactate > 10 alone proves E', () => {
  assert.equal(label(input({ observations: vitals(60, { sbp: 80 }) }), 60), 'B..E');
  assert.equal(label(input({ observations: [obs('lactate_mmol_L', 60, 12)] }), 60), 'E');
});

test('1.6 rule 3: missingAsNormal must be set explicitly, then unknowns count as not met', () => {
  const rs = scaiRuleSet('jentzer2019', { missingAsNormal: true });
  const r = at(input({ observations: vitals(60, { sbp: 80 }) }), 60, rs);
  assert.equal(r.result.label, 'B');
  assert.equal(r.result.completeness.lactate, false, 'completeness still reported');
});

test('1.6: without a PA catheter the SCAI hemodynamic criteria do not widen the bounds', () => {
  const r = at(input({ observations: normalAt(60) }), 60, SCAI_2022);
  assert.equal(r.result.label, 'A');
  assert.equal(r.result.completeness.pac, false);
});

test('vasopressin without weight: VIS rise unknown and weight_kg reported missing', () => {
  const o = normalWith(240, obs('lactate_mmol_L', 240, 3), obs('lactate_mmol_L', 0, 3));
  const r = at(input({ observations: o, infusions: [infusion('norepinephrine', 0, 0.1), infusion('vasopressin', 0, 0.03, 100), infusion('vasopressin', 100, 0.04)] }), 240);
  assert.ok(r.missing.includes('weight_kg'));
  // NEE rose without needing weight: first hour 0.1 + 2.5 × 0.03 = 0.175, later 0.1 + 2.5 × 0.04 = 0.2 → D proven
  assert.equal(r.result.label, 'D');
  const flat = at(input({ observations: o, infusions: [infusion('norepinephrine', 0, 0.1), infusion('vasopressin', 0, 0.03)] }), 240);
  assert.equal(flat.result.label, 'C..D', 'no NEE or count rise; VIS not computable without weight');
  assert.equal(at(input({ observations: o, infusions: [infusion('norepinephrine', 0, 0.1), infusion('vasopressin', 0, 0.03)], weight_kg: 80 }), 240).result.label, 'C');
});

// ---- Jentzer's own admission windows

test('1.4 admission stage: first hour and first 24 h from admission, admission (first) lactate', () => {
  const o = [
    ...vitals(10, { sbp: 85, map: 62, hr: 110 }),
    obs('lactate_mmol_L', 20, 2.5),
    obs('lactate_mmol_L', 600, 5),
    obs('urine_output_mL_h', 600, 40),
    obs('creatinine_mg_dL', 20, 1.0),
    obs('creatinine_mg_dL', 900, 1.1),
  ];
  const r = jentzerAdmissionStage(input({ observations: o }), JENTZER_2019, 0);
  assert.equal(r.result.label, 'D', 'admission lactate 2.5 > 2 and max 5 > 2.5');
  assert.equal(r.result.method, 'jentzer-admission');
});
