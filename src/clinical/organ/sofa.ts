// SOFA score (Vincent et al., Intensive Care Med 1996) [R — standard table], clinical reference 4.1: each organ
// 0–4 from the worst value in a 24-h window; total 0–24. Missing inputs never score as normal: each component
// carries a proven score (`result`, the lower bound) and the highest score still possible (`upper`).
import type { Reason, RuleResult } from '../rule-result.js';
import type { Episode, Infusion, Observation, TMin } from '../episode/episode.js';
import { formatValue } from '../format-value.js';
import { isoAt, lastRecordedMin, maxInWindow, minInWindow, observationsInWindow, supportsActiveAt } from '../episode/series.js';

export const SOFA_VERSION = 'vincent1996';

// Thresholds, reference 4.1 [R].
/** Respiration PaO2/FiO2, mmHg: < 400 → 1, < 300 → 2, < 200 with respiratory support → 3, < 100 with support → 4. */
export const SOFA_PF = [400, 300, 200, 100] as const;
/** Coagulation platelets, 10⁹/L (= 10³/µL): < 150 → 1, < 100 → 2, < 50 → 3, < 20 → 4. */
export const SOFA_PLATELETS = [150, 100, 50, 20] as const;
/** Liver bilirubin, mg/dL: ≥ 1.2 → 1, ≥ 2.0 → 2, ≥ 6.0 → 3, ≥ 12.0 → 4 (table bands 1.2–1.9, 2.0–5.9, 6.0–11.9, ≥ 12). */
export const SOFA_BILIRUBIN_MG_DL = [1.2, 2.0, 6.0, 12.0] as const;
/** Renal creatinine, mg/dL: ≥ 1.2 → 1, ≥ 2.0 → 2, ≥ 3.5 → 3, ≥ 5.0 → 4 (bands 1.2–1.9, 2.0–3.4, 3.5–4.9, ≥ 5). */
export const SOFA_CREATININE_MG_DL = [1.2, 2.0, 3.5, 5.0] as const;
/** Renal urine output, mL/day: < 500 → 3, < 200 → 4. */
export const SOFA_UO_3_ML_DAY = 500;
export const SOFA_UO_4_ML_DAY = 200;
/** Cardiovascular MAP < 70 mmHg → 1. */
export const SOFA_MAP_MMHG = 70;
/** Cardiovascular doses, ug/kg/min: dopamine ≤ 5 or any dobutamine → 2; dopamine > 5 or epi/NE ≤ 0.1 → 3; dopamine > 15 or epi/NE > 0.1 → 4. */
export const SOFA_DOPAMINE_LOW = 5;
export const SOFA_DOPAMINE_HIGH = 15;
export const SOFA_CATECHOLAMINE = 0.1;

/** Site-tunable parameters of the SOFA rule [D]. */
export interface SofaParameters {
  /** Length of the window ending at the assessment time, minutes. Default 1440 (24 h). */
  readonly windowMin: number;
  /** A vasoactive dose counts if given for at least this long (table: "≥ 1 h"). Default 60. */
  readonly minVasoactiveDurationMin: number;
  /** FiO2 paired with a PaO2: same sampleId, else the last FiO2 within this many minutes before it. Default 60 [D]. */
  readonly fio2MaxAgeMin: number;
  /** Urine output is used when its records cover at least this fraction of the window; volume scaled to 24 h [D]. */
  readonly urineMinCoverage: number;
}

export const DEFAULT_SOFA_PARAMETERS: SofaParameters = {
  windowMin: 1440,
  minVasoactiveDurationMin: 60,
  fio2MaxAgeMin: 60,
  urineMinCoverage: 0.9,
};

/** A SOFA component: `result` is the proven score (null when nothing is known), `upper` the highest still possible. */
export interface SofaComponent extends RuleResult<number | null> {
  readonly upper: number;
}

