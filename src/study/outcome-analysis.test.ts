import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { type Column, type Table } from '../data/table.js';
import { Z_975 } from '../stats/distributions.js';
import { eValue } from '../stats/evalue.js';
import { StatsError } from '../stats/stats-error.js';
import type { AdjustedSample } from './adjusted-sample.js';
import { analyseOutcome, type OutcomeAnalysis } from './outcome-analysis.js';
import { binaryOutcome, bleedOutcome, num, numericColumn, outcomeSpec, outcomeTable, ref, type Json } from '../../test/support/outcome-analysis-fixture.js';
import type { TimeToEventOutcome } from './study-spec.js';

// ---------------------------------------------------------------------------------------------------
// A simulated matched / weighted sample against R 4.2 + survival 3.5-3: test/fixtures/r/outcome_analysis.R wrote
// test/fixtures/data/outcome_analysis.csv and the numbers in test/fixtures/expected/outcome_analysis.json.

const pair = (o: Json, k: string): [number, number] => o[k] as [number, number]; // [treat = 0, treat = 1]

const table = outcomeTable;
const values = (name: string): Float64Array => numericColumn(name);
const allRows = Int32Array.from({ length: table.nRows }, (_, i) => i);

function sampleOf(kind: 'matched' | 'iptw' | 'crude'): AdjustedSample {
  const weights = kind === 'matched' ? Float64Array.from(values('w')) : kind === 'iptw' ? Float64Array.from(values('w_iptw')) : new Float64Array(table.nRows).fill(1);
  return {
    set: kind === 'crude' ? 'crude' : 'critique',
    rows: allRows,
    treated: Uint8Array.from(values('treat')),
    weights,
    cluster: kind === 'matched' ? Int32Array.from(values('set')) : null,
    score: kind === 'crude' ? null : new Float64Array(table.nRows).fill(0.5),
    propensity: null,
    balance: null,
  };
}

const spec = outcomeSpec;
const bleed = bleedOutcome;
const binary = binaryOutcome;

function assertCoxMatchesR(result: OutcomeAnalysis, key: string, seType: string): void {
  const r = ref(key);
  assertClose(Math.log(result.ratio.estimate), num(r, 'coef'), 1e-6, `${key} log HR`);
  assertClose(result.ratio.se, num(r, 'se'), 1e-6, `${key} SE`);
  assert.equal(result.ratio.seType, seType);
  assertClose(result.ratio.lower, Math.exp(num(r, 'coef') - Z_975 * num(r, 'se')), 1e-6, `${key} lower`);
  assert.deepEqual(result.ratio.n, { target: num(r, 'n_target'), comparator: num(r, 'n_comparator') });
  assert.deepEqual(result.ratio.events, { target: num(r, 'events_target'), comparator: num(r, 'events_comparator') });
  assert.equal(result.ratio.n.target + result.ratio.n.comparator, num(r, 'n'));
}

function assertRiskMatchesR(result: OutcomeAnalysis, key: string): void {
  const r = ref(key);
  const [s0, s1] = pair(r, 'surv');
  const [se0, se1] = pair(r, 'std_err');
  assertClose(result.risk.target.estimate, 1 - s1, 1e-9, `${key} risk target`);
  assertClose(result.risk.comparator.estimate, 1 - s0, 1e-9, `${key} risk comparator`);
  assertClose(result.risk.target.lower, 1 - pair(r, 'upper')[1], 1e-9, `${key} risk target lower`);
  assertClose(result.risk.target.upper, 1 - pair(r, 'lower')[1], 1e-9, `${key} risk target upper`);
  assertClose(result.riskDifference.estimate, s0 - s1, 1e-9, `${key} RD`);
  assertClose(result.riskDifference.se, Math.hypot(se0, se1), 1e-9, `${key} RD SE`);
  assert.equal(result.riskDifference.seType, 'greenwood');
  assert.equal(result.riskDifference.eValue, null);
}

test('analyseOutcome, matched sample: weighted Cox HR with SE clustered on the matched set vs R', () => {
  const result = analyseOutcome(table, sampleOf('matched'), bleed, spec, { eValues: true, curves: true });
  assertCoxMatchesR(result, 'matched_cox', 'robust');
  assertRiskMatchesR(result, 'matched_km');
  // The undetermined bleeds (5 rows of the file) are reported, not dropped silently.
  assert.deepEqual(result.excluded, { count: 5, reasons: { 'bleed missing (undetermined)': 5 } });
  assert.equal(result.horizon_d, 100);
  assert.equal(result.set, 'critique');
  assert.equal(result.competing, null);
});

