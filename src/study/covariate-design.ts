// The propensity model's design for one covariate set over a study cohort, with the spec's missing-data rule,
// and the covariates a balance table reports. One place for the missing-indicator coding, so the model, the
// balance table and the report describe the same columns.
//
// Coding (as R's model.matrix with treatment contrasts): an intercept column first; a numeric or 0/1 flag
// covariate enters as it is; a categorical covariate becomes one 0/1 column per level other than its first
// level in the table's level order (the reference, as R takes the first level of a character column).
//
// Missing values, `missing`:
//   * 'indicator' (the missing-indicator method; see Groenwold RHH et al., CMAJ 2012;184:1265-9 for when it
//     is and is not unbiased): a missing categorical value becomes its own level "(missing)", placed last so
//     it is never the reference (as forcats::fct_na_value_to_level does); a missing numeric or flag value is set
//     to the cohort mean of the column and a 0/1 column "<name>_missing" follows it (only when a value is missing).
//   * 'complete-case': rows missing any covariate are dropped (R's na.omit on the model frame) and counted.
// Levels with no patient among the rows kept are dropped (R's droplevels). A covariate that is constant over the
// rows kept (one level, one value, or no value at all) cannot be estimated beside the intercept: it is left out
// with a warning rather than failing the study; its missing indicator, if it varies, stays.
//
// Balance covariates list every numeric covariate and every level of each factor, the reference included, as
// MatchIt's summary() does, plus the missing indicators: names `age_years`, `sex=female`, `lactate_t0_mmol_L_missing`.
import type { Table } from '../data/table.js';
import { getColumn } from '../data/table.js';
import { DataError } from '../data/data-error.js';
import type { BalanceCovariate } from '../stats/balance.js';
import type { DesignMatrix } from '../stats/matrix.js';
import type { Cohort } from './adjusted-sample.js';

/** The level a missing categorical value becomes under the indicator method. */
export const MISSING_LEVEL = '(missing)';

export interface CovariateDesign {
  /** Table rows kept (all cohort rows with 'indicator'; complete cases with 'complete-case'). */
  readonly rows: Int32Array;
  /** Index into the cohort arrays of each kept row. */
  readonly keptIndex: Int32Array;
  /** Intercept first, R factor coding (first level reference), numeric as is. */
  readonly x: DesignMatrix;
  /** Every numeric covariate and every level of each factor (as MatchIt lists them), missing indicators included. */
  readonly balanceCovariates: BalanceCovariate[];
  /** Rows dropped for missing covariates ('complete-case'). */
  readonly dropped: number;
}

/** One covariate's contribution: design columns (the intercept excluded) and balance covariates. */
interface CodedCovariate {
  readonly names: string[];
  /** Writes this covariate's design values of kept row k at data[base + offset ...]. */
  readonly write: (data: Float64Array, p: number, offset: number) => void;
  readonly balance: BalanceCovariate[];
}

