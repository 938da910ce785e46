// Logistic regression by iteratively reweighted least squares, following R's glm.fit (R 4.x,
// src/library/stats/R/glm.fit.R) step for step so that coefficients, standard errors, deviances and AIC
// agree with `glm(family = binomial)`:
//   * start from mustart = (w*y + 0.5)/(w + 1) (binomial()$initialize), eta = logit(mustart);
//   * each iteration solves the weighted least-squares problem by Householder QR (R uses LINPACK dqrdc2
//     through C_Cdqrls) with working response z = eta + (y - mu)/mu.eta and weights w*mu.eta^2/var(mu);
//   * convergence when |dev - devold| / (|dev| + 0.1) < epsilon (glm.control: 1e-8, maxit 25);
//   * the inverse link and mu.eta are clamped exactly as R's C_logit_linkinv / C_logit_mu_eta
//     (|eta| > 30 gives DBL_EPSILON), so fitted values at the extremes are R's;
//   * standard errors come from the QR of the last iteration (summary.glm: chol2inv(qr$qr)), i.e. from
//     the weights computed before the final coefficient update, as in R.
// Where R only warns (rank deficiency, separation, non-convergence) we refuse with a StatsError that
// names the term, because a registry analysis must not silently report infinite or aliased effects.
import { twoSidedNormalP } from './distributions.js';
import { choleskyFactor, choleskySolve, type DesignMatrix } from './matrix.js';
import { StatsError } from './stats-error.js';

export interface LogisticInput {
  /** Outcome, 0 or 1 per row. */
  y: Float64Array;
  /** Design matrix; include an intercept column if wanted (detected as a column of ones). */
  x: DesignMatrix;
  /** Prior (case) weights, >= 0; rows with weight 0 are left out as in glm. */
  weights?: Float64Array;
  /** glm.control(maxit); default 25. */
  maxIterations?: number;
  /** glm.control(epsilon); default 1e-8. */
  tolerance?: number;
  /**
   * How each weighted least-squares step is solved: 'qr' (Householder, as R; the default below
   * NORMAL_EQUATIONS_FROM rows) or 'normal-equations' (Cholesky of X'WX; the default from that size on).
   */
  solver?: 'qr' | 'normal-equations';
}

/**
 * From this many rows the IRLS steps solve the normal equations X'WX b = X'Wz by Cholesky instead of a Householder
 * QR of the n x p weighted design. Both give the same iterates up to rounding (the test compares them); the
 * normal equations make one cache-friendly pass over the rows (n p^2 / 2 multiply-adds) where the QR makes p^2 / 2
 * passes over n-long columns, which at a million rows is 3-4 times slower. They square the design's condition
 * number, which matters only for near-collinear designs; those are judged deficient sooner (remaining norm of a
 * column below 1e-5 of its own, instead of R's 1e-11), so a near-duplicate column is reported as aliased.
 */
export const NORMAL_EQUATIONS_FROM = 20_000;

export interface LogisticFit {
  names: string[];
  coef: Float64Array;
  se: Float64Array;
  z: Float64Array;
  p: Float64Array;
  deviance: number;
  nullDeviance: number;
  aic: number;
  iterations: number;
  converged: boolean;
  /** Fitted probabilities for every row (rows with weight 0 too, as predict() would give). */
  fitted: Float64Array;
  /** Linear predictor x'b for every row. */
  linearPredictor: Float64Array;
  /** Rows used (positive weight). */
  n: number;
  /** Residual degrees of freedom, n - p. */
  dfResidual: number;
  /** Null degrees of freedom, n - 1 with an intercept, n without. */
  dfNull: number;
  /** Covariance matrix of the coefficients, p x p row-major. */
  covariance: Float64Array;
  /** Whether an intercept column (all ones) was found. */
  intercept: boolean;
}

const DBL_EPSILON = 2.220446049250313e-16;
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / DBL_EPSILON;

/** R's C_logit_linkinv: plogis with the tails clamped at DBL_EPSILON. */
function linkinv(eta: number): number {
  const t = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
  return t / (1 + t);
}

