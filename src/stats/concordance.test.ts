import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { concordanceCounts, concordanceIndex, mergeNearTiedTimes, orderSurvivalData, type ConcordanceInput } from './concordance.js';
import { StatsError } from './stats-error.js';

// Six subjects, hand-counted (the pair rule is in concordance.ts; R: concordance(..., reverse = TRUE)):
//   A t=1 event s=2 | B t=2 event s=3 | C t=2 event s=4 | D t=3 censored s=3 | E t=4 event s=1 | F t=4 censored s=1
// Comparable pairs (an event, and someone still at risk after it; B-C are tied event times):
//   A vs B, C, D (A's score lower: discordant), A vs E, F (higher: concordant)  -> 2 conc, 3 disc
//   B vs D (equal score: tied), B vs E, F (concordant)                          -> 2 conc, 1 tie
//   C vs D, E, F (concordant)                                                    -> 3 conc
//   E vs F (F censored at E's event time counts as later; equal score: tied)     -> 1 tie
//   concordant 7, discordant 3, tied 2: C = (7 + 2/2) / 12 = 2/3.
const HAND: ConcordanceInput = {
  time: Float64Array.from([1, 2, 2, 3, 4, 4]),
  event: Uint8Array.from([1, 1, 1, 0, 1, 0]),
  score: Float64Array.from([2, 3, 4, 3, 1, 1]),
};

test('hand-counted pairs: ties in time and in score', () => {
  const counts = concordanceCounts(HAND);
  assert.equal(counts.concordant, 7);
  assert.equal(counts.discordant, 3);
  assert.equal(counts.tiedScore, 2);
  assertClose(concordanceIndex(HAND), 2 / 3, 1e-15, 'C');
});

test('hand-counted pairs with case weights (pair weight w_i w_j)', () => {
  // w = 1, 2, 1, 1, 1, 3 for A..F:
  //   A(1): B 2 + C 1 + D 1 discordant, E 1 + F 3 concordant  -> conc 4, disc 4
  //   B(2): D 2 tied, E 2 + F 6 concordant                    -> conc 8, tie 2
  //   C(1): D 1 + E 1 + F 3 concordant                        -> conc 5
  //   E(1): F 3 tied                                          -> tie 3
  //   concordant 17, discordant 4, tied 5: C = (17 + 2.5) / 26 = 0.75
  const counts = concordanceCounts({ ...HAND, weights: Float64Array.from([1, 2, 1, 1, 1, 3]) });
  assert.equal(counts.concordant, 17);
  assert.equal(counts.discordant, 4);
  assert.equal(counts.tiedScore, 5);
  assertClose(counts.concordance, 0.75, 1e-15, 'C');
});

test('hand-counted pairs within strata only', () => {
  // Strata {A, B, C} and {D, E, F}: A vs B, C discordant (B-C tied times); E vs F tied. C = 0.5 / 3.
  const counts = concordanceCounts({ ...HAND, strata: Int32Array.from([7, 7, 7, -2, -2, -2]) });
  assert.equal(counts.concordant, 0);
  assert.equal(counts.discordant, 2);
  assert.equal(counts.tiedScore, 1);
  assertClose(counts.concordance, 1 / 6, 1e-15, 'C');
});

test('no comparable pair -> NaN (as R)', () => {
  assert.ok(Number.isNaN(concordanceIndex({ time: Float64Array.from([1, 2]), event: Uint8Array.from([0, 0]), score: Float64Array.from([1, 2]) })));
  // Two events at the same time are not comparable either.
  assert.ok(Number.isNaN(concordanceIndex({ time: Float64Array.from([3, 3]), event: Uint8Array.from([1, 1]), score: Float64Array.from([1, 2]) })));
});

/** The pair rule applied to every pair: O(n^2), for checking the O(n log n) pass. */
function bruteForce(input: ConcordanceInput): { concordant: number; discordant: number; tied: number } {
  const n = input.time.length;
  let concordant = 0;
  let discordant = 0;
  let tied = 0;
  for (let i = 0; i < n; i++) {
    if (input.event[i] !== 1) continue;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (input.strata && input.strata[i] !== input.strata[j]) continue;
      const later = input.time[j] > input.time[i] || (input.time[j] === input.time[i] && input.event[j] === 0);
      if (!later) continue;
      const w = (input.weights ? input.weights[i] * input.weights[j] : 1);
      if (input.score[i] > input.score[j]) concordant += w;
      else if (input.score[i] < input.score[j]) discordant += w;
      else tied += w;
    }
  }
  return { concordant, discordant, tied };
}

