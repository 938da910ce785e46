// Worked cases for the analysis-table columns: small hand-built episodes whose expected values follow from the
// clinical definitions (docs/clinical-rules.md, docs/dataset.md), not from this code's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEpisode } from '../../clinical/episode/episode.js';
import { SCAI_2022, scaiInputFromEpisode, scaiStageAt, scaiTrajectory } from '../../clinical/scai/index.js';
import { examplePath } from '../../../test/support/paths.js';
import { assertClose } from '../../../test/support/close.js';
import { ANALYSIS_COLUMNS, analysisRow, type AnalysisRow } from './analysis-row.js';
import { built, d, episodeInput, h } from './__fixtures__/episode-builder.js';
import { timeZeroOf } from './time-zero.js';

function rowOf(input: Parameters<typeof episodeInput>[0]): AnalysisRow {
  const { record, episode } = built(episodeInput(input));
  return analysisRow(record, episode);
}

// ---------------------------------------------------------------- time zero and device group

test('IABP at 1 h then a microaxial pump 2 h later: time zero at the IABP, combination at time zero', () => {
  const r = rowOf({
    devices: [
      { kind: 'iabp', insertion: h(1), selectionReasons: ['protected_pci', 'persistent_hypotension_despite_vasoactives'] },
      { kind: 'microaxial', model: 'Impella CP', insertion: h(3), selectionReasons: ['escalation_from_other_device'] },
    ],
  });
  assert.equal(r.time_zero_source, 'device_start');
  assertClose(r.time_zero_from_anchor_d, 1 / 24, 1e-3, 'time zero 1 h after the anchor');
  assert.equal(r.device_group_t0, 'combination');
  assert.equal(r.devices_t0, 'iabp+microaxial');
  assert.equal(r.device_group_ever, 'combination');
  assert.equal(r.device_t0, 'iabp');
  // The reasons of the time-zero device only, in the format's order (persistent_hypotension... comes first there).
  assert.equal(r.device_t0_selection_reasons, 'persistent_hypotension_despite_vasoactives;protected_pci');
  assert.equal(r.device_t0_selection_reasons_missing, null);
});

test('a second device kind after 24 h changes the group ever, not the group at time zero', () => {
  const r = rowOf({
    devices: [
      { kind: 'iabp', insertion: h(0) },
      { kind: 'va_ecmo', insertion: h(30) },
    ],
  });
  assert.equal(r.device_group_t0, 'iabp');
  assert.equal(r.devices_t0, 'iabp');
  assert.equal(r.device_group_ever, 'combination');
  assert.equal(r.devices_ever, 'iabp+va_ecmo');
  assert.equal(r.device_t0_selection_reasons, null);
  assert.equal(r.device_t0_selection_reasons_missing, 'none recorded');
});

test('the combination window is closed at 24 h; two pumps of one kind stay one kind', () => {
  const atEdge = rowOf({ devices: [{ kind: 'iabp', insertion: h(0) }, { kind: 'va_ecmo', insertion: h(24) }] });
  assert.equal(atEdge.device_group_t0, 'combination');
  const twoPumps = rowOf({
    devices: [
      { kind: 'microaxial', model: 'Impella CP', insertion: h(0) },
      { kind: 'microaxial', model: 'Impella 5.5', insertion: h(5) },
    ],
  });
  assert.equal(twoPumps.device_group_t0, 'microaxial');
  assert.equal(twoPumps.devices_t0, 'microaxial');
  const ecmo = rowOf({ devices: [{ kind: 'va_ecmo', insertion: h(2) }] });
  assert.equal(ecmo.device_group_t0, 'ecmo');
});

