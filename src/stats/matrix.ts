// Dense matrices for model fitting. A design matrix is row-major (row i, column j at data[i * nCols + j])
// because every fitter here walks it one subject at a time.

/** A numeric design matrix with named columns; no missing values (complete cases only). */
export interface DesignMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly names: readonly string[];
  /** Row-major values, length nRows * nCols. */
  readonly data: Float64Array;
}

/** Builds a design matrix from named columns of equal length. */
export function designFromColumns(names: readonly string[], columns: readonly ArrayLike<number>[]): DesignMatrix {
  if (names.length !== columns.length) throw new Error(`designFromColumns: ${names.length} names for ${columns.length} columns`);
  const nCols = columns.length;
  const nRows = nCols === 0 ? 0 : columns[0].length;
  const data = new Float64Array(nRows * nCols);
  for (let j = 0; j < nCols; j++) {
    const col = columns[j];
    if (col.length !== nRows) throw new Error(`designFromColumns: column ${names[j]} has ${col.length} rows, expected ${nRows}`);
    for (let i = 0; i < nRows; i++) data[i * nCols + j] = col[i];
  }
  return { nRows, nCols, names: [...names], data };
}

/** Column j of a design matrix as a new array. */
export function designColumn(x: DesignMatrix, j: number): Float64Array {
  const out = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) out[i] = x.data[i * x.nCols + j];
  return out;
}

/** Keeps the given rows (0-based, in the given order). */
export function selectRows(x: DesignMatrix, rows: ArrayLike<number>): DesignMatrix {
  const p = x.nCols;
  const data = new Float64Array(rows.length * p);
  for (let k = 0; k < rows.length; k++) {
    const src = rows[k] * p;
    for (let j = 0; j < p; j++) data[k * p + j] = x.data[src + j];
  }
  return { nRows: rows.length, nCols: p, names: x.names, data };
}

/**
 * How a Cholesky pivot is judged zero (the matrix singular or near-singular), relative to `tolerance`:
 *  - 'strict' (default): zero unless pivot > tolerance * max |a_ii|.
 *  - 'cholesky2': survival's cholesky2.c rule, the one R's coxph applies with toler.chol: zero when
 *    pivot < tolerance * max(a_ii) (or < tolerance when no diagonal is positive), or when it is not finite.
 * For a positive-semidefinite matrix the two differ only for a pivot exactly at the threshold or infinite.
 */
/**
 * When a pivot counts as zero: 'strict' below tolerance x the largest diagonal; 'cholesky2' as survival's cholesky2
 * (not above tolerance x the largest diagonal, non-finite too); 'own-diagonal' below tolerance x the column's own
 * diagonal, i.e. the column's remaining squared norm after the earlier columns is a tiny share of its squared norm
 * (the normal-equations analogue of dqrdc2's rank test).
 */
export type CholeskyPivotRule = 'strict' | 'cholesky2' | 'own-diagonal';

export interface CholeskyOptions {
  /** Pivot tolerance relative to the largest diagonal (R's toler.chol). Default 1e-9. */
  tolerance?: number;
  /** Default 'strict'. */
  pivotRule?: CholeskyPivotRule;
}

/**
 * Cholesky factorisation of a symmetric p x p matrix (row-major, lower triangle read). Returns the lower
 * factor L (row-major), or the 0-based index of the first pivot judged zero (see CholeskyPivotRule), so a
 * caller can name the term that makes the matrix singular.
 */
export function choleskyFactor(a: Float64Array, p: number, options: CholeskyOptions = {}): Float64Array | number {
  const tolerance = options.tolerance ?? 1e-9;
  const cholesky2 = options.pivotRule === 'cholesky2';
  let maxDiag = 0;
  if (cholesky2) {
    for (let i = 0; i < p; i++) if (a[i * p + i] > maxDiag) maxDiag = a[i * p + i];
  } else {
    for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
  }
  const threshold = cholesky2 ? (maxDiag > 0 ? tolerance * maxDiag : tolerance) : tolerance * Math.max(maxDiag, 1e-300);
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
    if (options.pivotRule === 'own-diagonal' ? !(d > tolerance * a[j * p + j]) || !Number.isFinite(d) : cholesky2 ? !(d >= threshold) || !Number.isFinite(d) : !(d > threshold)) return j;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Cholesky factorisation of a symmetric positive-definite p x p matrix (row-major, lower triangle read).
 * Returns the lower factor L (row-major) or null when a pivot is not positive relative to `tolerance`,
 * which signals a singular or near-singular matrix (the same role as R's `toler.chol`).
 */
export function cholesky(a: Float64Array, p: number, tolerance = 1e-9): Float64Array | null {
  const l = choleskyFactor(a, p, { tolerance });
  return typeof l === 'number' ? null : l;
}

/** Solves L L^T x = b for x given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * y[k];
    y[i] = s / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}

/** Inverse of a symmetric positive-definite matrix from its Cholesky factor (row-major, full, exactly symmetric as R's chinv2 returns). */
export function choleskyInverse(l: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i];
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) inv[i * p + j] = inv[j * p + i] = (inv[i * p + j] + inv[j * p + i]) / 2;
  return inv;
}

/** y = A x for a p x p row-major matrix. */
export function multiplyMatrixVector(a: Float64Array, p: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += a[i * p + j] * x[j];
    y[i] = s;
  }
  return y;
}
