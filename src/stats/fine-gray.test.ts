import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readCsvFile } from '../data/csv.js';
import { getColumn, type Table } from '../data/table.js';
import { assertAllClose } from '../../test/support/close.js';
import { fixturePath } from '../../test/support/paths.js';
import { fitCox } from './cox.js';
import { fitFineGray, type FineGrayConvention, type FineGrayFit, type FineGrayInput } from './fine-gray.js';
import { designFromColumns } from './matrix.js';

// R's numbers: test/fixtures/r/competing_risks.R -> test/fixtures/expected/competing-risks.json.
// *_crr: cmprsk::crr (coef, sqrt(diag(var)), var); *_finegray: survival::finegray + coxph(ties = "breslow",
// weights = fgwt, cluster = id or pair), robust variance. Scalars when there is one covariate.
type RFit = { coef: number | number[]; se: number | number[]; variance: number | number[] };
const expected = JSON.parse(readFileSync(fixturePath('expected', 'competing-risks.json'), 'utf8')) as Record<string, RFit>;
const list = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);

function numeric(table: Table, name: string): Float64Array {
  const column = getColumn(table, name);
  if (column.kind === 'categorical') throw new Error(`${name} is not numeric`);
  return column.values;
}

interface Options { weighted?: boolean; cluster?: string; convention?: FineGrayConvention }
function input(file: string, covariates: string[], options: Options = {}): FineGrayInput {
  const table = readCsvFile(fixturePath('data', file));
  return {
    time: numeric(table, 'time'),
    status: Uint8Array.from(numeric(table, 'status')),
    x: designFromColumns(covariates, covariates.map((c) => numeric(table, c))),
    weights: options.weighted ? numeric(table, 'w') : undefined,
    cluster: options.cluster ? Int32Array.from(numeric(table, options.cluster)) : undefined,
    convention: options.convention,
  };
}

function assertMatchesR(fit: FineGrayFit, ref: RFit, label: string, coefTolerance: number, seTolerance: number): void {
  assert.ok(fit.converged, `${label}: converged`);
  assertAllClose(fit.coef, list(ref.coef), coefTolerance, `${label} coef`);
  assertAllClose(fit.se, list(ref.se), seTolerance, `${label} se`);
  assertAllClose(fit.variance, list(ref.variance), seTolerance * 2, `${label} variance`);
}

const mgus2 = ['age', 'male'];
const sim = ['x1', 'x2'];

test('mgus2 (monthly ties): default convention agrees with cmprsk::crr', () => {
  const fit = fitFineGray(input('mgus2-cr.csv', mgus2));
  assert.deepEqual([fit.n, fit.events, fit.competing], [1384, 115, 860]); // table(status) in R: 409, 115, 860
  assertMatchesR(fit, expected.mgus2_crr, 'mgus2 crr', 1e-9, 1e-9);
});

test('simulated continuous times agree with cmprsk::crr (to crr\'s own convergence, gtol 1e-9)', () => {
  assertMatchesR(fitFineGray(input('sim-cr.csv', sim)), expected.sim_crr, 'sim crr', 1e-7, 1e-7);
});

test('tiny case with events tied to censorings: each convention agrees with its R route', () => {
  const table = readCsvFile(fixturePath('data', 'tiny-cr.csv'));
  const base = { time: numeric(table, 'time'), status: Uint8Array.from(numeric(table, 'status')), x: designFromColumns(['x'], [numeric(table, 'x')]) };
  assertMatchesR(fitFineGray(base), expected.tiny_crr, 'tiny crr', 1e-7, 1e-7);
  assertMatchesR(fitFineGray({ ...base, convention: 'finegray' }), expected.tiny_finegray, 'tiny finegray', 1e-9, 1e-9);
});

test("'finegray' convention agrees with finegray + coxph: unweighted, weighted, weighted with matched pairs", () => {
  assertMatchesR(fitFineGray(input('mgus2-cr.csv', mgus2, { convention: 'finegray' })), expected.mgus2_finegray, 'mgus2', 1e-9, 1e-9);
  assertMatchesR(fitFineGray(input('mgus2-cr.csv', mgus2, { convention: 'finegray', weighted: true })), expected.mgus2_finegray_weighted, 'mgus2 weighted', 1e-9, 1e-9);
  assertMatchesR(
    fitFineGray(input('mgus2-cr.csv', mgus2, { convention: 'finegray', weighted: true, cluster: 'pair' })),
    expected.mgus2_finegray_weighted_pairs, 'mgus2 weighted pairs', 1e-9, 1e-9,
  );
  assertMatchesR(fitFineGray(input('sim-cr.csv', sim, { convention: 'finegray' })), expected.sim_finegray, 'sim', 1e-9, 1e-9);
  assertMatchesR(fitFineGray(input('sim-cr.csv', sim, { convention: 'finegray', weighted: true })), expected.sim_finegray_weighted, 'sim weighted', 1e-9, 1e-9);
});

