// Fine-Gray proportional subdistribution hazards regression (Fine & Gray, JASA 1999; 94:496-509) for
// right-censored competing-risks data, agreeing with cmprsk::crr (cmprsk 2.2-11) by default and with
// survival::finegray() + coxph(Surv(fgstart, fgstop, fgstatus) ~ x, weights = fgwt, cluster = id,
// ties = "breslow") under convention 'finegray' (survival 3.5-3).
//
// The estimator: a Cox partial likelihood in which a subject with a competing event stays in the risk set
// after its event with a weight that decays as the censoring distribution does. At each distinct time s of
// the event of interest (d(s) = weighted events there, Breslow ties as crr):
//   risk-set weight of row j:  c_j                    if T_j >= s
//                              c_j G(s-) / G(T_j-)    if T_j < s and row j had the competing event
//   S_k(s) = sum_j weight_j exp(b'x_j) x_j^(k),  score U = sum_events c_i (x_i - S1/S0),
//   information = sum_s d(s) (S2/S0 - S1 S1'/S0^2),  log pseudo-likelihood = sum c_i b'x_i - d(s) log S0(s)
// with c_j the case weights and G the Kaplan-Meier estimate of the censoring distribution (unweighted, as
// both R routes compute it; finegray multiplies case weights into fgwt but not into G).
//
// Conventions ('crr' default, 'finegray'): they differ only where a censoring is tied with an event:
//  - 'crr': G counts rows failing at u as still at risk of censoring at u (survfit(Surv(T, censored))).
//    Variance (crr's var): H^-1 [sum_i (c_i eta_i + psi_i)(...)'] H^-1, eta_i the subject's score residual
//    and psi_i the term for having estimated G (Fine & Gray 1999, section 3, the q(u)/pi(u) dM^c integral),
//    exactly as crr's Fortran crrvv. Generalised here to case weights (c_i on eta; psi from the unweighted G)
//    and to clusters (influences summed within a cluster before the outer product), which crr lacks.
//  - 'finegray': events come before censorings at a tied time, so rows failing at u are not at risk of
//    censoring at u (finegray shifts event times by -0.2 of a time step). Variance: coxph's robust
//    sandwich on the expanded data, H^-1 [sum_clusters (sum c_i eta_i)(...)'] H^-1, i.e. without psi.
// On data without tied event/censoring times the two give the same coefficients; the SEs differ by psi
// (0.1-0.2% on the test data). Agreement with R on the test data (fine-gray.test.ts): coefficients and
// variances to ~1e-12 relative, except where crr's own convergence (gtol) limits it to ~1e-8.
//
// Non-convergence (maxIterations reached, or 20 step halvings without improvement) is reported as
// converged = false with the last coefficients, not thrown; a caller should not report such a fit.
//
// Rows of weight 0 are dropped first (from G too). Times closer than sqrt(eps) are merged as aeqSurv does.
// Newton-Raphson from b = 0 with step halving when the log pseudo-likelihood falls; covariates are centred
// (which leaves every ratio S_k/S0 unchanged).
//
// Complexity: one O(n) radix sort, then per Newton iteration an O(n p) backward pass (at-risk sums running,
// the competing rows' sums over T_j < s as a total minus a backward tail, so no per-event-time storage) and
// one O(n p^2) pass for the information; the variance is one more O(n p) pass plus O(clusters p^2).
// Memory O(n p). 1,000,000 rows: about 1.3 s CPU with 3 covariates and 4 s with 15 (4 iterations, on a
// machine shared with other jobs, so an upper figure).
import { checkCompetingRisksInput } from './aalen-johansen.js';
import { orderSurvivalData } from './concordance.js';
import { choleskyFactor, choleskyInverse, choleskySolve, type CholeskyOptions, type DesignMatrix } from './matrix.js';
import { StatsError } from './stats-error.js';

export type FineGrayConvention = 'crr' | 'finegray';

export interface FineGrayInput {
  readonly time: Float64Array;
  /** 0 = censored, 1 = event of interest, 2 = competing event. */
  readonly status: Uint8Array;
  /** Covariates, no intercept column. */
  readonly x: DesignMatrix;
  /** Case weights (e.g. IPTW); rows of weight 0 dropped. */
  readonly weights?: Float64Array;
  /** Cluster code per row: influences are summed within clusters (matched sets). */
  readonly cluster?: Int32Array;
  /** Default 'crr' (see the file comment). */
  readonly convention?: FineGrayConvention;
  /** Default 30. */
  readonly maxIterations?: number;
}