function isAllZeroOne(values: Float64Array): boolean {
  for (let k = 0; k < values.length; k++) if (values[k] !== 0 && values[k] !== 1) return false;
  return true;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Builds the design of `covariates` over the cohort; see the file header for the coding and the missing-data rule. */
export function covariateDesign(
  table: Table,
  cohort: Cohort,
  covariates: readonly string[],
  missing: 'indicator' | 'complete-case',
): CovariateDesign & { warnings: string[] } {
  if (cohort.treated.length !== cohort.rows.length) {
    throw new DataError(`cohort has ${cohort.rows.length} rows but ${cohort.treated.length} treatment values`, { field: 'cohort', expected: 'one treatment value per row' });
  }
  if (covariates.length === 0) throw new DataError('the covariate set is empty; expected at least one column', { field: 'covariates', expected: 'column names' });
  const seen = new Set<string>();
  for (const name of covariates) {
    if (seen.has(name)) throw new DataError(`covariate '${name}' is listed twice`, { field: name, value: name, expected: 'each covariate once' });
    seen.add(name);
  }
  const columns = covariates.map((name) => getColumn(table, name));
  const warnings: string[] = [];

  // Rows kept.
  let keptIndex: Int32Array;
  if (missing === 'complete-case') {
    const keep = new Int32Array(cohort.rows.length);
    let kept = 0;
    for (let k = 0; k < cohort.rows.length; k++) {
      const i = cohort.rows[k];
      let complete = true;
      for (const column of columns) {
        if (column.kind === 'categorical' ? column.codes[i] < 0 : Number.isNaN(column.values[i])) {
          complete = false;
          break;
        }
      }
      if (complete) keep[kept++] = k;
    }
    keptIndex = keep.slice(0, kept);
  } else {
    keptIndex = new Int32Array(cohort.rows.length);
    for (let k = 0; k < keptIndex.length; k++) keptIndex[k] = k;
  }
  const n = keptIndex.length;
  const dropped = cohort.rows.length - n;
  if (n === 0) {
    throw new DataError(`no cohort row has a value for every covariate (${covariates.join(', ')}); ${dropped} rows dropped`, {
      field: 'covariates',
      expected: 'at least one complete row',
    });
  }
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[k] = cohort.rows[keptIndex[k]];

  const coded: CodedCovariate[] = [];
  // Missingness columns already in the design ("(missing)" levels, "_missing" indicators): two covariates missing
  // in exactly the same rows (labs drawn together) would give identical, collinear columns, which glm would alias
  // (NA coefficient) and our logistic fit refuses; the second one is left out of the model, not of the balance table.
  const missingColumns: Array<{ name: string; values: Float64Array }> = [];
  const sameAs = (values: Float64Array): string | null => {
    for (const m of missingColumns) {
      let equal = true;
      for (let k = 0; k < n && equal; k++) if (m.values[k] !== values[k]) equal = false;
      if (equal) return m.name;
    }
    return null;
  };
  for (const column of columns) {
    const name = column.name;
    if (column.kind === 'categorical') {
      if (column.levels.includes(MISSING_LEVEL)) {
        throw new DataError(`covariate '${name}' has a level literally called '${MISSING_LEVEL}', which the missing-indicator coding reserves`, {
          field: name,
          value: MISSING_LEVEL,
          expected: `levels other than '${MISSING_LEVEL}'`,
        });
      }
      const nLevels = column.levels.length;
      // counts[code] for code 0..nLevels-1, counts[nLevels] for missing.
      const counts = new Int32Array(nLevels + 1);
      for (let k = 0; k < n; k++) {
        const c = column.codes[rows[k]];
        counts[c < 0 ? nLevels : c]++;
      }
      // slot[code] = position among the levels kept (0 = reference), -1 = not kept.
      const slot = new Int32Array(nLevels + 1).fill(-1);
      const levels: string[] = [];
      for (let c = 0; c <= nLevels; c++) {
        if (counts[c] > 0) {
          slot[c] = levels.length;
          levels.push(c === nLevels ? MISSING_LEVEL : column.levels[c]);
        }
      }
      if (levels.length < 2) {
        warnings.push(`covariate '${name}' has a single level ('${levels[0]}') in the ${n} cohort rows used; left out of the propensity model`);
        continue;
      }
      const codeOf = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        const c = column.codes[rows[k]];
        codeOf[k] = slot[c < 0 ? nLevels : c];
      }
      const balance: BalanceCovariate[] = levels.map((level, s) => {
        const values = new Float64Array(n);
        for (let k = 0; k < n; k++) if (codeOf[k] === s) values[k] = 1;
        return { name: `${name}=${level}`, values, binary: true };
      });
      // Design columns for slots 1..last; the "(missing)" slot is left out when an earlier indicator marks the same
      // rows (the model is the same: that indicator then carries the "(missing)" effect).
      let last = levels.length - 1;
      if (levels[last] === MISSING_LEVEL) {
        const missingName = `${name}=${MISSING_LEVEL}`;
        const twin = sameAs(balance[last].values);
        if (twin) {
          warnings.push(`level '${missingName}' marks the same rows as '${twin}' (missing together); its column is left out of the propensity model`);
          last--;
        } else missingColumns.push({ name: missingName, values: balance[last].values });
      }
      coded.push({
        names: levels.slice(1, last + 1).map((level) => `${name}=${level}`),
        write: (data, p, offset) => {
          for (let k = 0; k < n; k++) {
            const s = codeOf[k];
            if (s > 0 && s <= last) data[k * p + offset + s - 1] = 1;
          }
        },
        balance,
      });
      continue;
    }

    // Numeric or boolean (a flag): mean of the values present, for filling.
    const source = column.values;
    let present = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < n; k++) {
      const v = source[rows[k]];
      if (Number.isNaN(v)) continue;
      present++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const nMissing = n - present;
    if (present === 0) {
      warnings.push(`covariate '${name}' has no value in the ${n} cohort rows used; left out of the propensity model`);
      continue;
    }
    const mean = sum / present;
    const values = new Float64Array(n);
    const indicator = nMissing > 0 ? new Float64Array(n) : null;
    for (let k = 0; k < n; k++) {
      const v = source[rows[k]];
      if (Number.isNaN(v)) {
        values[k] = mean;
        (indicator as Float64Array)[k] = 1;
      } else values[k] = v;
    }
    const constant = min === max;
    const names: string[] = [];
    const cols: Float64Array[] = [];
    const balance: BalanceCovariate[] = [];
    if (constant) {
      warnings.push(
        `covariate '${name}' is constant (every value present is ${formatValue(min)}) in the ${n} cohort rows used; left out of the propensity model` +
          (indicator ? ` (its missing indicator '${name}_missing' stays)` : ''),
      );
    } else {
      names.push(name);
      cols.push(values);
      balance.push({ name, values, binary: isAllZeroOne(values) });
    }
    if (indicator) {
      const twin = sameAs(indicator);
      if (twin) {
        warnings.push(`missing indicator '${name}_missing' is identical to '${twin}' (missing in the same rows); left out of the propensity model`);
      } else {
        names.push(`${name}_missing`);
        cols.push(indicator);
        missingColumns.push({ name: `${name}_missing`, values: indicator });
      }
      balance.push({ name: `${name}_missing`, values: indicator, binary: true });
    }
    coded.push({
      names,
      write: (data, p, offset) => {
        for (let j = 0; j < cols.length; j++) {
          const col = cols[j];
          for (let k = 0; k < n; k++) data[k * p + offset + j] = col[k];
        }
      },
      balance,
    });
  }

  const names = ['intercept', ...coded.flatMap((c) => c.names)];
  const p = names.length;
  const data = new Float64Array(n * p);
  for (let k = 0; k < n; k++) data[k * p] = 1;
  let offset = 1;
  for (const c of coded) {
    c.write(data, p, offset);
    offset += c.names.length;
  }
  return {
    rows,
    keptIndex,
    x: { nRows: n, nCols: p, names, data },
    balanceCovariates: coded.flatMap((c) => c.balance),
    dropped,
    warnings,
  };
}

