import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { lungColumn, lungTable } from '../../test/support/lung.js';
import { referenceCase } from '../../test/support/reference.js';
import { completeCases } from '../data/complete-cases.js';
import { coxTerms, fitCox, type CoxFit, type CoxInput } from './cox.js';
import { designFromColumns, selectRows } from './matrix.js';
import { StatsError } from './stats-error.js';

// ---------------------------------------------------------------------------------------------------
// lung (survival::lung) against R 4.x / survival 3.5-3; the R calls are in test/fixtures/r/lung_cox.R.

const TERMS = ['age', 'sex', 'ph.ecog'];

/** The model frame R builds: complete cases of the variables in the call, status 2 = dead. */
function lungInput(extraColumns: string[] = []): { input: CoxInput; inst: Int32Array } {
  const rows = completeCases(lungTable(), ['time', 'status', ...TERMS, ...extraColumns]).rows;
  const status = lungColumn('status', rows);
  const input: CoxInput = {
    time: lungColumn('time', rows),
    event: Uint8Array.from(status, (s) => (s === 2 ? 1 : 0)),
    x: designFromColumns(TERMS, TERMS.map((name) => lungColumn(name, rows))),
  };
  const inst = extraColumns.includes('inst') ? Int32Array.from(lungColumn('inst', rows)) : new Int32Array(rows.length);
  return { input, inst };
}

function byTerm(value: unknown): number[] {
  const record = value as Record<string, number>;
  return TERMS.map((t) => record[t]);
}

/** Every field of an r-reference.json Cox case. */
function assertMatchesR(fit: CoxFit, key: string): void {
  const ref = referenceCase(key);
  const terms = coxTerms(fit);
  assert.equal(fit.n, ref.n, `${key} n`);
  assert.equal(fit.events, ref.events, `${key} events`);
  assert.equal(fit.converged, true);
  assertAllClose(fit.coef, byTerm(ref.coef), 1e-6, `${key} coef`);
  assertAllClose(
    terms.map((t) => t.robustSe ?? t.se),
    byTerm(ref.se),
    1e-5,
    `${key} se`,
  );
  assertAllClose(fit.naiveSe, byTerm(ref.naive_se), 1e-5, `${key} naive_se`);
  assertAllClose(
    terms.map((t) => t.hr),
    byTerm(ref.hr),
    1e-6,
    `${key} hr`,
  );
  assertAllClose(
    terms.map((t) => t.hrLower),
    byTerm(ref.hr_lower),
    1e-6,
    `${key} hr_lower`,
  );
  assertAllClose(
    terms.map((t) => t.hrUpper),
    byTerm(ref.hr_upper),
    1e-6,
    `${key} hr_upper`,
  );
  // R's p-values were stored to 9-12 significant digits.
  assertAllClose(
    terms.map((t) => t.p),
    byTerm(ref.p),
    1e-6,
    `${key} p`,
  );
  assertAllClose(fit.loglik, ref.loglik as number[], 1e-9, `${key} loglik`);
  // R's concordance was stored to 9 significant digits (12 for the stratified and clustered cases).
  assertClose(fit.concordance, ref.concordance as number, 1e-8, `${key} concordance`);
}

test('lung, Efron ties: coxph(Surv(time, status) ~ age + sex + ph.ecog)', () => {
  const { input } = lungInput();
  assertMatchesR(fitCox(input), 'lung_cox_efron');
});

test('lung, Breslow ties: ties = "breslow"', () => {
  const { input } = lungInput();
  assertMatchesR(fitCox({ ...input, ties: 'breslow' }), 'lung_cox_breslow');
});

test('lung, strata(inst): separate baseline hazard per institution, n 226', () => {
  const { input, inst } = lungInput(['inst']);
  assertMatchesR(fitCox({ ...input, strata: inst }), 'lung_cox_strata_inst');
});