export interface FineGrayFit {
  readonly names: string[];
  /** Rows used (weight > 0), events of interest and competing events among them (counts, not weighted). */
  readonly n: number;
  readonly events: number;
  readonly competing: number;
  readonly coef: Float64Array;
  /** Robust (sandwich) SE: crr's var by default, coxph's robust variance on finegray data with 'finegray'. */
  readonly se: Float64Array;
  /** p x p row-major. */
  readonly variance: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
}

/** Same pivot rule as fitCox (survival's cholesky2 with toler.chol = eps^0.75). */
const CHOLESKY_OPTIONS: CholeskyOptions = { tolerance: Math.pow(Number.EPSILON, 0.75), pivotRule: 'cholesky2' };

/** Newton stops when every step is below this, relative to max(1, |coef|). */
const STEP_TOLERANCE = 1e-10;

/** The data in time order, fixed for the whole fit. */
interface FgData {
  n: number;
  p: number;
  /** Centred covariates, row-major, sorted by time. */
  x: Float64Array;
  status: Uint8Array;
  weight: Float64Array;
  /** Sorted position where each distinct-time group starts (length nGroups + 1). */
  groupStart: Int32Array;
  nGroups: number;
  /** G(t-) at each group's time. */
  gBefore: Float64Array;
  /** 1 / G(T_j-) for each sorted row (used for competing rows). */
  gInv: Float64Array;
  /** crr's censoring risk set: rows with T >= t (unweighted), and censorings at t. */
  censorAtRisk: Float64Array;
  censorCount: Float64Array;
  /** Dense cluster index per sorted row (each row its own when no cluster was given), and how many. */
  clusterOf: Int32Array;
  nClusters: number;
  means: Float64Array;
}

interface Evaluation {
  loglik: number;
  score: Float64Array;
  info: Float64Array;
}

/** Fits the Fine-Gray model (see the file comment). Throws StatsError 'invalid-input', 'no-events' or 'singular'. */
export function fitFineGray(input: FineGrayInput): FineGrayFit {
  const convention = input.convention ?? 'crr';
  if (convention !== 'crr' && convention !== 'finegray') {
    throw new StatsError('invalid-input', `Fine-Gray convention is '${String(convention)}'; expected 'crr' or 'finegray'.`, 'convention');
  }
  const maxIterations = input.maxIterations ?? 30;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new StatsError('invalid-input', `Fine-Gray maxIterations is ${maxIterations}; expected a whole number >= 1.`, 'maxIterations');
  }
  const { data, events, competing } = prepare(input, convention);
  const { p } = data;
  const names = [...input.x.names];

  const work: Workspace = {
    risk: new Float64Array(data.n), ct1: new Float64Array(p), tail1: new Float64Array(p), ar1: new Float64Array(p),
    xbar: new Float64Array(p), dL: new Float64Array(data.nGroups),
  };
  let beta = new Float64Array(p);
  let current = evaluate(data, beta, work);
  let converged = false;
  let iterations = 0;
  for (iterations = 1; iterations <= maxIterations; iterations++) {
    const f = choleskyFactor(current.info, p, CHOLESKY_OPTIONS);
    if (typeof f === 'number') throw singularError(names[f]);
    const step = choleskySolve(f, p, current.score);
    let small = true;
    for (let j = 0; j < p; j++) if (Math.abs(step[j]) > STEP_TOLERANCE * Math.max(1, Math.abs(beta[j]))) small = false;
    // Step halving (at most 20 times) while the log pseudo-likelihood falls or is not finite.
    let next = new Float64Array(p);
    let trial: Evaluation | null = null;
    for (let halving = 0; halving <= 20; halving++) {
      const scale = Math.pow(0.5, halving);
      next = new Float64Array(p);
      for (let j = 0; j < p; j++) next[j] = beta[j] + scale * step[j];
      trial = evaluate(data, next, work);
      if (Number.isFinite(trial.loglik) && trial.loglik >= current.loglik - 1e-12 * Math.abs(current.loglik)) break;
      trial = null;
    }
    if (trial === null) break;
    beta = next;
    current = trial;
    if (small) {
      converged = true;
      break;
    }
  }
  if (iterations > maxIterations) iterations = maxIterations;

  const f = choleskyFactor(current.info, p, CHOLESKY_OPTIONS);
  if (typeof f === 'number') throw singularError(names[f]);
  const bread = choleskyInverse(f, p);
  const meat = influenceCrossProduct(data, beta, convention === 'crr');
  const variance = sandwich(bread, meat, p);
  const se = new Float64Array(p);
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(variance[j * p + j]);
  return { names, n: data.n, events, competing, coef: beta, se, variance, converged, iterations };
}