test('without tied event/censoring times the two conventions give the same coefficients', () => {
  const crr = fitFineGray(input('sim-cr.csv', sim));
  const fg = fitFineGray(input('sim-cr.csv', sim, { convention: 'finegray' }));
  assertAllClose(crr.coef, fg.coef, 1e-10, 'coef');
});

test('a constant case weight changes nothing (checks that the censoring term is weighted like the score)', () => {
  for (const convention of ['crr', 'finegray'] as const) {
    const plain = fitFineGray(input('mgus2-cr.csv', mgus2, { convention }));
    const data = input('mgus2-cr.csv', mgus2, { convention });
    const tripled = fitFineGray({ ...data, weights: new Float64Array(data.time.length).fill(3) });
    assertAllClose(tripled.coef, plain.coef, 1e-10, `${convention} coef`);
    assertAllClose(tripled.variance, plain.variance, 1e-9, `${convention} variance`);
  }
});

test('weight 2 equals every row twice with the copies clustered (crr convention)', () => {
  const data = input('sim-cr.csv', sim);
  const n = data.time.length;
  const twice = (a: Float64Array): Float64Array => Float64Array.from([...a, ...a]);
  const x = data.x;
  const doubled = fitFineGray({
    time: twice(data.time),
    status: Uint8Array.from([...data.status, ...data.status]),
    x: { nRows: 2 * n, nCols: x.nCols, names: x.names, data: twice(x.data) },
    cluster: Int32Array.from({ length: 2 * n }, (_, i) => i % n),
  });
  const weighted = fitFineGray({ ...data, weights: new Float64Array(n).fill(2) });
  assertAllClose(doubled.coef, weighted.coef, 1e-10, 'coef');
  assertAllClose(doubled.variance, weighted.variance, 1e-9, 'variance');
});

test('rows of weight 0 are dropped, as if absent', () => {
  const data = input('sim-cr.csv', sim, { weighted: true });
  const n = data.time.length;
  const weights = Float64Array.from(data.weights as Float64Array, (w, i) => (i % 3 === 0 ? 0 : w));
  const zeroed = fitFineGray({ ...data, weights });
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
  const p = data.x.nCols;
  const subset = fitFineGray({
    time: Float64Array.from(keep, (i) => data.time[i]),
    status: Uint8Array.from(keep, (i) => data.status[i]),
    x: { nRows: keep.length, nCols: p, names: data.x.names, data: Float64Array.from(keep.flatMap((i) => Array.from(data.x.data.subarray(i * p, i * p + p)))) },
    weights: Float64Array.from(keep, (i) => weights[i]),
  });
  assert.equal(zeroed.n, keep.length);
  assertAllClose(zeroed.coef, subset.coef, 1e-12, 'coef');
  assertAllClose(zeroed.variance, subset.variance, 1e-10, 'variance');
});

test('with no competing events Fine-Gray is the Breslow Cox model with its robust SE', () => {
  const data = input('sim-cr.csv', sim);
  const status = Uint8Array.from(data.status, (s) => (s === 2 ? 0 : s));
  const fg = fitFineGray({ ...data, status });
  const n = data.time.length;
  const cox = fitCox({ time: data.time, event: status, x: data.x, ties: 'breslow', cluster: Int32Array.from({ length: n }, (_, i) => i) });
  assertAllClose(fg.coef, cox.coef, 1e-8, 'coef');
  assertAllClose(fg.se, cox.robustSe as Float64Array, 1e-7, 'se');
});

test('bad input is a clear error', () => {
  const x = designFromColumns(['z'], [Float64Array.from([0, 1, 0, 1])]);
  const time = Float64Array.from([1, 2, 3, 4]);
  assert.throws(() => fitFineGray({ time, status: Uint8Array.from([0, 2, 0, 2]), x }), /none of the 4 rows used has the event of interest/);
  assert.throws(() => fitFineGray({ time, status: Uint8Array.from([1, 2, 5, 0]), x }), /status at row 3 is 5/);
  assert.throws(() => fitFineGray({ time: Float64Array.from([1, -2, 3, 4]), status: Uint8Array.from([1, 2, 0, 1]), x }), /time at row 2 is -2/);
  assert.throws(() => fitFineGray({ time: Float64Array.from([1, 2, 3]), status: Uint8Array.from([1, 2, 0]), x }), /3 times but a design of 4 rows/);
  assert.throws(() => fitFineGray({ time, status: Uint8Array.from([1, 2, 0, 1]), x, cluster: Int32Array.from([1, 2]) }), /4 times but 2 cluster codes/);
  const constant = designFromColumns(['k'], [Float64Array.from([1, 1, 1, 1])]);
  assert.throws(() => fitFineGray({ time, status: Uint8Array.from([1, 2, 0, 1]), x: constant }), /term 'k' is constant/);
});
