// Cox proportional hazards regression for right-censored data, agreeing with R's survival::coxph
// (survival 3.5-3, C routine coxfit6.c; robust variance as residuals.coxph(type = "dfbeta") with
// coxscore2.c; concordance as concordancefit, see concordance.ts).
//
// What is matched, and how:
//  - Ties: Efron (R's default) or Breslow. With case weights, Efron's tied deaths each carry the mean
//    death weight (coxfit6.c `wtave`), so a row of weight 2 is one death, not two tied deaths: integer
//    weights equal duplicated rows exactly under Breslow, and under Efron only when no event time is tied.
//  - Times closer than sqrt(machine eps) (absolutely, or relative to the mean distinct time) are made
//    equal first, as coxph does through aeqSurv (timefix = TRUE); see concordance.ts mergeNearTiedTimes.
//  - Newton-Raphson from beta = 0, iterating as coxfit6.c does: stop when |1 - loglik_best / loglik_new|
//    <= tolerance (coxph.control eps = 1e-9); when the log-likelihood falls (or is not finite) the step is
//    pulled back towards the last good beta, (new + h * old) / (h + 1) on the h-th successive failure.
//    The reported coefficients, variance and final log-likelihood are those of the last evaluated beta.
//  - Covariates are centred on their weighted means and scaled by 1 / (weighted mean absolute deviation)
//    before fitting, as coxfit6.c does (doscale), so exp() stays in range and the Cholesky pivot
//    tolerance (toler.chol = eps^0.75, relative to the largest diagonal) means the same for every unit.
//    Newton-Raphson is invariant under this affine change, so the iterates are R's.
//  - Strata: separate risk sets, shared coefficients. Case weights multiply each subject's terms; rows of
//    weight 0 are dropped before anything else and count in neither n nor events (R 3.5-3 rejects zero
//    weights in coxph.fit; dropping is what "contributes nothing" means).
//  - Cluster: robust (sandwich) variance D'D, D = per-cluster sums of weighted dfbeta residuals
//    w_i * U_i * V, where U_i are the score residuals and V the model variance (coxph: fit$var becomes
//    crossprod(dfbeta collapsed by cluster), no small-sample factor). fit$naive.var stays the model one.
//
// Where this deliberately differs from R: R returns NA coefficients for a singular information matrix and
// warns about non-convergence or "Loglik converged before variable k; beta may be infinite"; here those are
// StatsErrors ('singular', 'no-convergence') naming the term, because a registry report must not print a
// hazard ratio that R itself flags as meaningless.
//
// Performance: rows are sorted once (stratum, time, events first) with an O(n) radix sort, the design is
// copied once into that order, and each Newton iteration makes two passes over it with no allocation
// (see accumulateRiskSets). 1,000,000 rows x 15 terms: about 1.7 s with whole-day times, 2.7 s with
// continuous times (every row its own risk-set step), single-threaded; R's coxph takes 7.8 s.
import { choleskyFactor, choleskyInverse, choleskySolve, type CholeskyOptions, type DesignMatrix } from './matrix.js';
import { twoSidedNormalP, Z_975 } from './distributions.js';
import { StatsError } from './stats-error.js';
import { concordanceOfSorted, orderSurvivalData } from './concordance.js';

export type CoxTies = 'efron' | 'breslow';

export interface CoxInput {
  /** Follow-up time, finite and >= 0. */
  time: Float64Array;
  /** 1 = event, 0 = censored. */
  event: Uint8Array;
  /** Covariates, no intercept column. */
  x: DesignMatrix;
  /** Stratum code per row: separate baseline hazards (R's strata()). */
  strata?: Int32Array;
  /** Case weights >= 0; rows of weight 0 are dropped. */
  weights?: Float64Array;
  /** Cluster code per row: robust sandwich variance (R's cluster = ). */
  cluster?: Int32Array;
  /** Default 'efron' (R's default). */
  ties?: CoxTies;
  /** Default 20 (coxph.control iter.max). 0 evaluates the model at beta = 0 without iterating. */
  maxIterations?: number;
  /** Default 1e-9 (coxph.control eps): relative change in the log partial likelihood. */
  tolerance?: number;
}

export interface CoxFit {
  names: string[];
  /** Rows used (weight > 0). */
  n: number;
  /** Events among the rows used (a count, not weighted; R's nevent). */
  events: number;
  coef: Float64Array;
  /** Model-based standard errors, sqrt(diag(naiveVariance)). */
  naiveSe: Float64Array;
  /** Cluster-robust standard errors when a cluster was given, else null. */
  robustSe: Float64Array | null;
  /** p x p row-major; the robust one when cluster is given (as R's fit$var). */
  variance: Float64Array;
  /** p x p row-major inverse information (R's fit$naive.var, or fit$var without cluster). */
  naiveVariance: Float64Array;
  /** Log partial likelihood at beta = 0 and at the estimate (R's fit$loglik). */
  loglik: [number, number];
  /** Score (log-rank) test statistic at beta = 0, u' I^-1 u (R's fit$score), p degrees of freedom. */
  scoreTest: number;
  /** Harrell's C of the linear predictor, within strata, case-weighted (R's fit$concordance["concordance"]). */
  concordance: number;
  /** Weighted column means the linear predictor is centred on (R's fit$means centres every column). */
  means: Float64Array;
  /** (x_i - means) . coef for every input row, in input order (zero-weight rows included). */
  linearPredictors: Float64Array;
  iterations: number;
  converged: boolean;
  ties: CoxTies;
}

