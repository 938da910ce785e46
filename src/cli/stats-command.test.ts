import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../test/support/cli.js';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { referenceCase } from '../../test/support/reference.js';

const lung = 'test/fixtures/data/lung.csv';
const lalonde = 'test/fixtures/data/lalonde.csv';

function json(args: string[]): Record<string, unknown> {
  const out = runCli(['stats', ...args, '--json']);
  assert.equal(out.status, 0, `exit ${out.status}: ${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, unknown>;
}

test('stats km --json prints survfit numbers by stratum, median null when not reached', () => {
  const ref = referenceCase('lung_km_sex');
  const result = json(['km', '--data', lung, '--time', 'time', '--event', 'status', '--group', 'sex']);
  const strata = result.strata as Array<Record<string, unknown>>;
  assert.deepEqual(strata.map((s) => s.name), ['sex=1', 'sex=2']);
  assert.equal(strata[1].median, (ref.median as Record<string, number>)['sex=2']);
  const idx = (ref.strata as string[]).map((s, i) => (s === 'sex=2' ? i : -1)).filter((i) => i >= 0);
  assertAllClose(strata[1].stdErr as number[], idx.map((i) => (ref.std_err as number[])[i]), 1e-9, 'stdErr');
  for (const key of ['time', 'nRisk', 'nEvent', 'nCensor', 'surv', 'lower', 'upper']) assert.ok(Array.isArray(strata[0][key]), key);
  const censored = json(['km', '--data', 'test/fixtures/data/km-median-not-reached.csv', '--time', 'time', '--event', 'status']);
  assert.equal((censored.strata as Array<Record<string, unknown>>)[0].median, null);
});

test('stats logrank --json prints survdiff numbers', () => {
  const ref = referenceCase('lung_logrank_sex');
  const result = json(['logrank', '--data', lung, '--time', 'time', '--event', 'status', '--group', 'sex']);
  assertClose(result.chisq as number, ref.chisq as number, 1e-9, 'chisq');
  assert.equal(result.df, 1);
  assertClose(result.p as number, ref.p as number, 1e-8, 'p');
  assert.deepEqual(result.groups, ['sex=1', 'sex=2']);
  assert.deepEqual(result.observed, ref.observed);
});

test('stats cox --json prints R coxph numbers for lung (the issue acceptance command)', () => {
  const ref = referenceCase('lung_cox_efron');
  const result = json(['cox', '--data', lung, '--time', 'time', '--event', 'status', '--covariates', 'age,sex,ph.ecog']);
  assert.equal(result.n, ref.n);
  assert.equal(result.events, ref.events);
  assert.equal(result.droppedRows, 1);
  const terms = result.terms as Array<Record<string, number | string | null>>;
  assert.deepEqual(terms.map((t) => t.term), ['age', 'sex', 'ph.ecog']);
  for (const t of terms) {
    const name = t.term as string;
    assertClose(t.coef as number, (ref.coef as Record<string, number>)[name], 1e-6, `coef ${name}`);
    assertClose(t.se as number, (ref.se as Record<string, number>)[name], 1e-5, `se ${name}`);
    assertClose(t.hr as number, (ref.hr as Record<string, number>)[name], 1e-6, `hr ${name}`);
    assertClose(t.hrLower as number, (ref.hr_lower as Record<string, number>)[name], 1e-6, `hrLower ${name}`);
    assertClose(t.hrUpper as number, (ref.hr_upper as Record<string, number>)[name], 1e-6, `hrUpper ${name}`);
    assertClose(t.p as number, (ref.p as Record<string, number>)[name], 1e-5, `p ${name}`);
    assert.equal(t.robustSe, null);
  }
  assertAllClose(result.loglik as number[], ref.loglik as number[], 1e-8, 'loglik');
  assertClose(result.concordance as number, ref.concordance as number, 1e-6, 'concordance');
});

test('stats cox --cluster sets robustSe and uses it for the CI, as R does', () => {
  const ref = referenceCase('lung_cox_cluster_inst');
  const result = json(['cox', '--data', lung, '--time', 'time', '--event', 'status', '--covariates', 'age,sex,ph.ecog', '--cluster', 'inst']);
  const terms = result.terms as Array<Record<string, number | string>>;
  for (const t of terms) {
    const name = t.term as string;
    assertClose(t.robustSe as number, (ref.se as Record<string, number>)[name], 1e-5, `robust se ${name}`);
    assertClose(t.se as number, (ref.naive_se as Record<string, number>)[name], 1e-5, `naive se ${name}`);
    assertClose(t.hrLower as number, (ref.hr_lower as Record<string, number>)[name], 1e-6, `hrLower ${name}`);
  }
});

test('stats logistic and match --json reproduce glm and MatchIt on lalonde', () => {
  const logistic = json(['logistic', '--data', lalonde, '--outcome', 'treat', '--covariates', 'age,educ,race,married,nodegree,re74,re75']);
  const refLogistic = referenceCase('lalonde_logistic');
  const terms = logistic.terms as Array<Record<string, number | string>>;
  assert.deepEqual(terms.map((t) => t.term), ['intercept', 'age', 'educ', 'race=hispan', 'race=white', 'married', 'nodegree', 're74', 're75']);
  const rName = (term: string) => (term === 'intercept' ? '(Intercept)' : term.replace('=', ''));
  for (const t of terms) assertClose(t.coef as number, (refLogistic.coef as Record<string, number>)[rName(t.term as string)], 1e-6, `coef ${t.term}`);
  assertClose(logistic.aic as number, refLogistic.aic as number, 1e-8, 'aic');

  // The reference pairs were made by MatchIt 4.5.1, whose caliper and nearest-neighbour comparisons truncate
  // distances to integers (MatchIt issue #163); --compat matchit-4.5.1 reproduces them exactly.
  const match = json(['match', '--data', lalonde, '--treatment', 'treat', '--covariates', 'age,educ,race,married,nodegree,re74,re75', '--caliper', '0.2', '--compat', 'matchit-4.5.1']);
  const refMatch = referenceCase('lalonde_match_caliper');
  assert.equal(match.nTreatedMatched, refMatch.n_treated_matched);
  assertClose(match.caliper as number, refMatch.caliper_logit as number, 1e-6, 'caliper');
  const expectedPairs = Object.values(refMatch.pairs as Record<string, [number, number]>).map((p) => p.join('-')).sort();
  assert.deepEqual((match.pairs as Array<[number, number]>).map((p) => p.join('-')).sort(), expectedPairs);
  const balance = match.balance as Array<{ covariate: string; smdBefore: number; smdAfter: number }>;
  assert.deepEqual(balance.map((b) => b.covariate), ['age', 'educ', 'race=black', 'race=hispan', 'race=white', 'married', 'nodegree', 're74', 're75']);
  for (const b of balance) assertClose(b.smdAfter, (refMatch.smd_after as Record<string, number>)[b.covariate.replace('=', '')], 1e-6, `smd after ${b.covariate}`);

  // The default is the algorithm MatchIt intends: every matched pair lies within the caliper on the logit scale.
  const exact = json(['match', '--data', lalonde, '--treatment', 'treat', '--covariates', 'age,educ,race,married,nodegree,re74,re75', '--caliper', '0.2']);
  const weights = json(['weights', '--data', lalonde, '--treatment', 'treat', '--covariates', 'age,educ,race,married,nodegree,re74,re75', '--estimand', 'att']);
  const score = (weights.rows as Array<{ score: number }>).map((r) => r.score);
  const logit = (p: number) => Math.log(p / (1 - p));
  for (const [t, c] of exact.pairs as Array<[number, number]>) {
    assert.ok(Math.abs(logit(score[t - 1]) - logit(score[c - 1])) <= (exact.caliper as number) + 1e-12, `pair ${t}-${c} within caliper`);
  }
  assert.ok((exact.nTreatedMatched as number) < (refMatch.n_treated_matched as number), 'a true caliper matches fewer treated than the truncating one');
});

test('stats weights and evalue print JSON with the documented fields', () => {
  const w = json(['weights', '--data', lalonde, '--treatment', 'treat', '--covariates', 'age,educ,race,married,nodegree,re74,re75', '--estimand', 'att']);
  assert.equal(w.estimand, 'att');
  assert.equal((w.rows as unknown[]).length, 614);
  const ess = w.effectiveSampleSize as { treated: number; control: number };
  assertClose(ess.treated, 185, 1e-12, 'ATT treated weights are 1, so ESS = n treated');
  // VanderWeele & Ding 2017: RR 3.9 (CI 1.8 to 8.7) -> E-values 7.26 and 3.0.
  const e = json(['evalue', '--estimate', '3.9', '--lower', '1.8', '--upper', '8.7']);
  assertClose(e.point as number, 3.9 + Math.sqrt(3.9 * 2.9), 1e-12, 'E-value point');
  assertClose(e.confidenceBound as number, 1.8 + Math.sqrt(1.8 * 0.8), 1e-12, 'E-value bound');
});

test('bad input exits non-zero with one line naming the problem and the column', () => {
  const cases: Array<[string[], RegExp]> = [
    [['cox', '--data', lung, '--time', 'nope', '--event', 'status', '--covariates', 'age'], /column 'nope' not found/],
    [['cox', '--data', 'test/fixtures/data/bad-survival.csv', '--time', 'time_text', '--event', 'status', '--covariates', 'x'], /time column 'time_text' is not numeric/],
    [['cox', '--data', 'test/fixtures/data/bad-survival.csv', '--time', 'time_negative', '--event', 'status', '--covariates', 'x'], /time column 'time_negative' has a negative value \(-3\) at row 2/],
    [['cox', '--data', 'test/fixtures/data/bad-survival.csv', '--time', 'time', '--event', 'censored_only', '--covariates', 'x'], /event column 'censored_only' has no events/],
    [['cox', '--data', 'test/fixtures/data/bad-survival.csv', '--time', 'time', '--event', 'status', '--covariates', 'x,x_copy'], /singular|collinear/i],
    [['logistic', '--data', 'test/fixtures/data/bad-survival.csv', '--outcome', 'status', '--covariates', 'separator'], /separat/i],
    [['cox', '--data', 'missing.csv', '--time', 'time', '--event', 'status', '--covariates', 'x'], /cannot read data file 'missing.csv'/],
    [['cox', '--data', lung, '--time', 'time', '--event', 'status'], /--covariates is required/],
    [['km', '--data', lung, '--time', 'time', '--event', 'status', '--bogus'], /Unknown option '--bogus'/],
    [['cox', '--data', lung, '--time', 'time', '--event', 'status', '--covariates', 'age', '--ties', 'exact'], /--ties 'exact' is not supported/],
  ];
  for (const [args, pattern] of cases) {
    const out = runCli(['stats', ...args]);
    assert.notEqual(out.status, 0, `${args.join(' ')} should fail`);
    assert.match(out.stderr.split('\n')[0], pattern, `${args.join(' ')}: ${out.stderr}`);
  }
});
