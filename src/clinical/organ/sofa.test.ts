import { test } from 'node:test';
import assert from 'node:assert/strict';
import { episodeOf, ob, at } from '../episode/__fixtures__/build.js';
import { assessSofa, sofaCardiovascular, sofaCns, sofaCoagulation, sofaLiver, sofaRenal, sofaRespiration } from './sofa.js';

const W = [0, 1440] as const; // window used by the component tests
const score = (c: { result: number | null }) => c.result;

test('coagulation (reference 4.1): platelets < 150/100/50/20 → 1/2/3/4, boundaries exact', () => {
  const cases: [number, number][] = [[150, 0], [149, 1], [100, 1], [99, 2], [50, 2], [49, 3], [20, 3], [19, 4]];
  for (const [plt, s] of cases) assert.equal(score(sofaCoagulation(episodeOf({ observations: [ob('platelets_10e9_L', plt, 60)] }), ...W)), s, `platelets ${plt}`);
});

test('liver (reference 4.1): bilirubin 1.2–1.9 → 1, 2.0–5.9 → 2, 6.0–11.9 → 3, ≥ 12 → 4', () => {
  const cases: [number, number][] = [[1.19, 0], [1.2, 1], [1.99, 1], [2.0, 2], [5.9, 2], [6.0, 3], [11.9, 3], [12.0, 4]];
  for (const [b, s] of cases) assert.equal(score(sofaLiver(episodeOf({ observations: [ob('bilirubin_mg_dL', b, 60)] }), ...W)), s, `bilirubin ${b}`);
});

test('liver in µmol/L: 205.2 µmol/L = 12.0 mg/dL → 4 (unit conversion on the way in)', () => {
  assert.equal(score(sofaLiver(episodeOf({ observations: [ob('bilirubin_mg_dL', 205.2, 60, { unit: 'umol/L' })] }), ...W)), 4);
});

test('CNS (reference 4.1): GCS 15 → 0, 13–14 → 1, 10–12 → 2, 6–9 → 3, < 6 → 4', () => {
  const cases: [number, number][] = [[15, 0], [14, 1], [13, 1], [12, 2], [10, 2], [9, 3], [6, 3], [5, 4], [3, 4]];
  for (const [g, s] of cases) assert.equal(score(sofaCns(episodeOf({ observations: [ob('gcs', g, 60)] }), ...W)), s, `GCS ${g}`);
});

test('renal creatinine (reference 4.1): 1.2–1.9 → 1, 2.0–3.4 → 2, 3.5–4.9 → 3, ≥ 5 → 4; in µmol/L too', () => {
  const cases: [number, number][] = [[1.19, 0], [1.2, 1], [2.0, 2], [3.4, 2], [3.5, 3], [4.9, 3], [5.0, 4]];
  for (const [c, s] of cases) assert.equal(score(sofaRenal(episodeOf({ observations: [ob('creatinine_mg_dL', c, 60)] }), ...W)), s, `creatinine ${c}`);
  // 442 µmol/L = 5.0 mg/dL
  assert.equal(score(sofaRenal(episodeOf({ observations: [ob('creatinine_mg_dL', 442, 60, { unit: 'umol/L' })] }), ...W)), 4);
});

test('renal urine output: < 500 mL/day → 3, < 200 → 4 over a fully recorded day; unknown UO leaves upper bound 4', () => {
  const hourly = (mlH: number) => Array.from({ length: 24 }, (_, i) => ob('urine_output_mL_h', mlH, 60 * (i + 1)));
  // 20 mL/h × 24 h = 480 mL < 500 → 3
  assert.equal(score(sofaRenal(episodeOf({ observations: hourly(20) }), ...W)), 3);
  // 21 mL/h → 504 mL → 0; with creatinine 1.0 → fully determined 0
  const r = sofaRenal(episodeOf({ observations: [...hourly(21), ob('creatinine_mg_dL', 1.0, 60)] }), ...W);
  assert.equal(r.result, 0);
  assert.equal(r.upper, 0);
  // 8 mL/h → 192 mL < 200 → 4
  assert.equal(score(sofaRenal(episodeOf({ observations: hourly(8) }), ...W)), 4);
  const crOnly = sofaRenal(episodeOf({ observations: [ob('creatinine_mg_dL', 1.0, 60)] }), ...W);
  assert.equal(crOnly.result, 0);
  assert.equal(crOnly.upper, 4);
  assert.deepEqual(crOnly.missing, ['urine_output_mL_h']);
});

