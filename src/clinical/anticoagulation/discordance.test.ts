import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyPair, PAIR_PATTERNS, type ClassifyPairOptions } from './discordance.js';
import type { ContextLabs } from './context-labs.js';
import type { LabSample } from './inputs.js';
import type { SamplePair } from './pairing.js';
import type { TargetBand } from './protocol.js';

const XA: TargetBand = { test: 'anti_xa_IU_mL', low: 0.31, high: 0.5 };
const PT: TargetBand = { test: 'aptt_s', low: 56, high: 80 };
const lab = (code: string, value: number, t_min = 0, censored?: 'gt' | 'lt'): LabSample => ({ code, value, t_min, time: `t${t_min}`, censored });
const pair = (xa: number, pt: number): SamplePair => ({
  antiXa: lab('anti_xa_IU_mL', xa),
  aptt: lab('aptt_s', pt),
  delta_min: 0,
  t_min: 0,
  time: 't0',
});
const classify = (xa: number, pt: number, contextLabs: ContextLabs = {}, extra: Partial<ClassifyPairOptions> = {}) =>
  classifyPair(pair(xa, pt), { antiXaBand: XA, apttBand: PT, contextLabs, ...extra });
const supported = (r: ReturnType<typeof classify>) => r.result.causes.filter((c) => c.status === 'supported').map((c) => c.code);

test('reference 7.4: concordant pairs (both in, both low, both high)', () => {
  assert.equal(classify(0.4, 70).result.pattern, 'concordant_in_range');
  assert.equal(classify(0.4, 70).result.concordant, true);
  assert.equal(classify(0.2, 45).result.pattern, 'concordant_low');
  const high = classify(0.8, 110);
  assert.equal(high.result.pattern, 'concordant_high');
  assert.ok(high.result.causes.some((c) => c.code === 'dose_error_purge'));
});

// Reference 7.4 row 1 and Van Edom 2025: prolonged aPTT with in-range anti-Xa; INR ≥ 1.5 and/or fibrinogen < 1.5 g/L.
test('reference 7.4 row 1: aPTT high with anti-Xa in range, coagulopathy from INR ≥ 1.5 and fibrinogen < 150 mg/dL', () => {
  const r = classify(0.4, 95, { inr: lab('inr', 1.8), fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 120), platelets_10e9_L: lab('platelets_10e9_L', 80) });
  assert.equal(r.result.pattern, 'aptt_high_antixa_not_high');
  assert.equal(r.result.concordant, false);
  assert.equal(r.result.coagulopathy, true);
  assert.deepEqual(supported(r), ['coagulopathy_low_factors', 'low_fibrinogen', 'thrombocytopenia']);
  assert.match(r.result.cautions[0], /do not reduce heparin on the aPTT/);
  assert.match(r.result.cautions[0], /lower anti-Xa band/);
  assert.deepEqual([...r.missing].sort(), ['bilirubin_mg_dL', 'plasma_free_hb_mg_dL']);
});

test('reference 7.4 row 1 boundary (Van Edom 2025 [V]): INR 1.49 does not fire, 1.5 fires; fibrinogen 150 does not, 149 does', () => {
  assert.equal(classify(0.4, 95, { inr: lab('inr', 1.49), fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 150) }).result.coagulopathy, false);
  assert.equal(classify(0.4, 95, { inr: lab('inr', 1.5), fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 150) }).result.coagulopathy, true);
  assert.equal(classify(0.4, 95, { inr: lab('inr', 1.2), fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 149) }).result.coagulopathy, true);
});

test('missing data: aPTT high with no INR/fibrinogen → coagulopathy unknown, labs named missing, causes only possible', () => {
  const r = classify(0.4, 95);
  assert.equal(r.result.coagulopathy, 'unknown');
  assert.deepEqual(supported(r), []);
  assert.ok(r.missing.includes('inr') && r.missing.includes('fibrinogen_mg_dL'));
  assert.match(r.result.cautions[0], /check INR, fibrinogen and platelets/);
});

test('reference 7.4 row 1 with low anti-Xa: bilirubin and free Hb name anti-Xa under-reading', () => {
  const r = classify(0.2, 95, { bilirubin_mg_dL: lab('bilirubin_mg_dL', 9), plasma_free_hb_mg_dL: lab('plasma_free_hb_mg_dL', 60) });
  assert.equal(r.result.pattern, 'aptt_high_antixa_not_high');
  assert.ok(supported(r).includes('antixa_underread_bilirubin'));
  assert.ok(supported(r).includes('hemolysis'));
});

// Reference 7.4 row 2: aPTT low/normal with anti-Xa in range/high (acute phase; heparinized line).
test('reference 7.4 row 2: aPTT short with anti-Xa in range; fibrinogen > 400 mg/dL supports the acute phase', () => {
  const r = classify(0.44, 41, { fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 720) });
  assert.equal(r.result.pattern, 'aptt_not_high_antixa_not_low');
  assert.deepEqual(supported(r), ['acute_phase']);
  assert.equal(classify(0.44, 41, { fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 400) }).result.causes[0].status, 'possible');
  assert.equal(classify(0.44, 41, { fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 401) }).result.causes[0].status, 'supported');
});

