// The adjustment step of a study (OHDSI CohortMethod's "propensity scores -> match/weight -> balance"): fit the
// propensity model on one covariate set, trim, match or weight or stratify, and check covariate balance.
// Every method follows MatchIt (Ho, Imai, King & Stuart, J Stat Softw 2011;42(8)) or WeightIt where MatchIt
// has no counterpart, so an analysis can be re-run in R and give the same sample:
//   * match: greedy 1:k nearest neighbour on the linear logit, largest score first, no replacement, caliper in
//     SD of the linear logit (matchit(method = "nearest", link = "linear.logit", m.order = "largest",
//     std.caliper = TRUE)); weights and matched-set ids are MatchIt's weights and subclass. ATT only.
//   * iptw: inverse-probability weights for the ATE or ATT (WeightIt's get_w_from_ps); overlap: overlap weights
//     (Li, Morgan & Zaslavsky, JASA 2018).
//   * stratification: matchit(method = "subclass"): cut points at the quantiles (R type 7) of the score of the
//     treated (ATT) or of everyone (ATE), findInterval(all.inside = TRUE), subclass_scootC so each subclass
//     holds both groups, and MatchIt's subclass weights (see subclassWeights below).
// Trimming (Crump RK et al., Biometrika 2009;96:187-99, with a fixed threshold) removes patients whose score lies
// outside [trim, 1 - trim] after the model is fitted (MatchIt's discard without reestimate): they leave the sample,
// but the balance "before" and its SD denominators stay those of every modelled patient, as summary.matchit()
// computes them on all units.
import { DataError } from '../data/data-error.js';
import type { Table } from '../data/table.js';
import type { DesignMatrix } from '../stats/matrix.js';
import { balanceTable, type BalanceCovariate, type BalanceEstimand } from '../stats/balance.js';
import { matchNearest } from '../stats/matching.js';
import { fitPropensity, type PropensityResult } from '../stats/propensity.js';
import { StatsError } from '../stats/stats-error.js';
import { effectiveSampleSize, propensityWeights } from '../stats/weighting.js';
import type { AdjustedSample, Cohort } from './adjusted-sample.js';
import { withoutSeparatingColumns, covariateDesign, type CovariateDesign } from './covariate-design.js';
import { propensityDiagnostics } from './propensity-diagnostics.js';
import type { AdjustmentSet, BalanceDiagnostics } from './study-results.js';
import type { Adjustment } from './study-spec.js';

/** |SMD| below which a covariate counts as balanced (Austin PC, Stat Med 2009;28:3083-107). */
export const BALANCE_THRESHOLD_SMD = 0.1;

export interface AdjustSampleOptions {
  /**
   * Matching only: 'matchit-4.5.1' reproduces MatchIt 4.5.1-4.5.3's integer-truncated distance differences
   * (src/stats/matching.ts), for comparing with reference pairs computed by that release. Default 'exact'.
   */
  readonly compat?: 'exact' | 'matchit-4.5.1';
  /** A model from propensityModel() with the same cohort, set, covariates and missing rule, to skip refitting. */
  readonly model?: PropensityModel;
}

/** Subclasses and weights of matchit(method = "subclass"); see subclassify. */
interface Subclassification {
  readonly subclass: Int32Array;
  readonly weights: Float64Array;
  readonly nSubclasses: number;
}

/**
 * R's quantile(x, probs, type = 7) of sorted values: with h = 1 + (m - 1) p, lo = floor(h), hi = ceiling(h),
 * x[lo] + (h - lo) (x[hi] - x[lo]) written as R writes it, (1 - g) x[lo] + g x[hi], and only where x[hi] != x[lo].
 */
function quantileType7(sorted: Float64Array, p: number): number {
  const m = sorted.length;
  const index = 1 + Math.max(m - 1, 0) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo - 1];
  const xhi = sorted[hi - 1];
  if (index > lo && xhi !== qs) {
    const g = index - lo;
    return (1 - g) * qs + g * xhi;
  }
  return qs;
}

/**
 * MatchIt's subclass_scootC (src/subclass_scootC.cpp, min.n = 1): while a subclass has no unit of a treatment
 * group, the first such subclass takes the nearest unit (by score) of that group from the nearest non-empty
 * subclass to its left or right; the side is the one the counts lean to (sum over other subclasses of
 * (count - 1) / (their index - its index), left when <= 0). Units of a group are scanned in data order and the
 * last of equal scores wins, as in the C++ loop. `subclass` is modified in place; returns the number of moves.
 */
