// The outcome model of a comparative study: one outcome on one adjusted sample (crude, matched or weighted), as
// risks by the horizon per group, a risk difference and a ratio (Cox HR or risk ratio), with curves for the report.
// CohortMethod's "outcome model" step: it takes the adjustment step's sample as it is and adds nothing to it.
import { DataError } from '../data/data-error.js';
import type { Table } from '../data/table.js';
import { aalenJohansen, cumulativeIncidenceAt } from '../stats/aalen-johansen.js';
import { fitCox } from '../stats/cox.js';
import { twoSidedNormalP, Z_975 } from '../stats/distributions.js';
import { eValue } from '../stats/evalue.js';
import { fitFineGray } from '../stats/fine-gray.js';
import { kaplanMeier, type KaplanMeierCurve } from '../stats/kaplan-meier.js';
import { designFromColumns } from '../stats/matrix.js';
import { StatsError } from '../stats/stats-error.js';
import type { AdjustedSample } from './adjusted-sample.js';
import { thinCurve } from './curve-points.js';
import { binaryOutcomeData, timeToEventData, type OutcomeExclusions } from './outcome-data.js';
import type { CurvePoints, EffectEstimate, OutcomeResult } from './study-results.js';
import type { BinaryOutcome, Outcome, StudySpec, TimeToEventOutcome } from './study-spec.js';

export interface EffectOptions {
  /** Add E-values (VanderWeele & Ding 2017) to the ratio estimates. */
  eValues: boolean;
  /** Add the KM / cumulative-incidence curves and the risk table (off for the comparison and sensitivity runs). */
  curves: boolean;
}

/** OutcomeResult plus the rows the outcome could not use (missing outcome values), by reason. */
export interface OutcomeAnalysis extends OutcomeResult {
  readonly excluded: OutcomeExclusions;
}

/** Most points per plotted curve (curve-points.ts). */
const MAX_CURVE_POINTS = 400;
/** Risk-table times: 0, h/6, 2h/6, ..., h. */
const RISK_TABLE_INTERVALS = 6;
/** EValue's rule: an outcome under 15% by the end of follow-up is rare, so a HR approximates a RR as it is. */
const RARE_OUTCOME_RISK = 0.15;

/**
 * The rows an outcome model uses: sample rows with weight > 0 whose outcome is known, aligned arrays.
 * `cluster` is the variance's cluster per row: the matched set (or subclass) when the sample has one, each row
 * its own cluster for a weighted sample (the sandwich, so the SE does not treat weights as counts), null for a
 * crude sample (model-based variance).
 */
interface UsedRows {
  readonly n: number;
  /** Table rows. */
  readonly rows: Int32Array;
  readonly treated: Uint8Array;
  readonly weights: Float64Array;
  readonly cluster: Int32Array | null;
  /** 'matched': cluster holds matched-set ids; 'row': each row its own cluster (cluster = 0..n-1); 'none': crude. */
  readonly clusterKind: 'matched' | 'row' | 'none';
  readonly excluded: OutcomeExclusions;
}

export interface TimeToEventSample extends UsedRows {
  readonly kind: 'time_to_event';
  readonly time: Float64Array;
  /** 0 censored, 1 event, 2 competing event. */
  readonly status: Uint8Array;
}

export interface BinarySample extends UsedRows {
  readonly kind: 'binary';
  readonly y: Uint8Array;
}

export type OutcomeSample = TimeToEventSample | BinarySample;

