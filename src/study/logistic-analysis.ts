// Logistic regression on a table (the `stratum stats logistic` command), as glm(family = binomial).
import { completeCases } from '../data/complete-cases.js';
import { DataError } from '../data/data-error.js';
import { assertNoConstantColumns, buildDesign } from '../data/design.js';
import { treatmentIndicator } from '../data/group-codes.js';
import { getColumn, type Table } from '../data/table.js';
import { Z_975 } from '../stats/distributions.js';
import { fitLogistic } from '../stats/logistic.js';

export interface LogisticSpec {
  readonly outcome: string;
  readonly covariates: readonly string[];
  readonly reference?: ReadonlyMap<string, string>;
}

export interface LogisticAnalysis {
  readonly n: number;
  readonly droppedRows: number;
  readonly missingByColumn: ReadonlyArray<{ column: string; missing: number }>;
  readonly outcomeLevel: string;
  readonly terms: Array<{ term: string; coef: number; se: number; z: number; p: number; or: number; orLower: number; orUpper: number }>;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly aic: number;
  readonly iterations: number;
}

export function logisticAnalysis(table: Table, spec: LogisticSpec): LogisticAnalysis {
  if (spec.covariates.length === 0) throw new DataError('--covariates is empty; expected at least one column', { field: '--covariates', expected: 'column names' });
  const cases = completeCases(table, [spec.outcome, ...spec.covariates]);
  if (cases.rows.length === 0) throw new DataError(`no complete rows for ${[spec.outcome, ...spec.covariates].join(', ')}`, { expected: 'at least one complete row' });
  const outcome = treatmentIndicator(getColumn(table, spec.outcome), cases.rows);
  const design = buildDesign(table, spec.covariates, cases.rows, { intercept: true, reference: spec.reference });
  assertNoConstantColumns(design);
  const fit = fitLogistic({ y: Float64Array.from(outcome.treated), x: design.x });
  const z = Z_975;
  return {
    n: fit.n,
    droppedRows: cases.droppedRows,
    missingByColumn: cases.missingByColumn,
    outcomeLevel: outcome.treatedLabel,
    terms: fit.names.map((term, j) => ({
      term,
      coef: fit.coef[j],
      se: fit.se[j],
      z: fit.z[j],
      p: fit.p[j],
      or: Math.exp(fit.coef[j]),
      orLower: Math.exp(fit.coef[j] - z * fit.se[j]),
      orUpper: Math.exp(fit.coef[j] + z * fit.se[j]),
    })),
    deviance: fit.deviance,
    nullDeviance: fit.nullDeviance,
    aic: fit.aic,
    iterations: fit.iterations,
  };
}