/**
 * Columns kept in the propensity model: a 0/1 column whose 1s (or 0s) all fall in one treatment group perfectly
 * separates the groups, so its maximum-likelihood coefficient is infinite (R's glm warns "fitted probabilities
 * numerically 0 or 1"; src/stats/logistic.ts refuses). Such a level is left out (its patients join the reference
 * level in the model) with a warning naming the level and the counts; it stays in the balance table, so the report
 * shows the imbalance that remains. The intercept (column 0) always stays. `treated` is aligned with the design rows.
 */
export function withoutSeparatingColumns(x: DesignMatrix, treated: Uint8Array, warnings: string[]): DesignMatrix {
  const { data, nRows: n, nCols: p, names } = x;
  const keep = [0];
  for (let j = 1; j < p; j++) {
    const ones = [0, 0];
    const zeros = [0, 0];
    let binary = true;
    for (let k = 0; k < n && binary; k++) {
      const v = data[k * p + j];
      if (v === 1) ones[treated[k]]++;
      else if (v === 0) zeros[treated[k]]++;
      else binary = false;
    }
    if (!binary) {
      keep.push(j);
      continue;
    }
    const separates = (counts: number[]) => counts[0] + counts[1] > 0 && (counts[0] === 0 || counts[1] === 0);
    if (separates(ones) || separates(zeros)) {
      const [side, counts] = separates(ones) ? ['= 1', ones] : ['= 0', zeros];
      warnings.push(
        `'${names[j]}' ${side} occurs only in the ${counts[1] > 0 ? 'target' : 'comparator'} group (${counts[0] + counts[1]} patients): it separates the groups perfectly, so it is left out of the propensity model; check its balance and consider excluding these patients`,
      );
    } else keep.push(j);
  }
  if (keep.length === p) return x;
  const q = keep.length;
  const out = new Float64Array(n * q);
  for (let k = 0; k < n; k++) for (let c = 0; c < q; c++) out[k * q + c] = data[k * p + keep[c]];
  return { nRows: n, nCols: q, names: keep.map((j) => names[j]), data: out };
}
