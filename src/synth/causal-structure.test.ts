// The causal structure of the defaults at 20,000 patients: the crude pattern of the claims study (Miller et al., JAMA
// Intern Med 2022: microaxial pump vs IABP 1-year mortality 58.9 % vs 45.0 %, more bleeding with the pump) while the
// true within-stage device effect on death is null (deviceLogHr = 0), so a comparison within true SCAI stage finds none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coxTerms, fitCox } from '../stats/cox.js';
import { designFromColumns } from '../stats/matrix.js';
import { generateRegistry } from './generate-registry.js';
import { summarizeTruth } from './ground-truth.js';
import type { PatientTruth } from './patient-truth.js';
import { synthParameters, TRUE_STAGES } from './synth-parameters.js';

const params = synthParameters({ patients: 20_000, sites: 12, seed: 1 });
const truths: PatientTruth[] = [];
for (const p of generateRegistry(params)) truths.push(p.truth);
const truth = summarizeTruth(params, truths);

/** Pump vs IABP Cox fit on the observed follow-up; stratified by true stage when `stratified`. */
function pumpVsIabp(stratified: boolean): ReturnType<typeof coxTerms>[number] {
  const rows = truths.filter((t) => t.deviceGroup === 'microaxial' || t.deviceGroup === 'iabp');
  const fit = fitCox({
    time: Float64Array.from(rows, (t) => t.observedDay),
    event: Uint8Array.from(rows, (t) => (t.observedDeath ? 1 : 0)),
    x: designFromColumns(['microaxial'], [Float64Array.from(rows, (t) => (t.deviceGroup === 'microaxial' ? 1 : 0))]),
    ...(stratified ? { strata: Int32Array.from(rows, (t) => TRUE_STAGES.indexOf(t.trueStage)) } : {}),
  });
  return coxTerms(fit)[0];
}

test('crude 1-year mortality: pump about 59 %, IABP about 45 % (within 3 points; Miller 2022: 58.9 % vs 45.0 %)', () => {
  const pump = truth.realised.crude.microaxial.mortality1y ?? NaN;
  const iabp = truth.realised.crude.iabp.mortality1y ?? NaN;
  assert.ok(Math.abs(pump - 0.589) <= 0.03, `pump 1-year mortality ${pump}`);
  assert.ok(Math.abs(iabp - 0.45) <= 0.03, `IABP 1-year mortality ${iabp}`);
});

test('crude Cox: the pump looks harmful (HR CI above 1) — confounding by indication', () => {
  const t = pumpVsIabp(false);
  assert.ok(t.hrLower > 1.2, `crude HR ${t.hr} (${t.hrLower}–${t.hrUpper})`);
});

test('within true stage the mortality difference pump − IABP is near 0', () => {
  const d = truth.realised.mortalityDifferenceMicroaxialVsIabp.stageStandardised ?? NaN;
  assert.ok(Math.abs(d) < 0.03, `stage-standardised difference ${d}`);
  for (const s of ['C', 'D'] as const) {
    const pump = truth.realised.byStage[s].microaxial.mortality1y ?? NaN;
    const iabp = truth.realised.byStage[s].iabp.mortality1y ?? NaN;
    assert.ok(Math.abs(pump - iabp) < 0.05, `stage ${s}: pump ${pump} vs IABP ${iabp}`);
  }
});

test('Cox stratified by true stage: the pump-vs-IABP hazard-ratio CI covers 1 (true log-HR 0)', () => {
  const t = pumpVsIabp(true);
  assert.ok(t.hrLower <= 1 && t.hrUpper >= 1, `stratified HR ${t.hr} (${t.hrLower}–${t.hrUpper})`);
});

test('a non-null true effect is recovered by the stratified Cox model', () => {
  const p = synthParameters({ patients: 8000, seed: 3, death: { deviceLogHr: { iabp: 0, microaxial: Math.log(0.7), va_ecmo: 0, combination: 0, none: 0 } } });
  const rows: PatientTruth[] = [];
  for (const x of generateRegistry(p)) if (x.truth.deviceGroup === 'microaxial' || x.truth.deviceGroup === 'iabp') rows.push(x.truth);
  const fit = fitCox({
    time: Float64Array.from(rows, (t) => t.observedDay),
    event: Uint8Array.from(rows, (t) => (t.observedDeath ? 1 : 0)),
    x: designFromColumns(['microaxial'], [Float64Array.from(rows, (t) => (t.deviceGroup === 'microaxial' ? 1 : 0))]),
    strata: Int32Array.from(rows, (t) => TRUE_STAGES.indexOf(t.trueStage)),
  });
  const t = coxTerms(fit)[0];
  assert.ok(t.hrLower <= 0.7 && t.hrUpper >= 0.7 && t.hrUpper < 1, `HR ${t.hr} (${t.hrLower}–${t.hrUpper}), true 0.7`);
});

test('more bleeding with the pump than with the IABP, crude and within stage', () => {
  const c = truth.realised.crude;
  assert.ok((c.microaxial.bleeding30d ?? 0) > (c.iabp.bleeding30d ?? 1), `30-day bleeding pump ${c.microaxial.bleeding30d} vs IABP ${c.iabp.bleeding30d}`);
  assert.ok((truth.trueEffects.bleeding.rateRatioVsIabpStandardised.microaxial ?? 0) > 1.2);
});

test('the ground truth records the parameters and a stage mix with few stage B patients', () => {
  assert.equal(truth.parameters, params);
  assert.equal(truth.realised.patients, 20_000);
  const s = truth.realised.stageDistribution;
  assert.ok(s.B > 0.01 && s.B < 0.1 && s.C > s.D && s.D > s.E, JSON.stringify(s));
  assert.ok(truth.realised.misrecordedStageShare < 0.06);
});

test('stroke and limb ischemia: realised 30-day risks match the parameters in every device group (within 4 SE)', () => {
  const c = truth.realised.crude;
  const p = params.complications;
  for (const g of ['iabp', 'microaxial', 'va_ecmo', 'combination', 'none'] as const) {
    const n = c[g].n;
    for (const [seen, risk, what] of [[c[g].limbIschemia30d, p.limbIschemiaRisk30d[g], 'limb ischemia'], [c[g].stroke30d, p.strokeRisk30d[g], 'stroke']] as const) {
      const se = Math.sqrt((risk * (1 - risk)) / n);
      assert.ok(Math.abs((seen ?? NaN) - risk) <= 4 * se, `${g} ${what}: ${seen} of ${n} vs risk ${risk}`);
    }
  }
  // Large-bore access: ECMO > pump > IABP for limb ischemia; ECMO the most strokes. Ratios are the parameters'.
  const rr = truth.trueEffects.complications.riskRatioVsIabp;
  assert.ok((rr.limbIschemia.va_ecmo ?? 0) > (rr.limbIschemia.microaxial ?? 0) && (rr.limbIschemia.microaxial ?? 0) > 1);
  assert.ok((rr.stroke.va_ecmo ?? 0) > (rr.stroke.microaxial ?? 0) && (rr.stroke.microaxial ?? 0) > 1);
  assert.equal(rr.stroke.microaxial, p.strokeRisk30d.microaxial / p.strokeRisk30d.iabp);
});
