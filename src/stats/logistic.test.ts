import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { lalonde } from '../../test/support/lalonde.js';
import { referenceCase } from '../../test/support/reference.js';
import { fitLogistic, NORMAL_EQUATIONS_FROM } from './logistic.js';
import { designFromColumns, type DesignMatrix } from './matrix.js';
import { StatsError } from './stats-error.js';

function small(y: number[], cols: Record<string, number[]>, intercept = true): { y: Float64Array; x: DesignMatrix } {
  const names = [...(intercept ? ['(Intercept)'] : []), ...Object.keys(cols)];
  const columns = [...(intercept ? [new Array<number>(y.length).fill(1)] : []), ...Object.values(cols)];
  return { y: Float64Array.from(y), x: designFromColumns(names, columns) };
}

function assertStatsError(fn: () => unknown, kind: StatsError['kind'], term: string | RegExp | null, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatsError, `expected StatsError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (typeof term === 'string') assert.equal(e.term, term, e.message);
    else if (term instanceof RegExp) assert.match(e.term ?? '', term, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('lalonde: every coefficient, SE, p, deviance, null deviance and AIC agree with R glm', () => {
  const ref = referenceCase('lalonde_logistic') as {
    n: number;
    coef: Record<string, number>;
    se: Record<string, number>;
    p: Record<string, number>;
    deviance: number;
    null_deviance: number;
    aic: number;
  };
  const fit = fitLogistic(lalonde());
  assert.equal(fit.n, ref.n);
  assert.deepEqual(fit.names, Object.keys(ref.coef));
  assert.ok(fit.converged);
  fit.names.forEach((name, j) => {
    assertClose(fit.coef[j], ref.coef[name], 1e-6, `coef ${name}`);
    assertClose(fit.se[j], ref.se[name], 1e-5, `se ${name}`);
    assertClose(fit.p[j], ref.p[name], 1e-5, `p ${name}`);
  });
  assertClose(fit.deviance, ref.deviance, 1e-8, 'deviance');
  assertClose(fit.nullDeviance, ref.null_deviance, 1e-8, 'null deviance');
  assertClose(fit.aic, ref.aic, 1e-8, 'aic');
  assert.equal(fit.dfResidual, 614 - 9);
  assert.equal(fit.dfNull, 613);
});

test('case weights of 2 behave like duplicated rows: same coefficients, SEs / sqrt(2), deviances x 2', () => {
  // Doubling every weight doubles the log-likelihood, so the MLE is unchanged, the information matrix doubles
  // (SE divided by sqrt 2) and both deviances double; AIC = -2 loglik + 2p with log dbinom(2y, 2, mu)
  // = log choose(2, 2y) + 2 log(mu or 1 - mu), i.e. 2 * deviance + 2p (choose(2,0) = choose(2,2) = 1).
  // SEs only to 1e-4: like glm, we take them from the IRLS weights of the last iteration (one step before the
  // final estimate), and the doubled deviance changes when the convergence test stops.
  const data = lalonde();
  const once = fitLogistic(data);
  const twice = fitLogistic({ ...data, weights: new Float64Array(614).fill(2) });
  for (let j = 0; j < once.coef.length; j++) {
    assertClose(twice.coef[j], once.coef[j], 1e-6, `coef ${once.names[j]}`);
    assertClose(twice.se[j], once.se[j] / Math.SQRT2, 1e-4, `se ${once.names[j]}`);
  }
  assertClose(twice.deviance, 2 * once.deviance, 1e-9, 'deviance');
  assertClose(twice.nullDeviance, 2 * once.nullDeviance, 1e-9, 'null deviance');
  assertClose(twice.aic, 2 * once.deviance + 18, 1e-9, 'aic');
});

test('a tiny fit against the closed form: one binary covariate gives the log odds ratio of the 2x2 table', () => {
  // x = 0: 1 event of 4; x = 1: 3 events of 4. MLE: intercept = log(1/3), slope = log(3) - log(1/3) = log 9;
  // SE(slope) = sqrt(1/1 + 1/3 + 1/3 + 1/1) = sqrt(8/3) (Woolf); deviance = -2 sum log-lik
  // = -2 * 2 * (log(1/4) + 3 log(3/4)). SEs to 1e-5 only: glm's come from the weights one IRLS step before
  // the final estimate (summary.glm uses the last QR), not from the exact information at the MLE.
  const data = small([1, 0, 0, 0, 1, 1, 1, 0], { x: [0, 0, 0, 0, 1, 1, 1, 1] });
  const fit = fitLogistic(data);
  assertClose(fit.coef[0], Math.log(1 / 3), 1e-9, 'intercept');
  assertClose(fit.coef[1], Math.log(9), 1e-9, 'slope');
  assertClose(fit.se[1], Math.sqrt(8 / 3), 1e-5, 'se slope');
  assertClose(fit.se[0], Math.sqrt(1 / 1 + 1 / 3), 1e-5, 'se intercept');
  const loglik = 2 * (Math.log(1 / 4) + 3 * Math.log(3 / 4));
  assertClose(fit.deviance, -2 * loglik, 1e-9, 'deviance');
  assertClose(fit.nullDeviance, -2 * 8 * Math.log(1 / 2), 1e-12, 'null deviance');
  assertClose(fit.aic, -2 * loglik + 4, 1e-9, 'aic');
});

test('complete separation by one covariate is refused and names it', () => {
  assertStatsError(() => fitLogistic(small([0, 0, 0, 1, 1, 1], { x: [1, 2, 3, 4, 5, 6] })), 'separation', 'x', /completely separates/);
});

test('quasi-complete separation by a dummy (every exposed row is an event) is refused and names it', () => {
  // glm would converge with a huge coefficient for d and a warning; d = 1 implies y = 1.
  const data = small([0, 0, 1, 1, 0, 1, 1, 1, 0, 1], { d: [0, 0, 0, 0, 0, 1, 1, 1, 0, 1], z: [0.8, 0.9, 0.1, -0.8, -1, -0.3, 0.7, 1, 0.4, -0.5] });
  assertStatsError(() => fitLogistic(data), 'separation', 'd', /quasi-completely separates/);
});

test('separation by a combination of covariates (neither alone separates) is refused and names both', () => {
  // y = 1 exactly when x1 + x2 > 0.
  const x1 = [-2, -1, 0, 1, 2, -2, 1, 2, -1, 0.5, 3, -3];
  const x2 = [1, 2, 1.5, -2, -1.5, 3, 0.5, -3, 0.5, -1, -1, 2];
  const y = x1.map((v, i) => (v + x2[i] > 0 ? 1 : 0));
  assertStatsError(() => fitLogistic(small(y, { x1, x2 })), 'separation', 'x1, x2', /combination/);
  // Quasi-complete: two extra rows on the separating line x1 + x2 = 0 with both outcomes.
  assertStatsError(() => fitLogistic(small([...y, 1, 0], { x1: [...x1, 0, 1], x2: [...x2, 0, -1] })), 'separation', 'x1, x2', /combination/);
});

test('large but finite fitted values are not mistaken for separation', () => {
  // One extreme x (40) gives a fitted probability within 1e-7 of 1, but the outcomes overlap, so the MLE exists.
  const fit = fitLogistic(small([0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1], { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 40] }));
  assert.ok(fit.converged);
  assert.ok(fit.fitted[11] > 1 - 1e-6);
});

test('a constant covariate beside the intercept is a singular design naming the column', () => {
  assertStatsError(() => fitLogistic(small([0, 1, 0, 1, 1, 0], { x: [1, 2, 3, 4, 5, 6], c: [5, 5, 5, 5, 5, 5] })), 'singular', 'c', /constant/);
  assertStatsError(() => fitLogistic(small([0, 1, 0, 1, 1, 0], { x: [1, 2, 3, 4, 5, 6], zero: [0, 0, 0, 0, 0, 0] })), 'singular', 'zero', /zero/);
});

test('a collinear column is a singular design naming the first dependent column (as R marks it NA)', () => {
  const data = small([0, 1, 0, 1, 1, 0, 1, 0], { x: [1, 2, 3, 4, 5, 6, 7, 8], z: [3, 1, 2, 5, 4, 4, 1, 2], w: [4, 3, 5, 9, 9, 10, 8, 10] });
  assertStatsError(() => fitLogistic(data), 'singular', 'w', /linearly dependent/);
});

test('a constant column without an intercept is the intercept, and is fitted', () => {
  const fit = fitLogistic(small([0, 1, 0, 1, 1, 0, 0, 1], { one: [1, 1, 1, 1, 1, 1, 1, 1], x: [1, 2, 3, 4, 5, 6, 7, 8] }, false));
  assert.ok(fit.intercept);
});

test('non-convergence within maxit is an error, not a silent fit', () => {
  assertStatsError(() => fitLogistic({ ...lalonde(), maxIterations: 2 }), 'no-convergence', null, /did not converge in 2 iterations/);
});

test('invalid inputs are named', () => {
  assertStatsError(() => fitLogistic(small([0, 2, 1], { x: [1, 2, 3] })), 'invalid-input', 'outcome');
  assertStatsError(() => fitLogistic(small([1, 1, 1], { x: [1, 2, 3] })), 'invalid-input', 'outcome', /1 in every row/);
  assertStatsError(() => fitLogistic(small([0, 1, 1], { x: [1, Number.NaN, 3] })), 'invalid-input', 'x');
  assertStatsError(() => fitLogistic({ ...small([0, 1, 1, 0], { x: [1, 2, 3, 4] }), weights: Float64Array.from([1, -1, 1, 1]) }), 'invalid-input', 'weights');
});

test('normal-equations solver (the default from NORMAL_EQUATIONS_FROM rows) gives the QR path iterates: coefficients, SEs, deviance', () => {
  // 30,000 rows, a factor, a skewed numeric and a rare flag: the kind of design a propensity model has.
  let seed = 20261124;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  const n = 30_000;
  const names = ['(Intercept)', 'stage=D', 'stage=E', 'lactate', 'rare'];
  const data = new Float64Array(n * names.length);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    const d = u > 0.5 && u < 0.8 ? 1 : 0;
    const e = u >= 0.8 ? 1 : 0;
    const lactate = -Math.log(1 - rnd()) * 3;
    const rare = rnd() < 0.01 ? 1 : 0;
    data.set([1, d, e, lactate, rare], i * names.length);
    const eta = -1 + 0.8 * d + 1.6 * e + 0.15 * lactate - 0.7 * rare;
    y[i] = rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  const x = { names, nRows: n, nCols: names.length, data };
  assert.ok(n >= NORMAL_EQUATIONS_FROM);
  const qr = fitLogistic({ y, x, solver: 'qr' });
  const ne = fitLogistic({ y, x });
  assert.equal(ne.iterations, qr.iterations);
  for (let j = 0; j < names.length; j++) {
    assert.ok(Math.abs(ne.coef[j] - qr.coef[j]) <= 1e-9 * Math.max(1, Math.abs(qr.coef[j])), `coef ${names[j]}: ${ne.coef[j]} vs ${qr.coef[j]}`);
    assert.ok(Math.abs(ne.se[j] - qr.se[j]) <= 1e-8 * qr.se[j], `se ${names[j]}: ${ne.se[j]} vs ${qr.se[j]}`);
  }
  assert.ok(Math.abs(ne.deviance - qr.deviance) <= 1e-9 * qr.deviance);
  // The truth is recovered (a check that the comparison above is not between two wrong fits).
  assert.ok(Math.abs(qr.coef[2] - 1.6) < 0.1, `stage=E ${qr.coef[2]}`);
});

test('normal-equations solver names an aliased column', () => {
  const n = 25_000;
  const data = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = (i * 7919) % 13 < 5 ? 1 : 0;
    data.set([1, a, 2 * a], i * 3);
    y[i] = (i * 104729) % 7 < 3 ? 1 : 0;
  }
  assert.throws(() => fitLogistic({ y, x: { names: ['(Intercept)', 'a', 'twice_a'], nRows: n, nCols: 3, data } }), (e: unknown) => e instanceof StatsError && e.kind === 'singular' && e.term === 'twice_a');
});
