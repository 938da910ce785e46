// SCAI SHOCK stage at one time from the time series: Jentzer 2019 building blocks (reference 1.4) over windows
// that end at the assessment time, with the SCAI 2019/2022 descriptors of the chosen rule set (reference 1.3),
// the cardiac-arrest modifier of its version (1.2), and three-valued bounds for missing data (1.6).
// Also Jentzer's own admission assessment, whose windows look forward from admission (first hour, first 24 h).

import type { Reason, RuleResult, Tri } from '../rule-result.js';
import { cardiacArrestModifier } from './arrest-modifier.js';
import {
  evaluateBuildingBlocks,
  indexObservations,
  type BlockName,
  type CompletenessItem,
  type CriterionResult,
  type EvaluationWindows,
} from './building-blocks.js';
import { SCAI_2022, type ScaiRuleSet, type ScaiVersion } from './rule-set.js';
import type { ScaiInput } from './scai-input.js';
import { assignScaiStage } from './stage-assignment.js';
import type { ScaiStage } from './stage.js';

export type ScaiMethod = 'time-series' | 'jentzer-admission';

export interface ScaiAssessment {
  readonly t_min: number;
  readonly method: ScaiMethod;
  readonly ruleSetId: string;
  readonly version: ScaiVersion;
  /** The stage assigned from true predicates only (= stageLowerBound, reference 1.6 rule 2). */
  readonly stage: ScaiStage;
  readonly stageLowerBound: ScaiStage;
  readonly stageUpperBound: ScaiStage;
  /** Lower and upper bound agree. */
  readonly determinate: boolean;
  /** Cardiac-arrest modifier of the version, for arrests up to the assessment time. */
  readonly caModifier: Tri;
  /** e.g. 'C', 'D-A', 'B..D', 'C-A?' (modifier unknown). */
  readonly label: string;
  readonly blocks: Readonly<Record<BlockName, Tri>>;
  /** Every criterion evaluated, fired or not, with its value and time. */
  readonly criteria: readonly CriterionResult[];
  readonly completeness: Readonly<Record<CompletenessItem, boolean>>;
  readonly windows: EvaluationWindows;
}

export interface ScaiAtOptions {
  /** Override the rule set's status window (the trajectory widens it to its block length). */
  readonly statusWindowMin?: number;
  /** Devices count when inserted strictly before this time (default: the assessment time, so the stage at a
   * device's start is the stage that led to it). */
  readonly deviceCutoffMin?: number;
}

/** Start of the observation period: given, else the earliest record (never later than 0). */
export function observationStart(input: ScaiInput): number {
  if (input.observationStartMin !== undefined) return input.observationStartMin;
  let start = 0;
  for (const o of input.observations) start = Math.min(start, o.t_min);
  for (const i of input.infusions) start = Math.min(start, i.t_start_min);
  for (const d of input.devices) start = Math.min(start, d.t_insert_min);
  for (const a of input.arrests) start = Math.min(start, a.t_min);
  return start;
}

/** The windows of an assessment at time t: each ends at t and never reaches before the observation start. */
export function trailingWindows(t: number, rs: ScaiRuleSet, start: number, opts: ScaiAtOptions = {}): EvaluationWindows {
  const back = (len: number): { from: number; to: number } => ({ from: Math.min(t, Math.max(start, t - len)), to: t });
  const trend = back(rs.trendWindowMin);
  return {
    at_min: t,
    status: back(opts.statusWindowMin ?? rs.statusWindowMin),
    lab: back(rs.labLookbackMin),
    labPick: 'latest',
    pac: back(rs.pacLookbackMin),
    urine: back(rs.urineWindowMin),
    trend,
    baseline: { from: trend.from, to: Math.min(t, trend.from + rs.baselineWindowMin) },
    deviceCutoff: opts.deviceCutoffMin ?? t,
  };
}

/** Jentzer's admission windows: first hour and first 24 h after admission at `anchorMin`; first lab value. */
export function admissionWindows(anchorMin: number, rs: ScaiRuleSet): EvaluationWindows {
  const a = anchorMin;
  return {
    at_min: a + rs.statusWindowMin,
    status: { from: a, to: a + rs.statusWindowMin },
    lab: { from: a, to: a + rs.labLookbackMin },
    labPick: 'first',
    pac: { from: a, to: a + rs.pacLookbackMin },
    urine: { from: a, to: a + rs.urineWindowMin },
    trend: { from: a, to: a + rs.trendWindowMin },
    baseline: { from: a, to: a + rs.baselineWindowMin },
    deviceCutoff: a + rs.trendWindowMin,
  };
}

function label(lower: ScaiStage, upper: ScaiStage, ca: Tri): string {
  const stage = lower === upper ? lower : `${lower}..${upper}`;
  return stage + (ca === true ? '-A' : ca === 'unknown' ? '-A?' : '');
}

/** Evaluate the blocks over the given windows and assign the stage with its modifier, reasons and missing inputs. */
export function assessScaiWindows(input: ScaiInput, w: EvaluationWindows, rs: ScaiRuleSet, method: ScaiMethod, series = indexObservations(input.observations)): RuleResult<ScaiAssessment> {
  const bb = evaluateBuildingBlocks(input, w, rs, series);
  const bounds = assignScaiStage(bb.blocks, rs.requireHypoperfusionForDE);
  const ca = cardiacArrestModifier(input.arrests, rs.version, method === 'time-series' ? w.at_min : w.trend.to, rs.comaGcs);
  const reasons: Reason[] = bb.criteria
    .filter((c) => c.value === true)
    .map((c) => ({
      criterion: `${c.block}.${c.id}`,
      text: c.text,
      ...(c.observed !== undefined ? { value: c.observed } : {}),
      ...(c.unit !== undefined ? { unit: c.unit } : {}),
      ...(c.time !== undefined ? { time: c.time } : {}),
    }));
  reasons.push(...ca.reasons);
  const missing = new Set<string>();
  for (const c of bb.criteria) if (c.value === 'unknown' && !c.supplementary) for (const m of c.missing) missing.add(m);
  for (const m of ca.missing) missing.add(m);
  return {
    result: {
      t_min: w.at_min,
      method,
      ruleSetId: rs.id,
      version: rs.version,
      stage: bounds.lower,
      stageLowerBound: bounds.lower,
      stageUpperBound: bounds.upper,
      determinate: bounds.lower === bounds.upper,
      caModifier: ca.value,
      label: label(bounds.lower, bounds.upper, ca.value),
      blocks: bb.blocks,
      criteria: bb.criteria,
      completeness: bb.completeness,
      windows: w,
    },
    reasons,
    missing: [...missing].sort(),
  };
}

/** SCAI SHOCK stage at time `atMin` (minutes since anchor) from the data up to that time. */
export function scaiStageAt(input: ScaiInput, atMin: number, rs: ScaiRuleSet = SCAI_2022, opts: ScaiAtOptions = {}): RuleResult<ScaiAssessment> {
  return assessScaiWindows(input, trailingWindows(atMin, rs, observationStart(input), opts), rs, 'time-series');
}

/** Jentzer 2019 admission stage: first hour / first 24 h after admission at `anchorMin` (reference 1.4). */
export function jentzerAdmissionStage(input: ScaiInput, rs: ScaiRuleSet, anchorMin = 0): RuleResult<ScaiAssessment> {
  return assessScaiWindows(input, admissionWindows(anchorMin, rs), rs, 'jentzer-admission');
}