test('agrees with the pair rule applied to every pair (ties, strata, weights, negative scores)', () => {
  let seed = 2024;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (let trial = 0; trial < 20; trial++) {
    const n = 5 + Math.floor(random() * 150);
    const input: ConcordanceInput = {
      time: Float64Array.from({ length: n }, () => 1 + Math.floor(random() * 12)),
      event: Uint8Array.from({ length: n }, () => (random() < 0.6 ? 1 : 0)),
      score: Float64Array.from({ length: n }, () => Math.round((random() - 0.5) * 8) / 2), // many ties, -0 and 0
      strata: trial % 2 === 0 ? Int32Array.from({ length: n }, () => Math.floor(random() * 4) - 1) : undefined,
      weights: trial % 3 === 0 ? Float64Array.from({ length: n }, () => Math.floor(random() * 4) / 2) : undefined,
    };
    const expected = bruteForce(input);
    const got = concordanceCounts(input);
    assertClose(got.concordant, expected.concordant, 1e-12, `trial ${trial} concordant`, 1);
    assertClose(got.discordant, expected.discordant, 1e-12, `trial ${trial} discordant`, 1);
    assertClose(got.tiedScore, expected.tied, 1e-12, `trial ${trial} tied`, 1);
  }
});

test('timefix: times closer than sqrt(machine eps) are tied, as R (aeqSurv) ties them', () => {
  // A death at 1 and a death at 1 + 1e-12: tied (not comparable) with timefix, a pair without.
  const input: ConcordanceInput = {
    time: Float64Array.from([1, 1 + 1e-12, 5]),
    event: Uint8Array.from([1, 1, 0]),
    score: Float64Array.from([2, 1, 0]),
  };
  const fixed = concordanceCounts(input);
  assert.equal(fixed.concordant, 2); // both deaths vs the censored subject at 5
  const unfixed = concordanceCounts({ ...input, timefix: false });
  assert.equal(unfixed.concordant, 3); // and now the first death vs the second
  assert.deepEqual(Array.from(mergeNearTiedTimes(input.time)), [1, 1, 5]);
  // aeqSurv merges runs onto their smallest value, and leaves well-separated times alone (same array).
  assert.deepEqual(Array.from(mergeNearTiedTimes(Float64Array.from([2 + 1e-9, 2, 2 + 2e-9, 3]))), [2, 2, 2, 3]);
  const apart = Float64Array.from([1, 2, 3]);
  assert.equal(mergeNearTiedTimes(apart), apart);
});

test('orderSurvivalData: stratum, then time, then events first; stable', () => {
  const time = Float64Array.from([5, 2, 2, 9, 2, 0, 5]);
  const event = Uint8Array.from([1, 0, 1, 1, 1, 0, 0]);
  const strata = Int32Array.from([1, 0, 0, 1, -3, 0, 1]);
  const { order, sortedTime } = orderSurvivalData(time, event, strata, true);
  // stratum -3: row 4; stratum 0: rows 5 (t 0), 2 (t 2 event), 1 (t 2 censored); stratum 1: 0 (t 5 event), 6 (t 5 censored), 3.
  assert.deepEqual(Array.from(order), [4, 5, 2, 1, 0, 6, 3]);
  assert.deepEqual(Array.from(sortedTime), [2, 0, 2, 2, 5, 5, 9]);
});

test('invalid input -> StatsError invalid-input', () => {
  const bad = (input: ConcordanceInput): void => {
    assert.throws(
      () => concordanceIndex(input),
      (e: unknown) => e instanceof StatsError && e.kind === 'invalid-input',
    );
  };
  bad({ ...HAND, score: Float64Array.from([1, 2, Number.NaN, 4, 5, 6]) });
  bad({ ...HAND, event: Uint8Array.from([1, 2, 0, 0, 0, 0]) });
  bad({ ...HAND, weights: Float64Array.from([1, 1, -1, 1, 1, 1]) });
  bad({ ...HAND, score: Float64Array.from([1, 2]) });
});

test('one million rows in O(n log n)', () => {
  const n = 1_000_000;
  let seed = 7;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const score = Float64Array.from({ length: n }, () => random());
  // Time strictly decreasing in score: no comparable pair can be discordant (equal scores, if the
  // generator repeats one, have equal times and are at most tied).
  const time = Float64Array.from(score, (s) => 2 - s);
  const event = Uint8Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
  const started = performance.now();
  // timefix off: a million times in [1, 2] include gaps below sqrt(eps), which aeqSurv would tie.
  const counts = concordanceCounts({ time, event, score, timefix: false });
  const elapsed = performance.now() - started;
  assert.equal(counts.discordant, 0);
  assert.ok(counts.concordant > 1e11 && counts.concordance > 1 - 1e-9, `C = ${counts.concordance}`);
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`); // a quadratic pass would take hours
});
