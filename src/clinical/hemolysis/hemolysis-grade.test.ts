import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { episodeOf, ob, at } from '../episode/__fixtures__/build.js';
import { gradeHemolysis, HEMOLYSIS_GRADES, DEFAULT_HEMOLYSIS_PARAMETERS } from './hemolysis-grade.js';

const impella = [{ kind: 'microaxial', model: 'Impella CP', insertion: at(0) }];
const ecmo = [{ kind: 'va_ecmo', insertion: at(0) }];
const grade = (observations: ReturnType<typeof ob>[], extra: Record<string, unknown> = {}) =>
  gradeHemolysis(episodeOf({ devices: impella, observations, ...extra }), { toMin: 10000 });

test('PFHb < 20 → none; 20 → biochemical; 40 → biochemical (reference 6 grading)', () => {
  assert.equal(grade([ob('plasma_free_hb_mg_dL', 19.9, 60)]).result.grade, 'none');
  assert.equal(grade([ob('plasma_free_hb_mg_dL', 20, 60)]).result.grade, 'biochemical');
  assert.equal(grade([ob('plasma_free_hb_mg_dL', 40, 60), ob('plasma_free_hb_mg_dL', 40, 600)]).result.grade, 'biochemical');
});

test('significant: PFHb > 40 on 2 samples ≥ 8 h apart (AMCS [V]); 7 h 59 min apart is not enough', () => {
  assert.equal(grade([ob('plasma_free_hb_mg_dL', 41, 60), ob('plasma_free_hb_mg_dL', 45, 60 + 480)]).result.grade, 'significant');
  const early = grade([ob('plasma_free_hb_mg_dL', 41, 60), ob('plasma_free_hb_mg_dL', 45, 60 + 479)]);
  assert.equal(early.result.grade, 'biochemical');
  assert.equal(early.result.awaitingConfirmation, true);
  // a single sample > 40 awaits confirmation
  assert.equal(grade([ob('plasma_free_hb_mg_dL', 45, 60)]).result.awaitingConfirmation, true);
});

test('severe: PFHb > 50 mg/dL (ECMO literature [V]); 50 exactly is not; 500 mg/L = 50 mg/dL (unit conversion)', () => {
  assert.equal(gradeHemolysis(episodeOf({ devices: ecmo, observations: [ob('plasma_free_hb_mg_dL', 50.1, 60)] }), { toMin: 600 }).result.grade, 'severe');
  assert.notEqual(gradeHemolysis(episodeOf({ devices: ecmo, observations: [ob('plasma_free_hb_mg_dL', 500, 60, { unit: 'mg/L' })] }), { toMin: 600 }).result.grade, 'severe');
  assert.equal(gradeHemolysis(episodeOf({ devices: ecmo, observations: [ob('plasma_free_hb_mg_dL', 510, 60, { unit: 'mg/L' })] }), { toMin: 600 }).result.grade, 'severe');
});

test('severe: significant hemolysis with a clinical consequence (device repositioning)', () => {
  const r = grade([ob('plasma_free_hb_mg_dL', 42, 60), ob('plasma_free_hb_mg_dL', 44, 600)], {
    events: [{ kind: 'hemolysis', time: at(620), actions: ['repositioning'], hemoglobinuria: true }],
  });
  assert.equal(r.result.grade, 'severe');
  assert.deepEqual(r.result.consequences, ['hemoglobinuria', 'repositioning']);
});

test('LDH ≥ 2.5 × ULN → biochemical (Cowger/INTERMACS [V]); ULN from the episode or the default 240 U/L', () => {
  const hf = { clinical: { etiology: 'HF-denovo', ldhUpperLimitOfNormal_U_L: 250 } };
  assert.equal(grade([ob('ldh_U_L', 625, 60)], hf).result.grade, 'biochemical'); // 625 = 2.5 × 250
  assert.equal(grade([ob('ldh_U_L', 624, 60)], hf).result.grade, 'none');
  const d = grade([ob('ldh_U_L', 600, 60)], { clinical: { etiology: 'HF-denovo' } }); // 600 = 2.5 × 240
  assert.equal(d.result.grade, 'biochemical');
  assert.ok(d.reasons.some((r) => r.criterion === 'ldh_default_uln'));
});

test('AMI-CS: LDH alone is not used (rises with the infarct) → grade unknown, PFHb missing', () => {
  const r = grade([ob('ldh_U_L', 1500, 60)], { clinical: { etiology: 'AMI' } });
  assert.equal(r.result.grade, null);
  assert.ok(r.missing.includes('plasma_free_hb_mg_dL'));
  assert.ok(r.reasons.some((x) => x.criterion === 'ldh_not_used_in_ami'));
  const allowed = gradeHemolysis(episodeOf({ devices: impella, clinical: { etiology: 'AMI' }, observations: [ob('ldh_U_L', 1500, 60)] }), { toMin: 600, parameters: { useLdhAloneInAmi: true } });
  assert.equal(allowed.result.grade, 'biochemical');
});

test('no markers at all → grade null with both missing, never "none"', () => {
  const r = grade([]);
  assert.equal(r.result.grade, null);
  assert.deepEqual(r.missing, ['plasma_free_hb_mg_dL', 'ldh_U_L']);
});

test('supportive markers: low haptoglobin (censored "< 10") and bilirubin interference are reported', () => {
  const r = grade([ob('plasma_free_hb_mg_dL', 30, 60), ob('haptoglobin_mg_dL', 10, 60, { censored: 'lt' }), ob('bilirubin_mg_dL', 22, 60)]);
  assert.equal(r.result.haptoglobinLow, true);
  assert.ok(r.reasons.some((x) => x.criterion === 'pfhb_assay_interference'));
});

test('per-device thresholds: a site can drop the single-sample severe rule for the microaxial pump', () => {
  const th = { ...DEFAULT_HEMOLYSIS_PARAMETERS.thresholds, microaxial: { ...DEFAULT_HEMOLYSIS_PARAMETERS.thresholds.microaxial, severePfhbAbove_mg_dL: null } };
  const r = gradeHemolysis(episodeOf({ devices: impella, observations: [ob('plasma_free_hb_mg_dL', 60, 60)] }), { toMin: 600, parameters: { thresholds: th } });
  assert.equal(r.result.grade, 'biochemical');
  assert.deepEqual(r.result.devices, ['microaxial']);
});

test('property: raising any single PFHb value never lowers the grade', () => {
  const rankOf = (g: string | null) => (g === null ? -1 : HEMOLYSIS_GRADES.indexOf(g as never));
  fc.assert(
    fc.property(
      fc.array(fc.record({ v: fc.double({ min: 0, max: 150, noNaN: true }), t: fc.integer({ min: 0, max: 2880 }) }), { minLength: 1, maxLength: 5 }),
      fc.nat(),
      fc.double({ min: 0, max: 100, noNaN: true }),
      (samples, idx, extra) => {
        const i = idx % samples.length;
        const mk = (list: typeof samples) => list.map((s) => ob('plasma_free_hb_mg_dL', s.v, s.t));
        const worse = samples.map((s, j) => (j === i ? { ...s, v: Math.min(1500, s.v + extra) } : s));
        return rankOf(grade(mk(worse)).result.grade) >= rankOf(grade(mk(samples)).result.grade);
      },
    ),
    { numRuns: 200 },
  );
});