export interface CoxTerm {
  term: string;
  coef: number;
  /** Model-based standard error. */
  se: number;
  robustSe: number | null;
  hr: number;
  hrLower: number;
  hrUpper: number;
  z: number;
  p: number;
}

/**
 * coxph.control toler.chol under survival's cholesky2 rule: a Cholesky pivot below eps^0.75 times the
 * largest diagonal (or not finite) counts as zero, and its index names the singular term.
 */
const CHOLESKY_OPTIONS: CholeskyOptions = { tolerance: Math.pow(Number.EPSILON, 0.75), pivotRule: 'cholesky2' };

/** Event-time mean vectors held back for one blocked rank-1 sweep (accumulateGram). */
const MEAN_BUFFER_ROWS = 1024;

/** Everything about the data that does not change between iterations, in sorted order. */
interface CoxData {
  n: number;
  p: number;
  /** Input row of each sorted position. */
  rows: Uint32Array;
  /** Centred and scaled covariates, row-major, sorted. */
  x: Float64Array;
  weight: Float64Array;
  event: Uint8Array;
  time: Float64Array;
  /** Sorted positions where each tied-time group starts (length nGroups + 1, last = n). */
  groupStart: Int32Array;
  nGroups: number;
  /** Number of events in each group. */
  groupDeaths: Int32Array;
  /** Sum of the events' weights in each group. */
  groupDeathWeight: Float64Array;
  /** 1 when the group is the first (earliest) of its stratum. */
  groupFirstInStratum: Uint8Array;
  /** 1 when the group is the last (latest) of its stratum. */
  groupLastInStratum: Uint8Array;
  /** 1 on the first sorted row of each stratum. */
  rowStratumStart: Uint8Array;
  means: Float64Array;
  /** sum over events of w_i x_i (scaled space): the part of the score that does not depend on beta. */
  eventWeightedSum: Float64Array;
  /** x_scaled = (x - mean) * scale; beta = beta_scaled * scale. */
  scales: Float64Array;
}

/** Scratch space for one evaluation, allocated once per fit. */
interface Workspace {
  /** Linear predictor per sorted row (scaled space; equal to (x - means) . coef). */
  eta: Float64Array;
  /** w_i exp(eta_i). */
  risk: Float64Array;
  /** c_i r_i of accumulateRiskSets' pass 2. */
  rowFactor: Float64Array;
  /** Per tied-time group: sum of wbar / S0_k over its steps, and the same with weight k/d. */
  groupH1: Float64Array;
  groupH2: Float64Array;
  u: Float64Array;
  /** Information, full p x p row-major, and its packed lower triangle while accumulating. */
  info: Float64Array;
  packed: Float64Array;
  a: Float64Array;
  a2: Float64Array;
  /** Event-time means waiting for the blocked rank-1 sweep, and their (negative) weights. */
  meanBuffer: Float64Array;
  meanWeight: Float64Array;
}

/**
 * Fits a Cox proportional hazards model (see the file comment for R's semantics that are reproduced).
 * Throws StatsError 'invalid-input', 'no-events', 'singular' or 'no-convergence'.
 */