function scootSubclasses(subclass: Int32Array, treated: Uint8Array, score: Float64Array): number {
  const n = subclass.length;
  const present = [...new Set(subclass)].sort((a, b) => a - b);
  const nsub = present.length;
  const slotOf = new Map(present.map((s, k) => [s, k]));
  const slot = Int32Array.from(subclass, (s) => slotOf.get(s) as number);
  let moves = 0;
  for (const group of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (treated[i] === group) members.push(i);
    const tab = new Int32Array(nsub);
    for (const i of members) tab[slot[i]]++;
    if (members.length < nsub) {
      throw new StatsError('invalid-input', `stratification: ${members.length} ${group === 1 ? 'target' : 'comparator'} patients cannot fill ${nsub} subclasses with at least one each`, 'subclasses');
    }
    for (;;) {
      let s = -1;
      for (let k = 0; k < nsub; k++) {
        if (tab[k] === 0) {
          s = k;
          break;
        }
      }
      if (s < 0) break;
      let left: boolean;
      if (s === nsub - 1) left = true;
      else if (s === 0) left = false;
      else {
        let lean = 0;
        for (let s2 = 0; s2 < nsub; s2++) if (s2 !== s && tab[s2] > 1) lean += (tab[s2] - 1) / (s2 - s);
        left = lean <= 0;
      }
      let from = -1;
      if (left) {
        for (let s2 = s - 1; s2 >= 0; s2--) if (tab[s2] > 0) { from = s2; break; }
      } else {
        for (let s2 = s + 1; s2 < nsub; s2++) if (tab[s2] > 0) { from = s2; break; }
      }
      let best = -1;
      for (const i of members) {
        if (slot[i] !== from) continue;
        if (best < 0 || (left ? score[i] >= score[best] : score[i] <= score[best])) best = i;
      }
      slot[best] = s;
      tab[s]++;
      tab[from]--;
      moves++;
    }
  }
  for (let i = 0; i < n; i++) subclass[i] = present[slot[i]];
  return moves;
}

/**
 * matchit(method = "subclass", subclass = k, estimand) on a score: quantile cut points of the treated scores (ATT)
 * or of all scores (ATE) at probabilities 0, 1/k, ..., 1; subclass = findInterval(score, cuts, all.inside = TRUE);
 * scooting; then MatchIt's get_weights_from_subclass with n1s, n0s, ns the treated, control and total counts of
 * subclass s: ATT treated 1, control n1s / n0s; ATE treated ns / n1s, control ns / n0s; each weighted group then
 * rescaled to sum to its size (MatchIt's "weights average 1"; it changes no weighted mean).
 */
function subclassify(score: Float64Array, treated: Uint8Array, k: number, estimand: 'att' | 'ate'): Subclassification & { moves: number } {
  const n = score.length;
  let nBase = 0;
  for (let i = 0; i < n; i++) if (estimand === 'ate' || treated[i] === 1) nBase++;
  const base = new Float64Array(nBase);
  let b = 0;
  for (let i = 0; i < n; i++) if (estimand === 'ate' || treated[i] === 1) base[b++] = score[i];
  base.sort();
  // seq(0, 1, length.out = k + 1): 0, by, 2 by, ..., 1 with by = 1 / k.
  const by = 1 / k;
  const cuts = new Float64Array(k + 1);
  for (let j = 0; j <= k; j++) cuts[j] = quantileType7(base, j === 0 ? 0 : j === k ? 1 : j * by);
  const subclass = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // findInterval: the number of cut points <= x (binary search), then all.inside clamps it to 1..k.
    let lo = 0;
    let hi = k + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid] <= score[i]) lo = mid + 1;
      else hi = mid;
    }
    subclass[i] = Math.min(Math.max(lo, 1), k) - 1;
  }
  const t1 = new Int32Array(k);
  const t0 = new Int32Array(k);
  for (let i = 0; i < n; i++) (treated[i] === 1 ? t1 : t0)[subclass[i]]++;
  let needsScoot = false;
  for (let s = 0; s < k; s++) if (t1[s] + t0[s] > 0 && (t1[s] === 0 || t0[s] === 0)) needsScoot = true;
  const moves = needsScoot ? scootSubclasses(subclass, treated, score) : 0;
  t1.fill(0);
  t0.fill(0);
  for (let i = 0; i < n; i++) (treated[i] === 1 ? t1 : t0)[subclass[i]]++;
  const weights = new Float64Array(n);
  let sum1 = 0;
  let sum0 = 0;
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const s = subclass[i];
    if (treated[i] === 1) {
      weights[i] = estimand === 'att' ? 1 : (t1[s] + t0[s]) / t1[s];
      sum1 += weights[i];
      n1++;
    } else {
      weights[i] = estimand === 'att' ? t1[s] / t0[s] : (t1[s] + t0[s]) / t0[s];
      sum0 += weights[i];
    }
  }
  const f1 = n1 / sum1;
  const f0 = (n - n1) / sum0;
  for (let i = 0; i < n; i++) weights[i] *= treated[i] === 1 ? f1 : f0;
  let nSubclasses = 0;
  for (let s = 0; s < k; s++) if (t1[s] + t0[s] > 0) nSubclasses++;
  return { subclass, weights, nSubclasses, moves };
}

