import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readCsvFile } from '../data/csv.js';
import { getColumn, type Table } from '../data/table.js';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { fixturePath } from '../../test/support/paths.js';
import { aalenJohansen, cumulativeIncidenceAt, type CompetingRisksInput } from './aalen-johansen.js';
import { kaplanMeier } from './kaplan-meier.js';

// R's numbers: test/fixtures/r/competing_risks.R -> test/fixtures/expected/competing-risks.json.
type RCurve = { time: number[]; n_risk: number[]; n_event: number[]; n_competing: number[]; cif: number[]; std_err: number[]; lower: Array<number | null>; upper: Array<number | null> };
const expected = JSON.parse(readFileSync(fixturePath('expected', 'competing-risks.json'), 'utf8')) as Record<string, RCurve>;

function numeric(table: Table, name: string): Float64Array {
  const column = getColumn(table, name);
  if (column.kind === 'categorical') throw new Error(`${name} is not numeric`);
  return column.values;
}
function competingRisksData(file: string, weighted: boolean): CompetingRisksInput {
  const table = readCsvFile(fixturePath('data', file));
  return { time: numeric(table, 'time'), status: Uint8Array.from(numeric(table, 'status')), weights: weighted ? numeric(table, 'w') : undefined };
}

// Tolerances: relative 1e-10 for the estimate, 1e-8 for the SE and the limits (computed from the SE).
function assertMatchesR(curve: ReturnType<typeof aalenJohansen>, ref: RCurve, label: string, counts: boolean): void {
  assert.deepEqual(curve.time, ref.time, `${label} time`);
  if (counts) {
    // survfit's multi-state n.risk / n.event are unweighted counts, so only comparable without weights.
    assert.deepEqual(curve.nRisk, ref.n_risk, `${label} n.risk`);
    assert.deepEqual(curve.nEvent, ref.n_event, `${label} n.event`);
    assert.deepEqual(curve.nCompeting, ref.n_competing, `${label} n.competing`);
  }
  assertAllClose(curve.cif, ref.cif, 1e-10, `${label} cif`);
  assertAllClose(curve.stdErr, ref.std_err, 1e-8, `${label} std.err`);
  assertAllClose(curve.lower, ref.lower, 1e-8, `${label} lower`);
  assertAllClose(curve.upper, ref.upper, 1e-8, `${label} upper`);
}

// Unsorted, ties of events of both kinds, censorings at event times (t = 1, 3).
const hand: CompetingRisksInput = {
  time: Float64Array.from([1, 3, 1, 2, 4, 2, 5, 3]),
  status: Uint8Array.from([1, 2, 0, 1, 0, 2, 1, 0]),
};
const handWeights = Float64Array.from([1, 2, 0.5, 1, 1.5, 1, 2, 1]);

test('hand case: worked values at t = 1 and 2, and R survfit at every time', () => {
  const curve = aalenJohansen(hand);
  assert.deepEqual(curve.time, [1, 2, 3, 4, 5]);
  assert.deepEqual(curve.nRisk, [8, 6, 4, 2, 1]);
  assert.deepEqual(curve.nEvent, [1, 1, 0, 0, 1]);
  assert.deepEqual(curve.nCompeting, [0, 1, 1, 0, 0]);
  // t = 1: F1 = 1/8. IJ derivative 7/64 for the event row, -1/64 for the 7 others: var = (49 + 7) / 64^2.
  assertClose(curve.cif[0], 1 / 8, 1e-14, 'cif(1)');
  assertClose(curve.stdErr[0], Math.sqrt(56) / 64, 1e-14, 'se(1)');
  // t = 2: S(1) = 7/8 (the censoring at 1 leaves 6 at risk), F1 = 1/8 + 7/8 * 1/6.
  assertClose(curve.cif[1], 1 / 8 + 7 / 48, 1e-14, 'cif(2)');
  // Log-type interval: F1 exp(+/- 1.96 se / F1).
  assertClose(curve.lower[0], (1 / 8) * Math.exp((-1.959963984540054 * Math.sqrt(56)) / 64 / (1 / 8)), 1e-12, 'lower(1)');
  assertMatchesR(curve, expected.hand_aj, 'hand', true);
});

