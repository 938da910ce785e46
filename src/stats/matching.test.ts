import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, assertClose } from '../../test/support/close.js';
import { lalondePropensity } from '../../test/support/lalonde.js';
import { referenceCase } from '../../test/support/reference.js';
import { matchNearest, type MatchResult } from './matching.js';
import { StatsError } from './stats-error.js';

interface MatchCase {
  n_treated_matched: number;
  n_control_matched: number;
  caliper_logit: number | null;
  pairs: Record<string, [number, number]>;
}

/** Pairs as sorted "t-c" strings of 1-based rows, to compare as sets. */
function pairSet(m: MatchResult): string[] {
  const out: string[] = [];
  for (let k = 0; k < m.pairs.length; k += 2) out.push(`${m.pairs[k] + 1}-${m.pairs[k + 1] + 1}`);
  return out.sort();
}

function refPairSet(ref: MatchCase): string[] {
  return Object.values(ref.pairs)
    .map(([t, c]) => `${t}-${c}`)
    .sort();
}

/**
 * Independent O(n^2) greedy reference with true |difference|, written from MatchIt 4.5.1's rule rather than from
 * our sort/union-find: for each treated unit t (largest distance first, ties in row order) the left candidate is
 * the available control with the largest (distance, row) below (d_t, t), the right candidate the one with the
 * smallest (distance, row) above it; the left one wins ties in |difference|. (lalonde has controls with
 * identical covariates, hence identical distances, so the tie rule matters there.)
 */
function bruteForce(distance: Float64Array, treated: Uint8Array, caliper: number | null): Map<number, number> {
  const tr: number[] = [];
  for (let i = 0; i < distance.length; i++) if (treated[i] === 1) tr.push(i);
  tr.sort((a, b) => distance[b] - distance[a] || a - b);
  const before = (a: number, b: number): boolean => distance[a] < distance[b] || (distance[a] === distance[b] && a < b);
  const used = new Set<number>();
  const out = new Map<number, number>();
  for (const t of tr) {
    let left = -1;
    let right = -1;
    for (let c = 0; c < distance.length; c++) {
      if (treated[c] === 1 || used.has(c)) continue;
      if (before(c, t)) {
        if (left < 0 || before(left, c)) left = c;
      } else if (right < 0 || before(c, right)) right = c;
    }
    const gap = (c: number): number => Math.abs(distance[c] - distance[t]);
    if (caliper !== null) {
      if (left >= 0 && gap(left) > caliper) left = -1;
      if (right >= 0 && gap(right) > caliper) right = -1;
    }
    const best = left >= 0 && right >= 0 ? (gap(left) <= gap(right) ? left : right) : left >= 0 ? left : right;
    if (best >= 0) {
      out.set(t, best);
      used.add(best);
    }
  }
  return out;
}

test('lalonde 0.2-SD caliper on the linear logit: MatchIt 4.5.1 pairs, counts and caliper exactly', () => {
  const ref = referenceCase('lalonde_match_caliper') as unknown as MatchCase;
  const { treated, linearLogit } = lalondePropensity();
  const m = matchNearest({ distance: linearLogit, treated, caliperSd: 0.2, compat: 'matchit-4.5.1' });
  assertClose(m.caliper, ref.caliper_logit, 1e-6, 'caliper_logit');
  assert.equal(m.nTreated, 185);
  assert.equal(m.nControl, 429);
  assert.equal(m.nTreatedMatched, ref.n_treated_matched);
  assert.equal(m.nControlMatched, ref.n_control_matched);
  assert.deepEqual(pairSet(m), refPairSet(ref));
  // 1:1 matching: weight 1 for every matched unit, 0 otherwise.
  for (let i = 0; i < 614; i++) assert.ok(m.weights[i] === 0 || m.weights[i] === 1);
});

test('lalonde without caliper: MatchIt 4.5.1 pairs exactly; that call matched on the propensity score', () => {
  // Why smd_before for `distance` is 1.794 here but 2.143 with the caliper: this call used the default
  // link = "logit", so MatchIt stored (and matched on) the propensity score, not the linear logit.
  // Recomputing both candidates (balance.test.ts) gives 2.142639 for the linear logit and 1.794086 for the
  // score, treated-group SD as denominator both times. The pairs alone cannot tell them apart (see below).
  const ref = referenceCase('lalonde_match_nocaliper') as unknown as MatchCase;
  const { treated, score, linearLogit } = lalondePropensity();
  const m = matchNearest({ distance: score, treated, compat: 'matchit-4.5.1' });
  assert.equal(m.caliper, null);
  assert.equal(m.nTreatedMatched, ref.n_treated_matched);
  assert.equal(m.nControlMatched, ref.n_control_matched);
  assert.deepEqual(pairSet(m), refPairSet(ref));
  // With 4.5.1's truncated differences every |difference| < 1 counts as 0, so the lower-distance control
  // always wins; on the logit scale the few differences >= 1 do not change any pair here either.
  assert.deepEqual(pairSet(matchNearest({ distance: linearLogit, treated, compat: 'matchit-4.5.1' })), refPairSet(ref));
});