/** A fitted propensity model of one covariate set on a cohort: reusable across adjustments (calipers, trims, methods). */
export interface PropensityModel {
  readonly cohort: Cohort;
  readonly set: AdjustmentSet;
  readonly covariates: readonly string[];
  readonly missing: 'indicator' | 'complete-case';
  readonly design: CovariateDesign;
  /** Treatment of each design row. */
  readonly treated: Uint8Array;
  readonly ps: PropensityResult;
  readonly warnings: readonly string[];
}

/**
 * Builds the design (covariateDesign) and fits the logistic propensity model, the costly part of adjustSample
 * (O(n p^2) per iteration). A study that adjusts one covariate set several ways (sensitivity calipers, trims,
 * methods) fits once and passes the result as `options.model`; MatchIt's reestimate = FALSE semantics make that
 * exact, as trimming never refits.
 */
export function propensityModel(table: Table, cohort: Cohort, set: AdjustmentSet, covariates: readonly string[], missing: 'indicator' | 'complete-case'): PropensityModel {
  if (set === 'crude') throw new DataError("set 'crude' has no propensity model; use crudeSample for the crude sample", { field: 'set', value: set, expected: "'published' or 'critique'" });
  const design = covariateDesign(table, cohort, covariates, missing);
  const warnings = [...design.warnings];
  if (design.dropped > 0) warnings.push(`${set}: ${design.dropped} of ${cohort.rows.length} cohort patients dropped for missing covariates (complete-case)`);
  if (design.x.nCols < 2) {
    throw new DataError(`${set}: no covariate of ${covariates.join(', ')} varies in the cohort; a propensity model needs at least one`, { field: 'covariates', expected: 'a covariate that varies' });
  }
  const n = design.rows.length;
  const treated = new Uint8Array(n);
  let nTreated = 0;
  for (let k = 0; k < n; k++) {
    treated[k] = cohort.treated[design.keptIndex[k]];
    nTreated += treated[k];
  }
  if (nTreated === 0 || nTreated === n) {
    throw new DataError(`${set}: the ${n} patients kept are all ${nTreated === 0 ? 'comparator' : 'target'} patients; expected both groups`, { field: 'treatment', expected: 'target and comparator patients' });
  }
  // A level present in one group only would make the fit refuse (perfect separation): left out with a warning.
  let x = withoutSeparatingColumns(design.x, treated, warnings);
  const ps = fitDroppingAliased();
  function fitDroppingAliased(): PropensityResult {
    // A column that is a linear combination of earlier ones (e.g. phenotype levels seen only in SCAI stage B) is
    // aliased: R's glm reports NA for it and fits the rest; we leave it out, with a warning naming it, and refit.
    for (;;) {
      try {
        return fitPropensity(treated, x);
      } catch (e) {
        const term = e instanceof StatsError && e.kind === 'singular' ? e.term : undefined;
        const j = term === undefined ? -1 : x.names.indexOf(term);
        if (j <= 0) throw e;
        warnings.push(`'${term}' is a linear combination of earlier columns of the propensity model (aliased, as R's glm reports NA); left out of the model`);
        x = dropColumn(x, j);
      }
    }
  }
  return { cohort, set, covariates: [...covariates], missing, design: { ...design, x }, treated, ps, warnings };
}