/** R's C_logit_mu_eta: d mu / d eta, DBL_EPSILON beyond |eta| > 30. */
function muEta(eta: number): number {
  if (eta > THRESH || eta < MTHRESH) return DBL_EPSILON;
  const e = Math.exp(eta);
  const opexp = 1 + e;
  return e / (opexp * opexp);
}

function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

/** binomial()$dev.resids summed over the used rows. */
function deviance(y: Float64Array, mu: Float64Array, w: Float64Array, rows: Int32Array): number {
  let dev = 0;
  for (const i of rows) dev += 2 * w[i] * (yLogY(y[i], mu[i]) + yLogY(1 - y[i], 1 - mu[i]));
  return dev;
}

/** log choose(n, k) for small non-negative integers (weights are case counts). */
function logChoose(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let s = 0;
  for (let i = 1; i <= m; i++) s += Math.log((n - m + i) / i);
  return s;
}

/** binomial()$aic without the 2*rank term: -2 * sum log dbinom(round(w*y), round(w), mu) over w > 0. */
function binomialAicPart(y: Float64Array, mu: Float64Array, w: Float64Array, rows: Int32Array): number {
  let s = 0;
  for (const i of rows) {
    const m = Math.round(w[i]);
    const k = Math.round(w[i] * y[i]);
    let ll = logChoose(m, k);
    if (k > 0) ll += k * Math.log(mu[i]);
    if (m - k > 0) ll += (m - k) * Math.log1p(-mu[i]);
    s += ll;
  }
  return -2 * s;
}

interface QrSolve {
  coef: Float64Array;
  /** Upper-triangular R, p x p row-major. */
  r: Float64Array;
}

/**
 * Weighted least squares by Householder QR without pivoting. Returns the index of the first column that is
 * linearly dependent on the columns before it, judged as dqrdc2 does (remaining norm below tol times the
 * column's original norm; R passes tol = min(1e-7, epsilon/1000) = 1e-11 from glm.fit).
 */
function wlsQr(x: DesignMatrix, rows: Int32Array, sqrtW: Float64Array, z: Float64Array, tol: number): QrSolve | { deficient: number } {
  const n = rows.length;
  const p = x.nCols;
  const a = new Float64Array(n * p); // column-major
  const b = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    const s = sqrtW[k];
    const base = i * p;
    for (let j = 0; j < p; j++) a[j * n + k] = s * x.data[base + j];
    b[k] = s * z[k];
  }
  const norm0 = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[j * n + k] * a[j * n + k];
    norm0[j] = Math.sqrt(s);
  }
  const r = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const col = j * n;
    let s = 0;
    for (let k = j; k < n; k++) s += a[col + k] * a[col + k];
    const norm = Math.sqrt(s);
    if (j >= n || !(norm >= tol * (norm0[j] > 0 ? norm0[j] : 1)) || norm === 0) return { deficient: j };
    const alpha = a[col + j] > 0 ? -norm : norm;
    // v = a[j:, j] - alpha e1, stored in place; H = I - 2 v v' / v'v.
    a[col + j] -= alpha;
    const vtv = s - 2 * alpha * (a[col + j] + alpha) + alpha * alpha;
    for (let jj = j + 1; jj < p; jj++) {
      const c2 = jj * n;
      let dot = 0;
      for (let k = j; k < n; k++) dot += a[col + k] * a[c2 + k];
      const f = (2 * dot) / vtv;
      for (let k = j; k < n; k++) a[c2 + k] -= f * a[col + k];
    }
    let dotb = 0;
    for (let k = j; k < n; k++) dotb += a[col + k] * b[k];
    const fb = (2 * dotb) / vtv;
    for (let k = j; k < n; k++) b[k] -= fb * a[col + k];
    r[j * p + j] = alpha;
    for (let jj = j + 1; jj < p; jj++) r[j * p + jj] = a[jj * n + j];
  }
  const coef = new Float64Array(p);
  for (let j = p - 1; j >= 0; j--) {
    let s = b[j];
    for (let jj = j + 1; jj < p; jj++) s -= r[j * p + jj] * coef[jj];
    coef[j] = s / r[j * p + j];
  }
  return { coef, r };
}