/**
 * Log pseudo-likelihood, score and information at beta (the equations of the file comment).
 * Pass 1, backward in time: S0 and S1 at each event time, the at-risk rows as a running sum and the
 * competing rows with T_j < s as a total minus the backward tail over T_j >= s; this gives the log
 * pseudo-likelihood, the score, sum_s d(s) xbar xbar' and dL(s) = d(s)/S0(s).
 * Pass 2, forward: the S2 part of the information with the sums swapped,
 *   sum_s dL(s) S2(s) = sum_j c_j r_j x_j x_j' (sum_{s <= T_j} dL(s) + [s_j = 2] sum_{s > T_j} G(s-) dL(s) / G(T_j-)),
 * so each row's outer product is formed once per evaluation (O(n p^2)), not once per running sum.
 */
function evaluate(d: FgData, beta: Float64Array, w: Workspace): Evaluation {
  const { n, p, x, status, weight, groupStart, nGroups, gBefore, gInv } = d;
  const { risk, ct1, tail1, ar1, xbar, dL } = w;
  const q = (p * (p + 1)) / 2;
  let ct0 = 0;
  ct1.fill(0);
  for (let k = 0; k < n; k++) {
    let eta = 0;
    const off = k * p;
    for (let j = 0; j < p; j++) eta += beta[j] * x[off + j];
    const rk = weight[k] * Math.exp(eta);
    risk[k] = rk;
    if (status[k] === 2) {
      const v = rk * gInv[k];
      ct0 += v;
      for (let j = 0; j < p; j++) ct1[j] += v * x[off + j];
    }
  }
  let ar0 = 0;
  let tail0 = 0;
  ar1.fill(0);
  tail1.fill(0);
  const score = new Float64Array(p);
  const infoPacked = new Float64Array(q);
  let loglik = 0;
  for (let g = nGroups - 1; g >= 0; g--) {
    let deaths = 0;
    for (let k = groupStart[g]; k < groupStart[g + 1]; k++) {
      const off = k * p;
      const rk = risk[k];
      ar0 += rk;
      for (let j = 0; j < p; j++) ar1[j] += rk * x[off + j];
      const sk = status[k];
      if (sk === 2) {
        const v = rk * gInv[k];
        tail0 += v;
        for (let j = 0; j < p; j++) tail1[j] += v * x[off + j];
      } else if (sk === 1) {
        const wk = weight[k];
        deaths += wk;
        for (let j = 0; j < p; j++) {
          loglik += wk * beta[j] * x[off + j];
          score[j] += wk * x[off + j];
        }
      }
    }
    if (deaths === 0) {
      dL[g] = 0;
      continue;
    }
    const gt = gBefore[g];
    const s0 = ar0 + gt * (ct0 - tail0);
    for (let j = 0; j < p; j++) xbar[j] = (ar1[j] + gt * (ct1[j] - tail1[j])) / s0;
    loglik -= deaths * Math.log(s0);
    dL[g] = deaths / s0;
    let m = 0;
    for (let i = 0; i < p; i++) {
      score[i] -= deaths * xbar[i];
      const dxi = deaths * xbar[i];
      for (let j = 0; j <= i; j++, m++) infoPacked[m] -= dxi * xbar[j];
    }
  }
  // Pass 2. kTotal - kBefore is the sum of G(s-) dL(s) over event times s > T_j.
  let kTotal = 0;
  for (let g = 0; g < nGroups; g++) kTotal += gBefore[g] * dL[g];
  let h = 0;
  let kUpTo = 0;
  for (let g = 0; g < nGroups; g++) {
    h += dL[g];
    kUpTo += gBefore[g] * dL[g];
    for (let k = groupStart[g]; k < groupStart[g + 1]; k++) {
      let c = h;
      if (status[k] === 2) c += (kTotal - kUpTo) * gInv[k];
      c *= risk[k];
      if (c === 0) continue;
      const off = k * p;
      let m = 0;
      for (let i = 0; i < p; i++) {
        const cxi = c * x[off + i];
        for (let j = 0; j <= i; j++, m++) infoPacked[m] += cxi * x[off + j];
      }
    }
  }
  return { loglik, score, info: unpack(infoPacked, p) };
}