/**
 * Fits the propensity model on `covariates`, trims, adjusts by `adjustment.method` and checks balance; see the
 * file header. Deterministic: no randomness anywhere, ties broken by data order.
 */
export function adjustSample(
  table: Table,
  cohort: Cohort,
  set: AdjustmentSet,
  covariates: readonly string[],
  adjustment: Adjustment,
  missing: 'indicator' | 'complete-case',
  options: AdjustSampleOptions = {},
): AdjustedSample & { warnings: string[] } {
  const model = options.model ?? propensityModel(table, cohort, set, covariates, missing);
  if (model.cohort !== cohort || model.set !== set || model.missing !== missing || model.covariates.join('\u0000') !== covariates.join('\u0000')) {
    throw new DataError(`adjustSample: the propensity model passed in options was fitted for another cohort, set, covariate list or missing-data rule`, { field: 'options.model', expected: 'propensityModel(table, cohort, set, covariates, missing) of the same arguments' });
  }
  const { design, ps } = model;
  const treatedAll = model.treated;
  const n = design.rows.length;
  const warnings = [...model.warnings];

  // Trimming.
  const trim = adjustment.trim;
  let sel: Int32Array;
  if (trim > 0) {
    const keep = new Int32Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) if (ps.score[k] >= trim && ps.score[k] <= 1 - trim) keep[m++] = k;
    sel = keep.slice(0, m);
  } else {
    sel = new Int32Array(n);
    for (let k = 0; k < n; k++) sel[k] = k;
  }
  const m = sel.length;
  const trimmed = n - m;
  const treated = new Uint8Array(m);
  const score = new Float64Array(m);
  const logit = new Float64Array(m);
  const rows = new Int32Array(m);
  let nTreated = 0;
  for (let j = 0; j < m; j++) {
    const k = sel[j];
    treated[j] = treatedAll[k];
    score[j] = ps.score[k];
    logit[j] = ps.linearLogit[k];
    rows[j] = design.rows[k];
    nTreated += treated[j];
  }
  if (nTreated === 0 || nTreated === m) {
    throw new DataError(`${set}: trimming scores outside [${trim}, ${1 - trim}] leaves ${nTreated === 0 ? 'no target' : 'no comparator'} patient (${trimmed} of ${n} trimmed)`, {
      field: 'adjustment.trim',
      value: trim,
      expected: 'a threshold that keeps both groups',
    });
  }
  if (trimmed > 0) warnings.push(`${set}: ${trimmed} of ${n} patients trimmed (propensity score outside [${trim}, ${1 - trim}])`);

  let weights: Float64Array;
  let cluster: Int32Array | null = null;
  let balanceEstimand: BalanceEstimand;
  let matched: BalanceDiagnostics['matched'] = null;
  switch (adjustment.method) {
    case 'match': {
      if (adjustment.estimand !== 'att') warnings.push(`${set}: nearest-neighbour matching estimates the ATT (as MatchIt's method = "nearest"); estimand '${adjustment.estimand}' not used`);
      const result = matchNearest({ distance: logit, treated, ratio: adjustment.ratio, caliperSd: adjustment.caliperSd, compat: options.compat ?? 'exact' });
      weights = result.weights;
      cluster = result.subclass;
      balanceEstimand = 'att';
      matched = {
        target: result.nTreatedMatched,
        comparator: result.nControlMatched,
        unmatchedTarget: result.nTreated - result.nTreatedMatched,
        caliper: result.caliper,
      };
      if (result.nTreatedMatched === 0) throw new StatsError('empty', `${set}: no target patient found a match within the caliper (${adjustment.caliperSd} SD of the linear logit)`, 'caliperSd');
      break;
    }
    case 'iptw':
      weights = propensityWeights(score, treated, adjustment.estimand);
      balanceEstimand = adjustment.estimand;
      break;
    case 'overlap':
      weights = propensityWeights(score, treated, 'overlap');
      balanceEstimand = 'overlap';
      break;
    case 'stratification': {
      const sub = subclassify(score, treated, adjustment.subclasses, adjustment.estimand);
      weights = sub.weights;
      cluster = sub.subclass;
      balanceEstimand = adjustment.estimand;
      if (sub.moves > 0) warnings.push(`${set}: ${sub.moves} patients moved to a neighbouring subclass so that every subclass holds both groups (MatchIt's subclass_scoot)`);
      if (sub.nSubclasses < adjustment.subclasses) warnings.push(`${set}: ties in the score gave ${sub.nSubclasses} subclasses instead of ${adjustment.subclasses}`);
      break;
    }
    default: {
      const never: never = adjustment.method;
      throw new DataError(`unknown adjustment method ${String(never)}`, { field: 'adjustment.method' });
    }
  }

  // Balance over every modelled patient, trimmed ones with weight 0 (see the file header).
  const weightsAll = new Float64Array(n);
  for (let j = 0; j < m; j++) weightsAll[sel[j]] = weights[j];
  const rowsBalance = balanceTable(design.balanceCovariates, treatedAll, weightsAll, balanceEstimand).map((r, j) => {
    if (r.sdDenominator > 0) return { covariate: r.covariate, smdBefore: r.smdBefore, smdAfter: r.smdAfter };
    // A covariate constant in the reference group (e.g. a level no target patient has, under the ATT): its SMD has
    // no scale in that group, so the pooled SD of both groups stands in (cobalt's fallback as well), with a warning.
    const pooled = pooledSd(design.balanceCovariates[j], treatedAll);
    warnings.push(`${set}: '${r.covariate}' is constant in the reference group; its SMD uses the pooled SD (${pooled.toPrecision(4)})`);
    const smd = (d: number): number => (d === 0 ? 0 : pooled > 0 ? d / pooled : NaN);
    return { covariate: r.covariate, smdBefore: smd(r.meanTreatedBefore - r.meanControlBefore), smdAfter: smd(r.meanTreatedAfter - r.meanControlAfter) };
  });
  let maxAbsSmdAfter = 0;
  let pass = true;
  for (const r of rowsBalance) {
    const a = Math.abs(r.smdAfter);
    if (!(a < BALANCE_THRESHOLD_SMD)) pass = false; // NaN (no scale at all) fails too
    if (a > maxAbsSmdAfter) maxAbsSmdAfter = a;
  }
  const control = new Uint8Array(m);
  for (let j = 0; j < m; j++) control[j] = 1 - treated[j];
  const balance: BalanceDiagnostics = {
    set,
    rows: rowsBalance,
    maxAbsSmdAfter,
    pass,
    effectiveSampleSize: { target: effectiveSampleSize(weights, treated), comparator: effectiveSampleSize(weights, control) },
    matched,
  };
  const propensity = propensityDiagnostics({ set, score: ps.score, treated: treatedAll, weightsAfter: weightsAll, fit: ps.fit, trimmed });
  return { set, rows, treated, weights, cluster, score, propensity, balance, warnings };
}