/** The rows of `sample` an outcome model uses (weight > 0, outcome known), with time/status or y. */
export function outcomeSample(table: Table, sample: AdjustedSample, outcome: Outcome, spec: StudySpec): OutcomeSample {
  const m = sample.rows.length;
  if (sample.treated.length !== m || sample.weights.length !== m || (sample.cluster !== null && sample.cluster.length !== m)) {
    throw new DataError(`adjusted sample arrays disagree: ${m} rows, ${sample.treated.length} treatment flags, ${sample.weights.length} weights${sample.cluster ? `, ${sample.cluster.length} clusters` : ''}`, {
      field: 'sample',
      expected: 'arrays aligned with rows',
    });
  }
  const data = outcome.type === 'time_to_event' ? timeToEventData(table, sample.rows, outcome, spec.followUp) : binaryOutcomeData(table, sample.rows, outcome);
  let n = 0;
  for (let k = 0; k < m; k++) {
    const w = sample.weights[k];
    if (!(w >= 0) || !Number.isFinite(w)) throw new DataError(`adjusted sample weight ${w} at table row ${sample.rows[k] + 1}; expected a finite weight >= 0`, { field: 'weights', value: w, expected: 'a weight >= 0' });
    if (data.keep[k] === 1 && w > 0) n++;
  }
  const rows = new Int32Array(n);
  const treated = new Uint8Array(n);
  const weights = new Float64Array(n);
  const cluster = sample.cluster !== null || sample.set !== 'crude' ? new Int32Array(n) : null;
  let j = 0;
  for (let k = 0; k < m; k++) {
    if (data.keep[k] !== 1 || !(sample.weights[k] > 0)) continue;
    rows[j] = sample.rows[k];
    treated[j] = sample.treated[k];
    weights[j] = sample.weights[k];
    if (cluster) cluster[j] = sample.cluster ? sample.cluster[k] : j;
    j++;
  }
  const clusterKind = sample.cluster !== null ? 'matched' : cluster !== null ? 'row' : 'none';
  const base = { n, rows, treated, weights, cluster, clusterKind, excluded: data.excluded } as const;
  if ('time' in data) {
    const time = new Float64Array(n);
    const status = new Uint8Array(n);
    j = 0;
    for (let k = 0; k < m; k++) {
      if (data.keep[k] !== 1 || !(sample.weights[k] > 0)) continue;
      time[j] = data.time[k];
      status[j] = data.status[k];
      j++;
    }
    return { kind: 'time_to_event', ...base, time, status };
  }
  const y = new Uint8Array(n);
  j = 0;
  for (let k = 0; k < m; k++) {
    if (data.keep[k] !== 1 || !(sample.weights[k] > 0)) continue;
    y[j++] = data.y[k];
  }
  return { kind: 'binary', ...base, y };
}

/** Unweighted patients and events (status or y = 1) per group among the selected rows. */
export function groupCounts(treated: Uint8Array, event: Uint8Array, select: Uint8Array | null = null): { n: { target: number; comparator: number }; events: { target: number; comparator: number } } {
  const n = [0, 0];
  const events = [0, 0];
  for (let i = 0; i < treated.length; i++) {
    if (select && select[i] !== 1) continue;
    n[treated[i]]++;
    if (event[i] === 1) events[treated[i]]++;
  }
  return { n: { target: n[1], comparator: n[0] }, events: { target: events[1], comparator: events[0] } };
}

/** An EffectEstimate from an estimate and its SE on the model scale (log for ratios), Wald CI and p. */
export function effectEstimate(
  measure: EffectEstimate['measure'],
  modelEstimate: number,
  se: number,
  seType: string,
  counts: Pick<EffectEstimate, 'n' | 'events'>,
): EffectEstimate {
  const ratio = measure !== 'RD';
  const back = ratio ? Math.exp : (v: number) => v;
  return {
    measure,
    estimate: back(modelEstimate),
    lower: back(modelEstimate - Z_975 * se),
    upper: back(modelEstimate + Z_975 * se),
    p: twoSidedNormalP(modelEstimate / se),
    se,
    seType,
    n: counts.n,
    events: counts.events,
    eValue: null,
  };
}

/**
 * Cox HR of treatment alone (Efron ties, case weights) on the selected rows: robust sandwich SE clustered on
 * s.cluster (matched set, or each row for weighting; seType 'robust'), model SE without one (crude, 'model').
 * With a competing event in the status, competing events are censored: a cause-specific HR.
 */
export function hazardRatio(s: TimeToEventSample, select: Uint8Array | null = null): EffectEstimate {
  let n = s.n;
  if (select) {
    n = 0;
    for (let i = 0; i < s.n; i++) n += select[i];
  }
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  const treatment = new Float64Array(n);
  const weights = new Float64Array(n);
  const cluster = s.cluster ? new Int32Array(n) : undefined;
  let j = 0;
  for (let i = 0; i < s.n; i++) {
    if (select && select[i] !== 1) continue;
    time[j] = s.time[i];
    event[j] = s.status[i] === 1 ? 1 : 0;
    treatment[j] = s.treated[i];
    weights[j] = s.weights[i];
    if (cluster && s.cluster) cluster[j] = s.cluster[i];
    j++;
  }
  const fit = fitCox({ time, event, x: designFromColumns(['treatment'], [treatment]), weights, cluster, ties: 'efron' });
  const se = fit.robustSe ? fit.robustSe[0] : fit.naiveSe[0];
  return effectEstimate('HR', fit.coef[0], se, fit.robustSe ? 'robust' : 'model', groupCounts(s.treated, event1(s.status), select));
}

