import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { tableFromRows } from '../../test/support/analysis-table.js';
import { assertClose } from '../../test/support/close.js';
import { fixturePath } from '../../test/support/paths.js';
import { referenceCase } from '../../test/support/reference.js';
import { readCsvFile } from '../data/csv.js';
import { DataError } from '../data/data-error.js';
import { getColumn, type Table } from '../data/table.js';
import { adjustSample, crudeSample, propensityModel } from './adjust-sample.js';
import type { Cohort } from './adjusted-sample.js';
import { adjustmentSchema, type Adjustment } from './study-spec.js';

// References: test/fixtures/r/lalonde_match.R (MatchIt 4.5.1 pairs and summary SMDs, in r-reference.json) and
// test/fixtures/r/lalonde_weighting.R (weights, SMDs and ESS in base R, in lalonde_adjustment.json).
interface BalanceCase {
  smd_before: Record<string, number>;
  smd_after: Record<string, number>;
  ess_target: number;
  ess_comparator: number;
  treated_by_subclass?: number[];
  control_by_subclass?: number[];
  trimmed?: number;
}
const expected = JSON.parse(readFileSync(fixturePath('expected', 'lalonde_adjustment.json'), 'utf8')) as Record<string, BalanceCase>;

const COVARIATES = ['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'];

function lalondeStudy(): { table: Table; cohort: Cohort } {
  const table = readCsvFile(fixturePath('data', 'lalonde.csv'));
  const treat = getColumn(table, 'treat');
  if (treat.kind === 'categorical') throw new Error('treat must be numeric');
  const rows = Int32Array.from({ length: table.nRows }, (_, i) => i);
  return { table, cohort: { rows, treated: Uint8Array.from(treat.values) } };
}

function adjustment(input: Partial<Adjustment> & { method: Adjustment['method'] }): Adjustment {
  return adjustmentSchema.parse(input);
}

/** R's names (MatchIt's raceblack) to ours (race=black). */
function ourName(r: string): string {
  return r.startsWith('race') && !r.includes('=') ? `race=${r.slice(4)}` : r;
}

function assertBalance(actual: ReadonlyArray<{ covariate: string; smdBefore: number; smdAfter: number }>, ref: { smd_before: Record<string, number>; smd_after: Record<string, number> }, label: string): void {
  const names = Object.keys(ref.smd_after).filter((k) => k !== 'distance');
  assert.deepEqual(actual.map((r) => r.covariate), names.map(ourName), `${label}: covariates`);
  for (const k of names) {
    const row = actual.find((r) => r.covariate === ourName(k));
    assertClose(row?.smdBefore, ref.smd_before[k], 1e-7, `${label} ${k} before`, 1e-4);
    assertClose(row?.smdAfter, ref.smd_after[k], 1e-7, `${label} ${k} after`, 1e-4);
  }
}

test('match: lalonde, 0.2-SD caliper on the linear logit, MatchIt 4.5.1 pairs, counts and summary SMDs', () => {
  const ref = referenceCase('lalonde_match_caliper') as unknown as {
    n_treated_matched: number;
    n_control_matched: number;
    caliper_logit: number;
    smd_before: Record<string, number>;
    smd_after: Record<string, number>;
    pairs: Record<string, [number, number]>;
  };
  const { table, cohort } = lalondeStudy();
  const s = adjustSample(table, cohort, 'critique', COVARIATES, adjustment({ method: 'match', caliperSd: 0.2 }), 'indicator', { compat: 'matchit-4.5.1' });
  assert.equal(s.rows.length, 614);
  const cluster = s.cluster as Int32Array;
  const sets = new Map<number, { t: number[]; c: number[] }>();
  for (let j = 0; j < s.rows.length; j++) {
    if (cluster[j] < 0) {
      assert.equal(s.weights[j], 0);
      continue;
    }
    assert.equal(s.weights[j], 1);
    const e = sets.get(cluster[j]) ?? { t: [], c: [] };
    (s.treated[j] === 1 ? e.t : e.c).push(s.rows[j] + 1);
    sets.set(cluster[j], e);
  }
  const pairs = [...sets.values()].map((e) => {
    assert.equal(e.t.length, 1);
    assert.equal(e.c.length, 1);
    return `${e.t[0]}-${e.c[0]}`;
  });
  const refPairs = Object.values(ref.pairs).map(([t, c]) => `${t}-${c}`);
  assert.deepEqual(pairs.sort(), refPairs.sort());
  const balance = s.balance!;
  assert.deepEqual(balance.matched, { target: ref.n_treated_matched, comparator: ref.n_control_matched, unmatchedTarget: 185 - ref.n_treated_matched, caliper: balance.matched!.caliper });
  assertClose(balance.matched!.caliper, ref.caliper_logit, 1e-7, 'caliper');
  assertBalance(balance.rows, ref, 'match');
  assert.equal(balance.effectiveSampleSize.target, ref.n_treated_matched);
  assert.equal(balance.effectiveSampleSize.comparator, ref.n_control_matched);
  assert.equal(balance.maxAbsSmdAfter, Math.max(...balance.rows.map((r) => Math.abs(r.smdAfter))));
  assert.equal(balance.pass, false); // race=hispan is 0.355 after this matching
  assert.equal(s.propensity!.terms[0].term, 'intercept');
  assert.equal(s.propensity!.trimmed, 0);
  // The exact algorithm (default) admits fewer treated units within a true 0.2-SD caliper (src/stats/matching.ts).
  const exact = adjustSample(table, cohort, 'critique', COVARIATES, adjustment({ method: 'match', caliperSd: 0.2 }), 'indicator');
  assert.equal(exact.balance!.matched!.target, 117);
});