export function fitCox(input: CoxInput): CoxFit {
  const ties: CoxTies = input.ties ?? 'efron';
  if (ties !== 'efron' && ties !== 'breslow') throw new StatsError('invalid-input', `Unknown ties method '${String(ties)}'; use 'efron' or 'breslow'.`, 'ties');
  const maxIterations = input.maxIterations ?? 20;
  const tolerance = input.tolerance ?? 1e-9;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new StatsError('invalid-input', `maxIterations must be a whole number >= 0, got ${maxIterations}.`, 'maxIterations');
  if (!(tolerance > 0)) throw new StatsError('invalid-input', `tolerance must be > 0, got ${tolerance}.`, 'tolerance');
  const efron = ties === 'efron';

  const data = prepare(input);
  const { p } = data;
  const work: Workspace = {
    eta: new Float64Array(data.n),
    risk: new Float64Array(data.n),
    groupH1: new Float64Array(data.nGroups),
    groupH2: new Float64Array(data.nGroups),
    rowFactor: new Float64Array(data.n),
    u: new Float64Array(p),
    info: new Float64Array(p * p),
    packed: new Float64Array((p * (p + 1)) / 2),
    a: new Float64Array(p),
    a2: new Float64Array(p),
    meanBuffer: new Float64Array(MEAN_BUFFER_ROWS * p),
    meanWeight: new Float64Array(MEAN_BUFFER_ROWS),
  };
  const names = [...input.x.names];

  // Iteration 0 at beta = 0 (coxfit6.c): loglik[0], the score test, and the first Newton step.
  let beta = new Float64Array(p);
  const loglik0 = accumulateRiskSets(data, beta, efron, work);
  const factor0 = choleskyFactor(work.info, p, CHOLESKY_OPTIONS);
  if (typeof factor0 === 'number') throw singularError(work.info, p, factor0, names);
  const step0 = choleskySolve(factor0, p, work.u);
  let scoreTest = 0;
  for (let j = 0; j < p; j++) scoreTest += work.u[j] * step0[j];

  let loglikBest = loglik0;
  let loglikNew = loglik0;
  let factor = factor0;
  let iterations = 0;
  let converged = false;

  if (maxIterations > 0) {
    let newBeta = new Float64Array(p);
    for (let j = 0; j < p; j++) newBeta[j] = beta[j] + step0[j];
    let halving = 0;
    let lastGood = Float64Array.from(beta);
    // R warns "Loglik converged before variable k; beta may be infinite" when, at loglik convergence, the
    // next Newton step is still large: |step_k| > eps and > sqrt(eps) |beta_k| (coxph.fit, toler.inf).
    // That is the signature of a monotone likelihood. Here such a term gets further Newton steps (within
    // maxIterations): a coefficient near zero settles after one more quadratic step, a diverging one keeps
    // moving by about 1 per step and ends in a 'no-convergence' error naming it.
    const tolerInf = Math.sqrt(tolerance);
    let flagged = -1;
    for (iterations = 1; iterations <= maxIterations; iterations++) {
      loglikNew = accumulateRiskSets(data, newBeta, efron, work);
      const f = choleskyFactor(work.info, p, CHOLESKY_OPTIONS);
      const finite = Number.isFinite(loglikNew) && allFinite(work.u) && allFinite(work.info);
      if (finite && (loglikNew === loglikBest || Math.abs(1 - loglikBest / loglikNew) <= tolerance)) {
        if (typeof f === 'number') throw divergingError(names[f], iterations);
        const step = choleskySolve(f, p, work.u);
        flagged = -1;
        for (let j = 0; j < p && flagged < 0; j++) {
          const s = Math.abs(step[j] * data.scales[j]);
          const b = Math.abs(newBeta[j] * data.scales[j]);
          if (!Number.isFinite(s) || (s > tolerance && s > tolerInf * b)) flagged = j;
        }
        if (flagged < 0) {
          beta = newBeta;
          factor = f;
          converged = true;
          break;
        }
        if (iterations === maxIterations) throw divergingError(names[flagged], iterations);
        loglikBest = loglikNew;
        beta = newBeta;
        lastGood = Float64Array.from(beta);
        newBeta = new Float64Array(p);
        for (let j = 0; j < p; j++) newBeta[j] = beta[j] + step[j];
        continue;
      }
      if (iterations === maxIterations) break;
      if (!finite || loglikNew < loglikBest) {
        // Not improving: pull the step back towards the last good beta, harder each time (coxfit6.c).
        halving++;
        for (let j = 0; j < p; j++) newBeta[j] = (newBeta[j] + halving * beta[j]) / (halving + 1);
      } else {
        if (typeof f === 'number') throw divergingError(names[f], iterations);
        halving = 0;
        loglikBest = loglikNew;
        const s = choleskySolve(f, p, work.u);
        beta = newBeta;
        lastGood = Float64Array.from(beta);
        newBeta = new Float64Array(p);
        for (let j = 0; j < p; j++) newBeta[j] = beta[j] + s[j];
      }
    }
    if (!converged) {
      // Name the term that was still moving most, relative to its size.
      const moving = Array.from(newBeta, (b, j) => Math.abs(b - lastGood[j]) / (1 + Math.abs(lastGood[j])));
      const worst = flagged >= 0 ? flagged : moving.indexOf(Math.max(...moving));
      throw new StatsError(
        'no-convergence',
        `The Cox model did not converge within ${maxIterations} iteration${maxIterations === 1 ? '' : 's'}: the coefficient of '${names[worst]}' was still changing (raise maxIterations, or look for a group with no events).`,
        names[worst],
      );
    }
  }

  // Model variance: inverse information at the final beta, returned to the original scale.
  const scaledVariance = choleskyInverse(factor, p);
  const naiveVariance = unscaleMatrix(scaledVariance, data.scales, p);
  const coef = new Float64Array(p);
  for (let j = 0; j < p; j++) coef[j] = beta[j] * data.scales[j];

  let variance = naiveVariance;
  let robustSe: Float64Array | null = null;
  if (input.cluster) {
    const scaledRobust = robustVariance(data, input.cluster, efron, work, scaledVariance);
    variance = unscaleMatrix(scaledRobust, data.scales, p);
    robustSe = diagonalSqrt(variance, p);
  }

  const concordance = concordanceOfSorted(data.time, data.event, work.eta, data.weight, data.rowStratumStart).concordance;

  const linearPredictors = new Float64Array(input.x.nRows);
  for (let i = 0; i < input.x.nRows; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += (input.x.data[i * p + j] - data.means[j]) * coef[j];
    linearPredictors[i] = s;
  }

  let events = 0;
  for (let i = 0; i < data.n; i++) events += data.event[i];
  return {
    names,
    n: data.n,
    events,
    coef,
    naiveSe: diagonalSqrt(naiveVariance, p),
    robustSe,
    variance,
    naiveVariance,
    loglik: [loglik0, loglikNew],
    scoreTest,
    concordance,
    means: data.means,
    linearPredictors,
    iterations,
    converged,
    ties,
  };
}

