import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../data/data-error.js';
import { getColumn } from '../data/table.js';
import { analysisTableFromCsvFile, analysisTableFromCsvText } from './study-table.js';

const CSV = 'site,barc_worst,ventricular_phenotype,sofa_t0,death,extra\nS1,0,,3,1,x\nS2,0,,,0,y\n';
// `printf '<CSV>' | sha256sum`
const CSV_SHA256 = 'cde99e06e7d045dc696308f8282131ec95e86d56843620604e09215e0d74fcf1';

test('declared column types win over what the cells look like', () => {
  const { table } = analysisTableFromCsvText(CSV);
  assert.equal(table.nRows, 2);
  // barc_worst is a category (0, 1, 2, 3a, ...) even when every cell reads '0'.
  assert.deepEqual(getColumn(table, 'barc_worst'), { kind: 'categorical', name: 'barc_worst', levels: ['0'], codes: Int32Array.from([0, 0]) });
  // An all-empty category column stays a category with no levels (not a numeric column of NaN).
  assert.deepEqual(getColumn(table, 'ventricular_phenotype'), { kind: 'categorical', name: 'ventricular_phenotype', levels: [], codes: Int32Array.from([-1, -1]) });
  const sofa = getColumn(table, 'sofa_t0');
  assert.equal(sofa.kind, 'numeric');
  assert.deepEqual(sofa.kind === 'numeric' ? [...sofa.values] : null, [3, NaN]);
  // Columns the analysis table does not declare keep readCsv's type.
  assert.equal(getColumn(table, 'extra').kind, 'categorical');
});

test('category levels made from numbers sort as readCsv sorts text levels', () => {
  const { table } = analysisTableFromCsvText('barc_worst\n4\n2\n\n2\n');
  assert.deepEqual(getColumn(table, 'barc_worst'), { kind: 'categorical', name: 'barc_worst', levels: ['2', '4'], codes: Int32Array.from([1, 0, 0]) });
});

test('text in a numeric analysis column is an error naming the column, value and row', () => {
  assert.throws(
    () => analysisTableFromCsvText('site,sofa_t0\nS1,3\nS2,high\n', 'my.csv'),
    (e: unknown) => e instanceof DataError && e.field === 'sofa_t0' && e.value === 'high' && /my\.csv: column 'sofa_t0' \(integer\) holds 'high' in data row 2/.test(e.message),
  );
});

test('sha256 is of the bytes read; file and text give the same table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-study-table-'));
  try {
    const file = join(dir, 'a.csv');
    writeFileSync(file, CSV);
    const fromText = analysisTableFromCsvText(CSV);
    const fromFile = analysisTableFromCsvFile(file);
    assert.equal(fromText.sha256, CSV_SHA256);
    assert.equal(fromFile.sha256, CSV_SHA256);
    assert.deepEqual(fromFile.table, fromText.table);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing CSV file is a DataError naming the path', () => {
  assert.throws(() => analysisTableFromCsvFile('/nonexistent/table.csv'), (e: unknown) => e instanceof DataError && /'\/nonexistent\/table\.csv' cannot be read \(no such file\)/.test(e.message));
});