const weightingCases: Array<[string, Partial<Adjustment> & { method: Adjustment['method'] }]> = [
  ['iptw_ate', { method: 'iptw', estimand: 'ate' }],
  ['iptw_att', { method: 'iptw', estimand: 'att' }],
  ['overlap', { method: 'overlap' }],
  ['subclass_att', { method: 'stratification', estimand: 'att', subclasses: 5 }],
  ['subclass_ate', { method: 'stratification', estimand: 'ate', subclasses: 5 }],
  ['trim_ate', { method: 'iptw', estimand: 'ate', trim: 0.05 }],
];

for (const [key, spec] of weightingCases) {
  test(`${key}: lalonde weighted SMDs and effective sample sizes match base R`, () => {
    const ref = expected[key];
    const { table, cohort } = lalondeStudy();
    const s = adjustSample(table, cohort, 'critique', COVARIATES, adjustment(spec), 'indicator');
    assertBalance(s.balance!.rows, ref, key);
    assertClose(s.balance!.effectiveSampleSize.target, ref.ess_target, 1e-7, `${key} ess target`);
    assertClose(s.balance!.effectiveSampleSize.comparator, ref.ess_comparator, 1e-7, `${key} ess comparator`);
    assert.equal(s.balance!.matched, null);
    if (spec.method === 'stratification') {
      const cluster = s.cluster as Int32Array;
      const t1 = new Array<number>(5).fill(0);
      const t0 = new Array<number>(5).fill(0);
      for (let j = 0; j < s.rows.length; j++) (s.treated[j] === 1 ? t1 : t0)[cluster[j]]++;
      assert.deepEqual(t1, ref.treated_by_subclass);
      assert.deepEqual(t0, ref.control_by_subclass);
    } else assert.equal(s.cluster, null);
    if (ref.trimmed !== undefined) {
      assert.equal(s.propensity!.trimmed, ref.trimmed);
      assert.equal(s.rows.length, 614 - ref.trimmed);
      for (let j = 0; j < s.rows.length; j++) assert.ok(s.score![j] >= 0.05 && s.score![j] <= 0.95);
      assert.match(s.warnings.join('\n'), new RegExp(`${ref.trimmed} of 614 patients trimmed`));
    }
  });
}

test('stratification worked case: empty control subclasses are filled as MatchIt subclass_scootC does', () => {
  // x orders the score. Treated x 3 8 9 14 15 16 17 18 19 20; quintile cuts of the treated scores fall between
  // 8|9, 14|15, 16|17 and 18|19, so the controls (x 1 2 4 5 6 7 10 11 12 13) sit in subclasses 1 (six) and 2
  // (four) and subclasses 3-5 have none. scootC, controls: first empty 3 -> lean (6-1)/(1-3) + (4-1)/(2-3) < 0 ->
  // take from the left, the largest score of subclass 2: x 13 -> 3; then 4 empty -> 13 -> 4; 3 empty -> 12 -> 3;
  // 5 (last) empty -> 13 -> 5; 4 empty -> 12 -> 4; 3 empty -> 11 -> 3. Six moves; subclasses of the controls
  // 1 2 4 5 6 7 | 10 | 11 | 12 | 13. ATT weights: control n1s / n0s = 2/6 in subclass 1 and 2/1 elsewhere; they
  // sum to 10 = the number of controls, so MatchIt's rescaling leaves them.
  const treatedX = [3, 8, 9, 14, 15, 16, 17, 18, 19, 20];
  const rows = Array.from({ length: 20 }, (_, i) => ({ x: i + 1, treat: treatedX.includes(i + 1) ? 1 : 0 }));
  const table = tableFromRows(rows);
  const cohort = { rows: Int32Array.from({ length: 20 }, (_, i) => i), treated: Uint8Array.from(rows, (r) => r.treat) };
  const s = adjustSample(table, cohort, 'critique', ['x'], adjustment({ method: 'stratification', estimand: 'att', subclasses: 5 }), 'indicator');
  const cluster = s.cluster as Int32Array;
  const expectedSub: Record<number, number> = { 1: 0, 2: 0, 4: 0, 5: 0, 6: 0, 7: 0, 10: 1, 11: 2, 12: 3, 13: 4, 3: 0, 8: 0, 9: 1, 14: 1, 15: 2, 16: 2, 17: 3, 18: 3, 19: 4, 20: 4 };
  for (let j = 0; j < 20; j++) {
    const x = j + 1;
    assert.equal(cluster[j], expectedSub[x], `subclass of x = ${x}`);
    const w = s.treated[j] === 1 ? 1 : cluster[j] === 0 ? 2 / 6 : 2;
    assertClose(s.weights[j], w, 1e-14, `weight of x = ${x}`);
  }
  assert.match(s.warnings.join('\n'), /6 patients moved to a neighbouring subclass/);
});