/**
 * One row per coefficient, as R's summary(coxph) prints it: se is the model-based SE; with a cluster the
 * z statistic, p-value and 95% CI of exp(coef) use the robust SE ("robust se" column), as R's does.
 */
export function coxTerms(fit: CoxFit): CoxTerm[] {
  return fit.names.map((term, j) => {
    const coef = fit.coef[j];
    const se = fit.naiveSe[j];
    const robustSe = fit.robustSe ? fit.robustSe[j] : null;
    const used = robustSe ?? se;
    const z = coef / used;
    return {
      term,
      coef,
      se,
      robustSe,
      hr: Math.exp(coef),
      hrLower: Math.exp(coef - Z_975 * used),
      hrUpper: Math.exp(coef + Z_975 * used),
      z,
      p: twoSidedNormalP(z),
    };
  });
}

/**
 * The log partial likelihood, its score vector and information matrix at `beta` (scaled space), with
 * Efron's approximation for tied event times (Efron 1977, "The efficiency of Cox's likelihood function for
 * censored data", JASA 72:557-565) or Breslow's; Therneau & Grambsch (2000), Modeling Survival Data,
 * chapter 3. The same sums as coxfit6_iter in survival 3.5-3 (coxfit6.c), arranged for speed.
 *
 * For an event time with d events (set D, weights summing to W, wbar = W / d) and k = 1..d
 * (Breslow: a single step, k = d = 1 with wbar = W):
 *   S0_k = sum_{R \ D} r_i + (k/d) sum_D r_i,  S1_k, S2_k the same sums of r_i x_i and r_i x_i x_i',
 *   r_i = w_i exp(x_i . beta), R the risk set (everyone with time >= t in the stratum):
 *   loglik += sum_D w_i x_i . beta - sum_k wbar log S0_k
 *   u      += sum_D w_i x_i        - sum_k wbar S1_k / S0_k
 *   I      += sum_k wbar S2_k / S0_k  -  sum_k wbar m_k m_k',   m_k = S1_k / S0_k.
 * Pass 1 walks down in time accumulating S0 and S1 (O(p) per row). With A = S1 over R \ D and B = S1
 * over D, m_k = A / S0_k + (k/d) B / S0_k, so sums over k need only the scalars sum 1/S0_k,
 * sum (k/d)/S0_k and their squares and cross products: O(d + p^2) per event time, not O(d p^2).
 * The S2 term is summed per subject instead of per event time: it equals sum_i c_i r_i x_i x_i', where
 * c_i = sum of wbar/S0_k over the steps whose risk set holds i (weight k/d at i's own event time), a
 * cumulative hazard that pass 2 accumulates walking up in time before one blocked rank-1 sweep
 * (accumulateGram). No p x p update is made per row in pass 1, unlike coxfit6.c's cmat.
 */