test('lung, cluster = inst: robust SE drives z, p and the CI; naive SE kept', () => {
  const { input, inst } = lungInput(['inst']);
  const fit = fitCox({ ...input, cluster: inst });
  assertMatchesR(fit, 'lung_cox_cluster_inst');
  assert.ok(fit.robustSe);
  // variance is the robust one (R's fit$var), naiveVariance the model one (fit$naive.var).
  for (let j = 0; j < 3; j++) {
    assertClose(Math.sqrt(fit.variance[j * 3 + j]), fit.robustSe[j], 1e-12, `robust variance diagonal ${j}`);
    assertClose(Math.sqrt(fit.naiveVariance[j * 3 + j]), fit.naiveSe[j], 1e-12, `naive variance diagonal ${j}`);
  }
});

test('coxTerms without a cluster: z = coef / se and robustSe is null', () => {
  const { input } = lungInput();
  const fit = fitCox(input);
  for (const term of coxTerms(fit)) {
    assert.equal(term.robustSe, null);
    assertClose(term.z, term.coef / term.se, 1e-15, `${term.term} z`);
  }
});

// ---------------------------------------------------------------------------------------------------
// Therneau & Grambsch (2000) appendix E, data set 1, as in survival's tests/book1.R (Breslow) and
// tests/book2.R (Efron): time 9,3,1,1,6,6,8, status 1,NA,1,0,1,1,0, x 0,2,1,1,1,0,0; the row with the
// missing status (time 3) is dropped by the model frame, leaving the six rows below. With r = exp(beta)
// the book gives in closed form:
//   Breslow: loglik = 2 beta - log(3r + 3) - 2 log(r + 3), U = (6 + 3r - r^2) / ((r + 1)(r + 3)),
//            I = r/(r + 1)^2 + 6r/(r + 3)^2; U = 0 at r = (3 + sqrt(33)) / 2, beta = 1.4752849.
//   Efron:   loglik = 2 beta - log(3r + 3) - log((r + 5)/2) - log(r + 3), U = (30 + 23r - r^3)/((r+1)(r+3)(r+5)),
//            I = sum of q - q^2 for q = r/(r+1), r/(r+5), r/(r+3); beta = log(2 sqrt(23/3) cos(acos((45/23) sqrt(3/23)) / 3)) = 1.676857.
// and the score residuals (book1.R / book2.R `score`), which give the robust variance with one cluster per
// row: sum_i (U_i / I)^2.

const BOOK = {
  time: Float64Array.from([9, 1, 1, 6, 6, 8]),
  event: Uint8Array.from([1, 1, 0, 1, 1, 0]),
  x: Float64Array.from([0, 1, 1, 1, 0, 0]),
};
/** Position of each BOOK row in the book's residual vectors, which list rows in time order (1, 1, 6, 6, 8, 9). */
const BOOK_RESIDUAL_ORDER = [5, 0, 1, 2, 3, 4];

function bookInput(ties: 'efron' | 'breslow', withCluster = false): CoxInput {
  return {
    time: BOOK.time,
    event: BOOK.event,
    x: designFromColumns(['x'], [BOOK.x]),
    ties,
    cluster: withCluster ? Int32Array.from([1, 2, 3, 4, 5, 6]) : undefined,
  };
}

function robustFromScoreResiduals(scoreResiduals: number[], information: number): number {
  let v = 0;
  for (const u of scoreResiduals) v += (u / information) ** 2;
  return v;
}

test('book data set 1, Breslow: closed-form beta, loglik, variance and robust variance', () => {
  const r = (3 + Math.sqrt(33)) / 2;
  const beta = Math.log(r);
  const loglik = (b: number): number => 2 * b - Math.log(3 * Math.exp(b) + 3) - 2 * Math.log(Math.exp(b) + 3);
  const information = r / (r + 1) ** 2 + (6 * r) / (r + 3) ** 2;
  const a = 3 * (r + 1) ** 2;
  const b = (r + 3) ** 2;
  const score = [(2 * r + 3) / a, -r / a, -r / a + (3 * (3 - r)) / b, r / a - (r * (r + 1)) / b, r / a + (2 * r) / b, r / a + (2 * r) / b];

  const fit = fitCox(bookInput('breslow', true));
  assertClose(fit.coef[0], beta, 1e-8, 'beta');
  assertClose(fit.coef[0], 1.4752849, 1e-7, 'beta as printed in book1.R');
  assertClose(fit.loglik[0], loglik(0), 1e-12, 'loglik at 0 = -log(6) - 2 log(4)');
  assertClose(fit.loglik[1], loglik(beta), 1e-12, 'loglik at beta');
  assertClose(fit.naiveVariance[0], 1 / information, 1e-7, 'model variance 1/I');
  assertClose(fit.variance[0], robustFromScoreResiduals(BOOK_RESIDUAL_ORDER.map((k) => score[k]), information), 1e-7, 'robust variance');
});