test('hand case with case weights: worked value at t = 1 and R survfit(weights = w)', () => {
  const curve = aalenJohansen({ ...hand, weights: handWeights });
  // t = 1: 10 at risk (weighted), event weight 1: F1 = 0.1; derivatives 0.09 (event row), -0.01 (others),
  // var = 1^2 0.09^2 + (2^2 + 0.5^2 + 1 + 1.5^2 + 1 + 2^2 + 1) 0.01^2 = 0.00945.
  assertClose(curve.cif[0], 0.1, 1e-14, 'cif(1)');
  assertClose(curve.stdErr[0], Math.sqrt(0.00945), 1e-13, 'se(1)');
  assert.deepEqual(curve.nRisk, [10, 8.5, 6.5, 3.5, 2]);
  assertMatchesR(curve, expected.hand_aj_weighted, 'hand weighted', false);
});

test('mgus2 (progression vs death, monthly ties) agrees with R survfit at all 268 times', () => {
  assertMatchesR(aalenJohansen(competingRisksData('mgus2-cr.csv', false)), expected.mgus2_aj, 'mgus2', true);
});

test('mgus2 with case weights agrees with R survfit(weights = w)', () => {
  assertMatchesR(aalenJohansen(competingRisksData('mgus2-cr.csv', true)), expected.mgus2_aj_weighted, 'mgus2 weighted', false);
});

test('simulated continuous times (no ties) agree with R survfit', () => {
  assertMatchesR(aalenJohansen(competingRisksData('sim-cr.csv', false)), expected.sim_aj, 'sim', true);
});

test('without competing events the cumulative incidence is 1 - Kaplan-Meier', () => {
  const time = Float64Array.from([5, 1, 3, 3, 2, 8, 6, 6, 4]);
  const event = Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 1, 1]);
  const curve = aalenJohansen({ time, status: event });
  const km = kaplanMeier({ time, event });
  assertAllClose(curve.cif, km.surv.map((s) => 1 - s), 1e-14, 'cif');
});

test('integer case weights give the estimate of repeated rows', () => {
  const weighted = aalenJohansen({ time: Float64Array.from([1, 2, 3, 4]), status: Uint8Array.from([1, 2, 0, 1]), weights: Float64Array.from([2, 1, 3, 1]) });
  const repeated = aalenJohansen({ time: Float64Array.from([1, 1, 2, 3, 3, 3, 4]), status: Uint8Array.from([1, 1, 2, 0, 0, 0, 1]) });
  assertAllClose(weighted.cif, repeated.cif, 1e-14, 'cif');
});

test('cumulativeIncidenceAt reads the step function (right-continuous, 0 before the first time)', () => {
  const curve = aalenJohansen(hand);
  assert.deepEqual(cumulativeIncidenceAt(curve, 0.5), { estimate: 0, stdErr: 0, lower: 0, upper: 0 });
  const at2 = cumulativeIncidenceAt(curve, 2);
  assert.equal(at2.estimate, curve.cif[1]);
  assert.equal(at2.stdErr, curve.stdErr[1]);
  assert.equal(at2.lower, curve.lower[1]);
  assert.deepEqual(cumulativeIncidenceAt(curve, 2.999), at2);
  assert.equal(cumulativeIncidenceAt(curve, 100).estimate, curve.cif[4]);
  // No interval where F1 = 0: limits 0.
  const none = aalenJohansen({ time: Float64Array.from([1, 2]), status: Uint8Array.from([2, 1]) });
  assert.deepEqual(cumulativeIncidenceAt(none, 1), { estimate: 0, stdErr: 0, lower: 0, upper: 0 });
});

test('bad input is a clear error naming the row and the expectation', () => {
  const t = Float64Array.from([1, 2]);
  assert.throws(() => aalenJohansen({ time: Float64Array.from([1, -2]), status: Uint8Array.from([1, 0]) }), /time at row 2 is -2; expected a finite number >= 0/);
  assert.throws(() => aalenJohansen({ time: t, status: Uint8Array.from([1, 3]) }), /status at row 2 is 3; expected 0 \(censored\), 1 .* or 2/);
  assert.throws(() => aalenJohansen({ time: t, status: Uint8Array.from([1]) }), /2 times but 1 status codes/);
  assert.throws(() => aalenJohansen({ time: t, status: Uint8Array.from([1, 0]), weights: Float64Array.from([1, -1]) }), /weight at row 2 is -1/);
  assert.throws(() => aalenJohansen({ time: new Float64Array(0), status: new Uint8Array(0) }), /at least one row/);
});
