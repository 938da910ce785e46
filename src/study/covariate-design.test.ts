import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromRows } from '../../test/support/analysis-table.js';
import { DataError } from '../data/data-error.js';
import { covariateDesign, MISSING_LEVEL, withoutSeparatingColumns } from './covariate-design.js';

// Worked case, computed by hand. Table row 4 (sex 'other', shock 'E') is not in the cohort, so both levels have no
// patient and are dropped. Cohort rows 0, 1, 2, 3, 5.
const table = tableFromRows([
  { sex: 'female', lactate: 2.5, shock: 'C', flag: 1, konst: 7, creat: 1.1 },
  { sex: 'male', lactate: null, shock: 'D', flag: 0, konst: 7, creat: null },
  { sex: 'male', lactate: 4.0, shock: null, flag: 1, konst: 7, creat: 0.9 },
  { sex: 'female', lactate: 1.5, shock: 'C', flag: null, konst: 7, creat: 1.3 },
  { sex: 'other', lactate: 3.0, shock: 'E', flag: 0, konst: 7, creat: 2.0 },
  { sex: 'male', lactate: null, shock: 'D', flag: 1, konst: 7, creat: null },
]);
const cohort = { rows: Int32Array.from([0, 1, 2, 3, 5]), treated: Uint8Array.from([1, 0, 1, 0, 0]) };

function column(x: { nRows: number; nCols: number; names: readonly string[]; data: Float64Array }, name: string): number[] {
  const j = x.names.indexOf(name);
  assert.ok(j >= 0, `design column ${name} missing; have ${x.names.join(', ')}`);
  return Array.from({ length: x.nRows }, (_, i) => x.data[i * x.nCols + j]);
}

test("missing indicators: '(missing)' level last, mean fill + '_missing' flag, empty levels and constant columns left out", () => {
  const d = covariateDesign(table, cohort, ['sex', 'lactate', 'shock', 'flag', 'konst', 'creat'], 'indicator');
  assert.deepEqual(Array.from(d.rows), [0, 1, 2, 3, 5]);
  assert.deepEqual(Array.from(d.keptIndex), [0, 1, 2, 3, 4]);
  assert.equal(d.dropped, 0);
  // creat is missing in exactly the rows lactate is: its indicator would be collinear and is left out of the model.
  assert.deepEqual(d.x.names, ['intercept', 'sex=male', 'lactate', 'lactate_missing', 'shock=D', `shock=${MISSING_LEVEL}`, 'flag', 'flag_missing', 'creat']);
  assert.deepEqual(column(d.x, 'intercept'), [1, 1, 1, 1, 1]);
  assert.deepEqual(column(d.x, 'sex=male'), [0, 1, 1, 0, 1]);
  // lactate mean over present values (2.5 + 4 + 1.5) / 3 = 8/3.
  assert.deepEqual(column(d.x, 'lactate'), [2.5, 8 / 3, 4, 1.5, 8 / 3]);
  assert.deepEqual(column(d.x, 'lactate_missing'), [0, 1, 0, 0, 1]);
  assert.deepEqual(column(d.x, 'shock=D'), [0, 1, 0, 0, 1]);
  assert.deepEqual(column(d.x, 'shock=(missing)'), [0, 0, 1, 0, 0]);
  // flag mean (1 + 0 + 1 + 1) / 4 = 0.75.
  assert.deepEqual(column(d.x, 'flag'), [1, 0, 1, 0.75, 1]);
  assert.deepEqual(column(d.x, 'flag_missing'), [0, 0, 0, 1, 0]);
  // creat mean (1.1 + 0.9 + 1.3) / 3.
  assert.deepEqual(column(d.x, 'creat'), [1.1, (1.1 + 0.9 + 1.3) / 3, 0.9, 1.3, (1.1 + 0.9 + 1.3) / 3]);

  assert.deepEqual(
    d.balanceCovariates.map((c) => [c.name, c.binary]),
    [
      ['sex=female', true],
      ['sex=male', true],
      ['lactate', false],
      ['lactate_missing', true],
      ['shock=C', true],
      ['shock=D', true],
      [`shock=${MISSING_LEVEL}`, true],
      ['flag', false], // 0.75 is not 0/1, so its SD is the sample SD
      ['flag_missing', true],
      ['creat', false],
      ['creat_missing', true], // left out of the model, still a balance row
    ],
  );
  assert.deepEqual(Array.from(d.balanceCovariates[0].values), [1, 0, 0, 1, 0]);
  assert.equal(d.warnings.length, 2, d.warnings.join('\n'));
  assert.match(d.warnings[0], /'konst' is constant \(every value present is 7\)/);
  assert.match(d.warnings[1], /'creat_missing' is identical to 'lactate_missing'/);
});