/** 1 where status is the event of interest (1), else 0 (censored or competing). */
export function event1(status: Uint8Array): Uint8Array {
  const out = new Uint8Array(status.length);
  for (let i = 0; i < status.length; i++) out[i] = status[i] === 1 ? 1 : 0;
  return out;
}

/** Rows of one group as separate arrays (for per-group curves). */
function groupArrays(s: TimeToEventSample, group: 0 | 1): { time: Float64Array; status: Uint8Array; weights: Float64Array } {
  let n = 0;
  for (let i = 0; i < s.n; i++) if (s.treated[i] === group) n++;
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const weights = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < s.n; i++) {
    if (s.treated[i] !== group) continue;
    time[j] = s.time[i];
    status[j] = s.status[i];
    weights[j] = s.weights[i];
    j++;
  }
  if (n === 0) throw new StatsError('empty', `no ${group === 1 ? 'target' : 'comparator'} patients with weight > 0 and a known outcome`, 'treatment');
  return { time, status, weights };
}

/** Index of the last time <= t (times ascending), or -1. */
function lastAtOrBefore(time: readonly number[], t: number): number {
  let lo = 0;
  let hi = time.length; // first index with time > t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

interface GroupRisk {
  estimate: number;
  lower: number;
  upper: number;
  se: number;
  /** Sum of weights (for the pooled risk). */
  weight: number;
}

/** 1 - S(h) from a KM curve with its Greenwood SE and the log-type CI of S turned around. */
function riskFromKm(curve: KaplanMeierCurve, horizon: number, weight: number): GroupRisk {
  const i = lastAtOrBefore(curve.time, horizon);
  if (i < 0) return { estimate: 0, lower: 0, upper: 0, se: 0, weight };
  const s = curve.surv[i];
  const lo = curve.lower[i];
  const up = curve.upper[i];
  return { estimate: 1 - s, lower: up === null ? 1 - s : 1 - up, upper: lo === null ? 1 - s : 1 - lo, se: curve.stdErr[i], weight };
}

/** A step curve thinned for plotting, starting at time 0 with `start` (S = 1 or CIF = 0) when its first step is later. */
function plotted(time: number[], estimate: number[], lower: Array<number | null>, upper: Array<number | null>, start: number, horizon: number): CurvePoints {
  if (time.length > 0 && time[0] === 0) return thinCurve(time, estimate, lower, upper, MAX_CURVE_POINTS, horizon);
  // Thin to one point fewer, then put the start in front (no copy of the full curve).
  const c = thinCurve(time, estimate, lower, upper, MAX_CURVE_POINTS - 1, horizon);
  return { time: [0, ...c.time], estimate: [start, ...c.estimate], lower: [start, ...c.lower], upper: [start, ...c.upper] };
}

/** Unweighted numbers at risk (time >= t) per group at 0, h/6, ..., h (whole days). */
function riskTable(s: TimeToEventSample, horizon: number): NonNullable<OutcomeResult['riskTable']> {
  const times = Array.from({ length: RISK_TABLE_INTERVALS + 1 }, (_, k) => Math.round((k * horizon) / RISK_TABLE_INTERVALS));
  const target = new Array<number>(times.length).fill(0);
  const comparator = new Array<number>(times.length).fill(0);
  for (let i = 0; i < s.n; i++) {
    const t = s.time[i];
    const counts = s.treated[i] === 1 ? target : comparator;
    for (let k = 0; k < times.length && t >= times[k]; k++) counts[k]++;
  }
  return { time: times, target, comparator };
}

function sumWeights(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return s;
}

function withEValue(effect: EffectEstimate, measure: 'hr' | 'rr', rareOutcome: boolean): EffectEstimate {
  const e = eValue({ estimate: effect.estimate, lower: effect.lower, upper: effect.upper, measure, rareOutcome });
  return { ...effect, eValue: { point: e.point, ci: e.confidenceBound ?? 1 } };
}

function riskDifference(t: GroupRisk, c: GroupRisk, seType: string, counts: Pick<EffectEstimate, 'n' | 'events'>): EffectEstimate {
  return effectEstimate('RD', t.estimate - c.estimate, Math.sqrt(t.se * t.se + c.se * c.se), seType, counts);
}

function baseResult(outcome: Outcome, sample: AdjustedSample): Pick<OutcomeResult, 'name' | 'label' | 'type' | 'primary' | 'negativeControl' | 'bleedingDefinition' | 'set'> {
  return {
    name: outcome.name,
    label: outcome.label,
    type: outcome.type,
    primary: outcome.primary,
    negativeControl: outcome.negativeControl,
    bleedingDefinition: outcome.bleedingDefinition ?? null,
    set: sample.set,
  };
}

/**
 * The full OutcomeResult for one outcome on one adjusted sample; rows with weight 0 (unmatched) and rows whose
 * outcome is unknown (counted in `excluded`) take no part.
 *
 * Time-to-event, no competing event:
 *  - risk by the horizon per group = 1 - S(h) of the weighted Kaplan-Meier with the weighted Greenwood SE and
 *    log-type CI (R: survfit(..., weights = w, robust = FALSE); survfit's own default for non-integer weights is
 *    the infinitesimal jackknife); the risk difference's SE is sqrt(se_t^2 + se_c^2) (seType 'greenwood'). Limitation: with
 *    estimated weights this ignores the uncertainty of the weights and treats them as frequencies, and with
 *    matching it ignores the pairing (the two groups' estimates are taken as independent);
 *  - the ratio is the Cox HR of treatment alone (Efron ties) with case weights; SE robust (sandwich), clustered on
 *    the matched set when matched, on each row when weighted (R: coxph(..., weights = w, cluster = set)), model
 *    SE for a crude sample;
 *  - E-value for the HR (measure 'hr'; rare outcome = the weighted mean of the groups' risks by the horizon
 *    < 15%);
 *  - curves (options.curves): KM per group thinned to <= 400 points, and a risk table (unweighted numbers at risk
 *    with time >= t at t = 0, h/6, ..., h, rounded to whole days). Without curves, km and riskTable are null and
 *    a competing outcome's cif curves are empty.
 * With a competing event: the risks are Aalen-Johansen cumulative incidences by the horizon (their infinitesimal-
 * jackknife SE for the RD, seType 'infinitesimal-jackknife'),
 * the ratio is the cause-specific Cox HR (competing events censored; the label says so), `competing` holds the
 * CIF curves and the Fine-Gray subdistribution HR (same weights and clusters), and `km` is null (1 - KM would
 * overstate the risk when the competing event is common).
 * Binary: weighted risk per group p_g = sum w y / sum w; sandwich variance sum_c (sum_{i in c, g} w_i (y_i - p_g))^2
 * / (sum_g w)^2 (c = matched set, else each row), with the covariance of the two groups' risks through shared
 * matched sets; RD (seType 'robust') and log RR by the delta method (seType 'delta'); E-value for the RR. These
 * equal R's glm(y ~ treat, weights = w) (gaussian for the RD, poisson for the log RR) with a cluster sandwich
 * (no small-sample factor). Per-group CIs are Wald, clipped to [0, 1].
 * Throws StatsError when a group is empty or the model cannot be estimated (e.g. no events in a group).
 */
export function analyseOutcome(table: Table, sample: AdjustedSample, outcome: Outcome, spec: StudySpec, options: EffectOptions): OutcomeAnalysis {
  const s = outcomeSample(table, sample, outcome, spec);
  return s.kind === 'time_to_event' ? timeToEventResult(s, outcome as TimeToEventOutcome, sample, options) : binaryResult(s, outcome as BinaryOutcome, sample, options);
}

function timeToEventResult(s: TimeToEventSample, outcome: TimeToEventOutcome, sample: AdjustedSample, options: EffectOptions): OutcomeAnalysis {
  const horizon = outcome.horizon_d;
  const groups = [groupArrays(s, 0), groupArrays(s, 1)] as const;
  const counts = groupCounts(s.treated, event1(s.status));
  let ratio = hazardRatio(s);
  let risks: [GroupRisk, GroupRisk];
  let km: OutcomeResult['km'] = null;
  let competing: OutcomeResult['competing'] = null;
  let rdSeType = 'greenwood';

  if (outcome.competing) {
    const curves = groups.map((g) => aalenJohansen({ time: g.time, status: g.status, weights: g.weights }));
    risks = [0, 1].map((k) => {
      const at = cumulativeIncidenceAt(curves[k], horizon);
      return { estimate: at.estimate, lower: at.lower, upper: at.upper, se: at.stdErr, weight: sumWeights(groups[k].weights) };
    }) as [GroupRisk, GroupRisk];
    rdSeType = 'infinitesimal-jackknife'; // survfit's default SE for Aalen-Johansen curves (aalen-johansen.ts)
    const shr = subdistributionHazardRatio(s, counts);
    const cif = options.curves
      ? {
          target: plotted(curves[1].time, curves[1].cif, curves[1].lower, curves[1].upper, 0, horizon),
          comparator: plotted(curves[0].time, curves[0].cif, curves[0].lower, curves[0].upper, 0, horizon),
        }
      : { target: emptyCurve(), comparator: emptyCurve() };
    competing = { label: outcome.competing.label, cif, subdistributionHr: shr };
  } else {
    const curves = groups.map((g) => kaplanMeier({ time: g.time, event: event1(g.status), weights: g.weights }));
    risks = [riskFromKm(curves[0], horizon, sumWeights(groups[0].weights)), riskFromKm(curves[1], horizon, sumWeights(groups[1].weights))];
    if (options.curves) {
      km = {
        target: plotted(curves[1].time, curves[1].surv, curves[1].lower, curves[1].upper, 1, horizon),
        comparator: plotted(curves[0].time, curves[0].surv, curves[0].lower, curves[0].upper, 1, horizon),
      };
    }
  }
  const [c, t] = risks;
  const rare = (t.estimate * t.weight + c.estimate * c.weight) / (t.weight + c.weight) < RARE_OUTCOME_RISK;
  if (options.eValues) {
    ratio = withEValue(ratio, 'hr', rare);
    if (competing) competing = { ...competing, subdistributionHr: withEValue(competing.subdistributionHr, 'hr', rare) };
  }
  return {
    ...baseResult(outcome, sample),
    label: outcome.competing ? `${outcome.label} (cause-specific HR; ${outcome.competing.label} as competing event)` : outcome.label,
    horizon_d: horizon,
    risk: { target: { estimate: t.estimate, lower: t.lower, upper: t.upper }, comparator: { estimate: c.estimate, lower: c.lower, upper: c.upper } },
    riskDifference: riskDifference(t, c, rdSeType, counts),
    ratio,
    km,
    riskTable: options.curves ? riskTable(s, horizon) : null,
    competing,
    excluded: s.excluded,
  };
}

function emptyCurve(): CurvePoints {
  return { time: [], estimate: [], lower: [], upper: [] };
}

/** Fine-Gray SHR of treatment alone, same weights and clusters as the Cox model. */
function subdistributionHazardRatio(s: TimeToEventSample, counts: Pick<EffectEstimate, 'n' | 'events'>): EffectEstimate {
  const treatment = Float64Array.from(s.treated);
  // Unweighted: cmprsk::crr's estimator and variance (with the censoring-estimation term). Weighted or matched:
  // survival::finegray + weighted coxph with a robust (clustered) variance, the route checked against R for case
  // weights; crr has no weights, so its variance extended to weights would rest on our algebra alone.
  let weighted = s.cluster !== null;
  for (let k = 0; k < s.weights.length && !weighted; k++) weighted = s.weights[k] !== 1;
  const fit = fitFineGray({
    time: s.time, status: s.status, x: designFromColumns(['treatment'], [treatment]), weights: s.weights, cluster: s.cluster ?? undefined,
    convention: weighted ? 'finegray' : 'crr',
  });
  if (!fit.converged) throw new StatsError('no-convergence', `Fine-Gray model did not converge in ${fit.iterations} iterations`, 'treatment');
  return effectEstimate('SHR', fit.coef[0], fit.se[0], 'robust', counts);
}

/** Per-group weighted risk and influence sums for the binary sandwich. */
interface BinaryGroups {
  risk: [number, number];
  weight: [number, number];
  /** Sandwich variance of each group's risk and their covariance (shared matched sets). */
  variance: [number, number];
  covariance: number;
}

/**
 * Weighted risks p_g = sum w y / sum w and their cluster-robust (sandwich) variances: the influence of row i in
 * group g is w_i (y_i - p_g) / W_g; var p_g = sum over clusters of the squared cluster sums, cov(p_1, p_0) = sum
 * over clusters of the products (zero unless a cluster holds both groups, as a matched set does).
 */
function binaryGroups(s: BinarySample): BinaryGroups {
  const sw = [0, 0];
  const swy = [0, 0];
  for (let i = 0; i < s.n; i++) {
    const g = s.treated[i];
    sw[g] += s.weights[i];
    swy[g] += s.weights[i] * s.y[i];
  }
  if (sw[0] === 0 || sw[1] === 0) throw new StatsError('empty', `no ${sw[1] === 0 ? 'target' : 'comparator'} patients with weight > 0 and a known outcome`, 'treatment');
  const p = [swy[0] / sw[0], swy[1] / sw[1]];
  const variance: [number, number] = [0, 0];
  let covariance = 0;
  if (s.clusterKind !== 'matched' || s.cluster === null) {
    for (let i = 0; i < s.n; i++) {
      const g = s.treated[i];
      const u = (s.weights[i] * (s.y[i] - p[g])) / sw[g];
      variance[g] += u * u;
    }
  } else {
    const { index, count } = denseCodes(s.cluster);
    const sums = new Float64Array(2 * count);
    for (let i = 0; i < s.n; i++) {
      const g = s.treated[i];
      sums[2 * index[i] + g] += (s.weights[i] * (s.y[i] - p[g])) / sw[g];
    }
    for (let c = 0; c < count; c++) {
      const u0 = sums[2 * c];
      const u1 = sums[2 * c + 1];
      variance[0] += u0 * u0;
      variance[1] += u1 * u1;
      covariance += u0 * u1;
    }
  }
  return { risk: [p[0], p[1]], weight: [sw[0], sw[1]], variance, covariance };
}

/** Cluster codes renumbered 0..count-1 in order of first appearance (a lookup array when the codes span a small range). */
export function denseCodes(codes: Int32Array): { index: Int32Array; count: number } {
  const n = codes.length;
  const index = new Int32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (codes[i] < min) min = codes[i];
    if (codes[i] > max) max = codes[i];
  }
  let count = 0;
  if (n > 0 && max - min < 4 * n + 1024) {
    const slot = new Int32Array(max - min + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const k = codes[i] - min;
      if (slot[k] < 0) slot[k] = count++;
      index[i] = slot[k];
    }
    return { index, count };
  }
  const slot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let c = slot.get(codes[i]);
    if (c === undefined) {
      c = count++;
      slot.set(codes[i], c);
    }
    index[i] = c;
  }
  return { index, count };
}

