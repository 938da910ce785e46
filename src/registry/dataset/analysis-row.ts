// One row of the analysis table per patient record: every value comes from an entry point of the clinical engine
// (src/clinical) evaluated at time zero, over the 24 h after it, or over the record; this file only chooses the
// times and turns results into cells. A value the engine could not compute is an empty cell, never a guess.
// Columns and their definitions: analysis-columns.ts and docs/dataset.md.
import { assessAnticoagulation } from '../../clinical/anticoagulation/index.js';
import { assessBleeding, summarizeBleeding, type DefinitionSummary } from '../../clinical/bleeding/index.js';
import { SELECTION_REASONS } from '../../clinical/episode/episode-schema.js';
import type { Episode, TMin } from '../../clinical/episode/episode.js';
import { minutesBetween } from '../../clinical/episode/episode.js';
import { lastAtOrBefore, lastRecordedMin } from '../../clinical/episode/series.js';
import { vasoactiveStateAt } from '../../clinical/hemodynamics/vasoactive-course.js';
import { gradeHemolysis } from '../../clinical/hemolysis/hemolysis-grade.js';
import { assessAki } from '../../clinical/organ/kdigo-aki.js';
import { assessLactateClearance } from '../../clinical/organ/lactate-clearance.js';
import { assessSofa } from '../../clinical/organ/sofa.js';
import { classifyBloodPressurePhenotype } from '../../clinical/phenotype/blood-pressure-phenotype.js';
import { classifySharcCategory } from '../../clinical/phenotype/sharc-category.js';
import { ventricularPhenotypeSeries } from '../../clinical/phenotype/ventricular-phenotype.js';
import type { Tri } from '../../clinical/rule-result.js';
import { cardiacArrestModifier, SCAI_2022, scaiInputFromEpisode, scaiStageAt, scaiTrajectory, type ScaiAssessment } from '../../clinical/scai/index.js';
import { safeHarborAge, SAFE_HARBOR_AGE_CAP_YEARS } from '../deidentify.js';
import type { RegistryRecord } from '../record.js';
import type { AnalysisRow } from './analysis-columns.js';
import { deviceSet, devicesAtTimeZero, timeZeroDevices, timeZeroOf } from './time-zero.js';

export { ANALYSIS_COLUMNS, ANALYSIS_COLUMN_NAMES, type AnalysisColumn, type AnalysisColumnName, type AnalysisRow, type ColumnType } from './analysis-columns.js';
export { analysisTableCsv } from './analysis-csv.js';

const DAY_MIN = 1440;
/** Horizon of the SCAI trajectory, the combination window and the ventricular phenotype look-ahead: 24 h [D]. */
const HORIZON_24H_MIN = 24 * 60;
/**
 * SCAI trajectory blocks of 4 h: the serial staging study behind the time-weighted mean stage (J Am Heart Assoc 2023,
 * PMC10727310, reference 1.1 [V]) staged patients in 4-hour blocks; the engine's default 60-min blocks cost 4 times
 * as much for a figure the study defined on 4-h blocks.
 */
const SCAI_BLOCK_MIN = 240;
/** KDIGO AKI "within 7 days" of time zero (KDIGO 2012 defines AKI over 7 days) [R]. */
const AKI_HORIZON_MIN = 7 * DAY_MIN;
/** One-year survival: follow-up capped at 365 days [D]. */
export const FOLLOW_UP_CAP_D = 365;