function accumulateRiskSets(data: CoxData, beta: Float64Array, efron: boolean, work: Workspace): number {
  const { n, p, x, weight, event, groupStart, nGroups, groupDeaths, groupDeathWeight, groupFirstInStratum, groupLastInStratum } = data;
  const { eta, risk, rowFactor, groupH1, groupH2, u, packed, a, a2, meanBuffer, meanWeight } = work;
  // sum_D w_i x_i does not depend on beta: it starts u, and beta . it starts loglik.
  const eventSum = data.eventWeightedSum;
  let loglik = 0;
  for (let j = 0; j < p; j++) {
    u[j] = eventSum[j];
    loglik += beta[j] * eventSum[j];
  }
  packed.fill(0);
  let denom = 0;
  let buffered = 0;
  const bufferRows = meanWeight.length;

  // Pass 1: down in time within each stratum. After each group, denom = S0 and a = S1 over its risk set.
  for (let g = nGroups - 1; g >= 0; g--) {
    if (groupLastInStratum[g] === 1) {
      denom = 0;
      a.fill(0);
    }
    const start = groupStart[g];
    const end = groupStart[g + 1];
    const deaths = groupDeaths[g];
    // Efron with tied events needs the events' sums apart from the rest of the risk set; otherwise every
    // row goes straight into S0 and S1.
    const split = efron && deaths > 1;
    let deathRisk = 0;
    if (split) for (let j = 0; j < p; j++) a2[j] = 0;
    for (let i = start; i < end; i++) {
      const off = i * p;
      let e = 0;
      for (let j = 0; j < p; j++) e += x[off + j] * beta[j];
      eta[i] = e;
      const r = weight[i] * Math.exp(e);
      risk[i] = r;
      if (split && event[i] === 1) {
        deathRisk += r;
        for (let j = 0; j < p; j++) a2[j] += r * x[off + j];
      } else {
        denom += r;
        for (let j = 0; j < p; j++) a[j] += r * x[off + j];
      }
    }
    if (deaths === 0) {
      groupH1[g] = 0;
      groupH2[g] = 0;
      continue;
    }
    const deadWeight = groupDeathWeight[g];
    if (!split) {
      // One step: S0 = denom, m = S1 / S0 (the events are already in both); m m' goes to the blocked sweep.
      loglik -= deadWeight * Math.log(denom);
      const hazard = deadWeight / denom;
      groupH1[g] = hazard;
      groupH2[g] = hazard;
      const off = buffered * p;
      const inverse = 1 / denom;
      for (let j = 0; j < p; j++) {
        const m = a[j] * inverse;
        u[j] -= deadWeight * m;
        meanBuffer[off + j] = m;
      }
      meanWeight[buffered++] = -deadWeight;
      if (buffered === bufferRows) {
        accumulateGram(packed, meanBuffer, meanWeight, buffered, p);
        buffered = 0;
      }
      continue;
    }
    // Efron, d >= 2 tied events: S0_k = denom + (k/d) deathRisk.
    const wbar = deadWeight / deaths;
    let sumInv = 0; // sum 1/S0_k
    let sumFracInv = 0; // sum (k/d)/S0_k
    let sumInv2 = 0; // sum 1/S0_k^2
    let sumFracInv2 = 0; // sum (k/d)/S0_k^2
    let sumFrac2Inv2 = 0; // sum (k/d)^2/S0_k^2
    for (let k = 1; k <= deaths; k++) {
      const frac = k / deaths;
      const s0 = denom + frac * deathRisk;
      loglik -= wbar * Math.log(s0);
      const inv = 1 / s0;
      sumInv += inv;
      sumFracInv += frac * inv;
      sumInv2 += inv * inv;
      sumFracInv2 += frac * inv * inv;
      sumFrac2Inv2 += frac * frac * inv * inv;
    }
    groupH1[g] = wbar * sumInv;
    groupH2[g] = wbar * sumFracInv;
    // sum_k wbar m_k m_k' = wbar (sumInv2 A A' + sumFracInv2 (A B' + B A') + sumFrac2Inv2 B B')
    let t = 0;
    for (let j = 0; j < p; j++) {
      const aj = a[j];
      const bj = a2[j];
      u[j] -= wbar * (sumInv * aj + sumFracInv * bj);
      for (let l = 0; l <= j; l++) {
        packed[t++] -= wbar * (sumInv2 * aj * a[l] + sumFracInv2 * (aj * a2[l] + bj * a[l]) + sumFrac2Inv2 * bj * a2[l]);
      }
    }
    denom += deathRisk;
    for (let j = 0; j < p; j++) a[j] += a2[j];
  }
  if (buffered > 0) accumulateGram(packed, meanBuffer, meanWeight, buffered, p);

  // Pass 2: up in time; c_i = cumulative hazard-like sum over the steps whose risk set holds i.
  let cumulative = 0;
  for (let g = 0; g < nGroups; g++) {
    if (groupFirstInStratum[g] === 1) cumulative = 0;
    const h1 = groupH1[g];
    const h2 = groupH2[g];
    const end = groupStart[g + 1];
    for (let i = groupStart[g]; i < end; i++) rowFactor[i] = (cumulative + (event[i] === 1 ? h2 : h1)) * risk[i];
    cumulative += h1;
  }
  accumulateGram(packed, x, rowFactor, n, p);
  unpackLower(packed, work.info, p);
  return loglik;
}

/**
 * packed += sum_i s_i v_i v_i' (lower triangle, row by row) for the n vectors v_i stored row-major in
 * `vectors`. Four vectors per sweep of the triangle: each accumulator is loaded and stored once per four
 * rank-1 updates, which runs about 2.5 times faster in V8 than one row at a time.
 */
function accumulateGram(packed: Float64Array, vectors: Float64Array, scalars: Float64Array, n: number, p: number): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const s0 = scalars[i];
    const s1 = scalars[i + 1];
    const s2 = scalars[i + 2];
    const s3 = scalars[i + 3];
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    let t = 0;
    for (let j = 0; j < p; j++) {
      const v0 = s0 * vectors[o0 + j];
      const v1 = s1 * vectors[o1 + j];
      const v2 = s2 * vectors[o2 + j];
      const v3 = s3 * vectors[o3 + j];
      for (let l = 0; l <= j; l++) {
        packed[t++] += v0 * vectors[o0 + l] + v1 * vectors[o1 + l] + v2 * vectors[o2 + l] + v3 * vectors[o3 + l];
      }
    }
  }
  for (; i < n; i++) {
    const s = scalars[i];
    const o = i * p;
    let t = 0;
    for (let j = 0; j < p; j++) {
      const v = s * vectors[o + j];
      for (let l = 0; l <= j; l++) packed[t++] += v * vectors[o + l];
    }
  }
}

/** Full symmetric p x p (row-major) from a packed lower triangle. */
function unpackLower(packed: Float64Array, full: Float64Array, p: number): void {
  let t = 0;
  for (let j = 0; j < p; j++) {
    for (let l = 0; l <= j; l++) {
      full[j * p + l] = packed[t];
      full[l * p + j] = packed[t];
      t++;
    }
  }
}

/**
 * Robust variance in the scaled space: V B V with B = sum over clusters of (sum_i w_i U_i)(sum_i w_i U_i)',
 * U_i the score residuals at the final beta (coxscore2.c, Efron or Breslow; Therneau & Grambsch 2000,
 * section 4.6 and 8.2) and V the model variance. Computed in O(n p): the sums over event times that each
 * residual needs are carried as cumulative hazards, instead of coxscore2.c's loop back over the risk set.
 */
