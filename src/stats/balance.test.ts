import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { lalondePropensity } from '../../test/support/lalonde.js';
import { referenceCase } from '../../test/support/reference.js';
import { balanceTable, type BalanceCovariate } from './balance.js';
import { matchNearest } from './matching.js';
import { StatsError } from './stats-error.js';

interface SmdCase {
  smd_before: Record<string, number>;
  smd_after: Record<string, number>;
}

/** lalonde with its propensity model, and summary.matchit's rows: distance, then the covariates with the factor expanded to every level. */
function lalonde(): ReturnType<typeof lalondePropensity> & { covariates: (distance: Float64Array) => BalanceCovariate[] } {
  const data = lalondePropensity();
  const { column, race } = data;
  const covariates = (distance: Float64Array): BalanceCovariate[] => [
    { name: 'distance', values: distance, binary: false },
    { name: 'age', values: column('age'), binary: false },
    { name: 'educ', values: column('educ'), binary: false },
    { name: 'raceblack', values: race('black'), binary: true },
    { name: 'racehispan', values: race('hispan'), binary: true },
    { name: 'racewhite', values: race('white'), binary: true },
    { name: 'married', values: column('married'), binary: true },
    { name: 'nodegree', values: column('nodegree'), binary: true },
    { name: 're74', values: column('re74'), binary: false },
    { name: 're75', values: column('re75'), binary: false },
  ];
  return { ...data, covariates };
}

function checkAgainst(ref: SmdCase, rows: ReturnType<typeof balanceTable>): void {
  assert.deepEqual(rows.map((r) => r.covariate), Object.keys(ref.smd_before));
  for (const r of rows) {
    assertClose(r.smdBefore, ref.smd_before[r.covariate], 1e-6, `smd before ${r.covariate}`);
    assertClose(r.smdAfter, ref.smd_after[r.covariate], 1e-6, `smd after ${r.covariate}`);
  }
}

test('lalonde caliper match: summary.matchit SMDs before and after, every row', () => {
  const data = lalonde();
  const m = matchNearest({ distance: data.linearLogit, treated: data.treated, caliperSd: 0.2, compat: 'matchit-4.5.1' });
  checkAgainst(referenceCase('lalonde_match_caliper') as unknown as SmdCase, balanceTable(data.covariates(data.linearLogit), data.treated, m.weights));
});

test('lalonde match without caliper: SMDs every row, with distance = propensity score', () => {
  // The distance row resolves which distance that call stored: on the linear logit the SMD before matching is
  // 2.142639 (the caliper case's value), on the propensity score 1.794086 (this case's value), so this call
  // used link = "logit". Both candidates are computed here so the finding stays checked.
  const data = lalonde();
  const ref = referenceCase('lalonde_match_nocaliper') as unknown as SmdCase;
  const onLogit = balanceTable(data.covariates(data.linearLogit).slice(0, 1), data.treated, new Float64Array(614).fill(1));
  assertClose(onLogit[0].smdBefore, (referenceCase('lalonde_match_caliper') as unknown as SmdCase).smd_before.distance, 1e-6, 'logit candidate');
  assert.ok(Math.abs(onLogit[0].smdBefore - ref.smd_before.distance) > 0.3, 'the linear logit is not this case\'s distance');
  const m = matchNearest({ distance: data.score, treated: data.treated, compat: 'matchit-4.5.1' });
  checkAgainst(ref, balanceTable(data.covariates(data.score), data.treated, m.weights));
});

test('hand-worked SMDs for each estimand, continuous and binary covariates', () => {
  // Treated rows 0-2: x = 1, 2, 3 (mean 2, sd 1); b = 1, 0, 1 (p = 2/3, sd sqrt(2/9)).
  // Control rows 3-6: x = 2, 4, 6, 8 (mean 5, var 20/3); b = 0, 0, 1, 0 (p = 1/4, sd sqrt(3/16)).
  // Weights after: treated 1, 1, 2 -> mean x 9/4, mean b 3/4; control 0, 1, 1, 2 -> mean x 26/4, mean b 1/4.
  const treated = Uint8Array.from([1, 1, 1, 0, 0, 0, 0]);
  const covs: BalanceCovariate[] = [
    { name: 'x', values: Float64Array.from([1, 2, 3, 2, 4, 6, 8]), binary: false },
    { name: 'b', values: Float64Array.from([1, 0, 1, 0, 0, 1, 0]), binary: true },
  ];
  const w = Float64Array.from([1, 1, 2, 0, 1, 1, 2]);
  const att = balanceTable(covs, treated, w, 'att');
  assertClose(att[0].smdBefore, -3, 1e-12, 'att x before');
  assertClose(att[0].smdAfter, -4.25, 1e-12, 'att x after');
  assertClose(att[1].smdBefore, 5 / 12 / Math.sqrt(2 / 9), 1e-12, 'att b before');
  assertClose(att[1].smdAfter, 0.5 / Math.sqrt(2 / 9), 1e-12, 'att b after');
  assertClose(att[0].meanTreatedAfter, 2.25, 1e-12, 'mean treated after');
  assertClose(att[0].meanControlAfter, 6.5, 1e-12, 'mean control after');
  const ate = balanceTable(covs, treated, w, 'ate');
  assertClose(ate[0].smdBefore, -3 / Math.sqrt((1 + 20 / 3) / 2), 1e-12, 'ate x before (pooled)');
  assertClose(ate[1].smdBefore, 5 / 12 / Math.sqrt((2 / 9 + 3 / 16) / 2), 1e-12, 'ate b before (pooled)');
  const atc = balanceTable(covs, treated, w, 'atc');
  assertClose(atc[0].smdAfter, -4.25 / Math.sqrt(20 / 3), 1e-12, 'atc x after');
  const overlap = balanceTable(covs, treated, w, 'overlap');
  assertClose(overlap[0].sdDenominator, Math.sqrt((1 + 20 / 3) / 2), 1e-12, 'overlap uses pooled sd');
});

test('a covariate constant in the reference group gives NaN, not Infinity; bad input is refused', () => {
  const treated = Uint8Array.from([1, 1, 0, 0]);
  const rows = balanceTable([{ name: 'c', values: Float64Array.from([1, 1, 0, 2]), binary: false }], treated, new Float64Array(4).fill(1));
  assert.ok(Number.isNaN(rows[0].smdBefore));
  assert.throws(() => balanceTable([], treated, new Float64Array(3)), StatsError);
  assert.throws(() => balanceTable([], treated, Float64Array.from([1, 1, 0, 0])), StatsError);
});