function binaryResult(s: BinarySample, outcome: BinaryOutcome, sample: AdjustedSample, options: EffectOptions): OutcomeAnalysis {
  const g = binaryGroups(s);
  const counts = groupCounts(s.treated, s.y);
  const [p0, p1] = g.risk;
  const [v0, v1] = g.variance;
  const rd = effectEstimate('RD', p1 - p0, Math.sqrt(Math.max(0, v1 + v0 - 2 * g.covariance)), 'robust', counts);
  if (p0 === 0 || p1 === 0) {
    throw new StatsError('no-events', `Cannot estimate the risk ratio of '${outcome.name}': no ${p1 === 0 ? 'target' : 'comparator'} patient with weight > 0 has the outcome`, outcome.column);
  }
  // Delta method: var log(p1/p0) = v1/p1^2 + v0/p0^2 - 2 cov/(p1 p0).
  const logRrVar = v1 / (p1 * p1) + v0 / (p0 * p0) - (2 * g.covariance) / (p1 * p0);
  let ratio = effectEstimate('RR', Math.log(p1 / p0), Math.sqrt(Math.max(0, logRrVar)), 'delta', counts);
  if (options.eValues) ratio = withEValue(ratio, 'rr', false);
  const groupRisk = (p: number, v: number) => ({ estimate: p, lower: Math.max(0, p - Z_975 * Math.sqrt(v)), upper: Math.min(1, p + Z_975 * Math.sqrt(v)) });
  return {
    ...baseResult(outcome, sample),
    horizon_d: null,
    risk: { target: groupRisk(p1, v1), comparator: groupRisk(p0, v0) },
    riskDifference: rd,
    ratio,
    km: null,
    riskTable: null,
    competing: null,
    excluded: s.excluded,
  };
}
