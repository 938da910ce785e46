// Total heparin exposure with purge heparin counted (reference 7.1; manufacturer training: "the purge heparin must be
// counted in the total rate and the IV rate reduced accordingly" [V]).
//   purgeHeparin[IU/h] = purgeConcentration[IU/mL] × purgeFlow[mL/h]                     [V]
//   totalUFH[IU/h]     = ivInfusion + purgeHeparin + boluses spread over the hour          [V]
//   totalUFH[IU/kg/h]  = totalUFH[IU/h] / weight
import type { HeparinInfusion, HeparinRecords, PurgeSegment } from './inputs.js';
import type { Reason, RuleResult } from '../rule-result.js';

/** A bolus counts in the hourly rate over this many minutes (reference 7.1: "boluses spread over the hour"). */
export const BOLUS_SPREAD_MIN = 60;

type RateKind = 'IU_h' | 'IU_kg_h';

/** Read a heparin rate unit: 'IU/h', '[IU]/h', '[iU]/h', 'U/h' → per hour; the same with '/kg' → per kg per hour. */
export function heparinRateKind(unit: string): RateKind | undefined {
  const u = unit.toLowerCase().replace(/[[\]\s]/g, '').replace(/^iu/, 'u');
  if (u === 'u/h') return 'IU_h';
  if (u === 'u/kg/h') return 'IU_kg_h';
  return undefined;
}

interface Segment {
  readonly from_min: number;
  readonly to_min: number;
}

/**
 * Effective segments of records: a record ends at its end; an open-ended record ends at the next record of the same
 * stream (a rate change is a new record) or at the horizon. Streams: purge per device, infusion per route.
 */
function effectiveSegments<T extends { t_start_min: number; t_end_min?: number; stream?: string }>(
  records: readonly T[],
  horizon_min: number,
): (Segment & { record: T })[] {
  const out: (Segment & { record: T })[] = [];
  const streams = new Map<string, T[]>();
  for (const r of records) {
    const key = r.stream ?? '';
    const list = streams.get(key) ?? [];
    list.push(r);
    streams.set(key, list);
  }
  for (const list of streams.values()) {
    const sorted = list.slice().sort((a, b) => a.t_start_min - b.t_start_min);
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i];
      let end = r.t_end_min;
      if (end === undefined) {
        const next = sorted.slice(i + 1).find((n) => n.t_start_min > r.t_start_min);
        end = next ? Math.min(next.t_start_min, Math.max(horizon_min, r.t_start_min)) : Math.max(horizon_min, r.t_start_min);
      }
      if (end > r.t_start_min) out.push({ from_min: r.t_start_min, to_min: end, record: r });
    }
  }
  return out.sort((a, b) => a.from_min - b.from_min);
}

/** IV rate of one infusion record in IU/h, or undefined when it is per kg and the weight is missing / unit unknown. */
function ivRate_IU_h(inf: HeparinInfusion, weight_kg: number | undefined): number | undefined {
  const kind = heparinRateKind(inf.rateUnit);
  if (kind === 'IU_h') return inf.rate;
  if (kind === 'IU_kg_h' && weight_kg !== undefined && weight_kg > 0) return inf.rate * weight_kg;
  return undefined;
}

function purgeRate_IU_h(p: PurgeSegment): number {
  return p.heparin_IU_mL * p.flow_mL_h;
}

export interface HeparinRate {
  /** Systemic IV infusion, IU/h; undefined when not computable (per-kg rate without weight). */
  readonly iv_IU_h: number | undefined;
  readonly purge_IU_h: number;
  readonly bolus_IU_h: number;
  /** iv + purge + boluses spread over the hour; undefined when iv is not computable. */
  readonly total_IU_h: number | undefined;
  readonly total_IU_kg_h: number | undefined;
}

/**
 * Heparin rates in force at t_min. An open-ended record runs until the next record of its stream (it is still running
 * at the end of the record).
 */
export function heparinRateAt(records: HeparinRecords, t_min: number): HeparinRate {
  const horizon_min = Infinity;
  let iv: number | undefined = 0;
  for (const s of effectiveSegments(records.infusions, horizon_min)) {
    if (t_min >= s.from_min && t_min < s.to_min) {
      const r = ivRate_IU_h(s.record, records.weight_kg);
      iv = r === undefined || iv === undefined ? undefined : iv + r;
    }
  }
  let purge = 0;
  for (const s of effectiveSegments(records.purges, horizon_min)) {
    if (t_min >= s.from_min && t_min < s.to_min) purge += purgeRate_IU_h(s.record);
  }
  let bolus = 0;
  for (const b of records.boluses) {
    if (t_min >= b.t_min && t_min < b.t_min + BOLUS_SPREAD_MIN) bolus += (b.dose_IU * 60) / BOLUS_SPREAD_MIN;
  }
  const total = iv === undefined ? undefined : iv + purge + bolus;
  const w = records.weight_kg;
  return {
    iv_IU_h: iv,
    purge_IU_h: purge,
    bolus_IU_h: bolus,
    total_IU_h: total,
    total_IU_kg_h: total !== undefined && w !== undefined && w > 0 ? total / w : undefined,
  };
}

export interface HeparinDose {
  readonly iv_IU: number | undefined;
  readonly purge_IU: number;
  /** Boluses whose time lies in [from, to). */
  readonly bolus_IU: number;
  readonly total_IU: number | undefined;
}

function overlap_min(a: Segment, from: number, to: number): number {
  return Math.max(0, Math.min(a.to_min, to) - Math.max(a.from_min, from));
}