test('analyseOutcome, weighted sample: each row its own cluster (robust sandwich) vs R', () => {
  const result = analyseOutcome(table, sampleOf('iptw'), bleed, spec, { eValues: false, curves: false });
  assertCoxMatchesR(result, 'iptw_cox', 'robust');
  assertRiskMatchesR(result, 'iptw_km');
  assert.equal(result.ratio.eValue, null);
  assert.equal(result.km, null);
  assert.equal(result.riskTable, null);
});

test('analyseOutcome, crude sample: model SE vs R', () => {
  const result = analyseOutcome(table, sampleOf('crude'), bleed, spec, { eValues: false, curves: false });
  assertCoxMatchesR(result, 'crude_cox', 'model');
  assertRiskMatchesR(result, 'crude_km');
  assert.equal(result.set, 'crude');
});

test('analyseOutcome: E-value of the HR as src/stats/evalue.ts gives it (common outcome: > 15% by the horizon)', () => {
  const result = analyseOutcome(table, sampleOf('matched'), bleed, spec, { eValues: true, curves: false });
  const { estimate, lower, upper } = result.ratio;
  const expected = eValue({ estimate, lower, upper, measure: 'hr', rareOutcome: false });
  assert.deepEqual(result.ratio.eValue, { point: expected.point, ci: expected.confidenceBound });
});

test('analyseOutcome: KM curves start at (0, 1), end at the horizon, and the risk table counts patients at risk', () => {
  const result = analyseOutcome(table, sampleOf('matched'), bleed, spec, { eValues: false, curves: true });
  const km = result.km;
  assert.ok(km);
  for (const [group, curve] of [['target', km.target], ['comparator', km.comparator]] as const) {
    assert.equal(curve.time[0], 0, group);
    assert.equal(curve.estimate[0], 1, group);
    assert.ok(curve.time[curve.time.length - 1] <= 100, group);
    assert.ok(curve.time.length <= 400, group);
    assertClose(curve.estimate[curve.estimate.length - 1], 1 - result.risk[group].estimate, 1e-12, `${group} curve at the horizon`);
  }
  const rt = result.riskTable;
  assert.ok(rt);
  assert.deepEqual(rt.time, [0, 17, 33, 50, 67, 83, 100]);
  assert.deepEqual([rt.target[0], rt.comparator[0]], [result.ratio.n.target, result.ratio.n.comparator]);
  for (let k = 1; k < rt.time.length; k++) assert.ok(rt.target[k] <= rt.target[k - 1] && rt.comparator[k] <= rt.comparator[k - 1]);
});

test('analyseOutcome, death as competing event: Aalen-Johansen risk by the horizon vs R, Fine-Gray SHR filled', () => {
  const outcome: TimeToEventOutcome = { ...bleed, competing: { label: 'Death', event: 'death', eventTime: 'death_d' } };
  const result = analyseOutcome(table, sampleOf('matched'), outcome, spec, { eValues: true, curves: true });
  const [cif0, cif1] = pair(ref('matched_aj'), 'cif');
  assertClose(result.risk.target.estimate, cif1, 1e-9, 'CIF target');
  assertClose(result.risk.comparator.estimate, cif0, 1e-9, 'CIF comparator');
  assert.equal(result.riskDifference.seType, 'infinitesimal-jackknife');
  assert.match(result.label, /cause-specific HR; Death as competing event/);
  assert.equal(result.km, null);
  const c = result.competing;
  assert.ok(c);
  assert.equal(c.label, 'Death');
  assert.equal(c.subdistributionHr.measure, 'SHR');
  assert.ok(c.subdistributionHr.estimate > 0 && c.subdistributionHr.lower < c.subdistributionHr.estimate);
  assert.ok(c.subdistributionHr.eValue);
  assert.equal(c.cif.target.estimate[0], 0);
  assertClose(c.cif.target.estimate[c.cif.target.estimate.length - 1], cif1, 1e-12, 'CIF curve at the horizon');
  // The cause-specific Cox model censors deaths: the same events as without the competing event.
  assert.deepEqual(result.ratio.events, { target: num(ref('matched_cox'), 'events_target'), comparator: num(ref('matched_cox'), 'events_comparator') });
});

// ---------------------------------------------------------------------------------------------------
// Binary outcome.

