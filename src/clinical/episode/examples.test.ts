// Every example episode in examples/episodes must pass parseEpisode; the five owned by this part (episode-,
// hemodynamics-, organ-, phenotype-, hemolysis-) are worked cases with hand-calculated expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEpisode, type Episode } from './episode.js';
import { repoFile } from './__fixtures__/build.js';
import { assessHemodynamics } from '../hemodynamics/assess-hemodynamics.js';
import { assessOrganFunction } from '../organ/assess-organ.js';
import { assessPhenotype } from '../phenotype/assess-phenotype.js';
import { gradeHemolysis } from '../hemolysis/hemolysis-grade.js';

const dir = repoFile('examples', 'episodes');
function load(name: string): Episode {
  const r = parseEpisode(JSON.parse(readFileSync(join(dir, name), 'utf8')));
  if (!r.ok) assert.fail(`${name}:\n${r.problems.map((p) => p.message).join('\n')}`);
  return r.episode;
}
const near = (a: number | null | undefined, b: number, tol = 1e-3) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test('every example episode passes parseEpisode', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 5);
  for (const f of files) load(f);
});

test('episode-unit-conversions: each value converted once on the way in (reference 8)', () => {
  const e = load('episode-unit-conversions.json');
  const v = (code: string, i = 0) => e.observations.filter((o) => o.code === code)[i]?.value;
  near(v('lactate_mmol_L'), (46 * 10) / 90.08); // 5.107 mmol/L
  near(v('creatinine_mg_dL'), 168 / 88.4); // 1.900 mg/dL
  near(v('hemoglobin_g_dL'), 11.2);
  near(v('hemoglobin_g_dL', 1), 6.1 / 0.6206); // 9.829 g/dL
  near(v('bilirubin_mg_dL'), 29 / 17.1);
  near(v('fibrinogen_mg_dL'), 210);
  near(v('haptoglobin_mg_dL'), 90);
  near(v('plasma_free_hb_mg_dL'), 12);
  near(v('ldh_U_L'), 570);
  near(v('troponin_ng_L'), 4200);
  near(v('temperature_C'), 36);
  near(v('sbp_mmHg'), 11.6 / 0.133322, 1e-3); // 87.0 mmHg
  near(v('fio2_fraction'), 0.6);
  const w = 187 * 0.45359237; // 84.822 kg
  near(e.demographics.weight_kg, w);
  near(e.demographics.height_cm, 178);
  near(e.clinical.baselineCreatinine?.value_mg_dL, 97 / 88.4);
  const rate = (drug: string) => e.infusions.find((i) => i.drug === drug);
  near(rate('norepinephrine')?.rate, 12 / w); // 0.1415 ug/kg/min
  near(rate('vasopressin')?.rate, 0.04); // 2.4 U/h
  near(rate('dobutamine')?.rate, (25.5 * 1000) / 60 / w); // 5.011 ug/kg/min
});

test('hemodynamics-normal: indices by hand at the PA-catheter set (t = 30 min)', () => {
  const p = assessHemodynamics(load('hemodynamics-normal.json'), { atMin: 30 });
  assert.equal(p.map.result, 89); // measured
  assert.equal(p.bsa.result, 1.765); // √(165 × 68 / 3600)
  assert.equal(p.cardiacIndex.result, 3.173); // 5.6 / 1.765
  assert.equal(p.cpo.result, 1.105); // 89 × 5.6 / 451
  assert.equal(p.papi.result, 2.667); // (28 − 12) / 6
  assert.equal(p.rapPcwp.result, 0.5);
  assert.equal(p.shockIndex.result, 0.629); // 78 / 124
  assert.equal(p.vasoactives.vis.result, 0);
  const ph = assessPhenotype(load('hemodynamics-normal.json'), { atMin: 360 });
  assert.equal(ph.ventricular.result?.congestion, 'no_congestion');
  assert.equal(ph.bloodPressure.result.phenotype, 'no_shock_criteria');
});