/**
 * The same weighted least-squares step through the normal equations: A = X'WX and b = X'Wz in one pass over the
 * rows (upper triangle), A = L L' by Cholesky, and R = L' so that the caller's chol2inv(R) is (X'WX)^-1 as with QR.
 */
function wlsNormalEquations(x: DesignMatrix, rows: Int32Array, sqrtW: Float64Array, z: Float64Array): QrSolve | { deficient: number } {
  const n = rows.length;
  const p = x.nCols;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  // Only the row's non-zero entries are visited: a propensity design is mostly 0/1 level indicators, so a row has
  // a handful of non-zeros and the pass costs (non-zeros)^2 / 2 rather than p^2 / 2.
  const value = new Float64Array(p);
  const index = new Int32Array(p);
  for (let k = 0; k < n; k++) {
    const base = rows[k] * p;
    const w = sqrtW[k] * sqrtW[k];
    if (w === 0) continue;
    let nz = 0;
    for (let j = 0; j < p; j++) {
      const v = x.data[base + j];
      if (v !== 0) {
        value[nz] = v;
        index[nz++] = j;
      }
    }
    const wz = w * z[k];
    for (let u = 0; u < nz; u++) {
      const j = index[u];
      const wxj = w * value[u];
      b[j] += value[u] * wz;
      const aj = j * p;
      for (let t = u; t < nz; t++) a[aj + index[t]] += wxj * value[t];
    }
  }
  for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) a[j * p + l] = a[l * p + j];
  // Deficient when a column's remaining squared norm after the earlier ones is below 1e-10 of its own.
  const l = choleskyFactor(a, p, { tolerance: 1e-10, pivotRule: 'own-diagonal' });
  if (typeof l === 'number') return { deficient: l };
  const coef = choleskySolve(l, p, b);
  const r = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) r[i * p + j] = l[j * p + i];
  return { coef, r };
}

/** (R'R)^{-1} from an upper-triangular R (chol2inv). */
function chol2inv(r: Float64Array, p: number): Float64Array {
  const rinv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    rinv[j * p + j] = 1 / r[j * p + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * p + k] * rinv[k * p + j];
      rinv[i * p + j] = -s / r[i * p + i];
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += rinv[i * p + k] * rinv[j * p + k];
      out[i * p + j] = s;
      out[j * p + i] = s;
    }
  }
  return out;
}

