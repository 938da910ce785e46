import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { HOSTILE, studyResultsFixture } from '../../test/support/study-results-fixture.js';
import { studyTables } from './study-tables.js';

function table(file: string, results = studyResultsFixture()): string[][] {
  const t = studyTables(results).find((x) => x.file === file);
  assert.ok(t, file);
  return parse(t.csv) as string[][];
}

test('the ten files, in order', () => {
  assert.deepEqual(
    studyTables(studyResultsFixture()).map((t) => t.file),
    ['attrition.csv', 'table1-before.csv', 'table1-after.csv', 'balance.csv', 'propensity-terms.csv', 'outcomes.csv', 'strata.csv', 'comparison.csv', 'sensitivity.csv', 'completeness.csv'],
  );
});

test('columns and one row per item', () => {
  const r = studyResultsFixture();
  const header = (file: string): string[] => table(file)[0];
  assert.deepEqual(header('attrition.csv'), ['step', 'label', 'kind', 'excluded', 'remaining']);
  assert.equal(table('attrition.csv').length - 1, r.attrition.length);
  assert.deepEqual(header('table1-before.csv'), ['variable', 'level', 'kind', 'summary', 'target', 'target_missing', 'comparator', 'comparator_missing', 'smd']);
  assert.equal(table('table1-after.csv').length - 1, r.tableOne.after.length);
  assert.deepEqual(header('balance.csv'), ['set', 'covariate', 'smd_before', 'smd_after', 'set_pass', 'ess_target', 'ess_comparator']);
  assert.equal(table('balance.csv').length - 1, r.balance[0].rows.length + r.balance[1].rows.length);
  assert.deepEqual(header('propensity-terms.csv'), ['set', 'term', 'coef', 'se']);
  const effect = ['measure', 'estimate', 'lower', 'upper', 'p', 'se', 'se_type'];
  assert.deepEqual(header('strata.csv'), ['outcome', 'column', 'stratifier', 'level', 'n_target', 'n_comparator', 'events_target', 'events_comparator', ...effect, 'reason', 'interaction_chisq', 'interaction_df', 'interaction_p']);
  assert.equal(table('strata.csv').length - 1, 6);
  assert.deepEqual(header('comparison.csv'), ['outcome', 'set', 'covariates', ...effect.map((c) => `ratio_${c}`), ...effect.map((c) => `rd_${c}`), 'balance_pass']);
  assert.equal(table('comparison.csv').length - 1, 6);
  assert.deepEqual(header('sensitivity.csv'), ['kind', 'variant', 'outcome', 'events_target', 'events_comparator', ...effect.map((c) => `ratio_${c}`), ...effect.map((c) => `rd_${c}`), 'note']);
  assert.deepEqual(header('completeness.csv'), ['id', 'source', 'element', 'completeness', 'status', 'in_claims_data', 'detail']);
  const outcomes = table('outcomes.csv');
  assert.equal(outcomes.length - 1, 2);
  for (const c of ['outcome', 'horizon_d', 'risk_target', 'rd_estimate', 'ratio_estimate', 'evalue_point', 'competing_event', 'shr_estimate']) assert.ok(outcomes[0].includes(c), c);
});

test('numbers at full precision, missing as empty, flags as 1/0', () => {
  const rows = table('outcomes.csv');
  const col = (name: string): number => rows[0].indexOf(name);
  const death = rows[1];
  const bleeding = rows[2];
  assert.equal(death[col('ratio_estimate')], '1.12');
  assert.equal(Number(death[col('ratio_se')]), (Math.log(1.35) - Math.log(0.93)) / (2 * 1.96), 'SE not rounded');
  assert.equal(death[col('primary')], '1');
  assert.equal(death[col('shr_estimate')], '', 'no competing event');
  assert.equal(bleeding[col('shr_estimate')], '1.79');
  assert.equal(bleeding[col('rd_p')], '0.00003');
  const strata = table('strata.csv');
  assert.equal(strata[6][strata[0].indexOf('estimate')], '', 'a stratum without an estimate');
  assert.match(strata[6][strata[0].indexOf('reason')], /fewer than 5 events/);
  assert.equal(table('completeness.csv')[5][3], '', 'completeness null for a study-level item');
});

test('text that a spreadsheet would run as a formula is quoted; negative numbers are not', () => {
  const r = studyResultsFixture();
  const hostile = { ...r, attrition: [{ ...r.attrition[0], label: '=HYPERLINK("http://x","y")' }, { ...r.attrition[1], label: '-1+2' }] };
  const rows = table('attrition.csv', hostile);
  assert.equal(rows[1][1], `'=HYPERLINK("http://x","y")`);
  assert.equal(rows[2][1], `'-1+2`);
  assert.equal(table('balance.csv')[2][2], '-0.05', 'a negative SMD stays a number');
  // Hostile HTML is data here: kept verbatim, the CSV is not a web page.
  assert.ok(table('strata.csv').some((row) => row.includes(`E ${HOSTILE.script}`)));
});