function robustVariance(data: CoxData, cluster: Int32Array, efron: boolean, work: Workspace, scaledVariance: Float64Array): Float64Array {
  const { n, p, x, weight, event, groupStart, nGroups, groupDeaths, groupDeathWeight, groupFirstInStratum, groupLastInStratum, rows } = data;
  const { eta, risk } = work;

  const { clusterOf, nClusters } = denseClusterIndex(cluster, rows);
  const sums = new Float64Array(nClusters * p);

  // Pass 1 (down in time): S0, S1 at each event time, and the events' own sums, stored per event group.
  let nDeathGroups = 0;
  for (let g = 0; g < nGroups; g++) if (groupDeaths[g] > 0) nDeathGroups++;
  const slot = new Int32Array(nGroups).fill(-1);
  const dDenom = new Float64Array(nDeathGroups);
  const dDeathRisk = new Float64Array(nDeathGroups);
  const dA = new Float64Array(nDeathGroups * p);
  const dA2 = new Float64Array(nDeathGroups * p);
  let next = 0;
  for (let g = 0; g < nGroups; g++) if (groupDeaths[g] > 0) slot[g] = next++;
  let denom = 0;
  const a = new Float64Array(p);
  for (let g = nGroups - 1; g >= 0; g--) {
    if (groupLastInStratum[g] === 1) {
      denom = 0;
      a.fill(0);
    }
    const s = slot[g];
    for (let i = groupStart[g]; i < groupStart[g + 1]; i++) {
      const r = risk[i];
      const off = i * p;
      denom += r;
      for (let j = 0; j < p; j++) a[j] += r * x[off + j];
      if (s >= 0 && event[i] === 1) {
        dDeathRisk[s] += r;
        for (let j = 0; j < p; j++) dA2[s * p + j] += r * x[off + j];
      }
    }
    if (s >= 0) {
      dDenom[s] = denom;
      for (let j = 0; j < p; j++) dA[s * p + j] = a[j];
    }
  }

  // Pass 2 (up in time). For subject i (score e_i = exp(eta_i)) in group g:
  //   U_i = delta_i (x_i - xm_g) - e_i (x_i CH_<g - CM_<g) - e_i (x_i H_g - M_g)
  // CH, CM: cumulative sums of hazard and hazard * mean over earlier event times of the stratum;
  // H_g, M_g: this time's sums, over Efron's steps, with weight (1 - k/d) for the events themselves
  // (coxscore2.c `downwt`) and 1 for anyone else at risk; xm_g: the events' mean of the step means.
  const cumM = new Float64Array(p);
  const m1 = new Float64Array(p);
  const m2 = new Float64Array(p);
  const xm = new Float64Array(p);
  const stepMean = new Float64Array(p);
  let cumH = 0;
  for (let g = 0; g < nGroups; g++) {
    if (groupFirstInStratum[g] === 1) {
      cumH = 0;
      cumM.fill(0);
    }
    const s = slot[g];
    let h1 = 0;
    let h2 = 0;
    m1.fill(0);
    m2.fill(0);
    xm.fill(0);
    if (s >= 0) {
      const deaths = groupDeaths[g];
      const steps = efron ? deaths : 1;
      const stepWeight = groupDeathWeight[g] / steps;
      for (let k = 0; k < steps; k++) {
        const down = k / steps;
        const den = dDenom[s] - down * dDeathRisk[s];
        const hazard = stepWeight / den;
        h1 += hazard;
        h2 += hazard * (1 - down);
        for (let j = 0; j < p; j++) {
          const m = (dA[s * p + j] - down * dA2[s * p + j]) / den;
          stepMean[j] = m;
          m1[j] += hazard * m;
          m2[j] += hazard * (1 - down) * m;
          xm[j] += m / steps;
        }
      }
    }
    for (let i = groupStart[g]; i < groupStart[g + 1]; i++) {
      const w = weight[i];
      const e = Math.exp(eta[i]);
      const off = i * p;
      const dead = event[i] === 1;
      const h = dead ? h2 : h1;
      const m = dead ? m2 : m1;
      const c = clusterOf[i] * p;
      for (let j = 0; j < p; j++) {
        const xj = x[off + j];
        let r = -e * (xj * (cumH + h) - (cumM[j] + m[j]));
        if (dead) r += xj - xm[j];
        sums[c + j] += w * r;
      }
    }
    cumH += h1;
    for (let j = 0; j < p; j++) cumM[j] += m1[j];
  }

  // B = sum_c s_c s_c', then V B V.
  const b = new Float64Array(p * p);
  for (let c = 0; c < nClusters; c++) {
    const off = c * p;
    for (let j = 0; j < p; j++) {
      const sj = sums[off + j];
      for (let l = 0; l < p; l++) b[j * p + l] += sj * sums[off + l];
    }
  }
  return multiply(multiply(scaledVariance, b, p), scaledVariance, p);
}

