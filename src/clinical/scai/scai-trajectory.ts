// SCAI SHOCK stage trajectory over the first 24 h: the stage of consecutive blocks (each assessed at its end from
// the data up to then, its status window widened to the block), the stage at each device start, the maximum and
// the time-weighted mean stage, and the hours spent in C–E. Serial staging in 4-hour blocks: J Am Heart Assoc
// 2023 (PMC10727310), reference 1.1 [V]; blocks of 60 min by default, a parameter [D].

import type { Reason, RuleResult, Tri } from '../rule-result.js';
import { triOr } from '../rule-result.js';
import { indexObservations } from './building-blocks.js';
import { SCAI_2022, type ScaiRuleSet, type ScaiVersion } from './rule-set.js';
import { assessScaiWindows, observationStart, trailingWindows, type ScaiAssessment } from './scai-assessment.js';
import type { ScaiInput } from './scai-input.js';
import { isShockStage, maxStage, stageScore, type ScaiStage } from './stage.js';

export interface ScaiTrajectoryOptions {
  /** Start of the horizon, minutes since anchor (default 0). */
  readonly fromMin?: number;
  /** End of the horizon (default 24 h after `fromMin`). */
  readonly toMin?: number;
  /** Block length (default 60 min; the serial-staging study used 240). */
  readonly blockMin?: number;
}

export interface ScaiBlock {
  readonly from_min: number;
  readonly to_min: number;
  readonly stageLowerBound: ScaiStage;
  readonly stageUpperBound: ScaiStage;
  readonly label: string;
  readonly assessment: ScaiAssessment;
}

export interface ScaiDeviceStart {
  readonly kind: string;
  readonly label?: string;
  readonly t_min: number;
  readonly assessment: ScaiAssessment;
}

export interface StageRange<T> {
  readonly lower: T;
  readonly upper: T;
}

export interface ScaiTrajectory {
  readonly ruleSetId: string;
  readonly version: ScaiVersion;
  readonly from_min: number;
  readonly to_min: number;
  readonly blockMin: number;
  readonly blocks: readonly ScaiBlock[];
  /** The stage at each device's insertion (devices count only after insertion: the stage that led to it). */
  readonly atDeviceStart: readonly ScaiDeviceStart[];
  /** Maximum stage over the blocks, and the end of the first block that reached it. */
  readonly maximum: StageRange<ScaiStage> & { readonly firstReachedLower_min: number | null };
  /** Time-weighted mean stage, A = 1 ... E = 5. */
  readonly timeWeightedMean: StageRange<number>;
  /** Hours in stage C–E (shock). */
  readonly hoursInShock: StageRange<number>;
  /** Cardiac-arrest modifier at the end of the horizon. */
  readonly caModifier: Tri;
}

/** The SCAI stage trajectory of an episode over a horizon (default: the first 24 h after the anchor). */
export function scaiTrajectory(input: ScaiInput, rs: ScaiRuleSet = SCAI_2022, opts: ScaiTrajectoryOptions = {}): RuleResult<ScaiTrajectory> {
  const from = opts.fromMin ?? 0;
  const to = opts.toMin ?? from + 24 * 60;
  const blockMin = opts.blockMin ?? 60;
  if (!(blockMin > 0) || !(to > from)) throw new RangeError(`scaiTrajectory: need blockMin > 0 and toMin > fromMin (got ${blockMin}, ${from}..${to})`);
  const series = indexObservations(input.observations);
  const start = observationStart(input);
  const statusWindowMin = Math.max(rs.statusWindowMin, blockMin);

  const blocks: ScaiBlock[] = [];
  const missing = new Set<string>();
  for (let a = from; a < to; a += blockMin) {
    const b = Math.min(to, a + blockMin);
    const r = assessScaiWindows(input, trailingWindows(b, rs, start, { statusWindowMin }), rs, 'time-series', series);
    for (const m of r.missing) missing.add(m);
    blocks.push({ from_min: a, to_min: b, stageLowerBound: r.result.stageLowerBound, stageUpperBound: r.result.stageUpperBound, label: r.result.label, assessment: r.result });
  }

  const atDeviceStart: ScaiDeviceStart[] = [...input.devices]
    .sort((x, y) => x.t_insert_min - y.t_insert_min)
    .map((d) => ({
      kind: d.kind,
      ...(d.label !== undefined ? { label: d.label } : {}),
      t_min: d.t_insert_min,
      assessment: assessScaiWindows(input, trailingWindows(d.t_insert_min, rs, start), rs, 'time-series', series).result,
    }));

  let maxLower: ScaiStage = 'A';
  let maxUpper: ScaiStage = 'A';
  let firstReached: number | null = null;
  let sumLower = 0;
  let sumUpper = 0;
  let shockLower = 0;
  let shockUpper = 0;
  for (const blk of blocks) {
    const len = blk.to_min - blk.from_min;
    if (firstReached === null || stageScore(blk.stageLowerBound) > stageScore(maxLower)) firstReached = blk.to_min;
    maxLower = maxStage(maxLower, blk.stageLowerBound);
    maxUpper = maxStage(maxUpper, blk.stageUpperBound);
    sumLower += stageScore(blk.stageLowerBound) * len;
    sumUpper += stageScore(blk.stageUpperBound) * len;
    if (isShockStage(blk.stageLowerBound)) shockLower += len;
    if (isShockStage(blk.stageUpperBound)) shockUpper += len;
  }
  const total = to - from;
  const reasons: Reason[] = [];
  let seen = 0;
  for (const blk of blocks) {
    const s = stageScore(blk.stageLowerBound);
    if (s > seen) {
      reasons.push({ criterion: `stage_${blk.stageLowerBound}_reached`, text: `stage ${blk.stageLowerBound} first proven in block ${blk.from_min}–${blk.to_min} min`, value: blk.stageLowerBound });
      seen = s;
    }
  }
  const caModifier = blocks.length > 0 ? blocks[blocks.length - 1].assessment.caModifier : triOr();
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    result: {
      ruleSetId: rs.id,
      version: rs.version,
      from_min: from,
      to_min: to,
      blockMin,
      blocks,
      atDeviceStart,
      maximum: { lower: maxLower, upper: maxUpper, firstReachedLower_min: firstReached },
      timeWeightedMean: { lower: round(sumLower / total), upper: round(sumUpper / total) },
      hoursInShock: { lower: round(shockLower / 60), upper: round(shockUpper / 60) },
      caModifier,
    },
    reasons,
    missing: [...missing].sort(),
  };
}
