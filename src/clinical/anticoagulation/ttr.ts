// Time in therapeutic range by linear interpolation — Rosendaal FR, et al. Thromb Haemost 1993;69:236–239 [R],
// applied per heparin test (anti-Xa, aPTT) as in reference 7.7, plus the "discordance time" of 7.7 step 4.
import type { Reason, RuleResult } from '../rule-result.js';

/** A band in force over [from_min, to_min); absent band = no target in force (time counted as `noTarget_min`). */
export interface BandSegment {
  readonly from_min: number;
  readonly to_min: number;
  readonly band?: { readonly low: number; readonly high: number };
}

/** An interval excluded from TTR (e.g. drug held for a procedure), reported separately (reference 7.7 step 4). */
export interface ExcludedInterval {
  readonly from_min: number;
  readonly to_min: number;
  readonly reason: string;
}

export interface TtrOptions {
  /** Do not interpolate across gaps longer than this (reference 7.7 step 4, [D] 24 h). */
  readonly maxGap_min: number;
  readonly exclude?: readonly ExcludedInterval[];
}

export interface TtrResult {
  readonly samples: number;
  /** In-range time / (in + below + above) × 100; undefined when nothing could be assessed. */
  readonly inRange_pct: number | undefined;
  readonly below_pct: number | undefined;
  readonly above_pct: number | undefined;
  readonly inRange_min: number;
  readonly below_min: number;
  readonly above_min: number;
  /** Interpolated time with a band in force, not excluded: the denominator. */
  readonly assessed_min: number;
  /** Interpolated time with no band in force. */
  readonly noTarget_min: number;
  /** Interpolated time inside excluded intervals. */
  readonly excluded_min: number;
  /** Gaps between consecutive samples longer than maxGap_min: not interpolated, "unobserved". */
  readonly unobservedGaps: readonly { readonly from_min: number; readonly to_min: number }[];
}

interface Point {
  readonly t_min: number;
  readonly value: number;
}

interface LinearPiece {
  readonly t1: number;
  readonly v1: number;
  readonly t2: number;
  readonly v2: number;
}

/** Sort samples and merge samples at the same minute (their mean) so each time has one value. */
function normalizePoints(samples: readonly Point[]): Point[] {
  const byTime = new Map<number, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.t_min) || !Number.isFinite(s.value)) continue;
    const list = byTime.get(s.t_min) ?? [];
    list.push(s.value);
    byTime.set(s.t_min, list);
  }
  return [...byTime.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t_min, vs]) => ({ t_min, value: vs.reduce((x, y) => x + y, 0) / vs.length }));
}

/** Consecutive sample pairs that may be interpolated (gap ≤ maxGap) and the gaps that may not. */
function linearPieces(points: readonly Point[], maxGap_min: number) {
  const pieces: LinearPiece[] = [];
  const gaps: { from_min: number; to_min: number }[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (b.t_min - a.t_min > maxGap_min) gaps.push({ from_min: a.t_min, to_min: b.t_min });
    else pieces.push({ t1: a.t_min, v1: a.value, t2: b.t_min, v2: b.value });
  }
  return { pieces, gaps };
}

