// Propensity-score weighting on a table (the `stratum stats weights` command): inverse-probability
// weights for the ATE or ATT, or overlap weights, with weighted balance and effective sample size.
import type { Table } from '../data/table.js';
import { balanceTable } from '../stats/balance.js';
import { effectiveSampleSize, propensityWeights, type WeightEstimand } from '../stats/weighting.js';
import { propensityData, type PropensitySpec } from './propensity-data.js';

export interface WeightingSpec extends PropensitySpec {
  readonly estimand: WeightEstimand;
}

export interface WeightingAnalysis {
  readonly estimand: WeightEstimand;
  readonly n: number;
  readonly droppedRows: number;
  readonly nTreated: number;
  readonly nControl: number;
  readonly effectiveSampleSize: { treated: number; control: number };
  readonly weightSummary: { treated: WeightSummary; control: WeightSummary };
  readonly balance: Array<{ covariate: string; smdBefore: number; smdAfter: number }>;
  /** One entry per input row (file order): its propensity score and weight, or null where the row was dropped. */
  readonly rows: Array<{ row: number; score: number; weight: number } | null>;
}

export interface WeightSummary { min: number; max: number; mean: number; sum: number }

function summarize(weights: Float64Array, mask: Uint8Array, value: 0 | 1): WeightSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < weights.length; i++) {
    if (mask[i] !== value) continue;
    min = Math.min(min, weights[i]);
    max = Math.max(max, weights[i]);
    sum += weights[i];
    n++;
  }
  return { min, max, mean: sum / n, sum };
}

export function weightingAnalysis(table: Table, spec: WeightingSpec): WeightingAnalysis {
  const data = propensityData(table, spec);
  const weights = propensityWeights(data.score, data.treated, spec.estimand);
  const control = data.treated.map((t) => 1 - t);
  const balance = balanceTable(data.balanceCovariates, data.treated, weights, spec.estimand);
  const rows: WeightingAnalysis['rows'] = new Array(table.nRows).fill(null);
  data.cases.rows.forEach((fileIndex, k) => {
    rows[fileIndex] = { row: fileIndex + 1, score: data.score[k], weight: weights[k] };
  });
  let nTreated = 0;
  for (const t of data.treated) nTreated += t;
  return {
    estimand: spec.estimand,
    n: data.treated.length,
    droppedRows: data.cases.droppedRows,
    nTreated,
    nControl: data.treated.length - nTreated,
    effectiveSampleSize: { treated: effectiveSampleSize(weights, data.treated), control: effectiveSampleSize(weights, control) },
    weightSummary: { treated: summarize(weights, data.treated, 1), control: summarize(weights, data.treated, 0) },
    balance: balance.map((r) => ({ covariate: r.covariate, smdBefore: r.smdBefore, smdAfter: r.smdAfter })),
    rows,
  };
}