test('complete-case: rows missing a covariate are dropped and counted; keptIndex points into the cohort', () => {
  const d = covariateDesign(table, cohort, ['sex', 'shock'], 'complete-case');
  assert.deepEqual(Array.from(d.rows), [0, 1, 3, 5]);
  assert.deepEqual(Array.from(d.keptIndex), [0, 1, 3, 4]);
  assert.equal(d.dropped, 1);
  assert.deepEqual(d.x.names, ['intercept', 'sex=male', 'shock=D']);
  assert.deepEqual(column(d.x, 'shock=D'), [0, 1, 0, 1]);
  assert.deepEqual(d.warnings, []);
});

test("a level marking the same rows as an earlier missing indicator loses its design column, not its balance row", () => {
  const t = tableFromRows([
    { a: 1, b: 'x' },
    { a: null, b: null },
    { a: 3, b: 'y' },
    { a: 4, b: 'x' },
  ]);
  const d = covariateDesign(t, { rows: Int32Array.from([0, 1, 2, 3]), treated: Uint8Array.from([0, 1, 0, 1]) }, ['a', 'b'], 'indicator');
  assert.deepEqual(d.x.names, ['intercept', 'a', 'a_missing', 'b=y']);
  // The missing row is coded as b's reference level with a_missing = 1: the same model as a '(missing)' column.
  assert.deepEqual(column(d.x, 'b=y'), [0, 0, 1, 0]);
  assert.deepEqual(d.balanceCovariates.map((c) => c.name), ['a', 'a_missing', 'b=x', 'b=y', `b=${MISSING_LEVEL}`]);
  assert.match(d.warnings[0], /'b=\(missing\)' marks the same rows as 'a_missing'/);
});

test('refuses unknown columns, duplicates and a cohort with no complete row', () => {
  assert.throws(() => covariateDesign(table, cohort, ['nope'], 'indicator'), DataError);
  assert.throws(() => covariateDesign(table, cohort, ['sex', 'sex'], 'indicator'), /listed twice/);
  assert.throws(() => covariateDesign(table, { rows: Int32Array.from([1, 5]), treated: Uint8Array.from([0, 1]) }, ['lactate'], 'complete-case'), /no cohort row has a value/);
});

test('a level found in one treatment group only separates the groups: left out of the model with a warning, kept in the balance table', () => {
  const rows = [
    ...Array.from({ length: 6 }, (_, i) => ({ treat: 'iabp', phenotype: i < 3 ? 'hypotensive' : 'normotensive', age: 60 + i })),
    ...Array.from({ length: 6 }, (_, i) => ({ treat: 'pump', phenotype: i < 4 ? 'hypotensive' : 'normotensive', age: 62 + i })),
    { treat: 'iabp', phenotype: 'no_shock', age: 70 },
    { treat: 'iabp', phenotype: 'no_shock', age: 71 },
  ];
  const table = tableFromRows(rows);
  const treated = Uint8Array.from(rows, (r) => (r.treat === 'pump' ? 1 : 0));
  const cohort = { rows: Int32Array.from(rows, (_, i) => i), treated };
  const design = covariateDesign(table, cohort, ['phenotype', 'age'], 'indicator');
  const warnings: string[] = [];
  const x = withoutSeparatingColumns(design.x, treated, warnings);
  assert.deepEqual(x.names, ['intercept', 'phenotype=normotensive', 'age']);
  assert.equal(x.nCols, 3);
  assert.equal(x.data[12 * 3 + 2], 70, 'age of the first no_shock row in the compacted design');
  assert.ok(warnings.some((w) => w.includes("'phenotype=no_shock' = 1 occurs only in the comparator group (2 patients)")), warnings.join('\n'));
  assert.ok(design.balanceCovariates.some((b) => b.name === 'phenotype=no_shock'));
});