test('analyseOutcome, binary, matched: weighted risks, RD and log RR with the cluster sandwich vs R', () => {
  const r = ref('binary_matched');
  const result = analyseOutcome(table, sampleOf('matched'), binary, spec, { eValues: true, curves: true });
  assertClose(result.risk.target.estimate, num(r, 'risk_target'), 1e-12, 'risk target');
  assertClose(result.risk.comparator.estimate, num(r, 'risk_comparator'), 1e-12, 'risk comparator');
  assertClose(result.riskDifference.estimate, num(r, 'rd'), 1e-9, 'RD');
  assertClose(result.riskDifference.se, num(r, 'rd_se'), 1e-9, 'RD SE');
  // R's Poisson glm stops iterating at a relative deviance change of 1e-8, so its log RR is good to ~1e-9.
  assertClose(Math.log(result.ratio.estimate), num(r, 'log_rr'), 1e-7, 'log RR');
  assertClose(result.ratio.se, num(r, 'log_rr_se'), 1e-7, 'log RR SE');
  assert.equal(result.ratio.measure, 'RR');
  assert.equal(result.ratio.seType, 'delta');
  assert.deepEqual(result.ratio.events, { target: num(r, 'events_target'), comparator: num(r, 'events_comparator') });
  assert.deepEqual(result.ratio.n, { target: num(r, 'n_target'), comparator: num(r, 'n_comparator') });
  assert.equal(result.excluded.count, 4);
  assert.equal(result.km, null);
  assert.equal(result.horizon_d, null);
  const e = eValue({ estimate: result.ratio.estimate, lower: result.ratio.lower, upper: result.ratio.upper });
  assert.deepEqual(result.ratio.eValue, { point: e.point, ci: e.confidenceBound });
});

/** Four target and four comparator patients, 3/4 vs 1/4 with the outcome, as matched pairs or independent. */
function tinyBinary(pairs: boolean): { table: Table; sample: AdjustedSample } {
  const col = (name: string, v: number[]): Column => ({ kind: 'numeric', name, values: Float64Array.from(v) });
  const t: Table = { nRows: 8, columns: [col('y', [1, 1, 1, 0, 0, 1, 0, 0])] };
  return {
    table: t,
    sample: {
      set: pairs ? 'critique' : 'crude',
      rows: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
      treated: Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]),
      weights: new Float64Array(8).fill(1),
      // pairs (target, comparator): (1, 0) (1, 1) (1, 0) (0, 0)
      cluster: pairs ? Int32Array.from([1, 2, 3, 4, 1, 2, 3, 4]) : null,
      score: null,
      propensity: null,
      balance: null,
    },
  };
}

test('analyseOutcome, binary: hand-computed RD and RR, independent groups', () => {
  const { table: t, sample } = tinyBinary(false);
  const result = analyseOutcome(t, sample, binary, spec, { eValues: false, curves: false });
  // p_t = 3/4, p_c = 1/4; var p = p (1 - p) / 4 = 0.046875 each.
  assertClose(result.riskDifference.estimate, 0.5, 1e-12, 'RD');
  assertClose(result.riskDifference.se, Math.sqrt(0.09375), 1e-12, 'RD SE');
  assertClose(result.ratio.estimate, 3, 1e-12, 'RR');
  // var log RR = 0.046875 / 0.75^2 + 0.046875 / 0.25^2 = 1/12 + 3/4.
  assertClose(result.ratio.se, Math.sqrt(1 / 12 + 3 / 4), 1e-12, 'log RR SE');
  assertClose(result.risk.comparator.lower, 0, 1e-12, 'CI clipped at 0');
});

test('analyseOutcome, binary: hand-computed RD and RR, matched pairs (covariance through the pairs)', () => {
  const { table: t, sample } = tinyBinary(true);
  const result = analyseOutcome(t, sample, binary, spec, { eValues: false, curves: false });
  // Influences (y - p) / 4: target 1/16, 1/16, 1/16, -3/16; comparator -1/16, 3/16, -1/16, -1/16 in pair order.
  // var = 3/64 each; cov = (-1 + 3 - 1 + 3) / 256 = 1/64. var RD = 3/64 + 3/64 - 2/64 = 1/16.
  assertClose(result.riskDifference.se, 0.25, 1e-12, 'RD SE');
  // var log RR = 1/12 + 3/4 - 2 (1/64) / (3/16) = 5/6 - 1/6 = 2/3.
  assertClose(result.ratio.se, Math.sqrt(2 / 3), 1e-12, 'log RR SE');
});

test('analyseOutcome, binary: no outcome in a group is a StatsError, not an infinite RR', () => {
  const { sample } = tinyBinary(false);
  const none: Table = { nRows: 8, columns: [{ kind: 'numeric', name: 'y', values: Float64Array.from([1, 1, 1, 0, 0, 0, 0, 0]) }] };
  assert.throws(() => analyseOutcome(none, sample, binary, spec, { eValues: false, curves: false }), (e: unknown) => e instanceof StatsError && /no comparator patient/.test(e.message));
});