test('unsupported patient: time zero at shock onset, else at the anchor; group none', () => {
  const onset = rowOf({ times: { shockOnset: h(-2) } });
  assert.equal(onset.time_zero_source, 'shock_onset');
  assertClose(onset.time_zero_from_anchor_d, -2 / 24, 1e-3, 'shock onset 2 h before the anchor');
  assert.equal(onset.device_group_t0, 'none');
  assert.equal(onset.device_group_ever, 'none');
  assert.equal(onset.devices_t0, null);
  assert.equal(onset.device_t0, null);
  assert.equal(onset.device_t0_selection_reasons_missing, 'no device');
  const anchor = rowOf({});
  assert.equal(anchor.time_zero_source, 'anchor_admission');
  assert.equal(anchor.time_zero_from_anchor_d, 0);
  const onsetAnchor = rowOf({ anchor: { kind: 'shock_onset', time: h(0) } });
  assert.equal(onsetAnchor.time_zero_source, 'shock_onset');
});

// ---------------------------------------------------------------- SCAI at time zero and over 24 h

test('SCAI 2022 at a VA-ECMO start: C from SBP 82 and lactate 4.1; the ECMO counts only after insertion', () => {
  // t0 = ECMO at 2 h. Before it: SBP 82 (< 90: hypotension), HR 110, lactate 4.1 (≥ 2: hypoperfusion), no
  // vasoactives, one lactate (no rise): no deterioration; no refractory criterion; ECMO not yet in place → C, C.
  // Blocks of 4 h from t0: once inserted, VA-ECMO in place is both "support for blood pressure" (a hypoperfusion
  // criterion of SCAI 2019/2022) and extremis (refractory block), so every block is E: max E, mean 5, 24 h in C–E.
  const r = rowOf({
    observations: [
      { time: h(1.5), code: 'sbp_mmHg', value: 82 },
      { time: h(1.5), code: 'dbp_mmHg', value: 50 },
      { time: h(1.5), code: 'heart_rate_per_min', value: 110 },
      { time: h(1), code: 'lactate_mmol_L', value: 4.1 },
    ],
    devices: [{ kind: 'va_ecmo', insertion: h(2) }],
  });
  assert.equal(r.scai_stage_t0, 'C');
  assert.equal(r.scai_stage_t0_upper, 'C');
  assert.equal(r.scai_label_t0, 'C');
  assert.equal(r.scai_hypotension_t0, 1);
  assert.equal(r.scai_hypoperfusion_t0, 1);
  assert.equal(r.scai_deterioration_t0, 0);
  assert.equal(r.scai_refractory_t0, 0);
  assert.equal(r.sbp_min_t0_mmHg, 82);
  assertClose(r.map_min_t0_mmHg, 50 + (82 - 50) / 3, 1e-3, 'MAP from SBP and DBP');
  assert.equal(r.lactate_t0_mmol_L, 4.1);
  assert.equal(r.scai_max_24h, 'E');
  assert.equal(r.scai_mean_24h, 5);
  assert.equal(r.scai_shock_hours_24h, 24);
  assert.equal(r.arrest_t0, 0);
  assert.equal(r.arrest_coma_t0, 0);
});

test('SCAI at time zero is the engine stage at that time (scaiStageAt) for every example episode', () => {
  for (const f of readdirSync(examplePath('episodes')).filter((x) => x.endsWith('.json'))) {
    const raw = JSON.parse(readFileSync(examplePath('episodes', f), 'utf8'));
    const p = parseEpisode(raw);
    assert.ok(p.ok, f);
    const row = analysisRow({ site: 's', patient: { sourceId: 'x' }, episode: raw }, p.episode);
    const input = scaiInputFromEpisode(p.episode);
    const t0 = timeZeroOf(p.episode).t_min;
    const at = scaiStageAt(input, t0, SCAI_2022);
    assert.equal(row.scai_label_t0, at.result.label, f);
    assert.equal(row.scai_t0_missing, at.missing.length > 0 ? at.missing.join(';') : null, `${f}: missing inputs as the engine lists them`);
    const traj = scaiTrajectory(input, SCAI_2022, { fromMin: t0, toMin: t0 + 1440, blockMin: 240 });
    assert.equal(row.scai_max_24h, traj.result.maximum.lower, f);
  }
});

