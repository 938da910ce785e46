// The common first step of matching and weighting: complete cases, treatment indicator, propensity model
// (logistic, all covariates, R's factor coding), and the covariates a balance table reports — every numeric
// covariate and every level of each factor, as MatchIt's summary() lists them.
import { completeCases, type CompleteCases } from '../data/complete-cases.js';
import { DataError } from '../data/data-error.js';
import { assertNoConstantColumns, buildDesign } from '../data/design.js';
import { treatmentIndicator } from '../data/group-codes.js';
import { getColumn, type Table } from '../data/table.js';
import type { BalanceCovariate } from '../stats/balance.js';
import { fitPropensity } from '../stats/propensity.js';
import type { LogisticFit } from '../stats/logistic.js';

export interface PropensitySpec {
  readonly treatment: string;
  readonly covariates: readonly string[];
  readonly reference?: ReadonlyMap<string, string>;
}

export interface PropensityData {
  readonly cases: CompleteCases;
  readonly treated: Uint8Array;
  readonly treatedLabel: string;
  readonly fit: LogisticFit;
  readonly score: Float64Array;
  readonly linearLogit: Float64Array;
  readonly balanceCovariates: BalanceCovariate[];
}

export function propensityData(table: Table, spec: PropensitySpec): PropensityData {
  if (spec.covariates.length === 0) throw new DataError('--covariates is empty; expected at least one column', { field: '--covariates', expected: 'column names' });
  const cases = completeCases(table, [spec.treatment, ...spec.covariates]);
  if (cases.rows.length === 0) throw new DataError(`no complete rows for ${[spec.treatment, ...spec.covariates].join(', ')}`, { expected: 'at least one complete row' });
  const { treated, treatedLabel } = treatmentIndicator(getColumn(table, spec.treatment), cases.rows);
  let nTreated = 0;
  for (const t of treated) nTreated += t;
  if (nTreated === 0 || nTreated === treated.length) {
    throw new DataError(`treatment column '${spec.treatment}' has ${nTreated === 0 ? 'no treated' : 'no control'} rows among the ${treated.length} used; expected both groups`, {
      field: spec.treatment,
      expected: 'treated and control rows',
    });
  }
  const design = buildDesign(table, spec.covariates, cases.rows, { intercept: true, reference: spec.reference });
  assertNoConstantColumns(design);
  const { fit, score, linearLogit } = fitPropensity(treated, design.x);

  const balanceCovariates: BalanceCovariate[] = [];
  for (const covariate of spec.covariates) {
    const factor = design.factors.find((f) => f.covariate === covariate);
    const column = getColumn(table, covariate);
    if (factor && column.kind === 'categorical') {
      for (const level of factor.levels) {
        const code = column.levels.indexOf(level);
        balanceCovariates.push({ name: `${covariate}=${level}`, values: Float64Array.from(cases.rows, (i) => (column.codes[i] === code ? 1 : 0)), binary: true });
      }
    } else {
      const j = design.x.names.indexOf(covariate);
      const values = Float64Array.from({ length: design.x.nRows }, (_, i) => design.x.data[i * design.x.nCols + j]);
      balanceCovariates.push({ name: covariate, values, binary: design.terms[j].binary });
    }
  }
  return { cases, treated, treatedLabel, fit, score, linearLogit, balanceCovariates };
}
