// The four building blocks of the retrospective SCAI staging — hypotension or tachycardia, hypoperfusion,
// deterioration, refractory shock — as three-valued criteria over explicit time windows.
// Jentzer et al., J Am Coll Cardiol 2019;74:2117 (reference 1.4, Table 1 via secondary transcription [S]);
// SCAI descriptors (reference 1.3) added as "supplementary" criteria when a rule set switches them on.

import { triOr, type Tri } from '../rule-result.js';
import type { ScaiRuleSet } from './rule-set.js';
import type { ScaiDevice, ScaiInput, ScaiObservation } from './scai-input.js';
import { describe, meets, type Threshold } from './threshold.js';
import { isVasoactiveInfusion, maxDoseDuring, neeAt, vasoactivesDuring, visAt } from './vasoactive-adapter.js';
import { formatValue } from '../format-value.js';

export const BLOCK_NAMES = ['hypotensionOrTachycardia', 'hypoperfusion', 'deterioration', 'refractoryShock'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];

/** A closed interval of minutes since anchor. */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** The windows one assessment reads (all in minutes since anchor). */
export interface EvaluationWindows {
  /** The assessment time. */
  readonly at_min: number;
  /** Hemodynamic status (Jentzer "first hour"). */
  readonly status: Interval;
  /** Lab values (lactate, pH); `labPick` chooses the latest (time series) or the first (admission) value. */
  readonly lab: Interval;
  readonly labPick: 'latest' | 'first';
  /** PA-catheter values (latest). */
  readonly pac: Interval;
  /** Urine output averaging. */
  readonly urine: Interval;
  /** Trend (Jentzer "first 24 h") and its first hour (baseline). */
  readonly trend: Interval;
  readonly baseline: Interval;
  /** Devices count only when inserted strictly before this time. */
  readonly deviceCutoff: number;
}

/** One evaluated criterion. */
export interface CriterionResult {
  readonly id: string;
  readonly block: BlockName;
  readonly value: Tri;
  readonly text: string;
  /** Supplementary (SCAI-descriptor) criteria only lift a stage; when unknown they do not widen the bounds. */
  readonly supplementary: boolean;
  readonly observed?: number;
  readonly unit?: string;
  readonly t_min?: number;
  readonly time?: string;
  readonly missing: readonly string[];
}

export const COMPLETENESS_ITEMS = ['bp', 'hr', 'lactate', 'urine_output', 'creatinine', 'vasoactive_doses', 'mcs', 'pac'] as const;
export type CompletenessItem = (typeof COMPLETENESS_ITEMS)[number];

export interface BuildingBlocks {
  readonly blocks: Readonly<Record<BlockName, Tri>>;
  readonly criteria: readonly CriterionResult[];
  /** Reference 1.6 rule 4: which inputs were present in their windows. */
  readonly completeness: Readonly<Record<CompletenessItem, boolean>>;
}

// ---------------------------------------------------------------------------------------------- series helpers

type Series = ReadonlyMap<string, readonly ScaiObservation[]>;