/**
 * Cluster codes of the sorted rows as 0..K-1. Codes within a range of a few times n index an array
 * directly; others go through a Map (about 0.1 s per million rows, the array about 5 ms).
 */
function denseClusterIndex(cluster: Int32Array, rows: Uint32Array): { clusterOf: Int32Array; nClusters: number } {
  const n = rows.length;
  const clusterOf = new Int32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const code = cluster[rows[k]];
    if (code < min) min = code;
    if (code > max) max = code;
  }
  let nClusters = 0;
  if (max - min < 4 * n + 1024) {
    const slot = new Int32Array(max - min + 1).fill(-1);
    for (let k = 0; k < n; k++) {
      const code = cluster[rows[k]] - min;
      if (slot[code] < 0) slot[code] = nClusters++;
      clusterOf[k] = slot[code];
    }
  } else {
    const slot = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const code = cluster[rows[k]];
      let c = slot.get(code);
      if (c === undefined) {
        c = nClusters++;
        slot.set(code, c);
      }
      clusterOf[k] = c;
    }
  }
  return { clusterOf, nClusters };
}

/** Validates, drops zero-weight rows, fixes near-tied times, sorts, centres and scales. */
function prepare(input: CoxInput): CoxData {
  const { time, event, x, strata, weights, cluster } = input;
  const nIn = time.length;
  const p = x.nCols;
  const names = x.names;
  if (p < 1) throw new StatsError('invalid-input', 'The Cox model needs at least one covariate.');
  if (names.length !== p) throw new StatsError('invalid-input', `The design has ${p} columns but ${names.length} names.`);
  if (event.length !== nIn || x.nRows !== nIn) {
    throw new StatsError('invalid-input', `Cox model inputs differ in length: ${nIn} times, ${event.length} event flags, ${x.nRows} design rows.`);
  }
  if (x.data.length !== nIn * p) throw new StatsError('invalid-input', `The design data has ${x.data.length} values, expected ${nIn} x ${p}.`);
  if (strata && strata.length !== nIn) throw new StatsError('invalid-input', `Cox model got ${strata.length} strata codes for ${nIn} rows.`, 'strata');
  if (weights && weights.length !== nIn) throw new StatsError('invalid-input', `Cox model got ${weights.length} weights for ${nIn} rows.`, 'weights');
  if (cluster && cluster.length !== nIn) throw new StatsError('invalid-input', `Cox model got ${cluster.length} cluster codes for ${nIn} rows.`, 'cluster');

  const xData = x.data;
  const keep = new Uint32Array(nIn);
  let n = 0;
  let events = 0;
  for (let i = 0; i < nIn; i++) {
    if (!(time[i] >= 0) || !Number.isFinite(time[i])) throw new StatsError('invalid-input', `Follow-up time must be finite and >= 0, but row ${i + 1} has time ${time[i]}.`, 'time');
    if (event[i] !== 0 && event[i] !== 1) throw new StatsError('invalid-input', `Event must be 0 (censored) or 1 (event), row ${i + 1} has ${event[i]}.`, 'event');
    const w = weights ? weights[i] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new StatsError('invalid-input', `Case weights must be finite and >= 0, row ${i + 1} has ${w}.`, 'weights');
    for (let j = 0; j < p; j++) {
      const v = xData[i * p + j];
      if (!Number.isFinite(v)) throw new StatsError('invalid-input', `Term '${names[j]}' has a missing or non-finite value (${v}) in row ${i + 1}.`, names[j]);
    }
    if (w > 0) {
      keep[n++] = i;
      events += event[i];
    }
  }
  if (events === 0) {
    throw new StatsError('no-events', `Cannot fit the Cox model: none of the ${n} rows used has an event (all are censored).`);
  }

  // Rows used, times made equal where aeqSurv would, then the one sort.
  const usedTime = new Float64Array(n);
  const usedEvent = new Uint8Array(n);
  const usedStrata = strata ? new Int32Array(n) : undefined;
  for (let k = 0; k < n; k++) {
    const i = keep[k];
    usedTime[k] = time[i];
    usedEvent[k] = event[i];
    if (usedStrata && strata) usedStrata[k] = strata[i];
  }
  const sorted = orderSurvivalData(usedTime, usedEvent, usedStrata, true);
  const order = sorted.order;

  const rows = new Uint32Array(n);
  const sTime = sorted.sortedTime;
  const sEvent = new Uint8Array(n);
  const sWeight = new Float64Array(n);
  const rowStratumStart = new Uint8Array(n);
  const positionOf = new Uint32Array(n); // sorted position of each used row
  let totalWeight = 0;
  for (let k = 0; k < n; k++) {
    const used = order[k];
    positionOf[used] = k;
    const i = keep[used];
    rows[k] = i;
    sEvent[k] = usedEvent[used];
    const w = weights ? weights[i] : 1;
    sWeight[k] = w;
    totalWeight += w;
    rowStratumStart[k] = k === 0 || (usedStrata !== undefined && usedStrata[used] !== usedStrata[order[k - 1]]) ? 1 : 0;
  }
  // Copy the design into sorted order reading it sequentially and writing each row to its place: with
  // 1,000,000 x 15 values, scattered writes take ~0.15 s where gathering rows at random takes ~0.5 s.
  const sx = new Float64Array(n * p);
  const means = new Float64Array(p);
  const xd = x.data;
  for (let used = 0; used < n; used++) {
    const src = keep[used] * p;
    const dst = positionOf[used] * p;
    const w = weights ? weights[keep[used]] : 1;
    for (let j = 0; j < p; j++) {
      const v = xd[src + j];
      sx[dst + j] = v;
      means[j] += w * v;
    }
  }
  for (let j = 0; j < p; j++) means[j] /= totalWeight;
  const absDev = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    const off = k * p;
    const w = sWeight[k];
    for (let j = 0; j < p; j++) {
      const v = sx[off + j] - means[j];
      sx[off + j] = v;
      absDev[j] += w * Math.abs(v);
    }
  }
  const scales = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (!(absDev[j] > 0)) {
      throw new StatsError('singular', `Cannot fit the Cox model: term '${names[j]}' is constant, so its hazard ratio cannot be estimated.`, names[j]);
    }
    scales[j] = totalWeight / absDev[j];
  }
  const eventWeightedSum = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    const off = k * p;
    for (let j = 0; j < p; j++) sx[off + j] *= scales[j];
    if (sEvent[k] === 1) for (let j = 0; j < p; j++) eventWeightedSum[j] += sWeight[k] * sx[off + j];
  }

  // Tied-time groups within strata.
  const groupStartTmp = new Int32Array(n + 1);
  let nGroups = 0;
  for (let k = 0; k < n; k++) {
    if (k === 0 || rowStratumStart[k] === 1 || sTime[k] !== sTime[k - 1]) groupStartTmp[nGroups++] = k;
  }
  groupStartTmp[nGroups] = n;
  const groupStart = groupStartTmp.slice(0, nGroups + 1);
  const groupDeaths = new Int32Array(nGroups);
  const groupDeathWeight = new Float64Array(nGroups);
  const groupFirstInStratum = new Uint8Array(nGroups);
  const groupLastInStratum = new Uint8Array(nGroups);
  for (let g = 0; g < nGroups; g++) {
    const start = groupStart[g];
    const end = groupStart[g + 1];
    groupFirstInStratum[g] = rowStratumStart[start];
    groupLastInStratum[g] = end === n || rowStratumStart[end] === 1 ? 1 : 0;
    for (let k = start; k < end; k++) {
      if (sEvent[k] === 1) {
        groupDeaths[g]++;
        groupDeathWeight[g] += sWeight[k];
      }
    }
  }

  return {
    n,
    p,
    rows,
    x: sx,
    weight: sWeight,
    event: sEvent,
    time: sTime,
    groupStart,
    nGroups,
    groupDeaths,
    groupDeathWeight,
    groupFirstInStratum,
    groupLastInStratum,
    rowStratumStart,
    means,
    eventWeightedSum,
    scales,
  };
}