test('the exact (default) algorithm is true greedy nearest neighbour: agrees with an O(n^2) reference', () => {
  const { treated, linearLogit, score } = lalondePropensity();
  for (const [label, d, cal] of [
    ['logit caliper', linearLogit, 0.2],
    ['score', score, null],
    ['logit', linearLogit, null],
  ] as const) {
    const m = matchNearest({ distance: d, treated, caliperSd: cal });
    const expected = bruteForce(d, treated, m.caliper);
    const got = new Map<number, number>();
    for (let k = 0; k < m.pairs.length; k += 2) got.set(m.pairs[k], m.pairs[k + 1]);
    assert.deepEqual([...got.entries()].sort((a, b) => a[0] - b[0]), [...expected.entries()].sort((a, b) => a[0] - b[0]), label);
    if (m.caliper !== null) for (const [t, c] of got) assert.ok(Math.abs(d[t] - d[c]) <= m.caliper, `${label}: pair within caliper`);
  }
  // Random data, many units, with a caliper.
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const n = 1500;
  const d = new Float64Array(n);
  const t = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = rnd() * 4 - 2;
    t[i] = rnd() < 0.25 + 0.15 * d[i] ? 1 : 0;
  }
  const m = matchNearest({ distance: d, treated: t, caliperSd: 0.05 });
  const expected = bruteForce(d, t, m.caliper);
  assert.equal(m.nTreatedMatched, expected.size);
  for (let k = 0; k < m.pairs.length; k += 2) assert.equal(m.pairs[k + 1], expected.get(m.pairs[k]));
});

test('ratio 2 matches in rounds (every treated unit gets its 1st control before any gets its 2nd)', () => {
  // Hand-worked. Rows (treat, distance): 0 T 9 | 1 C 8 | 2 T 6 | 3 C 7 | 4 C 3 | 5 C 1 | 6 C 12.
  // Sorted: 5(1) 4(3) [2](6) 3(7) 1(8) [0](9) 6(12); treated order: 0 (9), then 2 (6).
  // Round 1: unit 0: left 1 (|9-8| = 1) vs right 6 (3) -> 1.   unit 2: left 4 (3) vs right 3 (1) -> 3.
  // Round 2: unit 0: left 4 (6) vs right 6 (3) -> 6.           unit 2: left 4 (3), right none -> 4.
  // (Matching each treated unit's k controls at once would instead give 0 -> {1, 3}, 2 -> {4, 5}.)
  const distance = Float64Array.from([9, 8, 6, 7, 3, 1, 12]);
  const treated = Uint8Array.from([1, 0, 1, 0, 0, 0, 0]);
  const m = matchNearest({ distance, treated, ratio: 2 });
  assert.deepEqual(Array.from(m.pairs), [0, 1, 2, 3, 0, 6, 2, 4]);
  assert.equal(m.nTreatedMatched, 2);
  assert.equal(m.nControlMatched, 4);
  // Every treated unit has 2 controls: each control 1/2, scaled to sum to 4 matched controls -> 1.
  assertAllClose(m.weights, [1, 1, 1, 1, 1, 0, 1], 1e-15, 'weights');
  assert.deepEqual(Array.from(m.subclass), [0, 0, 1, 1, 1, -1, 0]);
});