function isInterceptColumn(x: DesignMatrix, j: number, rows: Int32Array): boolean {
  for (const i of rows) if (x.data[i * x.nCols + j] !== 1) return false;
  return rows.length > 0;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Refuses designs that R would fit with an NA coefficient: zero, constant (beside an intercept) or collinear columns. */
function checkConstantColumns(x: DesignMatrix, rows: Int32Array, interceptIndex: number): void {
  const p = x.nCols;
  for (let j = 0; j < p; j++) {
    if (j === interceptIndex) continue;
    const first = x.data[rows[0] * p + j];
    let constant = true;
    for (const i of rows) {
      if (x.data[i * p + j] !== first) {
        constant = false;
        break;
      }
    }
    if (!constant) continue;
    if (first === 0) {
      throw new StatsError('singular', `column '${x.names[j]}' is zero in every row used; its coefficient cannot be estimated`, x.names[j]);
    }
    if (interceptIndex >= 0) {
      throw new StatsError(
        'singular',
        `column '${x.names[j]}' is constant (${formatNumber(first)} in every row used), so it is collinear with the intercept; drop it or check the data`,
        x.names[j],
      );
    }
  }
}

/**
 * Checks each covariate on its own for complete or quasi-complete separation: with an intercept, a covariate
 * whose values among y = 0 and y = 1 do not overlap (or touch at one value) makes the MLE infinite whatever
 * the other covariates are (the direction b_j = 1, b_0 = -threshold never decreases the likelihood).
 */
function checkUnivariateSeparation(x: DesignMatrix, y: Float64Array, rows: Int32Array, interceptIndex: number): void {
  if (interceptIndex < 0) return;
  const p = x.nCols;
  for (let j = 0; j < p; j++) {
    if (j === interceptIndex) continue;
    let min0 = Infinity;
    let max0 = -Infinity;
    let min1 = Infinity;
    let max1 = -Infinity;
    for (const i of rows) {
      const v = x.data[i * p + j];
      if (y[i] === 1) {
        if (v < min1) min1 = v;
        if (v > max1) max1 = v;
      } else {
        if (v < min0) min0 = v;
        if (v > max0) max0 = v;
      }
    }
    const name = x.names[j];
    let hiOutcome: 0 | 1;
    let t: number;
    if (max0 <= min1) {
      hiOutcome = 1;
      t = max0;
    } else if (max1 <= min0) {
      hiOutcome = 0;
      t = max1;
    } else {
      continue;
    }
    const complete = hiOutcome === 1 ? max0 < min1 : max1 < min0;
    let above = 0;
    let below = 0;
    let at = 0;
    for (const i of rows) {
      const v = x.data[i * p + j];
      if (v > t) above++;
      else if (v < t) below++;
      else at++;
    }
    const tt = formatNumber(t);
    const parts = [`all ${above} rows with ${name} > ${tt} have y = ${hiOutcome}`];
    if (complete) parts.push(`all ${below + at} rows with ${name} <= ${tt} have y = ${1 - hiOutcome}`);
    else {
      if (below > 0) parts.push(`all ${below} rows with ${name} < ${tt} have y = ${1 - hiOutcome}`);
      parts.push(`only the ${at} rows with ${name} = ${tt} have both outcomes`);
    }
    const message = `covariate '${name}' ${complete ? 'completely' : 'quasi-completely'} separates the outcome: ${parts.join(', ')}; the maximum-likelihood estimate does not exist (R's glm would report an infinite-looking coefficient)`;
    throw new StatsError('separation', message, name);
  }
}

interface IrlsState {
  coef: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  dev: number;
  r: Float64Array | null;
}

/** One glm.fit iteration from the current eta/mu: returns new coefficients, eta, mu, deviance. */
function irlsStep(x: DesignMatrix, y: Float64Array, w: Float64Array, rows: Int32Array, state: IrlsState, coefold: Float64Array | null, maxHalvings: number, solver: 'qr' | 'normal-equations'): IrlsState {
  const n = rows.length;
  const p = x.nCols;
  const sqrtW = new Float64Array(n);
  const z = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    const me = muEta(state.eta[i]);
    const v = state.mu[i] * (1 - state.mu[i]);
    z[k] = state.eta[i] + (y[i] - state.mu[i]) / me;
    sqrtW[k] = Math.sqrt((w[i] * me * me) / v);
  }
  const solved = solver === 'qr' ? wlsQr(x, rows, sqrtW, z, 1e-11) : wlsNormalEquations(x, rows, sqrtW, z);
  if ('deficient' in solved) {
    const name = x.names[solved.deficient];
    throw new StatsError('singular', `column '${name}' is linearly dependent on the columns before it (the design is rank-deficient); drop it or check the data`, name);
  }
  let coef = solved.coef;
  const eta = new Float64Array(state.eta.length);
  const mu = new Float64Array(state.mu.length);
  const update = (): number => {
    for (let i = 0; i < x.nRows; i++) {
      let s = 0;
      const base = i * p;
      for (let j = 0; j < p; j++) s += x.data[base + j] * coef[j];
      eta[i] = s;
      mu[i] = linkinv(s);
    }
    return deviance(y, mu, w, rows);
  };
  let dev = update();
  // glm.fit halves the step while the deviance is not finite (the logit link never gives invalid mu).
  let halvings = 0;
  while (!Number.isFinite(dev)) {
    if (coefold === null || halvings >= maxHalvings) {
      throw new StatsError('no-convergence', 'logistic regression: no valid set of coefficients found (non-finite deviance); check the data for extreme values');
    }
    const c = new Float64Array(p);
    for (let j = 0; j < p; j++) c[j] = (coef[j] + coefold[j]) / 2;
    coef = c;
    dev = update();
    halvings++;
  }
  return { coef, eta, mu, dev, r: solved.r };
}