test('vasoactives at time zero: count, VIS and NEE (Gaies 2010; Jentzer/Mayo NEE)', () => {
  // Norepinephrine 0.1 + dobutamine 5 ug/kg/min: VIS = 100 × 0.1 + 5 = 15; NEE = 0.1 (inotropes do not count).
  const r = rowOf({
    infusions: [
      { drug: 'norepinephrine', start: h(0), rate: 0.1, rateUnit: 'ug/kg/min' },
      { drug: 'dobutamine', start: h(0.5), rate: 5, rateUnit: 'ug/kg/min' },
    ],
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(1) }],
  });
  assert.equal(r.vasoactive_count_t0, 2);
  assertClose(r.vis_t0, 15, 1e-9, 'VIS');
  assertClose(r.nee_t0_ug_kg_min, 0.1, 1e-9, 'NEE');
});

test('cardiac arrest with coma before the device: arrest and the SCAI 2022 modifier at time zero', () => {
  const coma = rowOf({
    events: [{ kind: 'cardiac_arrest', time: h(-1), gcsAfter: 5 }],
    devices: [{ kind: 'va_ecmo', insertion: h(1) }],
  });
  assert.equal(coma.arrest_t0, 1);
  assert.equal(coma.arrest_coma_t0, 1);
  assert.match(String(coma.scai_label_t0), /-A$/);
  assert.equal(coma.arrest_24h, 1);
  assert.equal(coma.arrest_coma_24h, 1);
  const noInfo = rowOf({ events: [{ kind: 'cardiac_arrest', time: h(3) }], devices: [{ kind: 'iabp', insertion: h(1) }] });
  assert.equal(noInfo.arrest_t0, 0, 'the arrest is after time zero');
  assert.equal(noInfo.arrest_24h, 1);
  assert.equal(noInfo.arrest_coma_24h, null, 'no coma information: unknown, not guessed');
});

// ---------------------------------------------------------------- phenotype

test('normotensive CS at a device start: SBP 104 with lactate 3.2 and no vasoactive; the device itself does not count', () => {
  // Menon 2000 / reference 3.2: hypoperfusion without hypotension and without drugs or device to hold BP.
  const r = rowOf({
    clinical: { etiology: 'AMI', mixedShock: false },
    observations: [
      { time: h(1), code: 'sbp_mmHg', value: 104 },
      { time: h(1), code: 'lactate_mmol_L', value: 3.2 },
    ],
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(2) }],
  });
  assert.equal(r.sharc_category, 'AMI-CS');
  assert.equal(r.mixed_shock, 0);
  assert.equal(r.etiology, 'AMI');
  assert.equal(r.bp_phenotype_t0, 'normotensive_cs');
  assert.equal(r.normotensive_cs_t0, 1);
  assert.equal(r.ventricular_phenotype, null);
  assert.equal(r.ventricular_phenotype_missing, 'no PA-catheter measurement');
});

test('ventricular phenotype from a PA-catheter set within 24 h of time zero (Thayer 2020: RAP > 14, PCWP ≤ 18 → RV)', () => {
  const r = rowOf({
    observations: [
      { time: h(5), code: 'rap_mmHg', value: 18 },
      { time: h(5), code: 'pcwp_mmHg', value: 12 },
    ],
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(2) }],
  });
  assert.equal(r.ventricular_phenotype, 'RV');
  assertClose(r.ventricular_phenotype_d, 3 / 24, 1e-3, 'PAC set 3 h after time zero');
  assert.equal(r.sharc_category, null);
  assert.equal(r.etiology, null);
});

// ---------------------------------------------------------------- organ function

test('SOFA items at time zero (Vincent 1996): platelets 80 → coagulation 2, bilirubin 2.5 → liver 2', () => {
  const r = rowOf({
    observations: [
      { time: h(-3), code: 'platelets_10e9_L', value: 80 },
      { time: h(-3), code: 'bilirubin_mg_dL', value: 2.5 },
    ],
    devices: [{ kind: 'iabp', insertion: h(0) }],
  });
  assert.equal(r.sofa_coagulation_t0, 2);
  assert.equal(r.sofa_liver_t0, 2);
  assert.equal(r.sofa_respiration_t0, null);
  assert.ok(Number(r.sofa_t0) >= 4);
  assert.ok(Number(r.sofa_t0_upper) > Number(r.sofa_t0), 'unknown items leave room above the proven sum');
  assert.match(String(r.sofa_t0_missing), /pao2_mmHg/);
});