test('book data set 1, Efron: closed-form beta, loglik, variance and robust variance', () => {
  const beta = Math.log(Math.cos(Math.acos((45 / 23) * Math.sqrt(3 / 23)) / 3) * 2 * Math.sqrt(23 / 3));
  const r = Math.exp(beta);
  const loglik = (bb: number): number => {
    const rr = Math.exp(bb);
    return 2 * bb - (Math.log(3 * rr + 3) + Math.log((rr + 5) / 2) + Math.log(rr + 3));
  };
  const q = (v: number): number => v - v * v;
  const information = q(r / (r + 1)) + q(r / (r + 5)) + q(r / (r + 3));
  const a = r + 1;
  const b = r + 3;
  const d = r + 5;
  const abd2 = 3 * (a * b * d) ** 2;
  const tail = (2 * r * (177 + r * (282 + r * (182 + r * (50 + 5 * r))))) / abd2;
  const score = [
    (2 * r + 3) / (3 * a * a),
    -r / (3 * a * a),
    (675 + r * (1305 + r * (756 + r * (-4 + r * (-79 - 13 * r))))) / abd2,
    r * (1 / (3 * a * a) - a / (2 * b * b) - b / (2 * d * d)),
    tail,
    tail,
  ];

  const fit = fitCox(bookInput('efron', true));
  assertClose(fit.coef[0], beta, 1e-8, 'beta');
  assertClose(fit.coef[0], 1.676857, 1e-6, 'beta as printed in book2.R');
  assertClose(fit.loglik[0], loglik(0), 1e-12, 'loglik at 0 = -log(6) - log(3) - log(4)');
  assertClose(fit.loglik[1], loglik(beta), 1e-12, 'loglik at beta');
  assertClose(fit.naiveVariance[0], 1 / information, 1e-7, 'model variance 1/I');
  assertClose(fit.variance[0], robustFromScoreResiduals(BOOK_RESIDUAL_ORDER.map((k) => score[k]), information), 1e-7, 'robust variance');
});

// survival's other "test1" (the ?coxph example): time 4,3,1,1,2,2,3, status 1,1,1,0,1,1,0, x 0,2,1,1,1,0,0.
// At beta = 0 every risk score is 1. Event times and risk sets (x values of those at risk):
//   t=1: 7 at risk {0,2,1,1,1,0,0}, sum 5, sum x^2 7; one death with x = 1.
//   t=2: 5 at risk {0,2,1,0,0},     sum 3, sum x^2 5; two deaths, x = 1 and 0.
//   t=3: 3 at risk {0,2,0} (the censoring at 3 is at risk), sum 2, sum x^2 4; one death, x = 2.
//   t=4: 1 at risk {0}; one death, x = 0: contributes log 1 = 0 and nothing to U or I.
// Breslow: loglik = -(log 7 + 2 log 5 + log 3) = -log 525
//          U = (1 - 5/7) + (1 - 2*3/5) + (2 - 2/3) = 2/7 - 1/5 + 4/3 = 149/105
//          I = (1 - 25/49) + 2(1 - 9/25) + (4/3 - 4/9) = 24/49 + 32/25 + 8/9
// Efron at t=2 uses denominators 5 and 5 - 2/2 = 4, with sums 3 and 3 - 1/2 = 5/2, x^2 sums 5 and 9/2:
//          loglik = -(log 7 + log 5 + log 4 + log 3) = -log 420
//          U = 2/7 + (1 - 3/5 - 5/8) + 4/3 = 1171/840
//          I = 24/49 + (1 - 9/25) + (9/8 - 25/64) + 8/9 = 24/49 + 16/25 + 47/64 + 8/9
// With maxIterations 0 the fit stays at beta = 0: variance = 1/I and the score test = U^2/I.
const TEST1 = {
  time: Float64Array.from([4, 3, 1, 1, 2, 2, 3]),
  event: Uint8Array.from([1, 1, 1, 0, 1, 1, 0]),
  x: designFromColumns(['x'], [Float64Array.from([0, 2, 1, 1, 1, 0, 0])]),
};