/** Fits a logistic regression as glm(family = binomial) does; see the file header. */
export function fitLogistic(input: LogisticInput): LogisticFit {
  const { y, x } = input;
  const nAll = x.nRows;
  const p = x.nCols;
  const maxit = input.maxIterations ?? 25;
  const epsilon = input.tolerance ?? 1e-8;
  if (y.length !== nAll) throw new StatsError('invalid-input', `logistic regression: outcome has ${y.length} values but the design has ${nAll} rows`);
  if (p === 0) throw new StatsError('invalid-input', 'logistic regression: the design has no columns');
  const w = input.weights ?? new Float64Array(nAll).fill(1);
  if (w.length !== nAll) throw new StatsError('invalid-input', `logistic regression: ${w.length} weights for ${nAll} rows`);
  const used: number[] = [];
  for (let i = 0; i < nAll; i++) {
    if (!(Number.isFinite(w[i]) && w[i] >= 0)) throw new StatsError('invalid-input', `logistic regression: weight ${w[i]} in row ${i + 1} is not a finite non-negative number`, 'weights');
    if (!(y[i] === 0 || y[i] === 1)) throw new StatsError('invalid-input', `logistic regression: outcome ${y[i]} in row ${i + 1} is not 0 or 1`, 'outcome');
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(x.data[i * p + j])) {
        throw new StatsError('invalid-input', `logistic regression: column '${x.names[j]}' has a non-finite value in row ${i + 1}`, x.names[j]);
      }
    }
    if (w[i] > 0) used.push(i);
  }
  const rows = Int32Array.from(used);
  const n = rows.length;
  if (n === 0) throw new StatsError('invalid-input', 'logistic regression: no rows with positive weight');
  let events = 0;
  for (const i of rows) events += y[i];
  if (events === 0 || events === n) {
    throw new StatsError('invalid-input', `logistic regression: the outcome is ${events === 0 ? 0 : 1} in every row, so there is nothing to model`, 'outcome');
  }
  let interceptIndex = -1;
  for (let j = 0; j < p && interceptIndex < 0; j++) if (isInterceptColumn(x, j, rows)) interceptIndex = j;
  checkConstantColumns(x, rows, interceptIndex);
  checkUnivariateSeparation(x, y, rows, interceptIndex);
  const solver = input.solver ?? (n >= NORMAL_EQUATIONS_FROM ? 'normal-equations' : 'qr');

  // binomial()$initialize: mustart = (weights * y + 0.5)/(weights + 1); eta = linkfun(mustart).
  const eta0 = new Float64Array(nAll);
  const mu0 = new Float64Array(nAll);
  for (let i = 0; i < nAll; i++) {
    const m = (w[i] * y[i] + 0.5) / (w[i] + 1);
    eta0[i] = Math.log(m / (1 - m));
    mu0[i] = linkinv(eta0[i]);
  }
  let state: IrlsState = { coef: new Float64Array(p), eta: eta0, mu: mu0, dev: deviance(y, mu0, w, rows), r: null };
  let devold = state.dev;
  let coefold: Float64Array | null = null;
  let converged = false;
  let iterations = 0;
  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    state = irlsStep(x, y, w, rows, state, coefold, maxit, solver);
    if (Math.abs(state.dev - devold) / (Math.abs(state.dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = state.dev;
    coefold = state.coef;
  }

  checkDivergence(x, y, w, rows, state, converged, interceptIndex, maxit, solver);
  if (!converged) {
    throw new StatsError('no-convergence', `logistic regression did not converge in ${maxit} iterations (deviance ${state.dev.toPrecision(8)}); check the data for extreme values or near-collinear covariates`);
  }

  const r = state.r as Float64Array;
  const covariance = chol2inv(r, p);
  const se = new Float64Array(p);
  const z = new Float64Array(p);
  const pv = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    se[j] = Math.sqrt(covariance[j * p + j]);
    z[j] = state.coef[j] / se[j];
    pv[j] = twoSidedNormalP(z[j]);
  }
  let sw = 0;
  let swy = 0;
  for (const i of rows) {
    sw += w[i];
    swy += w[i] * y[i];
  }
  const wtdmu = interceptIndex >= 0 ? swy / sw : linkinv(0);
  const muNull = new Float64Array(nAll).fill(wtdmu);
  const nullDeviance = deviance(y, muNull, w, rows);
  const aic = binomialAicPart(y, state.mu, w, rows) + 2 * p;
  return {
    names: [...x.names],
    coef: state.coef,
    se,
    z,
    p: pv,
    deviance: state.dev,
    nullDeviance,
    aic,
    iterations,
    converged,
    fitted: state.mu,
    linearPredictor: state.eta,
    n,
    dfResidual: n - p,
    dfNull: n - (interceptIndex >= 0 ? 1 : 0),
    covariance,
    intercept: interceptIndex >= 0,
  };
}