test('reference 7.4 row 2 / 7.3 step 4: anti-Xa high with aPTT in range → confirm before large changes; ≥ 1.0 flags the line', () => {
  const r = classify(1.12, 62);
  assert.equal(r.result.pattern, 'aptt_not_high_antixa_not_low');
  assert.ok(supported(r).includes('heparinized_line_sample'));
  assert.match(r.result.cautions.join(' '), /confirm/);
  assert.ok(!supported(classify(0.99, 62)).includes('heparinized_line_sample'));
  assert.ok(supported(classify(1.0, 62)).includes('heparinized_line_sample'));
  assert.equal(classify(0.8, 40).result.pattern, 'aptt_not_high_antixa_not_low'); // anti-Xa high, aPTT low
});

// Reference 7.4 row 3: anti-Xa falsely low.
test('reference 7.4 row 3: anti-Xa low with aPTT in range; bilirubin, free Hb and antithrombin support under-reading', () => {
  const labs: ContextLabs = {
    bilirubin_mg_dL: lab('bilirubin_mg_dL', 9.4),
    plasma_free_hb_mg_dL: lab('plasma_free_hb_mg_dL', 62),
    antithrombin_pct: lab('antithrombin_pct', 52),
    inr: lab('inr', 1.3),
    fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 260),
  };
  const r = classify(0.18, 68, labs);
  assert.equal(r.result.pattern, 'antixa_low_aptt_in_range');
  assert.deepEqual(supported(r), ['antixa_underread_bilirubin', 'antixa_underread_hemolysis', 'low_antithrombin']);
  assert.match(r.result.cautions[0], /confirm before increasing/);
  assert.deepEqual(r.missing, []);
});

test('rule-set thresholds at their boundaries: bilirubin > 5, free Hb > 40, antithrombin < 60 (all [D] parameters)', () => {
  const only = (labs: ContextLabs) => supported(classify(0.18, 68, labs));
  assert.deepEqual(only({ bilirubin_mg_dL: lab('bilirubin_mg_dL', 5) }), []);
  assert.deepEqual(only({ bilirubin_mg_dL: lab('bilirubin_mg_dL', 5.1) }), ['antixa_underread_bilirubin']);
  assert.deepEqual(only({ plasma_free_hb_mg_dL: lab('plasma_free_hb_mg_dL', 40) }), []);
  assert.deepEqual(only({ plasma_free_hb_mg_dL: lab('plasma_free_hb_mg_dL', 41) }), ['antixa_underread_hemolysis']);
  assert.deepEqual(only({ antithrombin_pct: lab('antithrombin_pct', 60) }), []);
  assert.deepEqual(only({ antithrombin_pct: lab('antithrombin_pct', 59) }), ['low_antithrombin']);
});

test('censored context labs: "< 50 mg/dL" fibrinogen fires < 150; "> 1.2" INR leaves INR ≥ 1.5 unknown', () => {
  const r = classify(0.4, 95, { fibrinogen_mg_dL: lab('fibrinogen_mg_dL', 50, 0, 'lt') });
  assert.equal(r.result.coagulopathy, true);
  const u = classify(0.4, 95, { inr: lab('inr', 1.2, 0, 'gt') });
  assert.equal(u.result.coagulopathy, 'unknown');
});

// Reference 7.4 row 4 with 7.3 step 4: both low despite > 35,000 U/24 h [R].
test('reference 7.4 row 4: both low with 35,001 IU/24 h → heparin resistance; 35,000 IU is not above the threshold', () => {
  const at = { antithrombin_pct: lab('antithrombin_pct', 41) };
  const over = classify(0.2, 45, at, { heparinDoseWindow_IU: 35001 });
  assert.deepEqual(supported(over), ['heparin_resistance', 'antithrombin_deficiency']);
  const equal = classify(0.2, 45, at, { heparinDoseWindow_IU: 35000 });
  assert.deepEqual(supported(equal), []);
  assert.ok(!equal.result.causes.some((c) => c.code === 'heparin_resistance'));
  assert.ok(classify(0.2, 45).missing.includes('heparin_dose_24h'));
});

test('a censored aPTT that leaves its status open makes the pair unclassifiable', () => {
  const r = classifyPair(
    { antiXa: lab('anti_xa_IU_mL', 0.4), aptt: lab('aptt_s', 60, 0, 'gt'), delta_min: 0, t_min: 0, time: 't0' },
    { antiXaBand: XA, apttBand: PT, contextLabs: {} },
  );
  assert.equal(r.result.pattern, 'unclassifiable');
  assert.equal(r.result.concordant, 'unknown');
});

test('property: classification never throws, and is concordant exactly when both statuses agree', () => {
  const labArb = (code: string, max: number) => fc.option(fc.double({ min: 0, max, noNaN: true }).map((v) => lab(code, v)), { nil: undefined });
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 3, noNaN: true }),
      fc.double({ min: 10, max: 300, noNaN: true }),
      labArb('inr', 20),
      labArb('fibrinogen_mg_dL', 2000),
      labArb('bilirubin_mg_dL', 60),
      fc.option(fc.double({ min: 0, max: 100000, noNaN: true }), { nil: undefined }),
      (xa, pt, inr, fib, bili, dose) => {
        const labs: ContextLabs = {};
        if (inr) labs.inr = inr;
        if (fib) labs.fibrinogen_mg_dL = fib;
        if (bili) labs.bilirubin_mg_dL = bili;
        const r = classify(xa, pt, labs, { heparinDoseWindow_IU: dose });
        assert.ok(PAIR_PATTERNS.includes(r.result.pattern));
        assert.equal(r.result.concordant, r.result.antiXa.status === r.result.aptt.status);
      },
    ),
  );
});
