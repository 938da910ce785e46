// Cox proportional-hazards model on a table (the `stratum stats cox` command): complete cases, design
// matrix with R's factor coding, then src/stats/cox.
import { DataError } from '../data/data-error.js';
import { assertNoConstantColumns, buildDesign } from '../data/design.js';
import { groupCodes, numericValues } from '../data/group-codes.js';
import { getColumn, type Table } from '../data/table.js';
import { coxTerms, fitCox, type CoxTerm, type CoxTies } from '../stats/cox.js';
import { survivalData, type SurvivalColumns } from './survival-data.js';

export interface CoxSpec extends SurvivalColumns {
  readonly covariates: readonly string[];
  readonly strata?: string;
  readonly cluster?: string;
  readonly weights?: string;
  readonly ties?: CoxTies;
  readonly reference?: ReadonlyMap<string, string>;
}

export interface CoxAnalysis {
  readonly n: number;
  readonly events: number;
  readonly droppedRows: number;
  readonly missingByColumn: ReadonlyArray<{ column: string; missing: number }>;
  readonly ties: CoxTies;
  readonly terms: CoxTerm[];
  readonly loglik: [number, number];
  readonly concordance: number;
  readonly strata: string[] | null;
  readonly clusters: number | null;
}

export function coxAnalysis(table: Table, spec: CoxSpec): CoxAnalysis {
  if (spec.covariates.length === 0) throw new DataError('--covariates is empty; expected at least one column', { field: '--covariates', expected: 'column names' });
  const extra = [...spec.covariates, ...[spec.strata, spec.cluster, spec.weights].filter((c): c is string => c !== undefined)];
  const { cases, time, event } = survivalData(table, spec, extra);
  const design = buildDesign(table, spec.covariates, cases.rows, { reference: spec.reference });
  assertNoConstantColumns(design);
  const strata = spec.strata ? groupCodes(getColumn(table, spec.strata), cases.rows) : undefined;
  const cluster = spec.cluster ? groupCodes(getColumn(table, spec.cluster), cases.rows) : undefined;
  let weights: Float64Array | undefined;
  if (spec.weights) {
    weights = numericValues(getColumn(table, spec.weights), cases.rows, 'weights');
    weights.forEach((w, k) => {
      if (!(w >= 0)) throw new DataError(`weights column '${spec.weights}' has ${w} at row ${cases.rows[k] + 1}; expected a weight >= 0`, { field: spec.weights, value: w, expected: 'a weight >= 0' });
    });
  }
  const ties = spec.ties ?? 'efron';
  const fit = fitCox({ time, event, x: design.x, strata: strata?.codes, cluster: cluster?.codes, weights, ties });
  return {
    n: fit.n,
    events: fit.events,
    droppedRows: cases.droppedRows,
    missingByColumn: cases.missingByColumn,
    ties,
    terms: coxTerms(fit),
    loglik: fit.loglik,
    concordance: fit.concordance,
    strata: strata ? strata.names : null,
    clusters: cluster ? cluster.names.length : null,
  };
}