function valueAt(p: LinearPiece, t: number): number {
  if (p.t2 === p.t1) return p.v1;
  return p.v1 + ((p.v2 - p.v1) * (t - p.t1)) / (p.t2 - p.t1);
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * The sub-interval [x1, x2] ⊂ [0, 1] of a linear segment from va (x = 0) to vb (x = 1) where low ≤ v ≤ high,
 * or undefined when the segment never enters the band (a single touching point has measure 0).
 */
export function inRangeFraction(va: number, vb: number, low: number, high: number): [number, number] | undefined {
  if (va === vb) return va >= low && va <= high ? [0, 1] : undefined;
  const xl = (low - va) / (vb - va);
  const xh = (high - va) / (vb - va);
  const x1 = clamp01(Math.min(xl, xh));
  const x2 = clamp01(Math.max(xl, xh));
  return x2 > x1 ? [x1, x2] : undefined;
}

/** Split a linear segment's duration into time below, in and above the band (Rosendaal's crossing times). */
export function splitLinearSegment(va: number, vb: number, duration: number, low: number, high: number) {
  let below: number;
  let above: number;
  if (va === vb) {
    below = va < low ? 1 : 0;
    above = va > high ? 1 : 0;
  } else {
    const xl = clamp01((low - va) / (vb - va));
    const xh = clamp01((high - va) / (vb - va));
    below = vb > va ? xl : 1 - xl;
    above = vb > va ? 1 - xh : xh;
  }
  const inside = Math.max(0, 1 - below - above);
  return { below: below * duration, in: inside * duration, above: above * duration };
}

function bandAt(segments: readonly BandSegment[], t: number): BandSegment['band'] {
  for (const s of segments) if (t >= s.from_min && t < s.to_min) return s.band;
  return undefined;
}

function excludedAt(exclude: readonly ExcludedInterval[] | undefined, t: number): boolean {
  return (exclude ?? []).some((e) => t >= e.from_min && t < e.to_min);
}

/** Breakpoints of band segments and exclusions strictly inside (a, b), with a and b, sorted. */
function cutPoints(a: number, b: number, bands: readonly BandSegment[], exclude: readonly ExcludedInterval[] | undefined, extra: readonly number[] = []) {
  const set = new Set<number>([a, b]);
  const add = (t: number) => t > a && t < b && set.add(t);
  for (const s of bands) (add(s.from_min), add(s.to_min));
  for (const e of exclude ?? []) (add(e.from_min), add(e.to_min));
  for (const t of extra) add(t);
  return [...set].sort((x, y) => x - y);
}

/**
 * Rosendaal TTR of one test: sort the samples, interpolate linearly between consecutive samples no more than
 * maxGap_min apart, and sum the time the interpolated value spends below, inside and above the band in force at each
 * instant (bands may change between samples). TTR = in-range time / assessed time × 100 (reference 7.7 steps 1–3).
 */
export function rosendaalTtr(samples: readonly Point[], bands: readonly BandSegment[], options: TtrOptions): RuleResult<TtrResult> {
  const points = normalizePoints(samples);
  const { pieces, gaps } = linearPieces(points, options.maxGap_min);
  let inR = 0;
  let below = 0;
  let above = 0;
  let noTarget = 0;
  let excluded = 0;
  for (const p of pieces) {
    const cuts = cutPoints(p.t1, p.t2, bands, options.exclude);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i];
      const b = cuts[i + 1];
      const mid = (a + b) / 2;
      const d = b - a;
      if (excludedAt(options.exclude, mid)) {
        excluded += d;
        continue;
      }
      const band = bandAt(bands, mid);
      if (!band) {
        noTarget += d;
        continue;
      }
      const split = splitLinearSegment(valueAt(p, a), valueAt(p, b), d, band.low, band.high);
      inR += split.in;
      below += split.below;
      above += split.above;
    }
  }
  const assessed = inR + below + above;
  const pct = (x: number) => (assessed > 0 ? (100 * x) / assessed : undefined);
  const reasons: Reason[] = [];
  const missing: string[] = [];
  if (points.length < 2) missing.push('at least 2 samples');
  else if (assessed === 0) missing.push('interpolated time with a target band in force');
  if (assessed > 0) {
    reasons.push({
      criterion: 'ttr_rosendaal',
      text: `${points.length} samples; in range ${(pct(inR) ?? 0).toFixed(1)} % of ${(assessed / 60).toFixed(1)} h interpolated (below ${(pct(below) ?? 0).toFixed(1)} %, above ${(pct(above) ?? 0).toFixed(1)} %)`,
      value: pct(inR),
      unit: '%',
    });
  }
  for (const g of gaps) {
    reasons.push({
      criterion: 'ttr_gap_unobserved',
      text: `gap of ${((g.to_min - g.from_min) / 60).toFixed(1)} h from minute ${g.from_min} > ${options.maxGap_min / 60} h: not interpolated`,
      value: g.to_min - g.from_min,
      unit: 'min',
    });
  }
  return {
    result: {
      samples: points.length,
      inRange_pct: pct(inR),
      below_pct: pct(below),
      above_pct: pct(above),
      inRange_min: inR,
      below_min: below,
      above_min: above,
      assessed_min: assessed,
      noTarget_min: noTarget,
      excluded_min: excluded,
      unobservedGaps: gaps,
    },
    reasons,
    missing,
  };
}