export interface SofaResult {
  readonly version: typeof SOFA_VERSION;
  readonly fromMin: TMin;
  readonly toMin: TMin;
  readonly components: {
    readonly respiration: SofaComponent;
    readonly coagulation: SofaComponent;
    readonly liver: SofaComponent;
    readonly cardiovascular: SofaComponent;
    readonly cns: SofaComponent;
    readonly renal: SofaComponent;
  };
  /** Sum of proven component scores (lower bound). */
  readonly total: number;
  /** Highest total still possible if every unknown were worst. */
  readonly totalUpper: number;
  /** True when every component is fully determined (total === totalUpper). */
  readonly complete: boolean;
  /** The cardiovascular item is device-supported when MCS is in place (reference 4.1 note) [D]. */
  readonly onMCS: boolean;
  readonly reasons: readonly Reason[];
  readonly missing: readonly string[];
}

const unknownComponent = (missing: string[], reasons: Reason[] = []): SofaComponent => ({ result: null, upper: 4, reasons, missing });
const known = (score: number, reasons: Reason[], upper = score, missing: string[] = []): SofaComponent => ({ result: score, upper, reasons, missing });

/** Score by descending thresholds with "<" (lower is worse): platelets. */
function scoreBelow(value: number, thresholds: readonly number[]): number {
  let s = 0;
  thresholds.forEach((th, i) => {
    if (value < th) s = i + 1;
  });
  return s;
}
/** Score by ascending thresholds with "≥" (higher is worse): bilirubin, creatinine. */
function scoreAtLeast(value: number, thresholds: readonly number[]): number {
  let s = 0;
  thresholds.forEach((th, i) => {
    if (value >= th) s = i + 1;
  });
  return s;
}

const obsReason = (criterion: string, text: string, o: Observation): Reason => ({ criterion, text, value: o.value, unit: o.unit, time: o.time });

/** Respiration: worst PaO2/FiO2; scores 3–4 need respiratory support (invasive or non-invasive ventilation). */
export function sofaRespiration(episode: Episode, fromMin: TMin, toMin: TMin, p: SofaParameters = DEFAULT_SOFA_PARAMETERS): SofaComponent {
  const pao2s = observationsInWindow(episode, 'pao2_mmHg', fromMin, toMin);
  let worst: { pf: number; pao2: Observation; fio2: Observation; supported: boolean } | undefined;
  let unpaired = false;
  for (const pao2 of pao2s) {
    const fio2 =
      episode.observations.find((o) => o.code === 'fio2_fraction' && o.sampleId !== undefined && o.sampleId === pao2.sampleId) ??
      [...episode.observations].reverse().find((o) => o.code === 'fio2_fraction' && o.t_min <= pao2.t_min && o.t_min >= pao2.t_min - p.fio2MaxAgeMin);
    if (!fio2) {
      unpaired = true;
      continue;
    }
    const pf = Math.round((pao2.value / fio2.value) * 10) / 10;
    const supported =
      supportsActiveAt(episode, pao2.t_min, 'invasive_ventilation').length + supportsActiveAt(episode, pao2.t_min, 'noninvasive_ventilation').length > 0;
    if (!worst || pf < worst.pf) worst = { pf, pao2, fio2, supported };
  }
  if (!worst) return unknownComponent(pao2s.length === 0 ? ['pao2_mmHg', 'fio2_fraction'] : ['fio2_fraction']);
  let score = scoreBelow(worst.pf, SOFA_PF);
  const reasons: Reason[] = [
    { criterion: 'pf_ratio', text: `PaO2/FiO2 ${worst.pf} mmHg = PaO2 ${formatValue(worst.pao2.value)} / FiO2 ${formatValue(worst.fio2.value)}`, value: worst.pf, unit: 'mm[Hg]', time: worst.pao2.time },
  ];
  if (score >= 3 && !worst.supported) {
    score = 2;
    reasons.push({ criterion: 'pf_no_respiratory_support', text: `PaO2/FiO2 ${worst.pf} < ${SOFA_PF[2]} but no ventilation recorded at ${worst.pao2.time}: scored 2`, time: worst.pao2.time });
  }
  reasons.push({ criterion: `sofa_respiration_${score}`, text: `respiration ${score}`, value: score });
  return known(score, reasons, score, unpaired ? ['fio2_fraction'] : []);
}