test('ratio 2 with a caliper: unequal numbers of matches give MatchIt weights', () => {
  // As above but row 6 at 13 and a caliper of 3.5 distance units. Round 1: 0 -> 1 (1), 2 -> 3 (1).
  // Round 2: unit 0: left 4 is 6 away, right 6 is 4 away, both > 3.5 -> none; unit 2: left 4 is 3 away -> 4.
  // Weights (weights_matrixC): control 1 gets 1/1, controls 3 and 4 get 1/2 each; sum 2 over 3 matched
  // controls, scaled by 3/2 -> 1.5, 0.75, 0.75. Treated 1.
  const distance = Float64Array.from([9, 8, 6, 7, 3, 1, 13]);
  const treated = Uint8Array.from([1, 0, 1, 0, 0, 0, 0]);
  // sd of the 7 distances: sum 47, sum of squares 409 -> var = (409 - 47^2/7) / 6.
  const sd = Math.sqrt((409 - (47 * 47) / 7) / 6);
  const m = matchNearest({ distance, treated, ratio: 2, caliperSd: 3.5 / sd });
  assertClose(m.caliper, 3.5, 1e-12, 'caliper');
  assert.deepEqual(Array.from(m.pairs), [0, 1, 2, 3, 2, 4]);
  assertAllClose(m.weights, [1, 1.5, 1, 0.75, 0.75, 0, 0], 1e-12, 'weights');
  assert.equal(m.nControlMatched, 3);
});

test('ties in distance follow MatchIt 4.5.1: stable sort by (distance, row), nearest in sorted position, left first', () => {
  // All six units at distance 2. Sorted (stable): 0 1 [2] 3 4 [5]. Treated order (ties in data order): 2, 5.
  // Unit 2: left neighbour 1 and right neighbour 3 are both 0 away; the left one wins -> 1.
  // Unit 5: nearest available to the left is 4 -> 4.
  // So among equal distances it is not simply the lowest row that wins (that was MatchIt < 4.5.1's which.min
  // rule, which would give 2 -> 0 and 5 -> 1); it is the data-order neighbour on the lower side.
  const distance = new Float64Array(6).fill(2);
  const treated = Uint8Array.from([0, 0, 1, 0, 0, 1]);
  assert.deepEqual(Array.from(matchNearest({ distance, treated }).pairs), [2, 1, 5, 4]);
  // Equal |difference| on both sides goes left (lower distance): unit 1 at 5 between controls at 4 and 6.
  assert.deepEqual(Array.from(matchNearest({ distance: Float64Array.from([6, 5, 4]), treated: Uint8Array.from([0, 1, 0]) }).pairs), [1, 2]);
  // Treated with equal distances are matched in data order: rows 1 and 3 (both 5) -> row 1 first gets 2 (left).
  const m = matchNearest({ distance: Float64Array.from([7, 5, 4, 5]), treated: Uint8Array.from([0, 1, 0, 1]) });
  assert.deepEqual(Array.from(m.pairs), [1, 2, 3, 0]);
  // -0 and +0 are the same distance (as in R): rows 0 (-0) and 1 (+0) tie, so treated row 2 takes its left
  // neighbour in data order, row 1.
  assert.deepEqual(Array.from(matchNearest({ distance: Float64Array.from([-0, 0, 0]), treated: Uint8Array.from([0, 0, 1]) }).pairs), [2, 1]);
});

test('matching stops when the controls run out; a treated unit with nothing in the caliper stays unmatched', () => {
  const m = matchNearest({ distance: Float64Array.from([1, 2, 3, 4]), treated: Uint8Array.from([1, 1, 1, 0]) });
  assert.deepEqual(Array.from(m.pairs), [2, 3]);
  assert.equal(m.nTreatedMatched, 1);
  assert.deepEqual(Array.from(m.weights), [0, 0, 1, 1]);
  // sd of (0, 10, 0.5, 9) is about 5.4; a 0.1-SD caliper (0.54) admits only 0 <-> 0.5.
  const c = matchNearest({ distance: Float64Array.from([0, 10, 0.5, 9]), treated: Uint8Array.from([1, 1, 0, 0]), caliperSd: 0.1 });
  assert.deepEqual(Array.from(c.pairs), [0, 2]);
});

test('no treated or no control units is a clear invalid-input error', () => {
  const check = (treated: number[], re: RegExp): void =>
    assert.throws(
      () => matchNearest({ distance: Float64Array.from([1, 2, 3]), treated: Uint8Array.from(treated) }),
      (e: unknown) => e instanceof StatsError && e.kind === 'invalid-input' && re.test(e.message),
    );
  check([0, 0, 0], /no treated units/);
  check([1, 1, 1], /no control units/);
  assert.throws(() => matchNearest({ distance: Float64Array.from([1, Number.NaN]), treated: Uint8Array.from([1, 0]) }), StatsError);
  assert.throws(() => matchNearest({ distance: Float64Array.from([1, 2]), treated: Uint8Array.from([1, 0]), ratio: 0 }), StatsError);
});