export interface DiscordanceTimeResult {
  /** Time both tests were interpolable with a band in force for each, not excluded. */
  readonly jointObserved_min: number;
  /** Of that, time anti-Xa was in its band. */
  readonly antiXaInRange_min: number;
  /** Of that, time anti-Xa was in its band while aPTT was outside its paired band. */
  readonly discordant_min: number;
  /** discordant / jointObserved × 100. */
  readonly discordant_pct_of_joint: number | undefined;
  /** discordant / antiXaInRange × 100 (reference 7.7 step 4: "% time anti-Xa in range while aPTT out of its paired band"). */
  readonly discordant_pct_of_antiXaInRange: number | undefined;
}

/**
 * Discordance time (reference 7.7 step 4 [D]): with both series interpolated as in rosendaalTtr, the time anti-Xa
 * lies in its band while aPTT lies outside its paired band.
 */
export function discordanceTime(
  antiXa: readonly Point[],
  aptt: readonly Point[],
  antiXaBands: readonly BandSegment[],
  apttBands: readonly BandSegment[],
  options: TtrOptions,
): RuleResult<DiscordanceTimeResult> {
  const xa = linearPieces(normalizePoints(antiXa), options.maxGap_min).pieces;
  const pt = linearPieces(normalizePoints(aptt), options.maxGap_min).pieces;
  let joint = 0;
  let xaIn = 0;
  let disc = 0;
  for (const p of xa) {
    for (const q of pt) {
      const a = Math.max(p.t1, q.t1);
      const b = Math.min(p.t2, q.t2);
      if (b <= a) continue;
      const cuts = cutPoints(a, b, [...antiXaBands, ...apttBands], options.exclude);
      for (let i = 0; i + 1 < cuts.length; i++) {
        const s = cuts[i];
        const e = cuts[i + 1];
        const mid = (s + e) / 2;
        if (excludedAt(options.exclude, mid)) continue;
        const bx = bandAt(antiXaBands, mid);
        const bp = bandAt(apttBands, mid);
        if (!bx || !bp) continue;
        const d = e - s;
        joint += d;
        const fx = inRangeFraction(valueAt(p, s), valueAt(p, e), bx.low, bx.high);
        if (!fx) continue;
        const fp = inRangeFraction(valueAt(q, s), valueAt(q, e), bp.low, bp.high);
        const lenX = fx[1] - fx[0];
        const overlap = fp ? Math.max(0, Math.min(fx[1], fp[1]) - Math.max(fx[0], fp[0])) : 0;
        xaIn += lenX * d;
        disc += (lenX - overlap) * d;
      }
    }
  }
  const missing: string[] = [];
  if (joint === 0) missing.push('overlapping interpolated anti-Xa and aPTT series with bands in force');
  const result: DiscordanceTimeResult = {
    jointObserved_min: joint,
    antiXaInRange_min: xaIn,
    discordant_min: disc,
    discordant_pct_of_joint: joint > 0 ? (100 * disc) / joint : undefined,
    discordant_pct_of_antiXaInRange: xaIn > 0 ? (100 * disc) / xaIn : undefined,
  };
  const reasons: Reason[] =
    joint > 0
      ? [
          {
            criterion: 'discordance_time',
            text: `anti-Xa in range with aPTT out of its paired band for ${(disc / 60).toFixed(1)} h of ${(joint / 60).toFixed(1)} h jointly observed`,
            value: result.discordant_pct_of_joint,
            unit: '%',
          },
        ]
      : [];
  return { result, reasons, missing };
}