export function sofaCoagulation(episode: Episode, fromMin: TMin, toMin: TMin): SofaComponent {
  const o = minInWindow(episode, 'platelets_10e9_L', fromMin, toMin);
  if (!o) return unknownComponent(['platelets_10e9_L']);
  const s = scoreBelow(o.value, SOFA_PLATELETS);
  return known(s, [obsReason(`sofa_coagulation_${s}`, `lowest platelets ${formatValue(o.value)} ×10⁹/L → coagulation ${s}`, o)]);
}

export function sofaLiver(episode: Episode, fromMin: TMin, toMin: TMin): SofaComponent {
  const o = maxInWindow(episode, 'bilirubin_mg_dL', fromMin, toMin);
  if (!o) return unknownComponent(['bilirubin_mg_dL']);
  const s = scoreAtLeast(o.value, SOFA_BILIRUBIN_MG_DL);
  return known(s, [obsReason(`sofa_liver_${s}`, `highest bilirubin ${formatValue(o.value)} mg/dL → liver ${s}`, o)]);
}

export function sofaCns(episode: Episode, fromMin: TMin, toMin: TMin): SofaComponent {
  const o = minInWindow(episode, 'gcs', fromMin, toMin);
  if (!o) return unknownComponent(['gcs']);
  // 15 → 0; 13–14 → 1; 10–12 → 2; 6–9 → 3; < 6 → 4
  const g = o.value;
  const s = g >= 15 ? 0 : g >= 13 ? 1 : g >= 10 ? 2 : g >= 6 ? 3 : 4;
  return known(s, [obsReason(`sofa_cns_${s}`, `lowest GCS ${formatValue(g)} → CNS ${s}`, o)]);
}

/**
 * Highest rate of `drug` held for at least `minDurationMin` within [fromMin, toMin] (rates are piecewise constant;
 * an open infusion runs to toMin). 0 when never given that long.
 */
export function sustainedRate(infusions: readonly Infusion[], drug: string, fromMin: TMin, toMin: TMin, minDurationMin: number): number {
  const segs = infusions
    .filter((i) => i.drug === drug && i.rate > 0)
    .map((i) => ({ s: Math.max(i.t_start_min, fromMin), e: Math.min(i.t_end_min ?? toMin, toMin), r: i.rate }))
    .filter((x) => x.e > x.s)
    .sort((a, b) => a.s - b.s);
  let best = 0;
  for (const cand of new Set(segs.map((x) => x.r))) {
    // longest contiguous run with rate ≥ cand
    let runStart: number | undefined;
    let runEnd = -Infinity;
    for (const x of segs) {
      if (x.r < cand) continue;
      if (runStart === undefined || x.s > runEnd) {
        runStart = x.s;
        runEnd = x.e;
      } else runEnd = Math.max(runEnd, x.e);
      if (runEnd - runStart >= minDurationMin) best = Math.max(best, cand);
    }
  }
  return best;
}