/** Scratch arrays for evaluate, allocated once per fit. */
interface Workspace {
  risk: Float64Array;
  ct1: Float64Array;
  tail1: Float64Array;
  ar1: Float64Array;
  xbar: Float64Array;
  /** dL(s) = d(s) / S0(s) per distinct-time group (0 where no event of interest). */
  dL: Float64Array;
}

/**
 * Sum over clusters of (sum of influences in the cluster)(...)', the middle of the sandwich. A row's influence
 * is c_i eta_i (+ psi_i with the censoring term), where (crr's crrvv, in its notation)
 *   eta_i = [s_i = 1](x_i - xbar(T_i)) - r_i sum_{s <= T_i} (x_i - xbar(s)) dL(s)
 *           - [s_i = 2] (r_i / G(T_i-)) sum_{s > T_i} G(s-) (x_i - xbar(s)) dL(s),     dL(s) = d(s) / S0(s),
 *   psi_i = [s_i = 0] q(T_i)/pi(T_i) - sum_{censoring times u <= T_i} q(u) nc(u)/pi(u)^2,
 *   q(u)  = sum_{competing j, T_j < u} (c_j r_j / G(T_j-)) sum_{s >= u} G(s-) (x_j - xbar(s)) dL(s).
 * Every sum over s <= T_i is computed as a total minus the backward tail over s > T_i.
 */
function influenceCrossProduct(d: FgData, beta: Float64Array, withCensoringTerm: boolean): Float64Array {
  const { n, p, x, status, weight, groupStart, nGroups, gBefore, gInv, censorAtRisk, censorCount, clusterOf, nClusters } = d;
  const r = new Float64Array(n); // exp(b'x), without the case weight
  const ct0 = { v: 0 };
  const ct1 = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    let eta = 0;
    const off = k * p;
    for (let j = 0; j < p; j++) eta += beta[j] * x[off + j];
    r[k] = Math.exp(eta);
    if (status[k] === 2) addVector(ct0, ct1, x, off, p, weight[k] * r[k] * gInv[k]);
  }
  const ar0 = { v: 0 };
  const ar1 = new Float64Array(p);
  const tail0 = { v: 0 };
  const tail1 = new Float64Array(p);
  // Backward tails over event times s > t: dL, dL xbar, G dL, G dL xbar; and of the psi increments.
  let h0 = 0;
  const h1 = new Float64Array(p);
  let k0 = 0;
  const k1 = new Float64Array(p);
  const psiTail = new Float64Array(p);
  const xbar = new Float64Array(p);
  const qu = new Float64Array(p);
  const infl = new Float64Array(n * p);
  for (let g = nGroups - 1; g >= 0; g--) {
    const start = groupStart[g];
    const end = groupStart[g + 1];
    let deaths = 0;
    for (let k = start; k < end; k++) {
      const off = k * p;
      addVector(ar0, ar1, x, off, p, weight[k] * r[k]);
      if (status[k] === 2) addVector(tail0, tail1, x, off, p, weight[k] * r[k] * gInv[k]);
      else if (status[k] === 1) deaths += weight[k];
    }
    const gt = gBefore[g];
    let dL = 0;
    if (deaths > 0) {
      const s0 = ar0.v + gt * (ct0.v - tail0.v);
      for (let j = 0; j < p; j++) xbar[j] = (ar1[j] + gt * (ct1[j] - tail1[j])) / s0;
      dL = deaths / s0;
    }
    // Rows at this time: the parts of eta that use tails over s > t (taken before this time's dL is added).
    for (let k = start; k < end; k++) {
      const off = k * p;
      for (let j = 0; j < p; j++) {
        const xj = x[off + j];
        let v = r[k] * (xj * h0 - h1[j]);
        if (status[k] === 1) v += xj - xbar[j];
        else if (status[k] === 2) v -= r[k] * gInv[k] * (xj * k0 - k1[j]);
        infl[off + j] = v;
      }
    }
    if (deaths > 0) {
      h0 += dL;
      k0 += gt * dL;
      for (let j = 0; j < p; j++) {
        h1[j] += dL * xbar[j];
        k1[j] += gt * dL * xbar[j];
      }
    }
    // h0, h1, k0, k1 now hold sums over s >= t, as q(t) needs.
    if (withCensoringTerm) {
      const nc = censorCount[g];
      for (let k = start; k < end; k++) {
        const off = k * p;
        for (let j = 0; j < p; j++) infl[off + j] = weight[k] * infl[off + j] + psiTail[j];
      }
      if (nc > 0) {
        const pi = censorAtRisk[g];
        // q(t): competing rows with T_j < t (total minus tail), failures at s >= t (the tails now).
        const p0 = ct0.v - tail0.v;
        for (let j = 0; j < p; j++) qu[j] = (ct1[j] - tail1[j]) * k0 - p0 * k1[j];
        for (let k = start; k < end; k++) {
          if (status[k] !== 0) continue;
          const off = k * p;
          for (let j = 0; j < p; j++) infl[off + j] += qu[j] / pi;
        }
        for (let j = 0; j < p; j++) psiTail[j] += (qu[j] * nc) / (pi * pi);
      }
    } else {
      for (let k = start; k < end; k++) {
        const off = k * p;
        for (let j = 0; j < p; j++) infl[off + j] *= weight[k];
      }
    }
  }
  // eta_i's at-risk part is -r_i sum_{s <= T_i} = -r_i (total - tail over s > T_i); the tail part was added
  // above, subtract the totals now. psi's cumulative part likewise: total minus tail over u > T_i.
  const meat = new Float64Array(p * p);
  const sums = new Float64Array(nClusters * p);
  for (let k = 0; k < n; k++) {
    const off = k * p;
    const c = clusterOf[k];
    for (let j = 0; j < p; j++) {
      let v = infl[off + j] - weight[k] * r[k] * (x[off + j] * h0 - h1[j]);
      if (withCensoringTerm) v -= psiTail[j];
      sums[c * p + j] += v;
    }
  }
  for (let c = 0; c < nClusters; c++) {
    const off = c * p;
    for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) meat[i * p + j] += sums[off + i] * sums[off + j];
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) meat[j * p + i] = meat[i * p + j];
  return meat;
}

