// KDIGO acute kidney injury stage (KDIGO Clinical Practice Guideline for AKI, Kidney Int Suppl 2012) [R — standard],
// clinical reference 4.2: stage from the creatinine series (ratio to baseline, ≥ 0.3 mg/dL rise within 48 h,
// ≥ 4.0 mg/dL), urine output over rolling windows, and the start of kidney replacement therapy; the higher wins.
import type { Reason } from '../rule-result.js';
import type { Episode, Observation, TMin } from '../episode/episode.js';
import { isoAt, lastRecordedMin, observationsOf } from '../episode/series.js';
import { urineVolume } from './sofa.js';
import { formatValue } from '../format-value.js';

export type AkiStage = 0 | 1 | 2 | 3;

// Thresholds, reference 4.2 [R].
/** Absolute rise ≥ 0.3 mg/dL (≥ 26.5 µmol/L) within 48 h → stage 1. */
export const AKI_ABSOLUTE_RISE_MG_DL = 0.3;
export const AKI_ABSOLUTE_RISE_WINDOW_MIN = 48 * 60;
/** Ratio to baseline: 1.5–1.9 → 1, 2.0–2.9 → 2, ≥ 3.0 → 3. */
export const AKI_RATIO_STAGE_1 = 1.5;
export const AKI_RATIO_STAGE_2 = 2.0;
export const AKI_RATIO_STAGE_3 = 3.0;
/** Creatinine ≥ 4.0 mg/dL (≥ 353.6 µmol/L) → stage 3. */
export const AKI_CREATININE_STAGE_3_MG_DL = 4.0;
/** Urine output: < 0.5 mL/kg/h for 6 h → 1, for 12 h → 2; < 0.3 mL/kg/h for 24 h → 3; anuria for 12 h → 3. */
export const AKI_UO_LOW_ML_KG_H = 0.5;
export const AKI_UO_VERY_LOW_ML_KG_H = 0.3;

/** Site-tunable parameters [D]. */
export interface AkiParameters {
  /** Baseline = lowest creatinine in this many minutes before each value (KDIGO "within the prior 7 days"). */
  readonly baselineLookbackMin: number;
  /** Also use the recorded baseline creatinine (clinical.baselineCreatinine, e.g. outpatient ≤ 365 d, reference 1.6.5). */
  readonly useRecordedBaseline: boolean;
  /** Stage 3 by creatinine ≥ 4.0 mg/dL only when an AKI criterion is met (KDIGO: "increase to ≥ 4.0") [D]. */
  readonly creatinine4RequiresAki: boolean;
  /** Urine windows need records covering at least this fraction of the window [D]. */
  readonly urineMinCoverage: number;
}

export const DEFAULT_AKI_PARAMETERS: AkiParameters = {
  baselineLookbackMin: 7 * 1440,
  useRecordedBaseline: true,
  creatinine4RequiresAki: true,
  urineMinCoverage: 1,
};

export interface AkiResult {
  /** Highest stage reached up to the assessment time; null when neither creatinine nor urine output can be judged. */
  readonly result: AkiStage | null;
  readonly creatinineStage: AkiStage | null;
  readonly urineStage: AkiStage | null;
  readonly krt: boolean;
  /** Time the highest stage was first reached. */
  readonly stageTime?: string;
  readonly baselineUnknown: boolean;
  readonly reasons: readonly Reason[];
  readonly missing: readonly string[];
}

interface Stamped {
  stage: AkiStage;
  t: TMin;
  reason: Reason;
}

/** The creatinine stage of each value: ratio to the lowest prior reference and the 48-h absolute rise. */
export function creatinineStages(episode: Episode, atMin: TMin, p: AkiParameters = DEFAULT_AKI_PARAMETERS): { stamps: Stamped[]; baselineUnknown: boolean; values: number } {
  const series = observationsOf(episode, 'creatinine_mg_dL').filter((o) => o.t_min <= atMin);
  const recorded = p.useRecordedBaseline ? episode.clinical.baselineCreatinine : undefined;
  const stamps: Stamped[] = [];
  let baselineUnknown = series.length > 0;
  for (const o of series) {
    const prior = series.filter((x) => x.t_min < o.t_min && x.t_min >= o.t_min - p.baselineLookbackMin);
    const refs: { value: number; label: string; time?: string }[] = prior.map((x) => ({ value: x.value, label: 'lowest value in prior 7 days', time: x.time }));
    if (recorded) refs.push({ value: recorded.value_mg_dL, label: `recorded baseline (${recorded.source ?? 'unspecified'})`, ...(recorded.time ? { time: recorded.time } : {}) });
    if (refs.length === 0) continue;
    baselineUnknown = false;
    const ref = refs.reduce((a, b) => (b.value < a.value ? b : a));
    const ratio = Math.round((o.value / ref.value) * 100) / 100;
    let stage: AkiStage = ratio >= AKI_RATIO_STAGE_3 ? 3 : ratio >= AKI_RATIO_STAGE_2 ? 2 : ratio >= AKI_RATIO_STAGE_1 ? 1 : 0;
    let text = `creatinine ${formatValue(o.value)} mg/dL = ${ratio} × baseline ${formatValue(ref.value)} mg/dL (${ref.label})`;
    const window = series.filter((x) => x.t_min < o.t_min && x.t_min >= o.t_min - AKI_ABSOLUTE_RISE_WINDOW_MIN);
    if (window.length > 0) {
      const low = window.reduce((a, b) => (b.value < a.value ? b : a));
      const rise = Math.round((o.value - low.value) * 1000) / 1000;
      if (rise >= AKI_ABSOLUTE_RISE_MG_DL && stage < 1) {
        stage = 1;
        text = `creatinine ${formatValue(o.value)} mg/dL rose ${rise} ≥ 0.3 mg/dL within 48 h (from ${formatValue(low.value)} at ${low.time})`;
      }
    }
    if (o.value >= AKI_CREATININE_STAGE_3_MG_DL && (stage >= 1 || !p.creatinine4RequiresAki) && stage < 3) {
      stage = 3;
      text = `creatinine ${formatValue(o.value)} mg/dL ≥ 4.0 mg/dL with AKI (${text})`;
    }
    stamps.push({ stage, t: o.t_min, reason: { criterion: `aki_creatinine_stage_${stage}`, text, value: o.value, unit: 'mg/dL', time: o.time } });
  }
  return { stamps, baselineUnknown, values: series.length };
}

