import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recommendNextStep, type NextStepInput } from './next-step.js';
import { heparinRateAt } from './heparin-exposure.js';
import { BUNDLED_PROTOCOLS } from './protocols.js';
import { DECISION_SUPPORT_LABEL } from './parameters.js';
import type { HeparinRecords, LabSample } from './inputs.js';
import type { PairClassification } from './discordance.js';

const RASCHKE = BUNDLED_PROTOCOLS['raschke-1993-aptt'];
const STD = BUNDLED_PROTOCOLS['vandenbriele-2022-standard'];
const sample = (code: string, value: number, t_min = 600): LabSample => ({ code, value, t_min, time: '2026-01-01T10:00:00+01:00' });
const records = (iv_IU_h: number, purge?: { c: number; f: number }): HeparinRecords => ({
  weight_kg: 80,
  infusions: [{ t_start_min: 0, rate: iv_IU_h, rateUnit: '[IU]/h' }],
  purges: purge ? [{ t_start_min: 0, heparin_IU_mL: purge.c, flow_mL_h: purge.f }] : [],
  boluses: [],
});
const step = (over: Partial<NextStepInput> & Pick<NextStepInput, 'protocol' | 'sample'>) =>
  recommendNextStep({ bands: over.protocol.targets, weight_kg: 80, consecutiveInRange: 0, ...over });

// Reference 7.5, Raschke row "35–45 s: bolus 40 U/kg; increase 2 U/kg/h"; 80 kg at 18 U/kg/h = 1440 IU/h.
test('reference 7.5 Raschke: aPTT 40 s at 80 kg → bolus 3200 IU, +160 IU/h (1440 → 1600 IU/h), recheck in 6 h', () => {
  const r = step({ protocol: RASCHKE, sample: sample('aptt_s', 40), rate: heparinRateAt(records(1440), 600) });
  assert.equal(r.result.action, 'bolus_and_increase');
  assert.equal(r.result.bolus_IU, 3200); // 40 × 80
  assert.equal(r.result.rateChange_IU_h, 160); // 2 × 80
  assert.deepEqual(r.result.suggested, { total_IU_h: 1600, iv_IU_h: 1600 });
  assert.equal(r.result.recheckAfter_min, 360);
  assert.equal(r.result.recheckAt, '2026-01-01T16:00:00.000+01:00');
  assert.equal(r.result.label, DECISION_SUPPORT_LABEL);
});

test('reference 7.5 Raschke: aPTT 95 s → hold 1 h then −3 U/kg/h (−240 IU/h), recheck 6 h after the restart', () => {
  const r = step({ protocol: RASCHKE, sample: sample('aptt_s', 95), rate: heparinRateAt(records(1440), 600) });
  assert.equal(r.result.action, 'hold_then_decrease');
  assert.equal(r.result.hold_min, 60);
  assert.deepEqual(r.result.suggested, { total_IU_h: 1200, iv_IU_h: 1200 });
  assert.equal(r.result.recheckAfter_min, 420); // 60 + 360
});

test('reference 7.5 Raschke: in range → no change; after two consecutive in-range values, daily', () => {
  const first = step({ protocol: RASCHKE, sample: sample('aptt_s', 60), consecutiveInRange: 1 });
  assert.equal(first.result.action, 'no_change');
  assert.equal(first.result.recheckAfter_min, 360);
  const second = step({ protocol: RASCHKE, sample: sample('aptt_s', 60), consecutiveInRange: 2 });
  assert.equal(second.result.recheckAfter_min, 1440);
});

// Reference 7.1 [V]: purge heparin counted in the total; IV reduced accordingly.
test('reference 7.1: purge counted — anti-Xa 0.25 under the standard band, IV 700 + purge 300 → +80 IU/h → IV 780', () => {
  const r = step({ protocol: STD, sample: sample('anti_xa_IU_mL', 0.25), rate: heparinRateAt(records(700, { c: 25, f: 12 }), 600) });
  assert.equal(r.result.action, 'increase');
  assert.equal(r.result.current.titratedTotal_IU_h, 1000);
  assert.deepEqual(r.result.suggested, { total_IU_h: 1080, iv_IU_h: 780 });
  assert.equal(r.result.bolus_IU_kg, 0); // the parallel-strategy tables omit boluses [D]
});

test('when the purge alone exceeds the suggested total the IV rate floors at 0 with a caution', () => {
  // anti-Xa 0.95 (> 0.90): hold 60 min, −3 IU/kg/h × 80 = −240; total 100 + 500 = 600 → 360 < purge 500
  const r = step({ protocol: STD, sample: sample('anti_xa_IU_mL', 0.95), rate: heparinRateAt(records(100, { c: 50, f: 10 }), 600) });
  assert.deepEqual(r.result.suggested, { total_IU_h: 360, iv_IU_h: 0 });
  assert.ok(r.result.cautions.some((c) => /purge alone/.test(c)));
  assert.ok(r.result.cautions.some((c) => /purge keeps delivering 500 IU\/h/.test(c)));
});

test('missing data: no weight → change stays in IU/kg/h, no absolute suggestion, weight_kg missing', () => {
  const r = step({ protocol: RASCHKE, sample: sample('aptt_s', 40), weight_kg: undefined });
  assert.equal(r.result.rateChange_IU_kg_h, 2);
  assert.equal(r.result.rateChange_IU_h, undefined);
  assert.equal(r.result.suggested, undefined);
  assert.ok(r.missing.includes('weight_kg'));
});

test('monitoring-only protocols report the status and leave the dose to the clinician', () => {
  const r = step({ protocol: BUNDLED_PROTOCOLS['aptt-intermediate-40-60'], sample: sample('aptt_s', 75) });
  assert.equal(r.result.action, 'report_only');
  assert.equal(r.result.status, 'high');
  assert.match(r.result.text, /no titration table/);
});

test('a censored value spanning two rows is not determined', () => {
  const r = step({ protocol: RASCHKE, sample: { ...sample('aptt_s', 60), censored: 'gt' } });
  assert.equal(r.result.action, 'not_determined');
});

test('the pair classification cautions are carried into the next step', () => {
  const pair = { cautions: ['Intrinsic coagulopathy – bleeding risk'] } as unknown as PairClassification;
  const r = step({ protocol: STD, sample: sample('anti_xa_IU_mL', 0.4), pair });
  assert.deepEqual(r.result.cautions, ['Intrinsic coagulopathy – bleeding risk']);
});

test('property: every next step is labelled decision support and its direction follows the titrated test', () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 0, max: 3000 }), (xa, iv) => {
      const r = step({ protocol: STD, sample: sample('anti_xa_IU_mL', xa), rate: heparinRateAt(records(iv), 600) });
      assert.equal(r.result.label, DECISION_SUPPORT_LABEL);
      if (xa < 0.31) assert.ok(r.result.rateChange_IU_kg_h > 0);
      else if (xa <= 0.5) assert.equal(r.result.rateChange_IU_kg_h, 0);
      else assert.ok(r.result.rateChange_IU_kg_h < 0);
      assert.ok((r.result.suggested?.iv_IU_h ?? 0) >= 0);
    }),
  );
});