test('phenotype-rv-failure: RV-dominant congestion, PAPi 0.579 < 0.9 in inferior MI (reference 3.3)', () => {
  const e = load('phenotype-rv-failure.json');
  const p = assessPhenotype(e, { atMin: 60 });
  assert.equal(p.sharc.result.category, 'AMI-CS');
  assert.equal(p.ventricular.result?.congestion, 'rv_dominant');
  assert.equal(p.ventricular.result?.involvement, 'RV');
  assert.equal(p.ventricular.result?.papi, 0.579); // (26 − 15) / 19
  assert.equal(p.ventricular.result?.rapPcwp, 1.727); // 19 / 11
  assert.equal(p.ventricular.result?.rvMarkers.length, 3);
  assert.equal(p.bloodPressure.result.phenotype, 'hypotensive_cs');
  // after Impella RP: RAP 13, PCWP 10 → no congestion by Thayer cut-offs, but RAP/PCWP 1.3 still marks RV involvement
  const later = assessPhenotype(e, { atMin: 240 });
  assert.equal(later.ventricular.result?.congestion, 'no_congestion');
  assert.equal(later.ventricular.result?.involvement, 'RV');
  assert.equal(later.ventricularSeries.length, 2);
});

test('hemolysis-impella: PFHb 44 and 48 mg/dL 9 h apart = significant; repositioning + hemoglobinuria = severe (reference 6)', () => {
  const r = gradeHemolysis(load('hemolysis-impella.json'));
  assert.equal(r.result.grade, 'severe');
  assert.deepEqual(r.result.devices, ['microaxial']);
  assert.equal(r.result.worstPfhb_mg_dL, 48);
  assert.equal(r.result.haptoglobinLow, true);
  assert.equal(r.result.ldhFoldUln, 5.8); // 1450 / 250
  // before the second sample (t < 1260) only one sample > 40: biochemical, awaiting confirmation
  const early = gradeHemolysis(load('hemolysis-impella.json'), { toMin: 1000 });
  assert.equal(early.result.grade, 'biochemical');
  assert.equal(early.result.awaitingConfirmation, true);
});

test('organ-multiorgan-failure: SOFA 19 proven, KDIGO 3, lactate clearance 33.7 / 46.7 / 75 %, hypoxic hepatitis', () => {
  const o = assessOrganFunction(load('organ-multiorgan-failure.json'), { atMin: 1440 });
  const c = o.sofa.components;
  assert.equal(c.respiration.result, 4); // 68 / 0.8 = 85 < 100, ventilated
  assert.equal(c.coagulation.result, 3); // platelets 41
  assert.equal(c.liver.result, 2); // bilirubin 3.1
  assert.equal(c.cardiovascular.result, 4); // norepinephrine 0.35 > 0.1 for 295 min
  assert.equal(c.cns.result, 3); // GCS 9
  assert.equal(c.renal.result, 3); // creatinine 3.6; urine output covers only 12 of 24 h
  assert.equal(o.sofa.total, 19);
  assert.equal(o.sofa.totalUpper, 20);
  assert.ok(o.sofa.onMCS);
  assert.equal(o.aki.result, 3); // 2.4 / 0.8 = 3.0 × baseline, also CRRT
  assert.equal(o.aki.creatinineStage, 3);
  // urine: 43 mL in the 12 h ending at hour 12 = 0.056 mL/kg/h < 0.5 for 12 h → 2; anuria only 7 h, 24 h not recorded
  assert.equal(o.aki.urineStage, 2);
  const pct = (h: number) => o.lactate.byHorizon.find((x) => x.hours === h)?.clearance.result?.clearancePct;
  assert.equal(pct(6), 33.7); // (9.2 − 6.1) / 9.2
  assert.equal(pct(8), 46.7); // (9.2 − 4.9) / 9.2
  assert.equal(pct(24), 75); // (9.2 − 2.3) / 9.2
  assert.equal(o.liver.hypoxicHepatitisPattern, true); // 1850 / 35 = 52.9 × ULN
});
