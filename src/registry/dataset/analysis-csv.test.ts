// The analysis table as CSV: stable header order, empty cells for missing values, quoting that csv-parse reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { ANALYSIS_COLUMNS, analysisRow, analysisTableCsv } from './analysis-row.js';
import { built, episodeInput, h } from './__fixtures__/episode-builder.js';

test('header is every column name in ANALYSIS_COLUMNS order, also for an empty table', () => {
  const csv = analysisTableCsv([]);
  assert.equal(csv, `${ANALYSIS_COLUMNS.map((c) => c.name).join(',')}\n`);
});

test('rows read back cell by cell: numbers as written, null as an empty cell, a comma in a site quoted', () => {
  const a = built(episodeInput({ id: 'a', site: 'north, ward 3', devices: [{ kind: 'iabp', insertion: h(0) }] }));
  const b = built(episodeInput({ id: 'b', demographics: { age_years: 95, sex: 'unknown' } }));
  const rows = [analysisRow(a.record, a.episode), analysisRow(b.record, b.episode)];
  const csv = analysisTableCsv(rows);
  const back = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(back.length, 2);
  assert.equal(back[0].site, 'north, ward 3');
  assert.equal(back[0].device_group_t0, 'iabp');
  assert.equal(back[1].age_years, '90');
  assert.equal(back[1].age_90_or_older, '1');
  assert.equal(back[1].sex, '', 'unknown sex is an empty cell');
  assert.equal(back[1].device_t0, '');
  for (const [i, row] of rows.entries()) {
    for (const c of ANALYSIS_COLUMNS) {
      const v = (row as Record<string, unknown>)[c.name];
      assert.equal(back[i][c.name], v === null ? '' : String(v), `${c.name} of row ${i}`);
    }
  }
});