test('survival test1 at beta = 0: hand-computed loglik, score test and variance (Breslow)', () => {
  const fit = fitCox({ ...TEST1, ties: 'breslow', maxIterations: 0 });
  const u = 149 / 105;
  const info = 24 / 49 + 32 / 25 + 8 / 9;
  assertClose(fit.loglik[0], -Math.log(525), 1e-14, 'loglik(0)');
  assertClose(fit.naiveVariance[0], 1 / info, 1e-12, 'variance at 0');
  assertClose(fit.scoreTest, (u * u) / info, 1e-12, 'score test');
  assert.equal(fit.coef[0], 0);
  assert.equal(fit.iterations, 0);
  assert.equal(fit.converged, false);
});

test('survival test1 at beta = 0: hand-computed loglik, score test and variance (Efron)', () => {
  const fit = fitCox({ ...TEST1, maxIterations: 0 });
  const u = 1171 / 840;
  const info = 24 / 49 + 16 / 25 + 47 / 64 + 8 / 9;
  assertClose(fit.loglik[0], -Math.log(420), 1e-14, 'loglik(0)');
  assertClose(fit.naiveVariance[0], 1 / info, 1e-12, 'variance at 0');
  assertClose(fit.scoreTest, (u * u) / info, 1e-12, 'score test');
});

// The same data at any beta, r = exp(beta) (risk 1, r, r^2 for x = 0, 1, 2):
//   t=1: S0 = 3 + 3r + r^2, S1 = 3r + 2r^2, death x = 1
//   t=2: S0 = 3 + r + r^2,  S1 = r + 2r^2,  deaths x = 1 (risk r) and x = 0 (risk 1)
//   t=3: S0 = 2 + r^2,      S1 = 2r^2,      death x = 2;   t=4 contributes 0.
// Breslow: loglik = 4 beta - log(3+3r+r^2) - 2 log(3+r+r^2) - log(2+r^2)
//          U = 4 - (3r+2r^2)/(3+3r+r^2) - 2 (r+2r^2)/(3+r+r^2) - 2r^2/(2+r^2)
// Efron, second death at t=2 with half of the dying risk: S0 - (1+r)/2, S1 - r/2:
//          loglik = 4 beta - log(3+3r+r^2) - log(3+r+r^2) - log((5+r)/2 + r^2) - log(2+r^2)
//          U = 4 - (3r+2r^2)/(3+3r+r^2) - (r+2r^2)/(3+r+r^2) - (r/2+2r^2)/((5+r)/2+r^2) - 2r^2/(2+r^2)
test('survival test1 fitted: score zero and loglik as in the closed form at the estimate', () => {
  const forms = {
    breslow: {
      loglik: (r: number) => 4 * Math.log(r) - Math.log(3 + 3 * r + r * r) - 2 * Math.log(3 + r + r * r) - Math.log(2 + r * r),
      score: (r: number) => 4 - (3 * r + 2 * r * r) / (3 + 3 * r + r * r) - (2 * (r + 2 * r * r)) / (3 + r + r * r) - (2 * r * r) / (2 + r * r),
    },
    efron: {
      loglik: (r: number) =>
        4 * Math.log(r) - Math.log(3 + 3 * r + r * r) - Math.log(3 + r + r * r) - Math.log((5 + r) / 2 + r * r) - Math.log(2 + r * r),
      score: (r: number) =>
        4 -
        (3 * r + 2 * r * r) / (3 + 3 * r + r * r) -
        (r + 2 * r * r) / (3 + r + r * r) -
        (r / 2 + 2 * r * r) / ((5 + r) / 2 + r * r) -
        (2 * r * r) / (2 + r * r),
    },
  };
  for (const ties of ['efron', 'breslow'] as const) {
    const fit = fitCox({ ...TEST1, ties });
    const r = Math.exp(fit.coef[0]);
    assertClose(forms[ties].loglik(1), fit.loglik[0], 1e-14, `${ties} loglik(0) from the closed form`);
    assertClose(fit.loglik[1], forms[ties].loglik(r), 1e-13, `${ties} loglik at the estimate`);
    assert.ok(Math.abs(forms[ties].score(r)) < 1e-8, `${ties} score at the estimate ${forms[ties].score(r)}`);
    assert.ok(forms[ties].loglik(r) > forms[ties].loglik(r * 1.001) && forms[ties].loglik(r) > forms[ties].loglik(r / 1.001), `${ties} a maximum`);
  }
});

