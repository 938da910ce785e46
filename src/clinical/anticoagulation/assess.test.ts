import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseEpisode, type Episode } from '../episode/episode.js';
import { assessAnticoagulation } from './assess.js';
import { formatAnticoagulationSummary } from './summary.js';
import { DECISION_SUPPORT_LABEL } from './parameters.js';
import { BUNDLED_PROTOCOL_IDS } from './protocol.js';

/** examples/episodes, found from this file in src/ or in dist/src/. */
function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'examples', 'episodes'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('examples/episodes not found');
    dir = up;
  }
  return join(dir, 'examples', 'episodes');
}

function load(name: string): Episode {
  const parsed = parseEpisode(JSON.parse(readFileSync(join(examplesDir(), `${name}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.problems)}`);
  return parsed.episode;
}

const EXAMPLES = [
  'anticoag-coagulopathy',
  'anticoag-acute-phase',
  'anticoag-antixa-underread',
  'anticoag-heparin-resistance',
  'anticoag-ecpella',
  'anticoag-raschke-iabp',
];

test('every anticoagulation example episode passes parseEpisode and is assessed with a labelled next step', () => {
  for (const name of EXAMPLES) {
    const a = assessAnticoagulation(load(name));
    assert.equal(a.result.decisionSupportLabel, DECISION_SUPPORT_LABEL, name);
    assert.ok(a.result.latestNextStep, `${name} has a next step`);
    assert.ok(formatAnticoagulationSummary(a).length > 3);
  }
});

// Designed case (reference 7.4 row 1, Van Edom 2025): aPTT 96 s with anti-Xa 0.41, INR 1.8, fibrinogen 1.2 g/L;
// the band is lowered to 0.20–0.30 and the aPTT stays above 40–55 s for two more pairs.
test('example anticoag-coagulopathy: three aPTT-high/anti-Xa-in pairs with coagulopathy, then concordant in the low band', () => {
  const a = assessAnticoagulation(load('anticoag-coagulopathy')).result;
  assert.equal(a.patternCounts.aptt_high_antixa_not_high, 3);
  assert.equal(a.patternCounts.concordant_in_range, 2);
  assert.equal(a.coagulopathy, true);
  assert.deepEqual(a.protocols.map((p) => p.protocolId), ['vandenbriele-2022-standard', 'vandenbriele-2022-low']);
  // fibrinogen entered as 1.2 g/L = 120 mg/dL (reference 8) fires < 150 mg/dL
  const second = a.pairs[1];
  assert.ok(second.reasons.some((r) => r.criterion === 'fibrinogen_lt_low' && r.value === 120));
  // heparin direction follows anti-Xa: no reduction on the aPTT (reference 7.3 step 3-4)
  assert.equal(a.nextSteps[1].result.action, 'no_change');
});

test('example anticoag-acute-phase: aPTT short with anti-Xa in/high; the 1.12 IU/mL sample flags a heparinized line', () => {
  const a = assessAnticoagulation(load('anticoag-acute-phase')).result;
  assert.equal(a.patternCounts.aptt_not_high_antixa_not_low, 4);
  const line = a.pairs.find((p) => p.result.antiXa.value === 1.12);
  assert.ok(line?.result.causes.some((c) => c.code === 'heparinized_line_sample' && c.status === 'supported'));
});

// Unit conversion on the way in: weight 172 lb = 78.018 kg; bilirubin 160 µmol/L = 9.36 mg/dL; free Hb 620 mg/L = 62 mg/dL.
test('example anticoag-antixa-underread: converted bilirubin, free Hb and weight drive the causes and the IV rate', () => {
  const ep = load('anticoag-antixa-underread');
  const a = assessAnticoagulation(ep).result;
  assert.equal(a.patternCounts.antixa_low_aptt_in_range, 3);
  const p = a.pairs.find((x) => x.result.antiXa.value === 0.18)!;
  const bili = p.reasons.find((r) => r.criterion === 'bilirubin_gt_high');
  assert.ok(bili && Math.abs(Number(bili.value) - 160 / 17.1) < 0.01);
  assert.ok(p.reasons.some((r) => r.criterion === 'plasma_free_hb_gt_high' && r.value === 62));
  // IV 7.5 IU/kg/h × 78.018 kg = 585.1 IU/h; purge 50 IU/mL × 10 mL/h = 500 IU/h
  const s = a.nextSteps[0].result;
  assert.ok(Math.abs((s.current.iv_IU_h ?? 0) - 7.5 * 172 * 0.45359237) < 1e-6);
  assert.equal(s.current.purge_IU_h, 500);
});

test('example anticoag-heparin-resistance: both low after > 35,000 IU/24 h on VA-ECMO, antithrombin 41 %', () => {
  const a = assessAnticoagulation(load('anticoag-heparin-resistance')).result;
  assert.equal(a.resistance.result.flag, true);
  assert.equal(a.resistance.result.antithrombin?.value, 41);
  assert.equal(a.patternCounts.concordant_low, 4);
  // the patient-specific aPTT band 60–100 s replaces the fallback
  assert.deepEqual(a.protocols[0].bands.find((b) => b.test === 'aptt_s'), { test: 'aptt_s', low: 60, high: 100 });
});

// ECMO + Impella CP: IV 1000 IU/h not reduced for the 700 IU/h purge (50 IU/mL × 14 mL/h).
// Next step at anti-Xa 0.78 (0.71–0.90 row): hold 30 min, −1.5 IU/kg/h × 85 kg = −127.5 IU/h;
// total 1700 → 1572.5 IU/h, IV = 1572.5 − 700 = 872.5 IU/h.
test('example anticoag-ecpella: ECMO + microaxial pump, both high, purge counted in the suggested IV rate', () => {
  const ep = load('anticoag-ecpella');
  assert.deepEqual(ep.devices.map((d) => d.kind).sort(), ['microaxial', 'va_ecmo']);
  const a = assessAnticoagulation(ep).result;
  assert.equal(a.patternCounts.concordant_high, 2);
  const first = a.nextSteps[0].result;
  assert.equal(first.action, 'hold_then_decrease');
  assert.equal(first.current.titratedTotal_IU_h, 1700);
  assert.deepEqual(first.suggested, { total_IU_h: 1572.5, iv_IU_h: 872.5 });
  assert.ok((a.exposure.result.purgeShare_pct ?? 0) > 0);
});

test('example anticoag-raschke-iabp: aPTT-only protocol, no pairs, TTR on aPTT only', () => {
  const a = assessAnticoagulation(load('anticoag-raschke-iabp')).result;
  assert.equal(a.pairs.length, 0);
  assert.ok(a.ttr.aptt_s?.result.inRange_pct !== undefined);
  assert.equal(a.ttr.anti_xa_IU_mL, undefined);
  assert.equal(a.nextSteps[0].result.action, 'bolus_and_increase'); // aPTT 38 s: 35–45 row
});

test('atMin assesses the record up to that minute only', () => {
  const ep = load('anticoag-coagulopathy');
  const early = assessAnticoagulation(ep, { atMin: 600 }).result; // 19:30, after the first pair only
  assert.equal(early.pairs.length, 1);
  assert.equal(early.protocols.length, 1);
});

test('an episode without any anticoagulation data names what is missing and does not throw', () => {
  const parsed = parseEpisode({ id: 'x', anchor: { kind: 'admission', time: '2026-01-01T00:00:00Z' }, demographics: {} });
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  const a = assessAnticoagulation(parsed.episode);
  assert.equal(a.result.pairs.length, 0);
  assert.ok(a.missing.includes('anticoagulation protocol in force'));
  assert.equal(a.result.resistance.result.flag, 'unknown');
});

test('property: assessAnticoagulation never throws on any schema-valid episode', () => {
  const base = Date.parse('2026-01-01T00:00:00Z');
  const iso = (min: number) => new Date(base + min * 60000).toISOString();
  const obs = fc.record({
    t: fc.integer({ min: -600, max: 5000 }),
    code: fc.constantFrom('anti_xa_IU_mL', 'aptt_s', 'act_s', 'inr', 'fibrinogen_mg_dL', 'platelets_10e9_L', 'bilirubin_mg_dL', 'plasma_free_hb_mg_dL', 'antithrombin_pct'),
    frac: fc.double({ min: 0, max: 1, noNaN: true }),
    censored: fc.constantFrom(undefined, 'gt', 'lt'),
  });
  const ranges: Record<string, [number, number]> = {
    anti_xa_IU_mL: [0, 3], aptt_s: [10, 300], act_s: [50, 999], inr: [0.5, 20], fibrinogen_mg_dL: [0, 2000],
    platelets_10e9_L: [0, 2000], bilirubin_mg_dL: [0, 60], plasma_free_hb_mg_dL: [0, 1500], antithrombin_pct: [0, 200],
  };
  const episodeArb = fc.record({
    weight: fc.option(fc.integer({ min: 40, max: 150 }), { nil: undefined }),
    obs: fc.array(obs, { maxLength: 25 }),
    inf: fc.array(fc.record({ t: fc.integer({ min: -100, max: 4000 }), rate: fc.integer({ min: 0, max: 30 }), perKg: fc.boolean() }), { maxLength: 5 }),
    purge: fc.array(fc.record({ t: fc.integer({ min: 0, max: 4000 }), c: fc.constantFrom(0, 12.5, 25, 50), f: fc.integer({ min: 2, max: 30 }) }), { maxLength: 3 }),
    prot: fc.array(fc.record({ t: fc.integer({ min: -100, max: 4000 }), id: fc.constantFrom(...BUNDLED_PROTOCOL_IDS, 'unknown-site-protocol') }), { maxLength: 3 }),
    atMin: fc.option(fc.integer({ min: -100, max: 6000 }), { nil: undefined }),
  });
  fc.assert(
    fc.property(episodeArb, (e) => {
      const raw = {
        id: 'p',
        anchor: { kind: 'admission', time: iso(0) },
        demographics: { weight: e.weight },
        observations: e.obs.map((o) => {
          const [lo, hi] = ranges[o.code];
          return { time: iso(o.t), code: o.code, value: lo + (hi - lo) * o.frac, censored: o.censored };
        }),
        infusions: e.inf.map((i) => ({ drug: 'ufh', start: iso(i.t), rate: i.perKg ? i.rate : i.rate * 80, rateUnit: i.perKg ? '[IU]/kg/h' : '[IU]/h' })),
        purge: e.purge.map((p) => ({ start: iso(p.t), heparin_IU_mL: p.c, flow_mL_h: p.f })),
        anticoagulation: e.prot.map((p) => ({ from: iso(p.t), protocolId: p.id })),
      };
      const parsed = parseEpisode(raw);
      if (!parsed.ok) return; // only schema-valid episodes are in scope
      const a = assessAnticoagulation(parsed.episode, { atMin: e.atMin });
      formatAnticoagulationSummary(a);
      JSON.stringify(a);
    }),
    { numRuns: 200 },
  );
});