test('cardiovascular (reference 4.1): MAP < 70 → 1; dobutamine → 2; NE ≤ 0.1 → 3; NE > 0.1 → 4; dose must run ≥ 1 h', () => {
  const inf = (drug: string, rate: number, from = 0, to = 120) => ({ drug, start: at(from), end: at(to), rate, rateUnit: 'ug/kg/min' });
  const cv = (extra: Record<string, unknown>) => score(sofaCardiovascular(episodeOf(extra), ...W));
  assert.equal(cv({ observations: [ob('map_mmHg', 70, 60)] }), 0);
  assert.equal(cv({ observations: [ob('map_mmHg', 69, 60)] }), 1);
  assert.equal(cv({ infusions: [inf('dobutamine', 5)] }), 2);
  assert.equal(cv({ infusions: [inf('dobutamine', 5, 0, 59)], observations: [ob('map_mmHg', 75, 60)] }), 0); // 59 min only
  assert.equal(cv({ infusions: [inf('dopamine', 5)] }), 2);
  assert.equal(cv({ infusions: [inf('dopamine', 5.1)] }), 3);
  assert.equal(cv({ infusions: [inf('dopamine', 15)] }), 3);
  assert.equal(cv({ infusions: [inf('dopamine', 15.1)] }), 4);
  assert.equal(cv({ infusions: [inf('norepinephrine', 0.1)] }), 3);
  assert.equal(cv({ infusions: [inf('norepinephrine', 0.11)] }), 4);
  assert.equal(cv({ infusions: [inf('epinephrine', 0.11)] }), 4);
  // NE 0.2 for 30 min then 0.05 for 60 min: the dose held ≥ 1 h is 0.05 → 3
  assert.equal(cv({ infusions: [inf('norepinephrine', 0.2, 0, 30), inf('norepinephrine', 0.05, 30, 90)] }), 3);
  // split records at the same rate join into one run: 0.2 for 30 + 30 min → 4
  assert.equal(cv({ infusions: [inf('norepinephrine', 0.2, 0, 30), inf('norepinephrine', 0.2, 30, 60)] }), 4);
  const noMap = sofaCardiovascular(episodeOf({}), ...W);
  assert.equal(noMap.result, 0);
  assert.equal(noMap.upper, 1);
  assert.deepEqual(noMap.missing, ['map_mmHg']);
});

test('cardiovascular reasons state only the criterion that fired, with the dose that fired it', () => {
  const inf = (drug: string, rate: number) => ({ drug, start: at(0), end: at(120), rate, rateUnit: 'ug/kg/min' });
  const text = (infusions: unknown[]) => sofaCardiovascular(episodeOf({ infusions }), ...W).reasons.map((r) => r.text);
  // Before: "dopamine 0 > 15, epinephrine 0.08 > 0.1 or norepinephrine 0.35 > 0.1 ug/kg/min ..." (two false comparisons).
  assert.deepEqual(text([inf('epinephrine', 0.08), inf('norepinephrine', 0.35)]), ['norepinephrine 0.35 ug/kg/min > 0.1 for ≥ 1 h → cardiovascular 4']);
  assert.deepEqual(text([inf('dopamine', 16), inf('epinephrine', 0.2)]), ['dopamine 16 ug/kg/min > 15 and epinephrine 0.2 ug/kg/min > 0.1 for ≥ 1 h → cardiovascular 4']);
  assert.deepEqual(text([inf('norepinephrine', 0.05)]), ['norepinephrine 0.05 ug/kg/min ≤ 0.1 for ≥ 1 h → cardiovascular 3']);
  assert.deepEqual(text([inf('dopamine', 8), inf('dobutamine', 5)]), ['dopamine 8 ug/kg/min > 5 for ≥ 1 h → cardiovascular 3']);
  assert.deepEqual(text([inf('dobutamine', 5)]), ['dobutamine 5 ug/kg/min (any dose) for ≥ 1 h → cardiovascular 2']);
  for (const t of text([inf('dopamine', 3), inf('epinephrine', 0.08), inf('norepinephrine', 0.35)])) assert.doesNotMatch(t, /\b0 >|0\.08 > 0\.1|dopamine/);
});

test('reason text shows converted values rounded; the data keeps full precision', () => {
  // 160 µmol/L bilirubin = 9.3567251462 mg/dL
  const liver = sofaLiver(episodeOf({ observations: [ob('bilirubin_mg_dL', 160, 60, { unit: 'umol/L' })] }), ...W);
  assert.equal(liver.reasons[0]?.text, 'highest bilirubin 9.357 mg/dL → liver 3');
  assert.ok(Math.abs(Number(liver.reasons[0]?.value) - 160 / 17.1) < 1e-9);
  for (const r of assessSofa(episodeOf({ observations: [ob('creatinine_mg_dL', 168, 60, { unit: 'umol/L' })] }), { atMin: 120 }).reasons) {
    assert.doesNotMatch(r.text, /\d\.\d{5,}/, r.text);
  }
});