// ---------------------------------------------------------------------------------------------------
// Edge cases and identities.

test('all censored -> StatsError no-events', () => {
  const { input } = lungInput();
  assert.throws(
    () => fitCox({ ...input, event: new Uint8Array(input.event.length) }),
    (e: unknown) => e instanceof StatsError && e.kind === 'no-events',
  );
});

test('a stratum with one subject (censored, or an event) changes nothing but n and events', () => {
  const { input, inst } = lungInput(['inst']);
  const base = fitCox({ ...input, strata: inst });
  const n = input.time.length;
  const extraRow = [70, 1, 1];
  const x = designFromColumns(
    TERMS,
    TERMS.map((_, j) => Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? input.x.data[i * 3 + j] : extraRow[j]))),
  );
  const time = Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? input.time[i] : 100));
  const strata = Int32Array.from({ length: n + 1 }, (_, i) => (i < n ? inst[i] : 999));
  for (const lastEvent of [0, 1]) {
    const event = Uint8Array.from({ length: n + 1 }, (_, i) => (i < n ? input.event[i] : lastEvent));
    const fit = fitCox({ time, event, x, strata });
    assert.equal(fit.n, n + 1);
    assert.equal(fit.events, base.events + lastEvent);
    assertAllClose(fit.coef, base.coef, 1e-10, `coef (lone subject event=${lastEvent})`);
    assertAllClose(fit.naiveSe, base.naiveSe, 1e-10, `se (lone subject event=${lastEvent})`);
    // A lone death has risk set {itself}: loglik term eta - log(exp(eta)) = 0; censored adds nothing.
    assertAllClose(fit.loglik, base.loglik, 1e-12, `loglik (lone subject event=${lastEvent})`);
    assertClose(fit.concordance, base.concordance, 1e-12, 'concordance');
  }
});

test('zero-weight rows give the same fit as deleting them (with strata and cluster)', () => {
  const { input, inst } = lungInput(['inst']);
  const n = input.time.length;
  const weights = Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1));
  const kept = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => weights[i] > 0));
  const withZeros = fitCox({ ...input, weights, strata: inst, cluster: inst });
  const deleted = fitCox({
    time: input.time.filter((_, i) => weights[i] > 0),
    event: input.event.filter((_, i) => weights[i] > 0),
    x: selectRows(input.x, kept),
    strata: inst.filter((_, i) => weights[i] > 0),
    cluster: inst.filter((_, i) => weights[i] > 0),
  });
  assert.equal(withZeros.n, kept.length);
  assert.equal(withZeros.events, deleted.events);
  assertAllClose(withZeros.coef, deleted.coef, 1e-12, 'coef');
  assertAllClose(withZeros.variance, deleted.variance, 1e-10, 'robust variance');
  assertAllClose(withZeros.naiveVariance, deleted.naiveVariance, 1e-10, 'model variance');
  assertAllClose(withZeros.loglik, deleted.loglik, 1e-12, 'loglik');
  assertClose(withZeros.concordance, deleted.concordance, 1e-12, 'concordance');
});