test('KDIGO AKI within 7 days: creatinine 1.0 → 2.1 on day 2 is stage 2; a later rise is outside the horizon', () => {
  // Ratio to the lowest value in the prior 7 days: 2.1 / 1.0 = 2.1 → stage 2 (2.0–2.9). 4.5 on day 8 is after 7 d.
  const r = rowOf({
    observations: [
      { time: h(-1), code: 'creatinine_mg_dL', value: 1.0 },
      { time: d(2), code: 'creatinine_mg_dL', value: 2.1 },
      { time: d(8), code: 'creatinine_mg_dL', value: 4.5 },
    ],
    devices: [{ kind: 'iabp', insertion: h(0) }],
  });
  assert.equal(r.creatinine_t0_mg_dL, 1.0);
  assert.equal(r.aki_stage_7d, 2);
  assert.equal(r.aki_7d, 1);
  assertClose(r.aki_stage_7d_d, 2, 1e-3, 'day the stage was reached');
});

test('lactate clearance from time zero: 4.0 → 2.0 after 6 h is 50 %; no sample near 8 h or 24 h', () => {
  const r = rowOf({
    observations: [
      { time: h(0), code: 'lactate_mmol_L', value: 4.0 },
      { time: h(6), code: 'lactate_mmol_L', value: 2.0 },
    ],
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(0) }],
  });
  assert.equal(r.lactate_t0_mmol_L, 4.0);
  assert.equal(r.lactate_clearance_6h_pct, 50);
  assert.equal(r.lactate_clearance_8h_pct, null, '2 h from 8 h: beyond the 90-min tolerance');
  assert.equal(r.lactate_clearance_24h_pct, null);
  assert.equal(r.lactate_clearance_missing, '8h: lactate_mmol_L_at_8h;24h: lactate_mmol_L_at_24h');
});

// ---------------------------------------------------------------- anticoagulation

test('anticoagulation: protocol, TTR per test by linear interpolation, share of discordant pairs, no resistance', () => {
  // vandenbriele-2022-standard: UFH titrated on anti-Xa 0.31–0.5 IU/mL with aPTT 56–80 s in parallel.
  // Pair 1 (6 h): 0.40 / 70 s, both in band: concordant. Pair 2 (12 h): 0.20 / 90 s: anti-Xa low, aPTT high: discordant.
  // Rosendaal: anti-Xa 0.40 → 0.20 is in band while ≥ 0.31: (0.40 − 0.31)/(0.40 − 0.20) = 45 %;
  // aPTT 70 → 90 is in band while ≤ 80: (80 − 70)/(90 − 70) = 50 %. Heparin 1000 IU/h × 12 h = 12,000 IU < 35,000.
  const r = rowOf({
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(0) }],
    anticoagulation: [{ from: h(0), protocolId: 'vandenbriele-2022-standard' }],
    infusions: [{ drug: 'ufh', start: h(0), rate: 1000, rateUnit: '[IU]/h' }],
    observations: [
      { time: h(6), code: 'anti_xa_IU_mL', value: 0.4 },
      { time: h(6), code: 'aptt_s', value: 70 },
      { time: h(12), code: 'anti_xa_IU_mL', value: 0.2 },
      { time: h(12), code: 'aptt_s', value: 90 },
    ],
  });
  assert.equal(r.anticoag_protocols, 'vandenbriele-2022-standard');
  assert.equal(r.anticoag_drugs, 'ufh');
  assert.equal(r.anticoag_tests, 'anti_xa_IU_mL;aptt_s');
  assert.equal(r.anticoag_target_bands, 'anti_xa_IU_mL 0.31-0.5;aptt_s 56-80');
  assertClose(r.ttr_anti_xa_pct, 45, 1e-6, 'anti-Xa TTR');
  assertClose(r.ttr_aptt_pct, 50, 1e-6, 'aPTT TTR');
  assert.equal(r.ttr_act_pct, null);
  assert.equal(r.antixa_aptt_pairs, 2);
  assert.equal(r.discordant_pair_share, 0.5);
  assert.equal(r.heparin_resistance, 0);
  assert.equal(r.anticoag_missing, null);
});

