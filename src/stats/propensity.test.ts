import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCsvFile } from '../data/csv.js';
import { assertClose } from '../../test/support/close.js';
import { fixturePath } from '../../test/support/paths.js';
import { referenceCase } from '../../test/support/reference.js';
import { designFromColumns } from './matrix.js';
import { fitPropensity } from './propensity.js';
import { StatsError } from './stats-error.js';

function lalonde(): { treated: Uint8Array; x: ReturnType<typeof designFromColumns> } {
  const table = readCsvFile(fixturePath('data', 'lalonde.csv'));
  const num = (name: string): Float64Array => {
    const c = table.columns.find((col) => col.name === name);
    if (!c || c.kind === 'categorical') throw new Error(`numeric column ${name} missing`);
    return c.values;
  };
  const race = table.columns.find((col) => col.name === 'race');
  if (!race || race.kind !== 'categorical') throw new Error('race must be categorical');
  const level = (l: string): Float64Array => Float64Array.from(race.codes, (c) => (race.levels[c] === l ? 1 : 0));
  const names = ['(Intercept)', 'age', 'educ', 'racehispan', 'racewhite', 'married', 'nodegree', 're74', 're75'];
  const cols = [new Float64Array(table.nRows).fill(1), num('age'), num('educ'), level('hispan'), level('white'), num('married'), num('nodegree'), num('re74'), num('re75')];
  return { treated: Uint8Array.from(num('treat')), x: designFromColumns(names, cols) };
}

test('lalonde propensity model is R glm, score = plogis(linear logit)', () => {
  const { treated, x } = lalonde();
  const ref = referenceCase('lalonde_logistic') as { coef: Record<string, number> };
  const ps = fitPropensity(treated, x);
  ps.fit.names.forEach((name, j) => assertClose(ps.fit.coef[j], ref.coef[name], 1e-6, `coef ${name}`));
  for (let i = 0; i < treated.length; i++) {
    assertClose(ps.score[i], 1 / (1 + Math.exp(-ps.linearLogit[i])), 1e-12, `score[${i}]`);
  }
  // The caliper case's caliper is 0.2 x sd(linear logit) (R: 0.360902392538), an independent check of the logits.
  const ll = ps.linearLogit;
  const mean = ll.reduce((a, b) => a + b, 0) / ll.length;
  const sd = Math.sqrt(ll.reduce((a, b) => a + (b - mean) ** 2, 0) / (ll.length - 1));
  assertClose(0.2 * sd, (referenceCase('lalonde_match_caliper') as { caliper_logit: number }).caliper_logit, 1e-6, 'caliper');
});

test('treatment must be 0/1', () => {
  const x = designFromColumns(['(Intercept)', 'a'], [[1, 1, 1], [1, 2, 3]]);
  assert.throws(() => fitPropensity(Uint8Array.from([0, 2, 1]), x), (e: unknown) => e instanceof StatsError && e.kind === 'invalid-input' && e.term === 'treatment');
});