test('integer case weights equal duplicated rows (Breslow: coef, loglik, se, concordance)', () => {
  // Under Breslow the partial likelihood is a sum over deaths of terms that depend on the risk set only
  // through sums, so a row of weight k is k identical rows. (Efron is different by design, in R too: a
  // weighted death is one death, k copies are k tied deaths; see the file comment of cox.ts.)
  const { input, inst } = lungInput(['inst']);
  const n = input.time.length;
  const weights = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const copies: number[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < weights[i]; k++) copies.push(i);
  const rows = Int32Array.from(copies);
  for (const strata of [undefined, inst]) {
    const weighted = fitCox({ ...input, ties: 'breslow', weights, strata });
    const duplicated = fitCox({
      time: Float64Array.from(rows, (i) => input.time[i]),
      event: Uint8Array.from(rows, (i) => input.event[i]),
      x: selectRows(input.x, rows),
      ties: 'breslow',
      strata: strata ? Int32Array.from(rows, (i) => strata[i]) : undefined,
    });
    assertAllClose(weighted.coef, duplicated.coef, 1e-9, 'coef');
    assertAllClose(weighted.loglik, duplicated.loglik, 1e-11, 'loglik');
    assertAllClose(weighted.naiveSe, duplicated.naiveSe, 1e-8, 'se');
    // Copies of one subject are never a comparable pair (same time: tied events, or censored).
    assertClose(weighted.concordance, duplicated.concordance, 1e-12, 'concordance');
  }
});

test('times closer than sqrt(machine eps) are tied, as R (aeqSurv) ties them', () => {
  const { input } = lungInput();
  const nudged = Float64Array.from(input.time, (t, i) => (i % 2 === 0 ? t * (1 + 1e-12) : t));
  const exact = fitCox(input);
  const fuzzy = fitCox({ ...input, time: nudged });
  assertAllClose(fuzzy.coef, exact.coef, 1e-12, 'coef');
  assertAllClose(fuzzy.loglik, exact.loglik, 1e-12, 'loglik');
  assertClose(fuzzy.concordance, exact.concordance, 1e-12, 'concordance');
});

test('row order does not matter', () => {
  const { input, inst } = lungInput(['inst']);
  const n = input.time.length;
  const reversed = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
  const a = fitCox({ ...input, cluster: inst });
  const b = fitCox({
    time: Float64Array.from(reversed, (i) => input.time[i]),
    event: Uint8Array.from(reversed, (i) => input.event[i]),
    x: selectRows(input.x, reversed),
    cluster: Int32Array.from(reversed, (i) => inst[i]),
  });
  assertAllClose(b.coef, a.coef, 1e-12, 'coef');
  assertAllClose(b.variance, a.variance, 1e-10, 'robust variance');
  assertClose(b.concordance, a.concordance, 1e-14, 'concordance');
  for (let i = 0; i < n; i++) assertClose(b.linearPredictors[i], a.linearPredictors[reversed[i]], 1e-10, `lp ${i}`, 1e-8);
});