/** Observations grouped by code, each group sorted by time. */
export function indexObservations(observations: readonly ScaiObservation[]): Series {
  const m = new Map<string, ScaiObservation[]>();
  for (const o of observations) {
    if (!Number.isFinite(o.value) || !Number.isFinite(o.t_min)) continue;
    const list = m.get(o.code) ?? [];
    list.push(o);
    m.set(o.code, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.t_min - b.t_min);
  return m;
}

function inWindow(series: Series, code: string, w: Interval): readonly ScaiObservation[] {
  return (series.get(code) ?? []).filter((o) => o.t_min >= w.from && o.t_min <= w.to);
}

function latest(series: Series, code: string, w: Interval): ScaiObservation | undefined {
  const list = inWindow(series, code, w);
  return list[list.length - 1];
}

/** Measured MAP, plus DBP + (SBP − DBP)/3 where SBP and DBP share a time and no MAP was measured (reference 2). */
function mapSeries(series: Series, w: Interval): ScaiObservation[] {
  const measured = inWindow(series, 'map_mmHg', w);
  const times = new Set(measured.map((o) => o.t_min));
  const dbps = inWindow(series, 'dbp_mmHg', w);
  const derived: ScaiObservation[] = [];
  for (const s of inWindow(series, 'sbp_mmHg', w)) {
    if (times.has(s.t_min)) continue;
    const d = dbps.find((x) => x.t_min === s.t_min);
    if (d === undefined) continue;
    derived.push({ code: 'map_mmHg', value: d.value + (s.value - d.value) / 3, t_min: s.t_min, ...(s.time ? { time: s.time } : {}) });
    times.add(s.t_min);
  }
  return [...measured, ...derived].sort((a, b) => a.t_min - b.t_min);
}

function extreme(list: readonly ScaiObservation[], pick: 'min' | 'max'): ScaiObservation | undefined {
  let best: ScaiObservation | undefined;
  for (const o of list) if (best === undefined || (pick === 'min' ? o.value < best.value : o.value > best.value)) best = o;
  return best;
}

function mean(list: readonly ScaiObservation[]): number {
  return list.reduce((s, o) => s + o.value, 0) / list.length;
}

function inPlaceDuring(d: ScaiDevice, w: Interval, cutoff: number): boolean {
  return d.t_insert_min < cutoff && d.t_insert_min <= w.to && (d.t_remove_min === undefined || d.t_remove_min >= w.from);
}

const fmtT = (t: number): string => `t=${Math.round(t * 10) / 10} min`;

// ---------------------------------------------------------------------------------------------- criteria

interface Ctx {
  readonly input: ScaiInput;
  readonly series: Series;
  readonly w: EvaluationWindows;
  readonly rs: ScaiRuleSet;
  readonly out: CriterionResult[];
}

function push(ctx: Ctx, c: Omit<CriterionResult, 'supplementary' | 'missing'> & { supplementary?: boolean; missing?: readonly string[] }): void {
  ctx.out.push({ supplementary: false, missing: [], ...c });
}

/** A criterion "some reading of `code` in the window meets the threshold", judged on the most extreme reading. */
function anyReading(ctx: Ctx, block: BlockName, id: string, code: string, list: readonly ScaiObservation[], t: Threshold, label: string, supplementary = false): void {
  const worst = extreme(list, t.op === '<' || t.op === '<=' ? 'min' : 'max');
  if (worst === undefined) {
    push(ctx, { id, block, value: 'unknown', text: `${label}: no ${code} in window`, supplementary, missing: [code] });
    return;
  }
  push(ctx, {
    id, block, value: meets(worst.value, t), supplementary,
    text: `${label}: ${meets(worst.value, t) ? '' : 'most extreme '}${describe(worst.value, t)} at ${fmtT(worst.t_min)}`,
    observed: worst.value, unit: t.unit, t_min: worst.t_min, ...(worst.time ? { time: worst.time } : {}),
  });
}

/** A criterion on one lab value (the latest, or the first for an admission assessment). */
function labValue(ctx: Ctx, block: BlockName, id: string, code: string, w: Interval, pick: 'latest' | 'first', t: Threshold, label: string, supplementary = false): void {
  const list = inWindow(ctx.series, code, w);
  const o = pick === 'latest' ? list[list.length - 1] : list[0];
  if (o === undefined) {
    push(ctx, { id, block, value: 'unknown', text: `${label}: no ${code} in window`, supplementary, missing: [code] });
    return;
  }
  push(ctx, {
    id, block, value: meets(o.value, t), supplementary, text: `${label}: ${pick} ${describe(o.value, t)} at ${fmtT(o.t_min)}`,
    observed: o.value, unit: t.unit, t_min: o.t_min, ...(o.time ? { time: o.time } : {}),
  });
}

function hypotensionOrTachycardia(ctx: Ctx): void {
  const { series, w, rs } = ctx;
  const B: BlockName = 'hypotensionOrTachycardia';
  anyReading(ctx, B, 'sbp_hypotension', 'sbp_mmHg', inWindow(series, 'sbp_mmHg', w.status), rs.sbpHypotension, 'SBP');
  anyReading(ctx, B, 'map_hypotension', 'map_mmHg', mapSeries(series, w.status), rs.mapHypotension, 'MAP');
  anyReading(ctx, B, 'tachycardia', 'heart_rate_per_min', inWindow(series, 'heart_rate_per_min', w.status), rs.tachycardia, 'heart rate');
  if (rs.sbpFallFromBaseline !== null) {
    const base = ctx.input.baselineSbp_mmHg;
    const low = extreme(inWindow(series, 'sbp_mmHg', w.status), 'min');
    if (base === undefined || low === undefined) {
      push(ctx, { id: 'sbp_fall_from_baseline', block: B, value: 'unknown', supplementary: true, text: 'SBP fall from baseline: baseline or SBP missing', missing: [base === undefined ? 'baselineSbp_mmHg' : 'sbp_mmHg'] });
    } else {
      const fall = base - low.value;
      push(ctx, { id: 'sbp_fall_from_baseline', block: B, value: meets(fall, rs.sbpFallFromBaseline), supplementary: true, text: `SBP fall from baseline ${formatValue(base)}: ${describe(fall, rs.sbpFallFromBaseline)} at ${fmtT(low.t_min)}`, observed: fall, unit: 'mm[Hg]', t_min: low.t_min, ...(low.time ? { time: low.time } : {}) });
    }
  }
}

function creatinineRise(ctx: Ctx): void {
  const { series, w, rs } = ctx;
  const list = inWindow(series, 'creatinine_mg_dL', w.trend);
  if (list.length === 0) {
    push(ctx, { id: 'creatinine_rise', block: 'hypoperfusion', value: 'unknown', text: 'creatinine rise: no creatinine in window', missing: ['creatinine_mg_dL'] });
    return;
  }
  if (list.length === 1) {
    push(ctx, { id: 'creatinine_rise', block: 'hypoperfusion', value: false, text: `creatinine rise: single value ${formatValue(list[0].value)} mg/dL in window, no rise shown`, observed: 0, unit: 'mg/dL', t_min: list[0].t_min });
    return;
  }
  // Largest rise from an earlier to a later value: running minimum.
  let low = list[0];
  let best = { rise: Number.NEGATIVE_INFINITY, from: list[0], to: list[1] };
  for (let i = 1; i < list.length; i++) {
    const rise = list[i].value - low.value;
    if (rise > best.rise) best = { rise, from: low, to: list[i] };
    if (list[i].value < low.value) low = list[i];
  }
  const rise = Math.round(best.rise * 1e6) / 1e6;
  push(ctx, {
    id: 'creatinine_rise', block: 'hypoperfusion', value: meets(rise, rs.creatinineRise),
    text: `creatinine rise ${formatValue(best.from.value)} → ${formatValue(best.to.value)} mg/dL (${fmtT(best.from.t_min)} → ${fmtT(best.to.t_min)}): ${describe(rise, rs.creatinineRise)}`,
    observed: rise, unit: 'mg/dL', t_min: best.to.t_min, ...(best.to.time ? { time: best.to.time } : {}),
  });
}

function creatinineRatio(ctx: Ctx, t: Threshold): void {
  const { series, w, rs, input } = ctx;
  const now = latest(series, 'creatinine_mg_dL', w.trend);
  const id = 'creatinine_ratio_to_baseline';
  if (now === undefined) {
    push(ctx, { id, block: 'hypoperfusion', value: 'unknown', supplementary: true, text: 'creatinine vs baseline: no creatinine in window', missing: ['creatinine_mg_dL'] });
    return;
  }
  let base = input.baselineCreatinine_mg_dL;
  let baseText = 'given baseline';
  if (base === undefined) {
    const prior = (series.get('creatinine_mg_dL') ?? []).filter((o) => o.t_min < now.t_min && o.t_min >= now.t_min - rs.baselineCreatinineLookbackMin);
    const lowest = extreme(prior, 'min');
    if (lowest !== undefined) {
      base = lowest.value;
      baseText = `lowest prior value at ${fmtT(lowest.t_min)}`;
    }
  }
  if (base === undefined || !(base > 0)) {
    push(ctx, { id, block: 'hypoperfusion', value: 'unknown', supplementary: true, text: 'creatinine vs baseline: baseline unknown', missing: ['baselineCreatinine_mg_dL'] });
    return;
  }
  const ratio = now.value / base;
  push(ctx, {
    id, block: 'hypoperfusion', value: meets(ratio, t), supplementary: true,
    text: `creatinine ${formatValue(now.value)} mg/dL vs baseline ${formatValue(base)} (${baseText}): ratio ${describe(ratio, t)}`,
    observed: ratio, unit: '1', t_min: now.t_min, ...(now.time ? { time: now.time } : {}),
  });
}

function pacCriteria(ctx: Ctx): void {
  const { series, w, rs } = ctx;
  const p = rs.pacCriteria;
  if (p === null) return;
  const B: BlockName = 'hypoperfusion';
  const one = (id: string, label: string, code: string, t: Threshold): void => labValue(ctx, B, id, code, w.pac, 'latest', t, label, true);
  one('pac_cardiac_index', 'cardiac index', 'cardiac_index_L_min_m2', p.cardiacIndex);
  one('pac_pcwp', 'PCWP', 'pcwp_mmHg', p.pcwp);
  // Derived indices from values charted at the same time (reference 2); a recorded index wins.
  const pairs = (a: string, b: string): Array<{ t_min: number; a: ScaiObservation; b: ScaiObservation }> => {
    const bs = inWindow(series, b, w.pac);
    return inWindow(series, a, w.pac).flatMap((x) => {
      const y = bs.find((o) => o.t_min === x.t_min);
      return y === undefined ? [] : [{ t_min: x.t_min, a: x, b: y }];
    });
  };
  const derived = (id: string, label: string, values: Array<{ t_min: number; value: number; time?: string }>, t: Threshold, need: string[]): void => {
    const v = values[values.length - 1];
    if (v === undefined) {
      push(ctx, { id, block: B, value: 'unknown', supplementary: true, text: `${label}: not measured in window`, missing: need });
      return;
    }
    push(ctx, { id, block: B, value: meets(v.value, t), supplementary: true, text: `${label}: ${describe(v.value, t)} at ${fmtT(v.t_min)}`, observed: v.value, unit: t.unit, t_min: v.t_min, ...(v.time ? { time: v.time } : {}) });
  };
  const ratio = pairs('rap_mmHg', 'pcwp_mmHg').filter((x) => x.b.value > 0).map((x) => ({ t_min: x.t_min, value: x.a.value / x.b.value, ...(x.a.time ? { time: x.a.time } : {}) }));
  derived('pac_rap_pcwp_ratio', 'RAP/PCWP', ratio, p.rapPcwpRatio, ['rap_mmHg', 'pcwp_mmHg']);
  const papiRecorded = inWindow(series, 'papi', w.pac).map((o) => ({ t_min: o.t_min, value: o.value, ...(o.time ? { time: o.time } : {}) }));
  const rap = inWindow(series, 'rap_mmHg', w.pac);
  const papiDerived = pairs('pasp_mmHg', 'padp_mmHg').flatMap((x) => {
    const r = rap.find((o) => o.t_min === x.t_min);
    return r === undefined || !(r.value > 0) ? [] : [{ t_min: x.t_min, value: (x.a.value - x.b.value) / r.value, ...(x.a.time ? { time: x.a.time } : {}) }];
  });
  derived('pac_papi', 'PAPi', mergeByTime(papiRecorded, papiDerived), p.papi, ['papi', 'pasp_mmHg', 'padp_mmHg', 'rap_mmHg']);
  const cpoRecorded = inWindow(series, 'cpo_W', w.pac).map((o) => ({ t_min: o.t_min, value: o.value, ...(o.time ? { time: o.time } : {}) }));
  const maps = mapSeries(series, w.pac);
  const cpoDerived = inWindow(series, 'cardiac_output_L_min', w.pac).flatMap((co) => {
    const m = maps.find((o) => o.t_min === co.t_min);
    // CPO = MAP × CO / 451 (Fincke et al., J Am Coll Cardiol 2004) [R].
    return m === undefined ? [] : [{ t_min: co.t_min, value: (m.value * co.value) / 451, ...(co.time ? { time: co.time } : {}) }];
  });
  derived('pac_cpo', 'cardiac power output', mergeByTime(cpoRecorded, cpoDerived), p.cpo, ['cpo_W', 'cardiac_output_L_min', 'map_mmHg']);
}

function mergeByTime<T extends { t_min: number }>(recorded: T[], derived: T[]): T[] {
  const times = new Set(recorded.map((x) => x.t_min));
  return [...recorded, ...derived.filter((x) => !times.has(x.t_min))].sort((a, b) => a.t_min - b.t_min);
}

function devicesInPlaceAt(ctx: Ctx, x: number): ScaiDevice[] {
  return ctx.input.devices.filter((d) => inPlaceDuring(d, { from: x, to: x }, ctx.w.deviceCutoff));
}

function hypoperfusion(ctx: Ctx): void {
  const { series, w, rs } = ctx;
  const B: BlockName = 'hypoperfusion';
  labValue(ctx, B, 'lactate_hypoperfusion', 'lactate_mmol_L', w.lab, w.labPick, rs.lactateHypoperfusion, 'lactate');
  const uo = inWindow(series, 'urine_output_mL_h', w.urine);
  if (uo.length === 0) {
    push(ctx, { id: 'urine_output_low', block: B, value: 'unknown', text: 'urine output: none in window', missing: ['urine_output_mL_h'] });
  } else {
    const m = mean(uo);
    const last = uo[uo.length - 1];
    push(ctx, { id: 'urine_output_low', block: B, value: meets(m, rs.urineOutputLow), text: `urine output mean of ${uo.length} value(s) ${fmtT(uo[0].t_min)}–${fmtT(last.t_min)}: ${describe(m, rs.urineOutputLow)}`, observed: m, unit: 'mL/h', t_min: last.t_min, ...(last.time ? { time: last.time } : {}) });
  }
  creatinineRise(ctx);
  if (rs.creatinineRatioToBaseline !== null) creatinineRatio(ctx, rs.creatinineRatioToBaseline);
  if (rs.altHypoperfusion !== null) labValue(ctx, B, 'alt_hypoperfusion', 'alt_U_L', w.trend, 'latest', rs.altHypoperfusion, 'ALT', true);
  pacCriteria(ctx);
  if (rs.supportForBloodPressureIsC) {
    const vaso = vasoactivesDuring(ctx.input.infusions, w.status.from, w.status.to);
    const devs = devicesInPlaceAt(ctx, w.at_min);
    const on = vaso.length > 0 || devs.length > 0;
    push(ctx, { id: 'support_for_blood_pressure', block: B, value: on, supplementary: true, text: on ? `on support: ${[...vaso, ...devs.map((d) => d.label ?? d.kind)].join(', ')}` : 'no vasoactive or MCS in window' });
  }
}

function deterioration(ctx: Ctx): void {
  const { series, w, rs, input } = ctx;
  const B: BlockName = 'deterioration';
  if (rs.lactateRise) {
    const list = inWindow(series, 'lactate_mmol_L', w.trend);
    if (list.length === 0) {
      push(ctx, { id: 'lactate_rise', block: B, value: 'unknown', text: 'lactate rise: no lactate in window', missing: ['lactate_mmol_L'] });
    } else if (list.length === 1) {
      push(ctx, { id: 'lactate_rise', block: B, value: false, text: `lactate rise: single value ${formatValue(list[0].value)} mmol/L in window, no rise shown`, observed: list[0].value, unit: 'mmol/L', t_min: list[0].t_min });
    } else {
      const first = list[0];
      const top = extreme(list.slice(1), 'max') as ScaiObservation;
      let rising = top.value > first.value;
      let text = `lactate max ${formatValue(top.value)} at ${fmtT(top.t_min)} vs first ${formatValue(first.value)} at ${fmtT(first.t_min)}: ${rising ? 'rising' : 'not rising'}`;
      if (rising && rs.lactateRisePersistent !== null) {
        const p = rs.lactateRisePersistent;
        const below = list.find((o) => !meets(o.value, p));
        if (below !== undefined) {
          rising = false;
          text += `, but not persistently ${p.op} ${p.value} (${formatValue(below.value)} at ${fmtT(below.t_min)})`;
        } else text += `, persistently ${p.op} ${p.value}`;
      }
      push(ctx, { id: 'lactate_rise', block: B, value: rising, text, observed: top.value, unit: 'mmol/L', t_min: top.t_min, ...(top.time ? { time: top.time } : {}) });
    }
  }
  const to = w.at_min;
  const baseTo = Math.min(w.baseline.to, to);
  if (rs.vasoactiveCountRise) {
    const all = vasoactivesDuring(input.infusions, w.trend.from, to);
    const first = vasoactivesDuring(input.infusions, w.baseline.from, baseTo);
    push(ctx, { id: 'vasoactive_count_rise', block: B, value: all.length > first.length, text: `vasoactives in window ${all.length} (${all.join(', ') || 'none'}) vs first hour ${first.length}`, observed: all.length, unit: '1' });
  }
  const doseRise = (id: string, label: string, at: (x: number) => { value: number | null; missing: readonly string[] }): void => {
    const all = maxDoseDuring(input.infusions, w.trend.from, to, at);
    const first = maxDoseDuring(input.infusions, w.baseline.from, baseTo, at);
    if (all.value === null || first.value === null) {
      push(ctx, { id, block: B, value: 'unknown', text: `${label}: cannot be computed`, missing: [...all.missing, ...first.missing] });
      return;
    }
    push(ctx, { id, block: B, value: all.value > first.value + 1e-9, text: `max ${label} ${formatValue(all.value)} at ${fmtT(all.t_min)} vs first hour ${formatValue(first.value)}`, observed: all.value, t_min: all.t_min });
  };
  if (rs.visRise) doseRise('vis_rise', 'VIS', (x) => visAt(input.infusions, x, input.weight_kg, rs.visVersion));
  if (rs.neeRise) doseRise('nee_rise', 'NEE (ug/kg/min)', (x) => neeAt(input.infusions, x));
  if (rs.mcsAddedIsDeterioration) {
    const added = input.devices.find((d) => {
      if (!(d.t_insert_min >= w.trend.from && d.t_insert_min < w.deviceCutoff && d.t_insert_min <= to)) return false;
      const latestInitial = d.t_insert_min - rs.minTimeOnInitialTherapyMin;
      const vaso = input.infusions.some((i) => isVasoactiveInfusion(i) && i.t_start_min <= latestInitial);
      const dev = input.devices.some((o) => o !== d && o.t_insert_min <= latestInitial);
      return vaso || dev;
    });
    push(ctx, added === undefined
      ? { id: 'mcs_added', block: B, value: false, supplementary: true, text: `no MCS added after ≥ ${rs.minTimeOnInitialTherapyMin} min of initial therapy` }
      : { id: 'mcs_added', block: B, value: true, supplementary: true, text: `${added.label ?? added.kind} added at ${fmtT(added.t_insert_min)} after ≥ ${rs.minTimeOnInitialTherapyMin} min of initial therapy`, t_min: added.t_insert_min, ...(added.time ? { time: added.time } : {}) });
  }
}

function refractoryShock(ctx: Ctx): void {
  const { series, w, rs, input } = ctx;
  const B: BlockName = 'refractoryShock';
  const vaso = vasoactivesDuring(input.infusions, w.status.from, w.status.to);
  const onVaso = vaso.length > 0;
  const meanOnVaso = (id: string, label: string, code: string, list: readonly ScaiObservation[], t: Threshold): void => {
    if (!onVaso) {
      push(ctx, { id, block: B, value: false, text: `${label}: not on vasoactives` });
      return;
    }
    if (list.length === 0) {
      push(ctx, { id, block: B, value: 'unknown', text: `${label}: on vasoactives, no ${code} in window`, missing: [code] });
      return;
    }
    const m = mean(list);
    push(ctx, { id, block: B, value: meets(m, t), text: `${label} on ${vaso.join(', ')}: mean of ${list.length} ${describe(m, t)}`, observed: m, unit: t.unit, t_min: list[list.length - 1].t_min });
  };
  meanOnVaso('mean_sbp_on_vasoactives', 'mean SBP', 'sbp_mmHg', inWindow(series, 'sbp_mmHg', w.status), rs.refractoryMeanSbp);
  meanOnVaso('mean_map_on_vasoactives', 'mean MAP', 'map_mmHg', mapSeries(series, w.status), rs.refractoryMeanMap);
  push(ctx, { id: 'vasoactive_count', block: B, value: meets(vaso.length, rs.refractoryVasoactiveCount), text: `vasoactives in status window: ${vaso.length} (${vaso.join(', ') || 'none'}), ${describe(vaso.length, rs.refractoryVasoactiveCount)}`, observed: vaso.length, unit: '1' });
  const dev = input.devices.find((d) => rs.refractoryDeviceKinds.includes(d.kind) && inPlaceDuring(d, w.trend, w.deviceCutoff));
  const withDev = meets(vaso.length, rs.refractoryVasoactiveCountWithDevice) && dev !== undefined;
  push(ctx, { id: 'vasoactives_with_device', block: B, value: withDev, text: `${vaso.length} vasoactive(s) ${describe(vaso.length, rs.refractoryVasoactiveCountWithDevice).replace(/^\S+ /, '')}; ${dev === undefined ? `no ${rs.refractoryDeviceKinds.join('/')} in window` : `${dev.label ?? dev.kind} inserted at ${fmtT(dev.t_insert_min)}`}`, ...(dev !== undefined ? { t_min: dev.t_insert_min } : {}) });
  labValue(ctx, B, 'lactate_refractory', 'lactate_mmol_L', w.lab, w.labPick, rs.lactateRefractory, 'lactate');
  if (rs.lactateExtremis !== null) labValue(ctx, B, 'lactate_extremis', 'lactate_mmol_L', w.lab, w.labPick, rs.lactateExtremis, 'lactate', true);
  if (rs.phExtremis !== null) labValue(ctx, B, 'ph_extremis', 'ph', w.lab, w.labPick, rs.phExtremis, 'pH', true);
  if (rs.ecmoIsExtremis) {
    const ecmo = input.devices.find((d) => d.kind === 'va_ecmo' && inPlaceDuring(d, { from: w.status.from, to: w.at_min }, w.deviceCutoff));
    push(ctx, { id: 'va_ecmo', block: B, value: ecmo !== undefined, supplementary: true, text: ecmo === undefined ? 'no VA-ECMO in place' : `VA-ECMO in place since ${fmtT(ecmo.t_insert_min)}`, ...(ecmo !== undefined ? { t_min: ecmo.t_insert_min } : {}) });
  }
  if (rs.arrestIsExtremis) {
    const a = input.arrests.find((x) => x.t_min <= w.at_min && (x.t_rosc_min ?? x.t_min) >= w.status.from && x.t_min <= w.status.to);
    push(ctx, { id: 'cardiac_arrest_cpr', block: B, value: a !== undefined, supplementary: true, text: a === undefined ? 'no cardiac arrest / CPR in status window' : `cardiac arrest (CPR) at ${fmtT(a.t_min)}`, ...(a !== undefined ? { t_min: a.t_min } : {}), ...(a?.time ? { time: a.time } : {}) });
  }
}

/** Evaluate every criterion of the rule set over the given windows and combine them into the four blocks. */
export function evaluateBuildingBlocks(input: ScaiInput, w: EvaluationWindows, rs: ScaiRuleSet, series: Series = indexObservations(input.observations)): BuildingBlocks {
  const ctx: Ctx = { input, series, w, rs, out: [] };
  hypotensionOrTachycardia(ctx);
  hypoperfusion(ctx);
  deterioration(ctx);
  refractoryShock(ctx);
  const blocks = {} as Record<BlockName, Tri>;
  for (const b of BLOCK_NAMES) {
    const values = ctx.out
      .filter((c) => c.block === b)
      .map((c): Tri => (c.value === 'unknown' && (c.supplementary || rs.missingAsNormal) ? false : c.value));
    blocks[b] = triOr(...values);
  }
  const has = (code: string, iv: Interval): boolean => inWindow(series, code, iv).length > 0;
  const completeness: Record<CompletenessItem, boolean> = {
    bp: has('sbp_mmHg', w.status) || mapSeries(series, w.status).length > 0,
    hr: has('heart_rate_per_min', w.status),
    lactate: has('lactate_mmol_L', w.lab),
    urine_output: has('urine_output_mL_h', w.urine),
    creatinine: has('creatinine_mg_dL', w.trend),
    vasoactive_doses: input.infusions.some((i) => vasoactivesDuring([i], w.trend.from, w.at_min).length > 0),
    mcs: input.devices.some((d) => inPlaceDuring(d, w.trend, w.deviceCutoff)),
    pac: ['cardiac_index_L_min_m2', 'pcwp_mmHg', 'rap_mmHg', 'cardiac_output_L_min', 'papi', 'cpo_W'].some((c) => has(c, w.pac)),
  };
  return { blocks, criteria: ctx.out, completeness };
}