/** Days from time zero, rounded to 1e-4 d (about 9 s) so minute offsets print without floating-point noise. */
function days(t_min: number, t0: number): number {
  return Math.round(((t_min - t0) / DAY_MIN) * 1e4) / 1e4;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function flag(t: Tri | boolean | undefined): 0 | 1 | null {
  return t === true ? 1 : t === false ? 0 : null;
}

function joined(items: readonly string[]): string | null {
  const unique = [...new Set(items)];
  return unique.length > 0 ? unique.join(';') : null;
}

function criterionValue(a: ScaiAssessment, id: string): number | null {
  const c = a.criteria.find((x) => x.id === id);
  return c?.observed !== undefined ? round4(c.observed) : null;
}

/**
 * Inputs whose absence left a core criterion of an assessment unknown: the rule of assessScaiWindows' `missing`
 * (supplementary criteria do not widen the bounds, so their gaps are not listed), read from the criteria.
 */
function scaiMissing(a: ScaiAssessment): string[] {
  const out = new Set<string>();
  for (const c of a.criteria) if (c.value === 'unknown' && !c.supplementary) for (const m of c.missing) out.add(m);
  return [...out].sort();
}

/** Worst class, major flag and days to the first major bleed of one definition. */
function bleedingCells<C extends string>(s: DefinitionSummary<C>, t0: TMin): { worst: string; major: 0 | 1 | null; major_d: number | null } {
  // Major when a recorded class reaches it; undetermined when only the upper bound (worst-case facts) does.
  const major = s.firstMajor !== null ? 1 : s.firstPossibleMajor !== null ? null : 0;
  return { worst: s.worst, major, major_d: s.firstMajor !== null ? days(s.firstMajor.t_min, t0) : null };
}

/** First event of a kind at or after time zero. */
function firstEventAfter(episode: Episode, kind: 'stroke' | 'limb_ischemia', t0: TMin): number | undefined {
  let first: number | undefined;
  for (const e of episode.events) if (e.kind === kind && e.t_min >= t0 && (first === undefined || e.t_min < first)) first = e.t_min;
  return first;
}

/**
 * The analysis-table row of one registry record. `episode` is `parseEpisode(record.episode)`'s episode (the caller
 * parses once and reports records that do not parse). Pure; reads no clock.
 */
export function analysisRow(record: RegistryRecord, episode: Episode): AnalysisRow {
  const tz = timeZeroOf(episode);
  const t0 = tz.t_min;

  // ---- devices
  const atT0 = deviceSet(devicesAtTimeZero(episode, t0));
  const ever = deviceSet(episode.devices);
  const starters = timeZeroDevices(episode, t0);
  const reasonSet = new Set(starters.flatMap((d) => d.selectionReasons));
  const reasons = SELECTION_REASONS.filter((r) => reasonSet.has(r));

  // ---- SCAI 2022: stage at time zero and the trajectory over the 24 h after it, from one input mapping
  const scaiInput = scaiInputFromEpisode(episode);
  const traj = scaiTrajectory(scaiInput, SCAI_2022, { fromMin: t0, toMin: t0 + HORIZON_24H_MIN, blockMin: SCAI_BLOCK_MIN }).result;
  // At a device start the trajectory has already staged time zero with scaiStageAt's windows (a test holds them equal).
  const at = traj.atDeviceStart.find((d) => d.t_min === t0)?.assessment ?? scaiStageAt(scaiInput, t0, SCAI_2022).result;
  const vaso = vasoactiveStateAt(episode, t0);
  const arrestsUpTo = (t: number) => episode.events.some((e) => e.kind === 'cardiac_arrest' && e.t_min <= t);

  // ---- phenotype: as for the SCAI stage at a device start, devices count only when inserted before time zero
  const sharc = classifySharcCategory(episode.clinical).result;
  const preDevice: Episode = { ...episode, devices: episode.devices.filter((d) => d.t_insertion_min < t0) };
  const bp = classifyBloodPressurePhenotype(preDevice, { atMin: t0 });
  const bpPossible = bp.result.possible;
  let ventricular: ReturnType<typeof ventricularPhenotypeSeries>[number] | undefined;
  for (const v of ventricularPhenotypeSeries(episode)) {
    if (v.result.t_min <= t0 + HORIZON_24H_MIN && (ventricular === undefined || v.result.t_min >= ventricular.result.t_min)) ventricular = v;
  }
  const involvement = ventricular?.result.involvement;

  // ---- organ function
  const sofa = assessSofa(episode, { atMin: t0, parameters: { windowMin: sofaWindowMin(episode, t0) } });
  const comp = sofa.components;
  const aki = assessAki(episode, { atMin: t0 + AKI_HORIZON_MIN });
  const akiTime = aki.stageTime !== undefined ? Date.parse(aki.stageTime) : NaN;
  const anchorMs = Date.parse(episode.anchor.time);
  const lactate = assessLactateClearance(episode, { fromMin: t0 });
  const clearance = (hours: number): number | null => lactate.byHorizon.find((h) => h.hours === hours)?.clearance.result?.clearancePct ?? null;
  const clearanceMissing = lactate.byHorizon.flatMap((h) => {
    const r = h.clearance;
    if (r.result === null) return [`${h.hours}h: ${r.missing.join(', ') || 'not computed'}`];
    return r.result.status === 'computed' ? [] : [`${h.hours}h: ${r.result.status}`];
  });
  const creatinine = lastAtOrBefore(episode, 'creatinine_mg_dL', t0, DAY_MIN);

  // ---- anticoagulation over the whole record
  const ac = assessAnticoagulation(episode).result;
  const protocolIds = ac.protocols.map((p) => p.protocolId);
  const tests = ac.protocols.flatMap((p) => [...(p.titrationTest ? [p.titrationTest] : []), ...p.bands.map((b) => b.test)]);
  const bands = ac.protocols.flatMap((p) => p.bands.map((b) => `${b.test} ${b.low}-${b.high}`));
  const classifiable = ac.pairs.filter((p) => p.result.concordant !== 'unknown').length;
  const discordant = ac.pairs.filter((p) => p.result.concordant === false).length;
  const unknownProtocols = ac.protocols.filter((p) => p.drug === undefined).map((p) => `no definition for protocol '${p.protocolId}'`);
  const ttr = (test: 'anti_xa_IU_mL' | 'aptt_s' | 'act_s'): number | null => {
    const pct = ac.ttr[test]?.result.inRange_pct;
    return pct === undefined ? null : round4(pct);
  };
  const resistance = ac.resistance.result.flag;

  // ---- hemolysis from time zero
  const hemolysis = gradeHemolysis(episode, { fromMin: t0 });

  // ---- bleeding: events at or after time zero, summarized by the engine under every definition
  const bleedingEvents = assessBleeding(episode).events.filter((e) => e.t_min >= t0);
  const bleeding = summarizeBleeding(bleedingEvents.map((e) => ({ index: e.index, time: e.time, t_min: e.t_min, classification: e.classification })));
  const barc = bleedingCells(bleeding.barc, t0);
  const gusto = bleedingCells(bleeding.gusto, t0);
  const timi = bleedingCells(bleeding.timi, t0);
  const isth = bleedingCells(bleeding.isth, t0);
  const varc2 = bleedingCells(bleeding.varc2, t0);

  // ---- outcomes
  const stroke = firstEventAfter(episode, 'stroke', t0);
  const limb = firstEventAfter(episode, 'limb_ischemia', t0);
  const death = episode.events.find((e) => e.kind === 'death');
  const death_d = death !== undefined ? days(death.t_min, t0) : null;
  let lastAlive: number | null = null;
  if (death === undefined) {
    // A patient is known alive at every record of the episode, at discharge (no death recorded) and at follow-up.
    let t = lastRecordedMin(episode);
    for (const iso of [episode.followUp.lastKnownAlive, episode.times.discharge]) {
      if (iso === undefined) continue;
      const m = (Date.parse(iso) - anchorMs) / 60000;
      if (Number.isFinite(m) && m > t) t = m;
    }
    lastAlive = days(t, t0);
  }
  const followUp_d = death_d ?? (lastAlive as number);
  const age = episode.demographics.age_years;

  return {
    site: record.site,
    patient_key: record.patient.sourceId,
    episode_id: episode.id,
    time_zero_source: tz.source,
    time_zero_from_anchor_d: days(t0, 0),
    age_years: age !== undefined ? safeHarborAge(age) : null,
    age_90_or_older: age !== undefined ? (age >= SAFE_HARBOR_AGE_CAP_YEARS ? 1 : 0) : null,
    sex: episode.demographics.sex === 'unknown' ? null : episode.demographics.sex,
    etiology: episode.clinical.etiology ?? null,

    device_group_t0: atT0.group,
    devices_t0: atT0.kinds || null,
    device_group_ever: ever.group,
    devices_ever: ever.kinds || null,
    device_t0: deviceSet(starters).kinds || null,
    device_t0_selection_reasons: joined(reasons),
    device_t0_selection_reasons_missing: starters.length === 0 ? 'no device' : reasons.length === 0 ? 'none recorded' : null,

    scai_stage_t0: at.stageLowerBound,
    scai_stage_t0_upper: at.stageUpperBound,
    scai_label_t0: at.label,
    scai_hypotension_t0: flag(at.blocks.hypotensionOrTachycardia),
    scai_hypoperfusion_t0: flag(at.blocks.hypoperfusion),
    scai_deterioration_t0: flag(at.blocks.deterioration),
    scai_refractory_t0: flag(at.blocks.refractoryShock),
    sbp_min_t0_mmHg: criterionValue(at, 'sbp_hypotension'),
    map_min_t0_mmHg: criterionValue(at, 'map_hypotension'),
    lactate_t0_mmol_L: criterionValue(at, 'lactate_hypoperfusion'),
    vasoactive_count_t0: vaso.count,
    vis_t0: vaso.vis.result,
    nee_t0_ug_kg_min: vaso.nee.result,
    scai_t0_missing: joined([...scaiMissing(at), ...cardiacArrestModifier(scaiInput.arrests, SCAI_2022.version, t0).missing].sort()),
    scai_max_24h: traj.maximum.lower,
    scai_max_24h_upper: traj.maximum.upper,
    scai_mean_24h: traj.timeWeightedMean.lower,
    scai_mean_24h_upper: traj.timeWeightedMean.upper,
    scai_shock_hours_24h: traj.hoursInShock.lower,

    arrest_t0: arrestsUpTo(t0) ? 1 : 0,
    arrest_coma_t0: flag(at.caModifier),
    arrest_24h: arrestsUpTo(t0 + HORIZON_24H_MIN) ? 1 : 0,
    arrest_coma_24h: flag(traj.caModifier),

    sharc_category: sharc.category === 'unknown' ? null : sharc.category,
    mixed_shock: flag(sharc.mixedShock),
    bp_phenotype_t0: bp.result.phenotype === 'indeterminate' ? null : bp.result.phenotype,
    normotensive_cs_t0: bpPossible.length === 1 && bpPossible[0] === 'normotensive_cs' ? 1 : bpPossible.includes('normotensive_cs') ? null : 0,
    bp_phenotype_t0_missing: joined(bp.missing),
    ventricular_phenotype: involvement === undefined || involvement === 'indeterminate' ? null : involvement,
    ventricular_phenotype_d: ventricular !== undefined ? days(ventricular.result.t_min, t0) : null,
    ventricular_phenotype_missing:
      ventricular === undefined ? 'no PA-catheter measurement' : involvement === 'indeterminate' ? (joined(ventricular.missing) ?? 'indeterminate') : null,

    sofa_t0: sofa.total,
    sofa_t0_upper: sofa.totalUpper,
    sofa_respiration_t0: comp.respiration.result,
    sofa_coagulation_t0: comp.coagulation.result,
    sofa_liver_t0: comp.liver.result,
    sofa_cardiovascular_t0: comp.cardiovascular.result,
    sofa_cns_t0: comp.cns.result,
    sofa_renal_t0: comp.renal.result,
    sofa_t0_missing: joined(sofa.missing),
    creatinine_t0_mg_dL: creatinine !== undefined ? round4(creatinine.value) : null,
    aki_stage_7d: aki.result,
    aki_7d: aki.result === null ? null : aki.result >= 1 ? 1 : 0,
    aki_stage_7d_d: aki.result !== null && aki.result >= 1 && Number.isFinite(akiTime) ? days((akiTime - anchorMs) / 60000, t0) : null,
    aki_missing: joined(aki.missing),
    lactate_clearance_6h_pct: clearance(6),
    lactate_clearance_8h_pct: clearance(8),
    lactate_clearance_24h_pct: clearance(24),
    lactate_clearance_missing: joined(clearanceMissing),

    anticoag_protocols: joined(protocolIds),
    anticoag_drugs: joined(ac.protocols.flatMap((p) => (p.drug !== undefined ? [p.drug] : []))),
    anticoag_tests: joined(tests),
    anticoag_target_bands: joined(bands),
    ttr_anti_xa_pct: ttr('anti_xa_IU_mL'),
    ttr_aptt_pct: ttr('aptt_s'),
    ttr_act_pct: ttr('act_s'),
    antixa_aptt_pairs: classifiable,
    discordant_pair_share: classifiable > 0 ? round4(discordant / classifiable) : null,
    heparin_resistance: flag(resistance),
    anticoag_missing: protocolIds.length === 0 ? 'no protocol recorded' : joined(unknownProtocols),

    hemolysis_grade: hemolysis.result.grade,
    hemolysis_missing: joined(hemolysis.missing),

    bleeding_events: bleeding.eventCount,
    barc_worst: barc.worst,
    barc_major: barc.major,
    barc_major_d: barc.major_d,
    gusto_worst: gusto.worst,
    gusto_major: gusto.major,
    gusto_major_d: gusto.major_d,
    timi_worst: timi.worst,
    timi_major: timi.major,
    timi_major_d: timi.major_d,
    isth_worst: isth.worst,
    isth_major: isth.major,
    isth_major_d: isth.major_d,
    varc2_worst: varc2.worst,
    varc2_major: varc2.major,
    varc2_major_d: varc2.major_d,
    bleeding_missing: joined(bleeding.missing),

    stroke: stroke !== undefined ? 1 : 0,
    stroke_d: stroke !== undefined ? days(stroke, t0) : null,
    limb_ischemia: limb !== undefined ? 1 : 0,
    limb_ischemia_d: limb !== undefined ? days(limb, t0) : null,
    death: death !== undefined ? 1 : 0,
    death_d,
    last_known_alive_d: lastAlive,
    time_1y_d: Math.min(followUp_d, FOLLOW_UP_CAP_D),
    death_1y: death_d !== null && death_d <= FOLLOW_UP_CAP_D ? 1 : 0,
  };
}

/**
 * The baseline SOFA window [D]: the 24 h up to time zero (Vincent 1996 scores the worst value per day), or the time
 * since hospital admission when the patient was admitted less than 24 h before time zero. Nothing is charted before
 * admission, so a 24-h window would leave urine output uncovered (assessSofa needs 90% of the window) for every
 * patient whose device went in on the day of admission, and SOFA would never be complete for them.
 */
function sofaWindowMin(episode: Episode, t0: number): number {
  const admission = episode.times.admission ?? (episode.anchor.kind === 'admission' ? episode.anchor.time : undefined);
  if (admission === undefined) return DAY_MIN;
  const sinceAdmission = t0 - minutesBetween(episode.anchor.time, admission);
  return Number.isFinite(sinceAdmission) && sinceAdmission > 0 && sinceAdmission < DAY_MIN ? sinceAdmission : DAY_MIN;
}