function expectStatsError(kind: StatsError['kind'], mentions: string[], run: () => unknown): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof StatsError, `expected a StatsError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    for (const word of mentions) assert.ok(e.message.includes(word), `message '${e.message}' should mention ${word}`);
    return true;
  });
}

test('a constant covariate -> singular, naming it', () => {
  const { input } = lungInput();
  const n = input.time.length;
  const x = designFromColumns(
    ['age', 'site', 'sex'],
    [Float64Array.from({ length: n }, (_, i) => input.x.data[i * 3]), new Float64Array(n).fill(2), Float64Array.from({ length: n }, (_, i) => input.x.data[i * 3 + 1])],
  );
  expectStatsError('singular', ["'site'", 'constant'], () => fitCox({ ...input, x }));
});

test('two identical covariates -> singular, naming both', () => {
  const { input } = lungInput();
  const n = input.time.length;
  const age = Float64Array.from({ length: n }, (_, i) => input.x.data[i * 3]);
  const sex = Float64Array.from({ length: n }, (_, i) => input.x.data[i * 3 + 1]);
  const x = designFromColumns(['age', 'sex', 'age_again'], [age, sex, Float64Array.from(age, (a) => a * 12)]);
  expectStatsError('singular', ["'age_again'", "'age'"], () => fitCox({ ...input, x }));
});

test('a covariate constant within every stratum -> singular, naming it', () => {
  const { input } = lungInput();
  const n = input.time.length;
  const sex = Float64Array.from({ length: n }, (_, i) => input.x.data[i * 3 + 1]);
  const x = designFromColumns(['age', 'sex'], [Float64Array.from({ length: n }, (_, i) => input.x.data[i * 3]), sex]);
  expectStatsError('singular', ["'sex'"], () => fitCox({ ...input, x, strata: Int32Array.from(sex) }));
});

test('monotone likelihood (every early death has x = 1) -> no-convergence, naming the term', () => {
  // Times 1..12; x = 1 for the six earliest (all deaths), 0 for the rest (deaths and censorings). At
  // every death time the subject who dies has the largest x at risk, so loglik rises towards a
  // supremum as beta -> infinity: R warns "Loglik converged before variable 1; beta may be infinite".
  const time = Float64Array.from({ length: 12 }, (_, i) => i + 1);
  const event = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0]);
  const marker = Float64Array.from({ length: 12 }, (_, i) => (i < 6 ? 1 : 0));
  const other = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]);
  const x = designFromColumns(['other', 'marker'], [other, marker]);
  expectStatsError('no-convergence', ["'marker'"], () => fitCox({ time, event, x }));
  expectStatsError('no-convergence', ["'marker'"], () => fitCox({ time, event, x, ties: 'breslow' }));
});

test('invalid input -> StatsError invalid-input', () => {
  const { input } = lungInput();
  const n = input.time.length;
  expectStatsError('invalid-input', ['weights'], () => fitCox({ ...input, weights: new Float64Array(n).fill(-1) }));
  expectStatsError('invalid-input', ['length'], () => fitCox({ ...input, time: input.time.subarray(1) }));
  const withNaN = Float64Array.from(input.x.data);
  withNaN[5 * 3 + 2] = Number.NaN;
  expectStatsError('invalid-input', ["'ph.ecog'", 'row 6'], () => fitCox({ ...input, x: { ...input.x, data: withNaN } }));
  expectStatsError('invalid-input', ['event'], () => fitCox({ ...input, event: Uint8Array.from(input.event, (e) => e * 2) }));
  expectStatsError('invalid-input', ['time'], () => fitCox({ ...input, time: Float64Array.from(input.time, (t) => -t) }));
});

test('maxIterations too small to converge -> no-convergence', () => {
  const { input } = lungInput();
  expectStatsError('no-convergence', ['1 iteration:'], () => fitCox({ ...input, maxIterations: 1 }));
});

// ---------------------------------------------------------------------------------------------------
// Heavily tied data against a direct transcription of the partial likelihood (Therneau & Grambsch 2000,
// ch. 3; coxfit6.c conventions: Efron steps carry the mean death weight). O(n^2) and obviously correct:
// for each stratum and event time t with deaths D (d of them), k = 1..d (Breslow: one step, k/d = 1):
//   S0_k = sum_{time >= t, not in D} r_i + (k/d) sum_D r_i, likewise S1_k, S2_k; r_i = w_i exp(x_i . beta)
//   loglik += sum_D w_i x_i . beta - wbar sum_k log S0_k,  U += sum_D w_i x_i - wbar sum_k S1_k / S0_k,
//   I += wbar sum_k (S2_k / S0_k - S1_k S1_k' / S0_k^2),   wbar = sum_D w_i / (d, or 1 for Breslow).

interface Direct {
  loglik: number;
  score: number[];
  information: number[][];
}

function directPartialLikelihood(input: CoxInput, beta: ArrayLike<number>, ties: 'efron' | 'breslow'): Direct {
  const n = input.time.length;
  const p = input.x.nCols;
  const xs = (i: number, j: number): number => input.x.data[i * p + j];
  const w = (i: number): number => (input.weights ? input.weights[i] : 1);
  const stratum = (i: number): number => (input.strata ? input.strata[i] : 0);
  const risk = Array.from({ length: n }, (_, i) => {
    let e = 0;
    for (let j = 0; j < p; j++) e += xs(i, j) * beta[j];
    return w(i) * Math.exp(e);
  });
  const out: Direct = { loglik: 0, score: new Array<number>(p).fill(0), information: Array.from({ length: p }, () => new Array<number>(p).fill(0)) };
  const seen = new Set<string>();
  for (let e = 0; e < n; e++) {
    if (input.event[e] !== 1 || w(e) === 0) continue;
    const key = `${stratum(e)}:${input.time[e]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const dead: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < n; i++) {
      if (w(i) === 0 || stratum(i) !== stratum(e) || input.time[i] < input.time[e]) continue;
      if (input.time[i] === input.time[e] && input.event[i] === 1) dead.push(i);
      else rest.push(i);
    }
    const deadWeight = dead.reduce((s, i) => s + w(i), 0);
    const steps = ties === 'efron' ? dead.length : 1;
    for (const i of dead) {
      for (let j = 0; j < p; j++) {
        out.loglik += w(i) * xs(i, j) * beta[j];
        out.score[j] += w(i) * xs(i, j);
      }
    }
    for (let k = 1; k <= steps; k++) {
      const frac = k / steps;
      const part = (i: number): number => (dead.includes(i) ? frac : 1) * risk[i];
      const members = [...rest, ...dead];
      const s0 = members.reduce((s, i) => s + part(i), 0);
      const s1 = Array.from({ length: p }, (_, j) => members.reduce((s, i) => s + part(i) * xs(i, j), 0));
      out.loglik -= (deadWeight / steps) * Math.log(s0);
      for (let j = 0; j < p; j++) {
        out.score[j] -= ((deadWeight / steps) * s1[j]) / s0;
        for (let l = 0; l < p; l++) {
          const s2 = members.reduce((s, i) => s + part(i) * xs(i, j) * xs(i, l), 0);
          out.information[j][l] += (deadWeight / steps) * (s2 / s0 - (s1[j] * s1[l]) / (s0 * s0));
        }
      }
    }
  }
  return out;
}