/** Validates, drops zero-weight rows, merges near-tied times, sorts, centres, and computes G. */
function prepare(input: FineGrayInput, convention: FineGrayConvention): { data: FgData; events: number; competing: number } {
  const { time, status, x, weights, cluster } = input;
  const nIn = time.length;
  const p = x.nCols;
  checkCompetingRisksInput({ time, status, weights }, 'Fine-Gray');
  if (p < 1) throw new StatsError('invalid-input', 'The Fine-Gray model needs at least one covariate.');
  if (x.nRows !== nIn || x.data.length !== nIn * p) {
    throw new StatsError('invalid-input', `Fine-Gray: ${nIn} times but a design of ${x.nRows} rows (${x.data.length} values for ${p} columns); expected equal lengths.`, 'x');
  }
  if (cluster && cluster.length !== nIn) throw new StatsError('invalid-input', `Fine-Gray: ${nIn} times but ${cluster.length} cluster codes; expected equal lengths.`, 'cluster');
  const xd0 = x.data;
  for (let i = 0; i < nIn * p; i++) {
    if (!Number.isFinite(xd0[i])) {
      const name = x.names[i % p];
      throw new StatsError('invalid-input', `Fine-Gray: term '${name}' is ${x.data[i]} in row ${Math.floor(i / p) + 1}; expected a finite number.`, name);
    }
  }
  const keep = new Uint32Array(nIn);
  let n = 0;
  let events = 0;
  let competing = 0;
  for (let i = 0; i < nIn; i++) {
    if (weights && weights[i] === 0) continue;
    keep[n++] = i;
    if (status[i] === 1) events++;
    else if (status[i] === 2) competing++;
  }
  if (events === 0) throw new StatsError('no-events', `Cannot fit the Fine-Gray model: none of the ${n} rows used has the event of interest (status 1).`, 'status');
  const usedTime = new Float64Array(n);
  const usedEvent = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    usedTime[k] = time[keep[k]];
    usedEvent[k] = status[keep[k]] === 1 ? 1 : 0;
  }
  const { order, sortedTime } = orderSurvivalData(usedTime, usedEvent, undefined, true);

  const sx = new Float64Array(n * p);
  const sStatus = new Uint8Array(n);
  const sWeight = new Float64Array(n);
  const means = new Float64Array(p);
  const positionOf = new Uint32Array(n);
  let totalWeight = 0;
  for (let k = 0; k < n; k++) {
    const used = order[k];
    positionOf[used] = k;
    const i = keep[used];
    sStatus[k] = status[i];
    const w = weights ? weights[i] : 1;
    sWeight[k] = w;
    totalWeight += w;
  }
  // Read the design sequentially and scatter each row to its sorted place (much faster than gathering
  // rows at random for large n, as in cox.ts).
  const xd = x.data;
  for (let used = 0; used < n; used++) {
    const src = keep[used] * p;
    const dst = positionOf[used] * p;
    const w = sWeight[positionOf[used]];
    for (let j = 0; j < p; j++) {
      const v = xd[src + j];
      sx[dst + j] = v;
      means[j] += w * v;
    }
  }
  for (let j = 0; j < p; j++) means[j] /= totalWeight;
  const spread = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < p; j++) {
      const v = sx[k * p + j] - means[j];
      sx[k * p + j] = v;
      spread[j] = Math.max(spread[j], Math.abs(v));
    }
  }
  for (let j = 0; j < p; j++) if (!(spread[j] > 0)) throw singularError(x.names[j], 'is constant');

  const starts: number[] = [];
  for (let k = 0; k < n; k++) if (k === 0 || sortedTime[k] !== sortedTime[k - 1]) starts.push(k);
  const nGroups = starts.length;
  starts.push(n);
  const groupStart = Int32Array.from(starts);

  // Kaplan-Meier of the censoring distribution, unweighted. gBefore[g] = G(t_g-).
  const gBefore = new Float64Array(nGroups);
  const censorAtRisk = new Float64Array(nGroups);
  const censorCount = new Float64Array(nGroups);
  const gInv = new Float64Array(n);
  let g = 1;
  for (let grp = 0; grp < nGroups; grp++) {
    gBefore[grp] = g;
    let nc = 0;
    let failed = 0;
    for (let k = groupStart[grp]; k < groupStart[grp + 1]; k++) {
      gInv[k] = 1 / g;
      if (sStatus[k] === 0) nc++;
      else failed++;
    }
    const atRisk = n - groupStart[grp];
    censorAtRisk[grp] = atRisk;
    censorCount[grp] = nc;
    // 'crr': survfit(Surv(T, censored)) counts the rows failing at t at risk; 'finegray': they fail first.
    const atRiskForG = convention === 'crr' ? atRisk : atRisk - failed;
    if (nc > 0) g *= 1 - nc / atRiskForG;
  }

  const clusterOf = new Int32Array(n);
  let nClusters = n;
  if (cluster) {
    const slot = new Map<number, number>();
    nClusters = 0;
    for (let k = 0; k < n; k++) {
      const code = cluster[keep[order[k]]];
      let c = slot.get(code);
      if (c === undefined) {
        c = nClusters++;
        slot.set(code, c);
      }
      clusterOf[k] = c;
    }
  } else {
    for (let k = 0; k < n; k++) clusterOf[k] = k;
  }

  return {
    data: { n, p, x: sx, status: sStatus, weight: sWeight, groupStart, nGroups, gBefore, gInv, censorAtRisk, censorCount, clusterOf, nClusters, means },
    events,
    competing,
  };
}

function addVector(s0: { v: number }, s1: Float64Array, x: Float64Array, off: number, p: number, w: number): void {
  s0.v += w;
  for (let i = 0; i < p; i++) s1[i] += w * x[off + i];
}

function unpack(packed: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  let m = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++, m++) out[i * p + j] = out[j * p + i] = packed[m];
  return out;
}

/** A M A for symmetric p x p matrices. */
function sandwich(a: Float64Array, m: Float64Array, p: number): Float64Array {
  const am = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) for (let j = 0; j < p; j++) am[i * p + j] += a[i * p + k] * m[k * p + j];
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) for (let j = 0; j < p; j++) out[i * p + j] += am[i * p + k] * a[k * p + j];
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) out[i * p + j] = out[j * p + i] = (out[i * p + j] + out[j * p + i]) / 2;
  return out;
}

function singularError(term: string, why = 'is collinear with the other terms (or constant within the risk sets)'): StatsError {
  return new StatsError('singular', `Cannot fit the Fine-Gray model: term '${term}' ${why}, so its subdistribution hazard ratio cannot be estimated.`, term);
}