/** sqrt((s1^2 + s0^2) / 2) of the two unweighted groups, each SD as balance.ts computes it (sqrt(p(1 - p)) for 0/1). */
function pooledSd(covariate: BalanceCovariate, treated: Uint8Array): number {
  const { values, binary } = covariate;
  const sum = [0, 0];
  const count = [0, 0];
  for (let i = 0; i < values.length; i++) {
    sum[treated[i]] += values[i];
    count[treated[i]]++;
  }
  const variance = [0, 1].map((g) => {
    const mean = sum[g] / count[g];
    if (binary) return mean * (1 - mean);
    let ss = 0;
    for (let i = 0; i < values.length; i++) if (treated[i] === g) ss += (values[i] - mean) ** 2;
    return ss / (count[g] - 1);
  });
  return Math.sqrt((variance[0] + variance[1]) / 2);
}

/** The crude sample: every cohort row, weight 1, no cluster, no propensity, no balance. */
export function crudeSample(cohort: Cohort): AdjustedSample {
  return {
    set: 'crude',
    rows: cohort.rows.slice(),
    treated: cohort.treated.slice(),
    weights: new Float64Array(cohort.rows.length).fill(1),
    cluster: null,
    score: null,
    propensity: null,
    balance: null,
  };
}

function dropColumn(x: DesignMatrix, drop: number): DesignMatrix {
  const p = x.nCols - 1;
  const data = new Float64Array(x.nRows * p);
  for (let k = 0; k < x.nRows; k++) {
    for (let j = 0, q = 0; j < x.nCols; j++) if (j !== drop) data[k * p + q++] = x.data[k * x.nCols + j];
  }
  return { nRows: x.nRows, nCols: p, names: x.names.filter((_, j) => j !== drop), data };
}
