// 1:k nearest-neighbour propensity matching on a table (the `stratum stats match` command), with
// MatchIt's semantics: distance = linear logit of a logistic propensity score, largest first, no replacement.
import type { Table } from '../data/table.js';
import { balanceTable } from '../stats/balance.js';
import { matchNearest } from '../stats/matching.js';
import { propensityData, type PropensitySpec } from './propensity-data.js';

export interface MatchingSpec extends PropensitySpec {
  /** Caliper in SD units of the linear logit (MatchIt std.caliper = TRUE); null for none. */
  readonly caliperSd?: number | null;
  readonly ratio?: number;
  /** 'matchit-4.5.1' reproduces MatchIt 4.5.1-4.5.3's truncated distances (see src/stats/matching.ts). */
  readonly compat?: 'exact' | 'matchit-4.5.1';
}

export interface MatchingAnalysis {
  readonly n: number;
  readonly droppedRows: number;
  readonly nTreated: number;
  readonly nControl: number;
  readonly nTreatedMatched: number;
  readonly nControlMatched: number;
  readonly ratio: number;
  readonly compat: 'exact' | 'matchit-4.5.1';
  /** Caliper in logit units; null without one. */
  readonly caliper: number | null;
  /** [treated row, control row], 1-based rows of the input file. */
  readonly pairs: Array<[number, number]>;
  readonly balance: Array<{ covariate: string; smdBefore: number; smdAfter: number }>;
  readonly distanceBalance: { smdBefore: number; smdAfter: number };
  readonly propensityModel: { terms: string[]; coef: number[] };
}

export function matchingAnalysis(table: Table, spec: MatchingSpec): MatchingAnalysis {
  const data = propensityData(table, spec);
  const ratio = spec.ratio ?? 1;
  const match = matchNearest({ distance: data.linearLogit, treated: data.treated, ratio, caliperSd: spec.caliperSd ?? null, compat: spec.compat ?? 'exact' });
  const fileRow = (k: number) => data.cases.rows[k] + 1;
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < match.pairs.length; k += 2) pairs.push([fileRow(match.pairs[k]), fileRow(match.pairs[k + 1])]);
  const rows = balanceTable(
    [{ name: 'distance', values: data.linearLogit, binary: false }, ...data.balanceCovariates],
    data.treated,
    match.weights,
    'att',
  );
  return {
    n: data.treated.length,
    droppedRows: data.cases.droppedRows,
    nTreated: match.nTreated,
    nControl: match.nControl,
    nTreatedMatched: match.nTreatedMatched,
    nControlMatched: match.nControlMatched,
    ratio,
    compat: spec.compat ?? 'exact',
    caliper: match.caliper,
    pairs,
    balance: rows.slice(1).map((r) => ({ covariate: r.covariate, smdBefore: r.smdBefore, smdAfter: r.smdAfter })),
    distanceBalance: { smdBefore: rows[0].smdBefore, smdAfter: rows[0].smdAfter },
    propensityModel: { terms: [...data.fit.names], coef: Array.from(data.fit.coef) },
  };
}
