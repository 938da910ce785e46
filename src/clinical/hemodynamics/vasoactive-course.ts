// Vasoactive state of an episode over time from its infusion records: which vasoactives run, their count, VIS and NEE
// at any time and at every change in a window (clinical reference 2.1, 2.2; Jentzer 2019 deterioration and
// refractory-shock blocks compare these between the first hour and the first 24 h, reference 1.4).
import type { RuleResult } from '../rule-result.js';
import type { Episode, TMin } from '../episode/episode.js';
import { infusionsActiveAt, isoAt } from '../episode/series.js';
import type { VasoactiveDrug } from '../episode/infusion-drugs.js';
import {
  norepinephrineEquivalent,
  vasoactiveInotropicScore,
  type NeeTable,
  type VasoactiveDose,
  type VisVersion,
} from './vasoactive-score.js';

export interface VasoactiveOptions {
  readonly visVersion?: VisVersion;
  readonly neeTable?: NeeTable;
}

export interface VasoactiveState {
  readonly t_min: TMin;
  readonly time: string;
  /** Vasoactive infusions running with rate > 0. */
  readonly doses: readonly (VasoactiveDose & { readonly drug: VasoactiveDrug })[];
  readonly count: number;
  readonly vis: RuleResult<number | null>;
  readonly nee: RuleResult<number | null>;
}

/** Vasoactive infusions running at atMin with a rate > 0 (an infusion is active on [start, end)). */
export function vasoactivesAt(episode: Pick<Episode, 'infusions'>, atMin: TMin): (VasoactiveDose & { drug: VasoactiveDrug })[] {
  return infusionsActiveAt(episode, atMin, 'vasopressor_inotrope')
    .filter((i) => i.rate > 0)
    .map((i) => ({ drug: i.drug as VasoactiveDrug, rate: i.rate, rateUnit: i.rateUnit }));
}

/** Count, VIS and NEE at one time. */
export function vasoactiveStateAt(episode: Episode, atMin: TMin, options: VasoactiveOptions = {}): VasoactiveState {
  const doses = vasoactivesAt(episode, atMin);
  const time = isoAt(episode, atMin);
  const weight = episode.demographics.weight_kg;
  return {
    t_min: atMin,
    time,
    doses,
    count: new Set(doses.map((d) => d.drug)).size,
    vis: vasoactiveInotropicScore(doses, { ...(weight !== undefined ? { weight_kg: weight } : {}), ...(options.visVersion ? { version: options.visVersion } : {}), time }),
    nee: norepinephrineEquivalent(doses, { ...(options.neeTable ? { table: options.neeTable } : {}), time }),
  };
}

/**
 * The vasoactive state at fromMin and at every infusion start or end in (fromMin, toMin], in time order. Because
 * rates are piecewise constant, the maximum VIS / NEE / count over the window is the maximum over these states.
 */
export function vasoactiveCourse(episode: Episode, fromMin: TMin, toMin: TMin, options: VasoactiveOptions = {}): VasoactiveState[] {
  const times = new Set<number>([fromMin]);
  for (const i of episode.infusions) {
    if (i.kind !== 'vasopressor_inotrope') continue;
    if (i.t_start_min > fromMin && i.t_start_min <= toMin) times.add(i.t_start_min);
    if (i.t_end_min !== undefined && i.t_end_min > fromMin && i.t_end_min <= toMin) times.add(i.t_end_min);
  }
  return [...times].sort((a, b) => a - b).map((t) => vasoactiveStateAt(episode, t, options));
}

export interface VasoactiveWindowSummary {
  readonly fromMin: TMin;
  readonly toMin: TMin;
  /** Highest number of different vasoactives running at once. */
  readonly maxCount: number;
  /** Highest VIS; null if any state's VIS could not be computed (see missing). */
  readonly maxVis: number | null;
  readonly maxNee: number | null;
  readonly maxVisAt?: string;
  readonly maxNeeAt?: string;
  readonly anyVasoactive: boolean;
  readonly missing: readonly string[];
}

/** Maximum count, VIS and NEE over [fromMin, toMin]. */
export function vasoactiveWindowSummary(episode: Episode, fromMin: TMin, toMin: TMin, options: VasoactiveOptions = {}): VasoactiveWindowSummary {
  const course = vasoactiveCourse(episode, fromMin, toMin, options);
  let maxCount = 0;
  let maxVis: number | null = 0;
  let maxNee: number | null = 0;
  let maxVisAt: string | undefined;
  let maxNeeAt: string | undefined;
  const missing = new Set<string>();
  for (const s of course) {
    maxCount = Math.max(maxCount, s.count);
    if (s.vis.result === null) {
      maxVis = null;
      s.vis.missing.forEach((m) => missing.add(m));
    } else if (maxVis !== null && s.vis.result > maxVis) {
      maxVis = s.vis.result;
      maxVisAt = s.time;
    }
    if (s.nee.result === null) {
      maxNee = null;
      s.nee.missing.forEach((m) => missing.add(m));
    } else if (maxNee !== null && s.nee.result > maxNee) {
      maxNee = s.nee.result;
      maxNeeAt = s.time;
    }
  }
  return {
    fromMin, toMin, maxCount, maxVis, maxNee,
    ...(maxVisAt ? { maxVisAt } : {}), ...(maxNeeAt ? { maxNeeAt } : {}),
    anyVasoactive: maxCount > 0,
    missing: [...missing],
  };
}
