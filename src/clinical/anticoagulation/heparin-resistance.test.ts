import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagHeparinResistance, type ResistanceSample } from './heparin-resistance.js';
import type { LabSample } from './inputs.js';

const BAND = { test: 'anti_xa_IU_mL' as const, low: 0.31, high: 0.5 };
const xa = (value: number, t_min: number, dose_IU: number | undefined): ResistanceSample => ({
  sample: { code: 'anti_xa_IU_mL', value, t_min, time: `t${t_min}` },
  band: BAND,
  dose_IU,
});
const at = (value: number, t_min: number): LabSample => ({ code: 'antithrombin_pct', value, t_min, time: `t${t_min}` });

// Reference 7.3 step 4: "> 35,000 U/24 h" [R] with anti-Xa staying low; then check antithrombin.
test('reference 7.3 step 4: low anti-Xa after 35,001 IU/24 h fires; after exactly 35,000 IU it does not', () => {
  assert.equal(flagHeparinResistance([xa(0.2, 1440, 35001)], []).result.flag, true);
  assert.equal(flagHeparinResistance([xa(0.2, 1440, 35000)], []).result.flag, false);
});

test('an in-range anti-Xa never fires, whatever the dose', () => {
  assert.equal(flagHeparinResistance([xa(0.31, 1440, 60000)], []).result.flag, false);
});

test('the antithrombin drawn with the firing sample is reported; without one, antithrombin_pct is missing', () => {
  const r = flagHeparinResistance([xa(0.2, 1440, 40000)], [at(41, 1440)]);
  assert.equal(r.result.antithrombin?.value, 41);
  assert.ok(r.reasons.some((x) => x.criterion === 'antithrombin_low'));
  assert.ok(flagHeparinResistance([xa(0.2, 1440, 40000)], []).missing.includes('antithrombin_pct'));
});

test('missing data: no anti-Xa, or a low anti-Xa with unknown dose → unknown', () => {
  assert.equal(flagHeparinResistance([], []).result.flag, 'unknown');
  assert.equal(flagHeparinResistance([xa(0.2, 100, undefined)], []).result.flag, 'unknown');
});

test('a site can change the threshold (rule-set parameter)', async () => {
  const { DEFAULT_ANTICOAG_RULESET } = await import('./parameters.js');
  const rs = { ...DEFAULT_ANTICOAG_RULESET, heparinResistance_IU_24h: 30000 };
  assert.equal(flagHeparinResistance([xa(0.2, 1440, 32000)], [], rs).result.flag, true);
});