/**
 * Separation that no single covariate shows (a combination separates): glm converges regardless, because the
 * deviance change shrinks as the separated rows' fitted values approach 0 or 1, leaving |eta| > ~15 for those
 * rows. So when some |eta| exceeds 10, or the fit did not converge, we take further Newton steps. At a finite
 * MLE Newton converges quadratically and the linear predictor stops moving; under separation each step moves
 * the separated rows' eta by about 1 (the step for log(1 + exp(-s)) at large s is 1), for ever. A last step
 * that still moves eta by more than 0.1 is therefore diverging, and the coefficients that move are the
 * covariates involved (the direction of recession).
 */
function checkDivergence(x: DesignMatrix, y: Float64Array, w: Float64Array, rows: Int32Array, state: IrlsState, converged: boolean, interceptIndex: number, maxit: number, solver: 'qr' | 'normal-equations'): void {
  let maxAbsEta = 0;
  for (const i of rows) maxAbsEta = Math.max(maxAbsEta, Math.abs(state.eta[i]));
  if (converged && maxAbsEta <= 10) return;
  const p = x.nCols;
  const extra = 6;
  let cur = state;
  let prevCoef = state.coef;
  let lastDelta = new Float64Array(p);
  let lastEtaMove = 0;
  for (let k = 0; k < extra; k++) {
    const next = irlsStep(x, y, w, rows, cur, prevCoef, maxit, solver);
    lastEtaMove = 0;
    for (const i of rows) lastEtaMove = Math.max(lastEtaMove, Math.abs(next.eta[i] - cur.eta[i]));
    lastDelta = new Float64Array(p);
    for (let j = 0; j < p; j++) lastDelta[j] = next.coef[j] - cur.coef[j];
    prevCoef = cur.coef;
    cur = next;
  }
  if (lastEtaMove <= 0.1) return;
  // Rows the diverging direction predicts perfectly: those whose fitted value is within 1e-8 of 0 or 1.
  let perfect = 0;
  for (const i of rows) {
    if ((y[i] === 1 && cur.mu[i] > 1 - 1e-8) || (y[i] === 0 && cur.mu[i] < 1e-8)) perfect++;
  }
  if (perfect === 0) return;
  const contribution = new Float64Array(p);
  let maxContribution = 0;
  for (let j = 0; j < p; j++) {
    let maxAbsX = 0;
    for (const i of rows) maxAbsX = Math.max(maxAbsX, Math.abs(x.data[i * p + j]));
    contribution[j] = Math.abs(lastDelta[j]) * maxAbsX;
    if (j !== interceptIndex) maxContribution = Math.max(maxContribution, contribution[j]);
  }
  const involved: string[] = [];
  for (let j = 0; j < p; j++) {
    if (j !== interceptIndex && contribution[j] > 0.01 * maxContribution) involved.push(x.names[j]);
  }
  const named = involved.length > 0 ? involved : [x.names[interceptIndex >= 0 ? interceptIndex : 0]];
  throw new StatsError(
    'separation',
    `the outcome is separated by a combination of ${named.map((s) => `'${s}'`).join(', ')}: ${perfect} of ${rows.length} rows get fitted probabilities numerically 0 or 1 and the coefficients diverge; the maximum-likelihood estimate does not exist`,
    named.join(', '),
  );
}
