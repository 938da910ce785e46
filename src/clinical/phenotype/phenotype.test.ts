import { test } from 'node:test';
import assert from 'node:assert/strict';
import { episodeOf, ob, at } from '../episode/__fixtures__/build.js';
import { classifySharcCategory } from './sharc-category.js';
import { classifyBloodPressurePhenotype } from './blood-pressure-phenotype.js';
import { classifyVentricularPhenotype } from './ventricular-phenotype.js';
import { assessPhenotype } from './assess-phenotype.js';

test('SHARC category (reference 3.1) from the recorded etiology; unknown is reported missing', () => {
  assert.equal(classifySharcCategory({ etiology: 'AMI' }).result.category, 'AMI-CS');
  const hf = classifySharcCategory({ etiology: 'HF-acute-on-chronic', mixedShock: true, mixedComponent: 'septic' });
  assert.equal(hf.result.category, 'HF-CS');
  assert.equal(hf.result.hfSubtype, 'acute-on-chronic');
  assert.equal(hf.result.mixedShock, true);
  const none = classifySharcCategory({});
  assert.equal(none.result.category, 'unknown');
  assert.deepEqual(none.missing, ['etiology', 'mixedShock']);
});

const bp = (extra: Record<string, unknown>) => classifyBloodPressurePhenotype(episodeOf(extra), { atMin: 120 }).result;

test('normotensive CS (reference 3.2): hypoperfusion without hypotension and without vasoactives/MCS', () => {
  const r = bp({ observations: [ob('sbp_mmHg', 105, 60), ob('map_mmHg', 75, 60), ob('lactate_mmol_L', 3.1, 60)] });
  assert.equal(r.phenotype, 'normotensive_cs');
  assert.equal(r.hypotension, false);
  assert.equal(r.hypoperfusion, true);
});

test('hypotensive CS: SBP < 90 with hypoperfusion; or normal SBP held by a vasopressor', () => {
  assert.equal(bp({ observations: [ob('sbp_mmHg', 89, 60), ob('lactate_mmol_L', 2.0, 60)] }).phenotype, 'hypotensive_cs');
  const held = bp({
    observations: [ob('sbp_mmHg', 100, 60), ob('lactate_mmol_L', 2.5, 60)],
    infusions: [{ drug: 'norepinephrine', start: at(0), rate: 0.1, rateUnit: 'ug/kg/min' }],
  });
  assert.equal(held.phenotype, 'hypotensive_cs');
  assert.equal(held.vasoactiveOrMCS, true);
});

test('isolated hypotension (pre-shock): SBP < 90 with normal perfusion markers', () => {
  assert.equal(bp({ observations: [ob('sbp_mmHg', 85, 60), ob('lactate_mmol_L', 1.9, 60), ob('urine_output_mL_h', 60, 60)] }).phenotype, 'isolated_hypotension');
});

test('boundaries: SBP 90 is not hypotension, lactate 2.0 is hypoperfusion, MAP 60 is not hypotension', () => {
  assert.equal(bp({ observations: [ob('sbp_mmHg', 90, 60), ob('map_mmHg', 60, 60), ob('lactate_mmol_L', 1.99, 60), ob('urine_output_mL_h', 30, 60)] }).phenotype, 'no_shock_criteria');
  assert.equal(bp({ observations: [ob('sbp_mmHg', 90, 60), ob('lactate_mmol_L', 2.0, 60)] }).phenotype, 'normotensive_cs');
  assert.equal(bp({ observations: [ob('sbp_mmHg', 95, 60), ob('map_mmHg', 59, 60), ob('lactate_mmol_L', 1.0, 60), ob('urine_output_mL_h', 50, 60)] }).phenotype, 'isolated_hypotension');
});

test('missing lactate and urine with SBP 85: indeterminate between isolated hypotension and hypotensive CS', () => {
  const r = bp({ observations: [ob('sbp_mmHg', 85, 60)] });
  assert.equal(r.phenotype, 'indeterminate');
  assert.deepEqual([...r.possible].sort(), ['hypotensive_cs', 'isolated_hypotension']);
  assert.equal(r.hypoperfusion, 'unknown');
});

const vent = (obs: ReturnType<typeof ob>[], extra: Record<string, unknown> = {}) => classifyVentricularPhenotype(episodeOf({ observations: obs, ...extra }), { atMin: 60 });

test('ventricular phenotype (reference 3.3, Thayer cut-offs RAP 14 / PCWP 18 [R]): LV, RV, biventricular, none', () => {
  assert.equal(vent([ob('rap_mmHg', 10, 60), ob('pcwp_mmHg', 24, 60)]).result.congestion, 'lv_dominant');
  assert.equal(vent([ob('rap_mmHg', 10, 60), ob('pcwp_mmHg', 24, 60)]).result.involvement, 'LV');
  const rv = vent([ob('rap_mmHg', 18, 60), ob('pcwp_mmHg', 12, 60), ob('pasp_mmHg', 30, 60), ob('padp_mmHg', 16, 60)]);
  assert.equal(rv.result.congestion, 'rv_dominant');
  assert.equal(rv.result.involvement, 'RV');
  // RAP/PCWP = 18/12 = 1.5 ≥ 0.8; PAPi = (30 − 16)/18 = 0.778 < 1.85
  assert.equal(rv.result.rvMarkers.length, 2);
  assert.equal(vent([ob('rap_mmHg', 15, 60), ob('pcwp_mmHg', 19, 60)]).result.congestion, 'biventricular');
  assert.equal(vent([ob('rap_mmHg', 14, 60), ob('pcwp_mmHg', 18, 60)]).result.congestion, 'no_congestion'); // at cut-offs: not elevated
});

test('RV markers without RV-dominant congestion: RAP/PCWP 16/20 = 0.8 and high PCWP → biventricular involvement', () => {
  const r = vent([ob('rap_mmHg', 16, 60), ob('pcwp_mmHg', 20, 60)]);
  assert.equal(r.result.congestion, 'biventricular');
  const r2 = vent([ob('rap_mmHg', 12, 60), ob('pcwp_mmHg', 15, 60)]); // 0.8, neither elevated
  assert.equal(r2.result.congestion, 'no_congestion');
  assert.equal(r2.result.involvement, 'RV');
});

test('PAPi < 0.9 counts as an extra marker only in inferior MI', () => {
  const obs = [ob('rap_mmHg', 10, 60), ob('pcwp_mmHg', 20, 60), ob('pasp_mmHg', 26, 60), ob('padp_mmHg', 18, 60)]; // PAPi 0.8
  assert.equal(vent(obs).result.rvMarkers.length, 1);
  assert.equal(vent(obs, { clinical: { infarctLocation: 'inferior' } }).result.rvMarkers.length, 2);
});

test('no PA catheter: ventricular phenotype null with RAP and PCWP missing', () => {
  const p = assessPhenotype(episodeOf({ observations: [ob('sbp_mmHg', 85, 60)] }), { atMin: 120 });
  assert.equal(p.ventricular.result, null);
  assert.ok(p.missing.includes('pcwp_mmHg'));
  const v = vent([]);
  assert.equal(v.result.involvement, 'indeterminate');
});