/**
 * StatsError for a singular information matrix at beta = 0, naming the term whose pivot failed and the
 * earlier terms it is a combination of (from the regression of its column of the information on theirs).
 */
function singularError(info: Float64Array, p: number, failed: number, names: readonly string[]): StatsError {
  const partners: string[] = [];
  if (failed > 0) {
    const lead = new Float64Array(failed * failed);
    const rhs = new Float64Array(failed);
    for (let i = 0; i < failed; i++) {
      rhs[i] = info[i * p + failed];
      for (let j = 0; j < failed; j++) lead[i * failed + j] = info[i * p + j];
    }
    const l = choleskyFactor(lead, failed, CHOLESKY_OPTIONS);
    if (typeof l !== 'number') {
      const c = choleskySolve(l, failed, rhs);
      let biggest = 0;
      for (let i = 0; i < failed; i++) biggest = Math.max(biggest, Math.abs(c[i]));
      for (let i = 0; i < failed; i++) if (biggest > 0 && Math.abs(c[i]) > 1e-6 * biggest) partners.push(`'${names[i]}'`);
    }
  }
  const term = names[failed];
  const message =
    partners.length > 0
      ? `Cannot fit the Cox model: term '${term}' is collinear with ${joinNames(partners)}, so the information matrix is singular.`
      : `Cannot fit the Cox model: term '${term}' does not vary within the risk sets (constant within every stratum), so its hazard ratio cannot be estimated.`;
  return new StatsError('singular', message, term);
}

function divergingError(term: string, iterations: number): StatsError {
  return new StatsError(
    'no-convergence',
    `The Cox model did not converge: the coefficient of '${term}' keeps growing after ${iterations} iterations (a monotone likelihood, as when one group has no events or always fails first), so its hazard ratio is infinite or zero.`,
    term,
  );
}

function joinNames(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** diag(scales) M diag(scales): a variance of scaled coefficients back in the covariates' units. */
function unscaleMatrix(m: Float64Array, scales: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j] = m[i * p + j] * scales[i] * scales[j];
  return out;
}

function diagonalSqrt(m: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) out[j] = Math.sqrt(m[j * p + j]);
  return out;
}

function multiply(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) {
      const aik = a[i * p + k];
      for (let j = 0; j < p; j++) out[i * p + j] += aik * b[k * p + j];
    }
  }
  return out;
}