function inverse2(m: number[][]): number[][] {
  const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
  return [
    [m[1][1] / det, -m[0][1] / det],
    [-m[1][0] / det, m[0][0] / det],
  ];
}

test('heavily tied, weighted, stratified data: fit agrees with a direct transcription of the likelihood', () => {
  // 90 rows, times 1..6 (up to ~10 tied events per time and stratum), 3 strata, weights 0.5..2.5.
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const n = 90;
  const a = Float64Array.from({ length: n }, () => Math.round(random() * 40) / 10);
  const b = Float64Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0));
  const input: CoxInput = {
    time: Float64Array.from({ length: n }, (_, i) => 1 + Math.floor(random() * (6 - a[i]))),
    event: Uint8Array.from({ length: n }, () => (random() < 0.7 ? 1 : 0)),
    x: designFromColumns(['a', 'b'], [a, b]),
    strata: Int32Array.from({ length: n }, (_, i) => i % 3),
    weights: Float64Array.from({ length: n }, () => 0.5 + Math.floor(random() * 5) / 2),
  };
  for (const ties of ['efron', 'breslow'] as const) {
    const fit = fitCox({ ...input, ties });
    const atZero = directPartialLikelihood(input, [0, 0], ties);
    const atFit = directPartialLikelihood(input, fit.coef, ties);
    assertClose(fit.loglik[0], atZero.loglik, 1e-12, `${ties} loglik(0)`);
    assertClose(fit.loglik[1], atFit.loglik, 1e-12, `${ties} loglik(beta)`);
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(atFit.score[j]) < 1e-6, `${ties} score ${j} at the estimate: ${atFit.score[j]}`);
    const v = inverse2(atFit.information);
    assertAllClose(fit.naiveVariance, [v[0][0], v[0][1], v[1][0], v[1][1]], 1e-8, `${ties} variance`);
    const v0 = inverse2(atZero.information);
    const u0 = atZero.score;
    const scoreTest = u0[0] * (v0[0][0] * u0[0] + v0[0][1] * u0[1]) + u0[1] * (v0[1][0] * u0[0] + v0[1][1] * u0[1]);
    assertClose(fit.scoreTest, scoreTest, 1e-10, `${ties} score test`);
  }
});
