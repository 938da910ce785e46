import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv, readCsvFile } from './csv.js';
import { completeCases, describeDropped } from './complete-cases.js';
import { assertNoConstantColumns, buildDesign, parseReferenceLevels } from './design.js';
import { eventIndicator } from './event-indicator.js';
import { getColumn } from './table.js';
import { fixturePath } from '../../test/support/paths.js';

test('complete cases on lung for age, sex, ph.ecog: 227 rows, as in R coxph n = 227', () => {
  const t = readCsvFile(fixturePath('data', 'lung.csv'));
  const cc = completeCases(t, ['time', 'status', 'age', 'sex', 'ph.ecog']);
  assert.equal(cc.rows.length, 227);
  assert.equal(cc.droppedRows, 1);
  assert.deepEqual(cc.missingByColumn, [{ column: 'ph.ecog', missing: 1 }]);
  assert.match(describeDropped(cc, t.nRows), /dropped 1 of 228 rows with missing values \(ph\.ecog: 1\)/);
  const withInst = completeCases(t, ['time', 'status', 'age', 'sex', 'ph.ecog', 'inst']);
  assert.equal(withInst.rows.length, 226); // R: n = 226 with strata(inst)
});

test('a character covariate is expanded against its first sorted level, as R does (lalonde race)', () => {
  const t = readCsvFile(fixturePath('data', 'lalonde.csv'));
  const cc = completeCases(t, ['treat', 'race']);
  const d = buildDesign(t, ['age', 'race'], cc.rows, { intercept: true });
  assert.deepEqual(d.x.names, ['intercept', 'age', 'race=hispan', 'race=white']);
  assert.deepEqual(d.factors, [{ covariate: 'race', levels: ['black', 'hispan', 'white'], reference: 'black' }]);
  // Row 2 of lalonde.csv is hispan (file row 2 -> index 1).
  assert.deepEqual(Array.from(d.x.data.subarray(4, 8)), [1, 22, 1, 0]);
  assert.ok(d.terms[2].binary && !d.terms[1].binary);
});

test('--ref overrides the reference level; a wrong level or column is a clear error', () => {
  const t = readCsvFile(fixturePath('data', 'lalonde.csv'));
  const cc = completeCases(t, ['race']);
  const d = buildDesign(t, ['race'], cc.rows, { reference: parseReferenceLevels(['race=white']) });
  assert.deepEqual(d.x.names, ['race=black', 'race=hispan']);
  assert.throws(() => buildDesign(t, ['race'], cc.rows, { reference: parseReferenceLevels(['race=asian']) }), /level 'asian' does not occur in column 'race'; its levels are black, hispan, white/);
  assert.throws(() => buildDesign(t, ['race'], cc.rows, { reference: parseReferenceLevels(['sex=1']) }), /--ref names column 'sex'/);
  assert.throws(() => parseReferenceLevels(['race']), /--ref 'race' is malformed; expected COLUMN=LEVEL/);
  assert.throws(() => buildDesign(t, ['nope'], cc.rows), /column 'nope' not found/);
});

test('a factor with one level and a constant covariate are named in the error', () => {
  const t = readCsv('g,c,x\na,1,0.5\na,1,0.7\na,1,0.2\n');
  const rows = completeCases(t, ['g', 'c', 'x']).rows;
  assert.throws(() => buildDesign(t, ['g'], rows), /covariate 'g' has a single level \('a'\)/);
  assert.throws(() => assertNoConstantColumns(buildDesign(t, ['c', 'x'], rows)), /covariate 'c' is constant \(every value is 1\)/);
});

test('event columns: 0/1, 1/2 (Surv: 2 = event), true/false; anything else is an error', () => {
  const t = readCsv('a,b,c,d,e\n0,1,true,1,x\n1,2,false,3,y\n1,2,TRUE,1,x\n');
  const rows = Int32Array.from([0, 1, 2]);
  assert.deepEqual(Array.from(eventIndicator(getColumn(t, 'a'), rows)), [0, 1, 1]);
  assert.deepEqual(Array.from(eventIndicator(getColumn(t, 'b'), rows)), [0, 1, 1]);
  assert.deepEqual(Array.from(eventIndicator(getColumn(t, 'c'), rows)), [1, 0, 1]);
  assert.throws(() => eventIndicator(getColumn(t, 'd'), rows), /event column 'd' has value 3 at row 2; expected 0\/1, 1\/2 or true\/false/);
  assert.throws(() => eventIndicator(getColumn(t, 'e'), rows), /event column 'e' holds text/);
});