test('no anticoagulation protocol: empty cells with the reason', () => {
  const r = rowOf({});
  assert.equal(r.anticoag_protocols, null);
  assert.equal(r.ttr_anti_xa_pct, null);
  assert.equal(r.discordant_pair_share, null);
  assert.equal(r.heparin_resistance, null);
  assert.equal(r.anticoag_missing, 'no protocol recorded');
});

// ---------------------------------------------------------------- hemolysis and bleeding

test('hemolysis: PFHb 60 mg/dL on a microaxial pump is severe (> 50 mg/dL)', () => {
  const r = rowOf({
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(0) }],
    observations: [{ time: h(20), code: 'plasma_free_hb_mg_dL', value: 60 }],
  });
  assert.equal(r.hemolysis_grade, 'severe');
  const none = rowOf({});
  assert.equal(none.hemolysis_grade, null);
  assert.equal(none.hemolysis_missing, 'plasma_free_hb_mg_dL;ldh_U_L');
});

test('bleeding on day 2 with Hb 12 → 6.5 g/dL and 2 RBC units: major under every definition; earlier bleeds not counted', () => {
  // Overt, drop 5.5 g/dL (no units between the samples): BARC 3b (≥ 5), TIMI major (≥ 5), ISTH major (≥ 2),
  // VARC-2 life-threatening (≥ 5); GUSTO moderate (transfusion, no hemodynamic compromise).
  const facts = {
    site: 'gastrointestinal' as const,
    overt: true,
    hbBaseline: { value: 12 },
    hbNadir: { value: 6.5 },
    rbcUnitsWithin48h: 2,
    unitsBetweenBaselineAndNadir: 0,
    hemodynamicCompromise: false,
    vasoactiveStartedForBleeding: false,
    surgicalOrEndovascularControl: false,
    fatal: false,
  };
  const r = rowOf({
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: h(0) }],
    events: [
      { kind: 'bleeding', time: h(-5), facts: { site: 'access_site', overt: true } },
      { kind: 'bleeding', time: d(2), facts },
    ],
  });
  assert.equal(r.bleeding_events, 1);
  assert.equal(r.barc_worst, '3b');
  assert.equal(r.gusto_worst, 'moderate');
  assert.equal(r.timi_worst, 'major');
  assert.equal(r.isth_worst, 'major');
  assert.equal(r.varc2_worst, 'life_threatening');
  for (const def of ['barc', 'gusto', 'timi', 'isth', 'varc2'] as const) {
    assert.equal(r[`${def}_major`], 1, def);
    assertClose(r[`${def}_major_d`], 2, 1e-6, `${def} days to first major bleed`);
  }
});

test('a bleed whose unrecorded facts could make it major leaves the major flag empty', () => {
  const r = rowOf({
    devices: [{ kind: 'iabp', insertion: h(0) }],
    events: [{ kind: 'bleeding', time: h(10), facts: { site: 'access_site', overt: true } }],
  });
  assert.equal(r.bleeding_events, 1);
  assert.equal(r.barc_major, null);
  assert.equal(r.barc_major_d, null);
  assert.notEqual(r.bleeding_missing, null);
  const none = rowOf({ devices: [{ kind: 'iabp', insertion: h(0) }] });
  assert.equal(none.barc_worst, '0');
  assert.equal(none.barc_major, 0);
  assert.equal(none.isth_worst, 'none');
});

// ---------------------------------------------------------------- outcomes, follow-up, demographics

test('death on day 40: death_1y = 1 and follow-up time 40 d', () => {
  const r = rowOf({
    devices: [{ kind: 'iabp', insertion: h(0) }],
    events: [{ kind: 'death', time: d(40), cause: 'cardiovascular' }],
  });
  assert.equal(r.death, 1);
  assert.equal(r.death_d, 40);
  assert.equal(r.death_1y, 1);
  assert.equal(r.time_1y_d, 40);
  assert.equal(r.last_known_alive_d, null);
});