/** Urine-output stage at every urine record end time (rolling 6, 12, 24 h windows, mean rate per kg). */
export function urineStages(episode: Episode, atMin: TMin, p: AkiParameters = DEFAULT_AKI_PARAMETERS): { stamps: Stamped[]; judged: boolean } {
  const w = episode.demographics.weight_kg;
  const ends = observationsOf(episode, 'urine_output_mL_h').filter((o) => o.t_min <= atMin);
  if (w === undefined || ends.length === 0) return { stamps: [], judged: false };
  const stamps: Stamped[] = [];
  let judged = false;
  const rate = (o: Observation, hours: number): number | undefined => {
    const { volume_mL, coveredMin } = urineVolume(episode, o.t_min - hours * 60, o.t_min);
    if (coveredMin < p.urineMinCoverage * hours * 60 - 1e-9) return undefined;
    return volume_mL / w / hours;
  };
  for (const o of ends) {
    const r6 = rate(o, 6);
    const r12 = rate(o, 12);
    const r24 = rate(o, 24);
    if (r6 === undefined) continue;
    judged = true;
    let stage: AkiStage = 0;
    let text = `urine output ${formatValue(r6)} mL/kg/h over 6 h`;
    if (r24 !== undefined && r24 < AKI_UO_VERY_LOW_ML_KG_H) {
      stage = 3;
      text = `urine output ${formatValue(r24)} < 0.3 mL/kg/h over 24 h`;
    } else if (r12 !== undefined && r12 === 0) {
      stage = 3;
      text = 'anuria for 12 h';
    } else if (r12 !== undefined && r12 < AKI_UO_LOW_ML_KG_H) {
      stage = 2;
      text = `urine output ${formatValue(r12)} < 0.5 mL/kg/h over 12 h`;
    } else if (r6 < AKI_UO_LOW_ML_KG_H) {
      stage = 1;
      text = `urine output ${formatValue(r6)} < 0.5 mL/kg/h over 6 h`;
    }
    stamps.push({ stage, t: o.t_min, reason: { criterion: `aki_urine_stage_${stage}`, text, time: o.time } });
  }
  return { stamps, judged };
}

/** KDIGO AKI stage reached up to `atMin` (default: last recorded time). */
export function assessAki(episode: Episode, options: { atMin?: TMin; parameters?: Partial<AkiParameters> } = {}): AkiResult {
  const p: AkiParameters = { ...DEFAULT_AKI_PARAMETERS, ...options.parameters };
  const at = options.atMin ?? lastRecordedMin(episode);
  const reasons: Reason[] = [];
  const missing: string[] = [];
  const cr = creatinineStages(episode, at, p);
  const uo = urineStages(episode, at, p);
  const krtStart = episode.supports.find((s) => s.kind === 'kidney_replacement' && s.t_start_min <= at);
  const krt = krtStart !== undefined && !episode.clinical.chronicKidneyReplacement;

  const best = (stamps: Stamped[]): Stamped | undefined =>
    stamps.reduce<Stamped | undefined>((a, s) => (!a || s.stage > a.stage || (s.stage === a.stage && s.t < a.t) ? s : a), undefined);
  const bc = best(cr.stamps);
  const bu = best(uo.stamps);
  const creatinineStage = bc ? bc.stage : null;
  const urineStage = bu ? bu.stage : null;
  if (cr.values === 0) missing.push('creatinine_mg_dL');
  else if (cr.baselineUnknown) missing.push('baseline_creatinine');
  if (!uo.judged) missing.push(episode.demographics.weight_kg === undefined ? 'weight_kg' : 'urine_output_mL_h');
  if (episode.clinical.chronicKidneyReplacement) reasons.push({ criterion: 'aki_chronic_krt', text: 'on chronic kidney replacement before the episode: AKI staging does not apply' });

  const candidates: Stamped[] = [];
  if (bc && bc.stage > 0) candidates.push(bc);
  if (bu && bu.stage > 0) candidates.push(bu);
  if (krt && krtStart) {
    candidates.push({ stage: 3, t: krtStart.t_start_min, reason: { criterion: 'aki_krt_start', text: `kidney replacement therapy started at ${krtStart.start} → stage 3`, time: krtStart.start } });
  }
  const top = best(candidates);
  for (const c of candidates) reasons.push(c.reason);
  let result: AkiStage | null;
  if (top) result = top.stage;
  else if (creatinineStage !== null || urineStage !== null) {
    result = 0;
    reasons.push({ criterion: 'aki_none', text: `no KDIGO criterion met up to ${isoAt(episode, at)}` });
  } else result = null;
  return {
    result,
    creatinineStage,
    urineStage,
    krt,
    ...(top ? { stageTime: top.reason.time ?? isoAt(episode, top.t) } : {}),
    baselineUnknown: cr.baselineUnknown,
    reasons,
    missing,
  };
}
