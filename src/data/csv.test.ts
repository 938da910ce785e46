import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv, readCsvFile } from './csv.js';
import { DataError } from './data-error.js';
import { getColumn, type Column } from './table.js';
import { fixturePath } from '../../test/support/paths.js';

function numbers(column: Column): number[] {
  assert.ok(column.kind !== 'categorical', `${column.name} should not be categorical`);
  return Array.from(column.values);
}

function texts(column: Column): Array<string | null> {
  assert.equal(column.kind, 'categorical');
  if (column.kind !== 'categorical') return [];
  return Array.from(column.codes, (c) => (c < 0 ? null : column.levels[c]));
}

test('RFC 4180: quoted fields with commas, doubled quotes and newlines; CRLF; BOM', () => {
  const csv = '\uFEFFid,note,x\r\n1,"a, b",2.5\r\n2,"say ""hi""",3\r\n3,"two\r\nlines",4\r\n';
  const t = readCsv(csv);
  assert.equal(t.nRows, 3);
  assert.deepEqual(t.columns.map((c) => c.name), ['id', 'note', 'x']);
  assert.deepEqual(numbers(getColumn(t, 'id')), [1, 2, 3]);
  assert.deepEqual(texts(getColumn(t, 'note')), ['a, b', 'say "hi"', 'two\r\nlines']);
  assert.deepEqual(numbers(getColumn(t, 'x')), [2.5, 3, 4]);
});

test('missing values: empty cell and NA, quoted or not; last field empty', () => {
  const t = readCsv('a,b,c\n1,NA,\n"NA",2,x\n3,,y\n');
  assert.ok(Number.isNaN(numbers(getColumn(t, 'a'))[1]));
  const b = numbers(getColumn(t, 'b'));
  assert.ok(Number.isNaN(b[0]) && b[1] === 2 && Number.isNaN(b[2]));
  assert.deepEqual(texts(getColumn(t, 'c')), [null, 'x', 'y']);
});

test('type inference: numeric, boolean (any case), categorical with sorted levels', () => {
  const t = readCsv('n,flag,race\n1e3,TRUE,white\n-0.25,false,black\n.5,True,hispan\n');
  assert.deepEqual(numbers(getColumn(t, 'n')), [1000, -0.25, 0.5]);
  const flag = getColumn(t, 'flag');
  assert.equal(flag.kind, 'boolean');
  assert.deepEqual(numbers(flag), [1, 0, 1]);
  const race = getColumn(t, 'race');
  assert.equal(race.kind, 'categorical');
  if (race.kind === 'categorical') assert.deepEqual(race.levels, ['black', 'hispan', 'white']);
  assert.deepEqual(texts(race), ['white', 'black', 'hispan']);
});

test('a column that turns to text after numbers keeps every cell as written', () => {
  const t = readCsv('site\n01\n2\nA7\n2\n');
  assert.deepEqual(texts(getColumn(t, 'site')), ['01', '2', 'A7', '2']);
});

test('numbers are parsed exactly as Number() parses them (correct rounding)', () => {
  const samples = ['0.1', '0.3', '123456.789', '-9007199254740.993', '1.7976931348623157e308', '5e-324', '3.14159265358979', '0.000001', '42', '1.', '007'];
  const t = readCsv('v\n' + samples.join('\n') + '\n');
  assert.deepEqual(numbers(getColumn(t, 'v')), samples.map(Number));
});

test('a row with the wrong number of fields is an error naming the line', () => {
  assert.throws(() => readCsv('a,b\n1,2\n3\n', { source: 'x.csv' }), (e: unknown) => e instanceof DataError && /x\.csv: line 3 has 1 fields; expected 2/.test(e.message));
});

test('an unclosed quote, an empty file and a duplicate column name are errors', () => {
  assert.throws(() => readCsv('a,b\n1,"2\n'), /quoted field is not closed/);
  assert.throws(() => readCsv(''), /empty/);
  assert.throws(() => readCsv('a,a\n1,2\n'), /'a' appears twice/);
});

test('a missing file is a DataError naming the path', () => {
  assert.throws(() => readCsvFile('/nonexistent/file.csv'), (e: unknown) => e instanceof DataError && e.message.includes('/nonexistent/file.csv'));
});

test('lung.csv reads as R reads it: 228 rows, NA as missing', () => {
  const t = readCsvFile(fixturePath('data', 'lung.csv'));
  assert.equal(t.nRows, 228);
  assert.equal(t.columns.length, 10);
  const wt = numbers(getColumn(t, 'wt.loss'));
  assert.equal(wt.filter(Number.isNaN).length, 14); // sum(is.na(lung$wt.loss)) in R
  const mealCal = numbers(getColumn(t, 'meal.cal'));
  assert.equal(mealCal.filter(Number.isNaN).length, 47); // sum(is.na(lung$meal.cal)) in R
});

test('columns option: only the named columns are read, typed as in a full read; unnamed ones are skipped, quoted or not', () => {
  const text = 'id,note,age,group\n1,"a, ""quoted""\nnote",61,x\n2,plain,NA,y\n3,,70.5,x\n';
  const full = readCsv(text);
  const some = readCsv(text, { columns: new Set(['age', 'group', 'not_in_header']) });
  assert.deepEqual(some.columns.map((c) => c.name), ['age', 'group']);
  assert.equal(some.nRows, 3);
  assert.deepEqual(some.columns, full.columns.filter((c) => c.name === 'age' || c.name === 'group'));
  assert.throws(() => readCsv('a,b\n1,2\n3\n', { columns: new Set(['a']) }), /line 3 has 1 fields; expected 2/);
});