test('alive, last seen on day 400: censored at 365 d; death on day 400 is not a 1-year death', () => {
  const alive = rowOf({ devices: [{ kind: 'iabp', insertion: h(0) }], followUp: { lastKnownAlive: d(400), source: 'phone' } });
  assert.equal(alive.death, 0);
  assert.equal(alive.death_1y, 0);
  assert.equal(alive.last_known_alive_d, 400);
  assert.equal(alive.time_1y_d, 365);
  const late = rowOf({ devices: [{ kind: 'iabp', insertion: h(0) }], events: [{ kind: 'death', time: d(400) }] });
  assert.equal(late.death, 1);
  assert.equal(late.death_d, 400);
  assert.equal(late.death_1y, 0);
  assert.equal(late.time_1y_d, 365);
});

test('without follow-up the patient is known alive until discharge or the last record', () => {
  const r = rowOf({
    devices: [{ kind: 'iabp', insertion: h(0), removal: d(3) }],
    times: { discharge: d(12) },
  });
  assert.equal(r.last_known_alive_d, 12);
  assert.equal(r.time_1y_d, 12);
  const noDischarge = rowOf({ devices: [{ kind: 'iabp', insertion: h(0), removal: d(3) }] });
  assert.equal(noDischarge.last_known_alive_d, 3);
});

test('stroke and limb ischemia count from time zero on, with days to the first', () => {
  const r = rowOf({
    devices: [{ kind: 'va_ecmo', insertion: h(0) }],
    events: [
      { kind: 'limb_ischemia', time: h(-1) },
      { kind: 'stroke', time: d(3), type: 'ischemic' },
      { kind: 'stroke', time: d(5), type: 'hemorrhagic' },
    ],
  });
  assert.equal(r.stroke, 1);
  assert.equal(r.stroke_d, 3);
  assert.equal(r.limb_ischemia, 0);
  assert.equal(r.limb_ischemia_d, null);
});

test('age 93 is written as 90 with the 90-or-older flag (Safe Harbor); 89 stays 89; sex unknown is empty', () => {
  const old = rowOf({ demographics: { age_years: 93, sex: 'male' } });
  assert.equal(old.age_years, 90);
  assert.equal(old.age_90_or_older, 1);
  assert.equal(old.sex, 'male');
  const young = rowOf({ demographics: { age_years: 89, sex: 'unknown' } });
  assert.equal(young.age_years, 89);
  assert.equal(young.age_90_or_older, 0);
  assert.equal(young.sex, null);
  const none = rowOf({ demographics: {} });
  assert.equal(none.age_years, null);
  assert.equal(none.age_90_or_older, null);
});

// ---------------------------------------------------------------- every example episode

test('every example episode yields a row with every column, each cell of its column type', () => {
  const files = readdirSync(examplePath('episodes')).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 20);
  for (const f of files) {
    const raw = JSON.parse(readFileSync(join(examplePath('episodes'), f), 'utf8'));
    const p = parseEpisode(raw);
    assert.ok(p.ok, f);
    const row = analysisRow({ site: raw.site ?? 'example', patient: { sourceId: raw.id }, episode: raw }, p.episode);
    assert.deepEqual(Object.keys(row), ANALYSIS_COLUMNS.map((c) => c.name), `${f}: columns in table order`);
    for (const c of ANALYSIS_COLUMNS) {
      const v = (row as Record<string, unknown>)[c.name];
      if (v === null) continue;
      const where = `${f}: ${c.name} = ${String(v)}`;
      if (c.type === 'flag') assert.ok(v === 0 || v === 1, where);
      else if (c.type === 'integer') assert.ok(Number.isInteger(v), where);
      else if (c.type === 'number') assert.ok(typeof v === 'number' && Number.isFinite(v), where);
      else assert.equal(typeof v, 'string', where);
      if ('levels' in c && c.levels) assert.ok((c.levels as readonly string[]).includes(v as string), where);
    }
  }
});