/** Cardiovascular: lowest MAP, or vasoactive doses held ≥ 1 h (ug/kg/min). Infusion records are taken as complete. */
export function sofaCardiovascular(episode: Episode, fromMin: TMin, toMin: TMin, p: SofaParameters = DEFAULT_SOFA_PARAMETERS): SofaComponent {
  const inf = episode.infusions.filter((i) => i.rateUnit === 'ug/kg/min');
  const dopa = sustainedRate(inf, 'dopamine', fromMin, toMin, p.minVasoactiveDurationMin);
  const dobu = sustainedRate(inf, 'dobutamine', fromMin, toMin, p.minVasoactiveDurationMin);
  const epi = sustainedRate(inf, 'epinephrine', fromMin, toMin, p.minVasoactiveDurationMin);
  const ne = sustainedRate(inf, 'norepinephrine', fromMin, toMin, p.minVasoactiveDurationMin);
  const reasons: Reason[] = [];
  let s = 0;
  const t = isoAt(episode, toMin);
  // Each reason names only the drugs whose dose met the criterion of the score given, with that dose.
  const fired = (items: readonly (string | false)[]): string => items.filter((x): x is string => x !== false).join(' and ');
  const dose = (drug: string, rate: number, criterion: string): string => `${drug} ${formatValue(rate)} ug/kg/min ${criterion}`;
  const held = `for ≥ ${formatValue(p.minVasoactiveDurationMin / 60)} h`;
  if (dopa > SOFA_DOPAMINE_HIGH || epi > SOFA_CATECHOLAMINE || ne > SOFA_CATECHOLAMINE) {
    s = 4;
    const what = fired([
      dopa > SOFA_DOPAMINE_HIGH && dose('dopamine', dopa, `> ${SOFA_DOPAMINE_HIGH}`),
      epi > SOFA_CATECHOLAMINE && dose('epinephrine', epi, `> ${SOFA_CATECHOLAMINE}`),
      ne > SOFA_CATECHOLAMINE && dose('norepinephrine', ne, `> ${SOFA_CATECHOLAMINE}`),
    ]);
    reasons.push({ criterion: 'sofa_cv_4', text: `${what} ${held} → cardiovascular 4`, time: t });
  } else if (dopa > SOFA_DOPAMINE_LOW || epi > 0 || ne > 0) {
    s = 3;
    const what = fired([
      dopa > SOFA_DOPAMINE_LOW && dose('dopamine', dopa, `> ${SOFA_DOPAMINE_LOW}`),
      epi > 0 && dose('epinephrine', epi, `≤ ${SOFA_CATECHOLAMINE}`),
      ne > 0 && dose('norepinephrine', ne, `≤ ${SOFA_CATECHOLAMINE}`),
    ]);
    reasons.push({ criterion: 'sofa_cv_3', text: `${what} ${held} → cardiovascular 3`, time: t });
  } else if (dopa > 0 || dobu > 0) {
    s = 2;
    const what = fired([dopa > 0 && dose('dopamine', dopa, `≤ ${SOFA_DOPAMINE_LOW}`), dobu > 0 && dose('dobutamine', dobu, '(any dose)')]);
    reasons.push({ criterion: 'sofa_cv_2', text: `${what} ${held} → cardiovascular 2`, time: t });
  }
  const others = [...new Set(episode.infusions.filter((i) => i.kind === 'vasopressor_inotrope' && !['dopamine', 'dobutamine', 'epinephrine', 'norepinephrine'].includes(i.drug) && i.t_start_min <= toMin && (i.t_end_min ?? Infinity) > fromMin).map((i) => i.drug))];
  if (others.length > 0) reasons.push({ criterion: 'sofa_cv_drugs_not_scored', text: `${others.join(', ')} running but not part of SOFA 1996` });
  if (s >= 2) return known(s, reasons);
  const map = minMap(episode, fromMin, toMin);
  if (!map) {
    // Without MAP: 0 proven, up to 1 possible (vasoactive items are known from the infusion records).
    return { result: s, upper: 1, reasons, missing: ['map_mmHg'] };
  }
  s = map.value < SOFA_MAP_MMHG ? 1 : 0;
  reasons.push({ criterion: `sofa_cv_${s}`, text: `lowest MAP ${formatValue(map.value)} mmHg ${s === 1 ? '<' : '≥'} ${SOFA_MAP_MMHG} → cardiovascular ${s}`, value: map.value, unit: 'mm[Hg]', time: map.time });
  return known(s, reasons);
}

/** Lowest MAP in the window: measured MAP, or DBP + (SBP − DBP)/3 for SBP/DBP recorded at the same time. */
function minMap(episode: Episode, fromMin: TMin, toMin: TMin): { value: number; time: string } | undefined {
  const list: { value: number; time: string }[] = observationsInWindow(episode, 'map_mmHg', fromMin, toMin).map((o) => ({ value: o.value, time: o.time }));
  const measuredAt = new Set(list.map((x) => x.time));
  for (const s of observationsInWindow(episode, 'sbp_mmHg', fromMin, toMin)) {
    if (measuredAt.has(s.time)) continue;
    const d = episode.observations.find((o) => o.code === 'dbp_mmHg' && o.t_min === s.t_min);
    if (d) list.push({ value: Math.round((d.value + (s.value - d.value) / 3) * 10) / 10, time: s.time });
  }
  let best: { value: number; time: string } | undefined;
  for (const x of list) if (!best || x.value < best.value) best = x;
  return best;
}