/** Heparin given in [from_min, to_min): IV and purge integrated over time, boluses counted whole. */
export function heparinDoseBetween(
  records: HeparinRecords,
  from_min: number,
  to_min: number,
  horizon_min: number,
): HeparinDose {
  let iv: number | undefined = 0;
  for (const s of effectiveSegments(records.infusions, horizon_min)) {
    const o = overlap_min(s, from_min, to_min);
    if (o <= 0) continue;
    const r = ivRate_IU_h(s.record, records.weight_kg);
    iv = r === undefined || iv === undefined ? undefined : iv + (r * o) / 60;
  }
  let purge = 0;
  for (const s of effectiveSegments(records.purges, horizon_min)) {
    purge += (purgeRate_IU_h(s.record) * overlap_min(s, from_min, to_min)) / 60;
  }
  let bolus = 0;
  for (const b of records.boluses) if (b.t_min >= from_min && b.t_min < to_min) bolus += b.dose_IU;
  return { iv_IU: iv, purge_IU: purge, bolus_IU: bolus, total_IU: iv === undefined ? undefined : iv + purge + bolus };
}

export interface ExposureSegment extends HeparinRate {
  readonly from_min: number;
  readonly to_min: number;
}

export interface ExposureDay extends HeparinDose {
  /** Day 1 = [0, 1440) minutes from the anchor. Day 0 and below lie before the anchor. */
  readonly day: number;
  readonly from_min: number;
  readonly to_min: number;
}

export interface HeparinExposure {
  readonly from_min: number;
  readonly to_min: number;
  /** Piecewise-constant rate timeline (boluses spread over the hour). */
  readonly timeline: readonly ExposureSegment[];
  readonly totals: HeparinDose;
  /** Share of the total dose delivered by the purge, %; undefined when the total is unknown or 0. */
  readonly purgeShare_pct: number | undefined;
  /** Totals per anchor day clipped to [from, to). */
  readonly days: readonly ExposureDay[];
}

/**
 * Total heparin exposure over [from_min, to_min): a rate timeline (IV + purge + boluses), totals and per-day totals,
 * with the purge share. Per-kg infusions without a weight make the IV part unknown (named in `missing`).
 */
export function heparinExposure(records: HeparinRecords, from_min: number, to_min: number): RuleResult<HeparinExposure> {
  const cuts = new Set<number>([from_min, to_min]);
  const add = (t: number) => t > from_min && t < to_min && cuts.add(t);
  for (const s of effectiveSegments(records.infusions, to_min)) (add(s.from_min), add(s.to_min));
  for (const s of effectiveSegments(records.purges, to_min)) (add(s.from_min), add(s.to_min));
  for (const b of records.boluses) (add(b.t_min), add(b.t_min + BOLUS_SPREAD_MIN));
  const times = [...cuts].sort((a, b) => a - b);
  const timeline: ExposureSegment[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const rate = heparinRateAt(records, times[i]);
    const prev = timeline[timeline.length - 1];
    if (
      prev &&
      prev.iv_IU_h === rate.iv_IU_h &&
      prev.purge_IU_h === rate.purge_IU_h &&
      prev.bolus_IU_h === rate.bolus_IU_h
    ) {
      timeline[timeline.length - 1] = { ...prev, to_min: times[i + 1] };
    } else {
      timeline.push({ from_min: times[i], to_min: times[i + 1], ...rate });
    }
  }
  const totals = heparinDoseBetween(records, from_min, to_min, to_min);
  const days: ExposureDay[] = [];
  for (let d = Math.floor(from_min / 1440) + 1; (d - 1) * 1440 < to_min; d++) {
    const a = Math.max((d - 1) * 1440, from_min);
    const b = Math.min(d * 1440, to_min);
    if (b > a) days.push({ day: d, from_min: a, to_min: b, ...heparinDoseBetween(records, a, b, to_min) });
  }
  const missing: string[] = [];
  const perKg = records.infusions.some((i) => heparinRateKind(i.rateUnit) === 'IU_kg_h');
  if (perKg && !(records.weight_kg !== undefined && records.weight_kg > 0)) missing.push('weight_kg');
  for (const i of records.infusions) {
    if (heparinRateKind(i.rateUnit) === undefined) missing.push(`heparin rate unit '${i.rateUnit}' (expected IU/h or IU/kg/h)`);
  }
  const reasons: Reason[] = [];
  for (const s of effectiveSegments(records.purges, to_min)) {
    const p = s.record;
    reasons.push({
      criterion: 'purge_heparin',
      text: `purge ${p.heparin_IU_mL} IU/mL × ${p.flow_mL_h} mL/h = ${purgeRate_IU_h(p)} IU/h from minute ${s.from_min}`,
      value: purgeRate_IU_h(p),
      unit: '[IU]/h',
      time: p.time,
    });
  }
  if (totals.total_IU !== undefined) {
    reasons.push({
      criterion: 'total_heparin',
      text: `total UFH ${Math.round(totals.total_IU)} IU (IV ${Math.round(totals.iv_IU ?? 0)}, purge ${Math.round(totals.purge_IU)}, boluses ${Math.round(totals.bolus_IU)})`,
      value: totals.total_IU,
      unit: '[IU]',
    });
  }
  const purgeShare_pct =
    totals.total_IU !== undefined && totals.total_IU > 0 ? (100 * totals.purge_IU) / totals.total_IU : undefined;
  return { result: { from_min, to_min, timeline, totals, purgeShare_pct, days }, reasons, missing };
}