test('respiration (reference 4.1): PaO2/FiO2 < 400/300 → 1/2; < 200/100 → 3/4 only with respiratory support', () => {
  const resp = (pao2: number, fio2: number, ventilated: boolean) =>
    score(sofaRespiration(episodeOf({
      observations: [ob('fio2_fraction', fio2, 55), ob('pao2_mmHg', pao2, 60)],
      supports: ventilated ? [{ kind: 'invasive_ventilation', start: at(0) }] : [],
    }), ...W));
  assert.equal(resp(84, 0.21, false), 0); // 400
  assert.equal(resp(83.79, 0.21, false), 1); // 399
  assert.equal(resp(150, 0.5, false), 1); // 300
  assert.equal(resp(149, 0.5, false), 2); // 298
  assert.equal(resp(80, 0.5, false), 2); // 160, no support → 2
  assert.equal(resp(80, 0.5, true), 3); // 160 with ventilation
  assert.equal(resp(100, 1.0, true), 3); // 100 → not < 100
  assert.equal(resp(99, 1.0, true), 4);
  // FiO2 in % is converted: 50 % = 0.5
  const pct = sofaRespiration(episodeOf({ observations: [ob('fio2_fraction', 50, 55, { unit: '%' }), ob('pao2_mmHg', 80, 60)], supports: [{ kind: 'noninvasive_ventilation', start: at(0) }] }), ...W);
  assert.equal(pct.result, 3);
  assert.deepEqual(sofaRespiration(episodeOf({ observations: [ob('pao2_mmHg', 80, 60)] }), ...W).missing, ['fio2_fraction']);
});

test('missing data: an empty episode scores 0 proven with upper bound 21, never a silent normal', () => {
  const s = assessSofa(episodeOf({}), { atMin: 1440 });
  assert.equal(s.total, 0);
  assert.equal(s.totalUpper, 21); // 4 × 5 unknown organs + cardiovascular ≤ 1 without MAP and without vasoactives
  assert.equal(s.complete, false);
  assert.ok(s.missing.includes('platelets_10e9_L'));
});

test('full SOFA over 24 h sums the components and flags MCS', () => {
  const e = episodeOf({
    observations: [ob('platelets_10e9_L', 90, 60), ob('bilirubin_mg_dL', 2.5, 60), ob('gcs', 14, 60), ob('creatinine_mg_dL', 2.1, 60), ob('map_mmHg', 65, 60), ob('fio2_fraction', 0.4, 60), ob('pao2_mmHg', 100, 60)],
    devices: [{ kind: 'iabp', insertion: at(30) }],
  });
  const s = assessSofa(e, { atMin: 600 });
  // coag 2 + liver 2 + CNS 1 + renal 2 + CV 1 + respiration (100/0.4 = 250 → 2) = 10
  assert.equal(s.total, 10);
  assert.ok(s.onMCS);
});

test('property: making any single lab worse never lowers the SOFA total or its upper bound', async () => {
  const fc = (await import('fast-check')).default;
  const worse: Record<string, (v: number) => number> = {
    platelets_10e9_L: (v) => v * 0.5,
    bilirubin_mg_dL: (v) => v * 2,
    creatinine_mg_dL: (v) => v * 2,
    gcs: (v) => Math.max(3, v - 3),
    map_mmHg: (v) => v - 15,
  };
  fc.assert(
    fc.property(
      fc.record({ platelets_10e9_L: fc.integer({ min: 10, max: 400 }), bilirubin_mg_dL: fc.double({ min: 0.2, max: 14, noNaN: true }), creatinine_mg_dL: fc.double({ min: 0.4, max: 14, noNaN: true }), gcs: fc.integer({ min: 3, max: 15 }), map_mmHg: fc.integer({ min: 40, max: 110 }) }),
      fc.constantFrom(...Object.keys(worse)),
      (labs, which) => {
        const mk = (l: Record<string, number>) => assessSofa(episodeOf({ observations: Object.entries(l).map(([c, v]) => ob(c, v, 60)) }), { atMin: 600 });
        const worsened = { ...labs, [which]: (worse[which] as (v: number) => number)(labs[which as keyof typeof labs]) };
        const a = mk(labs);
        const b = mk(worsened);
        return b.total >= a.total && b.totalUpper >= a.totalUpper;
      },
    ),
    { numRuns: 100 },
  );
});
