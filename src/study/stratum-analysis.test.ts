import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { getColumn, type Table } from '../data/table.js';
import type { AdjustedSample } from './adjusted-sample.js';
import { MIN_EVENTS_PER_GROUP, stratumAnalysis } from './stratum-analysis.js';
import { binaryOutcome, bleedOutcome, num, numericColumn, outcomeSpec, outcomeTable, ref } from '../../test/support/outcome-analysis-fixture.js';

// The simulated matched sample of test/fixtures/r/outcome_analysis.R (R 4.2, survival 3.5-3): per-level Cox HRs
// and risk ratios, and the treatment x SCAI-stage Wald tests computed in R from coef and the robust vcov.


const table = outcomeTable;
const values = (t: Table, name: string): Float64Array => numericColumn(name, t);

function matched(t: Table): AdjustedSample {
  return {
    set: 'critique',
    rows: Int32Array.from({ length: t.nRows }, (_, i) => i),
    treated: Uint8Array.from(values(t, 'treat')),
    weights: Float64Array.from(values(t, 'w')),
    cluster: Int32Array.from(values(t, 'set')),
    score: new Float64Array(t.nRows).fill(0.5),
    propensity: null,
    balance: null,
  };
}

const spec = outcomeSpec;
const bleed = bleedOutcome;
const binary = binaryOutcome;
const byScai = { column: 'scai', label: 'SCAI stage at time zero' };

/** Matched rows (weight > 0) with a known outcome and no SCAI stage: they belong to no level. */
function missingScai(outcomeColumn: string): number {
  const scai = getColumn(table, 'scai');
  const w = values(table, 'w');
  const y = values(table, outcomeColumn);
  let k = 0;
  for (let i = 0; i < table.nRows; i++) if (scai.kind === 'categorical' && scai.codes[i] < 0 && w[i] > 0 && !Number.isNaN(y[i])) k++;
  return k;
}

test('stratumAnalysis, time-to-event: Cox HR per SCAI stage and the interaction Wald test vs R', () => {
  const result = stratumAnalysis(table, matched(table), bleed, byScai, spec);
  assert.deepEqual(result.levels.map((l) => l.level), ['C', 'D', 'E']);
  for (const level of result.levels) {
    const r = ref(`strata_cox.${level.level}`);
    assert.ok(level.effect, level.level);
    assertClose(Math.log(level.effect.estimate), num(r, 'coef'), 1e-6, `${level.level} log HR`);
    assertClose(level.effect.se, num(r, 'se'), 1e-6, `${level.level} robust SE`);
    assert.equal(level.effect.seType, 'robust');
    assert.deepEqual(level.n, { target: num(r, 'n_target'), comparator: num(r, 'n_comparator') });
    assert.deepEqual(level.events, { target: num(r, 'events_target'), comparator: num(r, 'events_comparator') });
    assert.equal(level.reason, null);
  }
  const i = ref('interaction_cox');
  assert.ok(result.interaction);
  assertClose(result.interaction.chiSquare, num(i, 'chisq'), 1e-5, 'interaction chi-square');
  assert.equal(result.interaction.df, 2);
  assertClose(result.interaction.p, num(i, 'p'), 1e-5, 'interaction p');
  assert.equal(result.missing, missingScai('bleed'));
  assert.match(result.note ?? '', new RegExp(`^${result.missing} patients with no scai value \\(in no level\\); 5 patients with the outcome unknown\\.$`));
  assert.equal(result.outcome, 'bleed');
  assert.equal(result.label, 'SCAI stage at time zero');
});

test('stratumAnalysis, binary: risk ratio per SCAI stage and the saturated log-link interaction test vs R', () => {
  const result = stratumAnalysis(table, matched(table), binary, byScai, spec);
  for (const level of result.levels) {
    const r = ref(`strata_rr.${level.level}`);
    assert.ok(level.effect, level.level);
    assert.equal(level.effect.measure, 'RR');
    // R's glm converges to a relative deviance change of 1e-8.
    assertClose(Math.log(level.effect.estimate), num(r, 'log_rr'), 1e-7, `${level.level} log RR`);
    assertClose(level.effect.se, num(r, 'log_rr_se'), 1e-7, `${level.level} SE`);
    assert.deepEqual(level.events, { target: num(r, 'events_target'), comparator: num(r, 'events_comparator') });
  }
  const i = ref('interaction_rr');
  assert.ok(result.interaction);
  assertClose(result.interaction.chiSquare, num(i, 'chisq'), 1e-6, 'interaction chi-square');
  assertClose(result.interaction.p, num(i, 'p'), 1e-6, 'interaction p');
  assert.equal(result.missing, missingScai('y'));
});

test('stratumAnalysis: levels from the spec in its order; an absent level is reported without an effect', () => {
  const all = stratumAnalysis(table, matched(table), bleed, byScai, spec);
  const result = stratumAnalysis(table, matched(table), bleed, { ...byScai, levels: ['E', 'C', 'B'] }, spec);
  assert.deepEqual(result.levels.map((l) => l.level), ['E', 'C', 'B']);
  assert.deepEqual(result.levels[0], all.levels[2]);
  assert.deepEqual(result.levels[1], all.levels[0]);
  assert.equal(result.levels[2].effect, null);
  assert.deepEqual(result.levels[2].n, { target: 0, comparator: 0 });
  assert.equal(result.levels[2].reason, 'no target patients in this level');
  assert.equal(result.interaction?.df, 1); // E vs C only
  assert.match(result.note ?? '', /patients in levels not listed/); // stage D
});

test(`stratumAnalysis: fewer than ${MIN_EVENTS_PER_GROUP} events in a group gives no estimate and no interaction`, () => {
  // A two-level stratifier whose level "small" holds the first 12 rows of the file only.
  const small: Table = {
    nRows: table.nRows,
    columns: [...table.columns, { kind: 'categorical', name: 'grp', levels: ['big', 'small'], codes: Int32Array.from({ length: table.nRows }, (_, i) => (i < 12 ? 1 : 0)) }],
  };
  const result = stratumAnalysis(small, matched(small), bleed, { column: 'grp', label: 'group' }, spec);
  const level = result.levels.find((l) => l.level === 'small');
  assert.ok(level);
  assert.ok(level.events.target < MIN_EVENTS_PER_GROUP || level.events.comparator < MIN_EVENTS_PER_GROUP, JSON.stringify(level.events));
  assert.equal(level.effect, null);
  assert.match(level.reason ?? '', /^fewer than 5 events in the (target|comparator) group \(\d\)$/);
  assert.ok(result.levels.find((l) => l.level === 'big')?.effect);
  assert.equal(result.interaction, null);
});

test('stratumAnalysis: a numeric stratifier gives levels by value, ascending', () => {
  const result = stratumAnalysis(table, matched(table), binary, { column: 'death', label: 'Died' }, spec);
  assert.deepEqual(result.levels.map((l) => l.level), ['0', '1']);
  assert.equal(result.missing, 0);
  const total = result.levels.reduce((s, l) => s + l.n.target + l.n.comparator, 0);
  assert.equal(total, 127 + 180); // every matched patient with a known y (R: binary_matched n)
});
