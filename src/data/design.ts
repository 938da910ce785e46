// Design matrices from table columns: numeric and boolean covariates enter as they are; a categorical
// covariate becomes one indicator column per level other than its reference level. The default reference
// is the first level in sorted order, which is what R does with a character column (treatment contrasts).
import type { DesignMatrix } from '../stats/matrix.js';
import { DataError } from './data-error.js';
import { getColumn, type Table } from './table.js';

export interface DesignOptions {
  /** Add an intercept column named 'intercept' first (logistic regression); Cox models have none. */
  readonly intercept?: boolean;
  /** Reference level per categorical covariate (from `--ref COL=LEVEL`). */
  readonly reference?: ReadonlyMap<string, string>;
}

/** What one column of the design matrix stands for. */
export interface DesignTerm {
  /** Term name: the covariate for a numeric one, `covariate=level` for a factor level, 'intercept'. */
  readonly name: string;
  readonly covariate: string;
  /** The level this indicator stands for (factor terms only). */
  readonly level?: string;
  /** True when the column takes only the values 0 and 1 (balance tables use sqrt(p(1-p)) for these). */
  readonly binary: boolean;
}

export interface Design {
  readonly x: DesignMatrix;
  readonly terms: readonly DesignTerm[];
  /** For each categorical covariate, its levels in the rows used and the reference chosen. */
  readonly factors: ReadonlyArray<{ readonly covariate: string; readonly levels: readonly string[]; readonly reference: string }>;
}

/** Parses repeated `COL=LEVEL` arguments into a map, naming the argument at fault when one is malformed. */
export function parseReferenceLevels(args: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1) {
      throw new DataError(`--ref '${arg}' is malformed; expected COLUMN=LEVEL`, { field: '--ref', value: arg, expected: 'COLUMN=LEVEL' });
    }
    map.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  return map;
}

/** Builds the design matrix of `covariates` over the given rows (0-based; complete cases). */
export function buildDesign(table: Table, covariates: readonly string[], rows: Int32Array, options: DesignOptions = {}): Design {
  const reference = options.reference ?? new Map<string, string>();
  for (const [column] of reference) {
    if (!covariates.includes(column)) {
      throw new DataError(`--ref names column '${column}', which is not among the covariates (${covariates.join(', ')})`, {
        field: '--ref',
        value: column,
        expected: 'a categorical covariate',
      });
    }
  }
  const n = rows.length;
  const names: string[] = [];
  const terms: DesignTerm[] = [];
  const columns: Float64Array[] = [];
  const factors: Array<{ covariate: string; levels: string[]; reference: string }> = [];

  if (options.intercept) {
    names.push('intercept');
    terms.push({ name: 'intercept', covariate: 'intercept', binary: false });
    columns.push(new Float64Array(n).fill(1));
  }

  for (const covariate of covariates) {
    const column = getColumn(table, covariate);
    if (column.kind === 'categorical') {
      const present = new Uint8Array(column.levels.length);
      for (let k = 0; k < n; k++) present[column.codes[rows[k]]] = 1;
      const levels = column.levels.filter((_, code) => present[code] === 1);
      if (levels.length < 2) {
        throw new DataError(
          `covariate '${covariate}' has a single level ('${levels[0] ?? ''}') in the ${n} rows used; a factor needs at least two levels`,
          { field: covariate, value: levels[0], expected: 'at least two levels' },
        );
      }
      const ref = reference.get(covariate) ?? levels[0];
      if (!levels.includes(ref)) {
        throw new DataError(`--ref ${covariate}=${ref}: level '${ref}' does not occur in column '${covariate}'; its levels are ${levels.join(', ')}`, {
          field: covariate,
          value: ref,
          expected: `one of ${levels.join(', ')}`,
        });
      }
      factors.push({ covariate, levels, reference: ref });
      for (const level of levels) {
        if (level === ref) continue;
        const code = column.levels.indexOf(level);
        const values = new Float64Array(n);
        for (let k = 0; k < n; k++) values[k] = column.codes[rows[k]] === code ? 1 : 0;
        const name = `${covariate}=${level}`;
        names.push(name);
        terms.push({ name, covariate, level, binary: true });
        columns.push(values);
      }
      continue;
    }
    if (reference.has(covariate)) {
      throw new DataError(`--ref ${covariate}=${reference.get(covariate)}: column '${covariate}' is ${column.kind}, not categorical`, {
        field: covariate,
        expected: 'a categorical column for --ref',
      });
    }
    const values = new Float64Array(n);
    let binary = true;
    for (let k = 0; k < n; k++) {
      const v = column.values[rows[k]];
      values[k] = v;
      if (v !== 0 && v !== 1) binary = false;
    }
    names.push(covariate);
    terms.push({ name: covariate, covariate, binary });
    columns.push(values);
  }

  // Row-major assembly.
  const p = columns.length;
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    for (let i = 0; i < n; i++) data[i * p + j] = col[i];
  }
  return { x: { nRows: n, nCols: p, names, data }, terms, factors };
}

/** Throws when a design column is constant over the rows used: its coefficient cannot be estimated. */
export function assertNoConstantColumns(design: Design): void {
  const { x, terms } = design;
  for (let j = 0; j < x.nCols; j++) {
    if (terms[j].name === 'intercept') continue;
    const first = x.data[j];
    let constant = true;
    for (let i = 1; i < x.nRows && constant; i++) if (x.data[i * x.nCols + j] !== first) constant = false;
    if (constant && x.nRows > 0) {
      throw new DataError(`covariate '${terms[j].name}' is constant (every value is ${first}) in the ${x.nRows} rows used; its effect cannot be estimated`, {
        field: terms[j].covariate,
        value: first,
        expected: 'a covariate that varies',
      });
    }
  }
}