/** Urine volume over [fromMin, toMin] from rate records (each covers (t − periodMin, t]) and the minutes covered. */
export function urineVolume(episode: Pick<Episode, 'observations'>, fromMin: TMin, toMin: TMin): { volume_mL: number; coveredMin: number } {
  let volume = 0;
  let covered = 0;
  for (const o of episode.observations) {
    if (o.code !== 'urine_output_mL_h') continue;
    const period = o.periodMin ?? 60;
    const s = Math.max(o.t_min - period, fromMin);
    const e = Math.min(o.t_min, toMin);
    if (e <= s) continue;
    volume += (o.value * (e - s)) / 60;
    covered += e - s;
  }
  return { volume_mL: volume, coveredMin: covered };
}

export function sofaRenal(episode: Episode, fromMin: TMin, toMin: TMin, p: SofaParameters = DEFAULT_SOFA_PARAMETERS): SofaComponent {
  const cr = maxInWindow(episode, 'creatinine_mg_dL', fromMin, toMin);
  const reasons: Reason[] = [];
  const missing: string[] = [];
  let crScore: number | undefined;
  if (cr) {
    crScore = scoreAtLeast(cr.value, SOFA_CREATININE_MG_DL);
    reasons.push(obsReason(`sofa_renal_creatinine_${crScore}`, `highest creatinine ${formatValue(cr.value)} mg/dL → renal ${crScore}`, cr));
  } else missing.push('creatinine_mg_dL');
  const span = toMin - fromMin;
  const uo = urineVolume(episode, fromMin, toMin);
  let uoScore: number | undefined;
  if (span > 0 && uo.coveredMin >= p.urineMinCoverage * span) {
    const perDay = Math.round((uo.volume_mL * 1440) / uo.coveredMin);
    uoScore = perDay < SOFA_UO_4_ML_DAY ? 4 : perDay < SOFA_UO_3_ML_DAY ? 3 : 0;
    reasons.push({ criterion: `sofa_renal_uo_${uoScore}`, text: `urine output ${perDay} mL/day (${Math.round(uo.volume_mL)} mL over ${Math.round(uo.coveredMin / 60)} h recorded) → renal ${uoScore}`, value: perDay, unit: 'mL/d', time: isoAt(episode, toMin) });
  } else missing.push('urine_output_mL_h');
  if (crScore === undefined && uoScore === undefined) return unknownComponent(missing, reasons);
  const s = Math.max(crScore ?? 0, uoScore ?? 0);
  // Unknown urine output could still reach 4; unknown creatinine too.
  const upper = crScore !== undefined && uoScore !== undefined ? s : 4;
  return { result: s, upper, reasons, missing };
}

/** SOFA over the window ending at `atMin` (default: last recorded time). */
export function assessSofa(episode: Episode, options: { atMin?: TMin; parameters?: Partial<SofaParameters> } = {}): SofaResult {
  const p: SofaParameters = { ...DEFAULT_SOFA_PARAMETERS, ...options.parameters };
  const toMin = options.atMin ?? lastRecordedMin(episode);
  const fromMin = toMin - p.windowMin;
  const components = {
    respiration: sofaRespiration(episode, fromMin, toMin, p),
    coagulation: sofaCoagulation(episode, fromMin, toMin),
    liver: sofaLiver(episode, fromMin, toMin),
    cardiovascular: sofaCardiovascular(episode, fromMin, toMin, p),
    cns: sofaCns(episode, fromMin, toMin),
    renal: sofaRenal(episode, fromMin, toMin, p),
  };
  const list = Object.values(components);
  const total = list.reduce((a, c) => a + (c.result ?? 0), 0);
  const totalUpper = list.reduce((a, c) => a + c.upper, 0);
  const onMCS = episode.devices.some((d) => d.t_insertion_min <= toMin && (d.t_removal_min ?? Infinity) > fromMin);
  const reasons = list.flatMap((c) => c.reasons);
  if (onMCS) reasons.push({ criterion: 'sofa_on_mcs', text: 'mechanical circulatory support in place during the window: the cardiovascular item is device-supported' });
  return {
    version: SOFA_VERSION,
    fromMin,
    toMin,
    components,
    total,
    totalUpper,
    complete: total === totalUpper,
    onMCS,
    reasons,
    missing: [...new Set(list.flatMap((c) => c.missing))],
  };
}