test('deterministic, and the crude sample is the cohort with weight 1', () => {
  const { table, cohort } = lalondeStudy();
  const a = adjustSample(table, cohort, 'published', COVARIATES, adjustment({ method: 'match', caliperSd: null, ratio: 2 }), 'indicator');
  const b = adjustSample(table, cohort, 'published', COVARIATES, adjustment({ method: 'match', caliperSd: null, ratio: 2 }), 'indicator');
  assert.deepEqual(a, b);
  assert.equal(a.set, 'published');
  assert.equal(a.balance!.matched!.comparator, 370);
  // A model fitted once serves every variant, with the same result as refitting.
  const model = propensityModel(table, cohort, 'published', COVARIATES, 'indicator');
  assert.deepEqual(adjustSample(table, cohort, 'published', COVARIATES, adjustment({ method: 'match', caliperSd: null, ratio: 2 }), 'indicator', { model }), a);
  const trimmed = adjustSample(table, cohort, 'published', COVARIATES, adjustment({ method: 'overlap', trim: 0.1 }), 'indicator', { model });
  assert.deepEqual(trimmed, adjustSample(table, cohort, 'published', COVARIATES, adjustment({ method: 'overlap', trim: 0.1 }), 'indicator'));
  assert.throws(() => adjustSample(table, cohort, 'critique', COVARIATES, adjustment({ method: 'iptw' }), 'indicator', { model }), /fitted for another/);
  const crude = crudeSample(cohort);
  assert.equal(crude.set, 'crude');
  assert.deepEqual(Array.from(crude.rows), Array.from(cohort.rows));
  assert.ok(crude.weights.every((w) => w === 1));
  assert.equal(crude.cluster, null);
  assert.equal(crude.score, null);
  assert.equal(crude.propensity, null);
  assert.equal(crude.balance, null);
});

test("refuses the crude set, a covariate set with nothing that varies, and a trim that empties a group", () => {
  const { table, cohort } = lalondeStudy();
  assert.throws(() => adjustSample(table, cohort, 'crude', COVARIATES, adjustment({ method: 'iptw' }), 'indicator'), /crudeSample/);
  const t = tableFromRows([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 1 }]);
  const c = { rows: Int32Array.from([0, 1, 2, 3]), treated: Uint8Array.from([0, 1, 0, 1]) };
  assert.throws(() => adjustSample(t, c, 'critique', ['k'], adjustment({ method: 'iptw' }), 'indicator'), DataError);
  // Saturated model on a two-level factor: scores 0.1 (group a, 1 of 10 treated) and 0.9 (group b, 9 of 10).
  const g = tableFromRows(Array.from({ length: 20 }, (_, i) => ({ g: i < 10 ? 'a' : 'b' })));
  const treated = Uint8Array.from({ length: 20 }, (_, i) => (i === 0 || (i >= 10 && i < 19) ? 1 : 0));
  const gc = { rows: Int32Array.from({ length: 20 }, (_, i) => i), treated };
  assert.equal(adjustSample(g, gc, 'critique', ['g'], adjustment({ method: 'iptw', trim: 0.05 }), 'indicator').propensity!.trimmed, 0);
  assert.throws(() => adjustSample(g, gc, 'critique', ['g'], adjustment({ method: 'iptw', trim: 0.15 }), 'indicator'), /20 of 20 trimmed/);
});

test('an aliased design column (phenotype levels that occur only in one stage) is left out with a warning, as glm gives NA', () => {
  // stage B <=> phenotype 'none' exactly: the dummy 'phenotype=none' equals 'stage=B', a linear combination.
  const rows = Array.from({ length: 40 }, (_, i) => {
    const stage = ['B', 'C', 'D'][i % 3];
    return { treat: i % 2 === 0 || i % 5 === 0 ? 'pump' : 'iabp', stage, phenotype: stage === 'B' ? 'none' : i % 4 === 1 ? 'normotensive' : 'hypotensive', age: 50 + ((i * 7) % 30) };
  });
  const table = tableFromRows(rows);
  const cohort = { rows: Int32Array.from(rows, (_, i) => i), treated: Uint8Array.from(rows, (r) => (r.treat === 'pump' ? 1 : 0)) };
  const sample = adjustSample(table, cohort, 'critique', ['stage', 'phenotype', 'age'], { method: 'iptw', estimand: 'ate', ratio: 1, caliperSd: null, subclasses: 5, trim: 0 }, 'indicator');
  assert.ok(sample.warnings.some((w) => /'phenotype=none' is a linear combination/.test(w)), sample.warnings.join('\n'));
  assert.deepEqual(sample.propensity?.terms.map((t) => t.term), ['intercept', 'stage=C', 'stage=D', 'phenotype=normotensive', 'age']);
});
