// Greedy nearest-neighbour matching on a scalar distance without replacement, reproducing MatchIt 4.5.1
// (`matchit(method = "nearest", replace = FALSE, m.order = "largest")`, which dispatches to
// src/nn_matchC_vec.cpp whenever the distance is a vector and no mahvars are given — NEWS 4.5.1: "a much
// faster algorithm ... Differences in sort order might cause results to differ from previous versions if
// there are units with identical propensity scores"). Its semantics, which we copy exactly:
//   1. All units (treated and control) are sorted by distance ascending with a stable sort
//      (base::sort.list), so equal distances keep data order.
//   2. Treated units are visited in order(distance[treated], decreasing = TRUE) (m.order = "largest");
//      R's order() is stable, so treated units with equal distance go in data order.
//   3. For each treated unit the nearest still-available control is sought to the LEFT and to the RIGHT of
//      it in that sorted order; the left one wins when |d_left - d_t| <= |d_right - d_t|. Consequences for
//      ties: among controls with the same distance the one nearest in sorted position wins, i.e. on the left
//      the one with the HIGHEST row index, on the right the LOWEST; an exact tie in |difference| goes left.
//      (This is not "lowest row index wins", which was MatchIt's rule before 4.5.1 via which.min.)
//   4. A caliper (in distance units) discards a side whose nearest available control is farther than it;
//      a treated unit with nothing within the caliper on either side stays unmatched.
//   5. With ratio k, matching proceeds in k rounds: every treated unit (in the order above) gets its first
//      control, then every treated unit its second, and so on (the outer loop `for (r = 0; r < max_ratio; r++)`).
//   6. Matching stops as soon as no control is available.
// MatchIt 4.5.1-4.5.3 defect, reproduced only on request (`compat: 'matchit-4.5.1'`): nn_matchC_vec.cpp
// compares distances with C's `abs()`, which evidently resolved to `int abs(int)` there: |difference| is
// truncated towards zero. So (a) the caliper test `abs(d_t - d_c) > caliper` rejects a control only when the
// truncated difference exceeds the caliper (for a caliper below 1: only controls at least 1 unit away), and
// (b) the left/right choice compares
// truncated differences, so the lower-distance (left) control wins unless the left one is at least a whole unit
// farther after truncation. On a propensity score (all differences < 1) that means "always take the
// next-lower available control". See github.com/kosukeimai/MatchIt/issues/163 ("Caliper not working as
// intended on versions 4.5.1 - 4.5.3"). We found it because the R reference pairs for lalonde (MatchIt 4.5.1)
// are reproduced exactly only with this truncation; with true absolute differences 117 (not 131) treated
// units fall within the caliper. The default (`compat: 'exact'`) is the algorithm MatchIt intends.
//
// Matching weights are MatchIt 4.5.1's weights_matrixC: a treated unit with at least one match gets 1, each of
// its m controls gets 1/m (summed over treated units), and then the control weights are scaled so that they
// sum to the number of matched controls.
//
// Speed: one O(n) radix sort of the distances, then each "nearest available control to the left/right" query
// is answered by two union-find structures with path halving over the sorted positions (a used control is linked to its
// neighbour), so the matching itself is O(n alpha(n)).
import { StatsError } from './stats-error.js';

export interface MatchInput {
  /** The matching distance for every unit (e.g. the linear logit of the propensity score). */
  distance: Float64Array;
  /** 1 = treated (focal), 0 = control. */
  treated: Uint8Array;
  /** Controls per treated unit (k of 1:k); default 1. */
  ratio?: number;
  /** Caliper in SD units of `distance` over ALL units (MatchIt std.caliper = TRUE); null/undefined = none. */
  caliperSd?: number | null;
  /**
   * 'exact' (default): true nearest neighbour and caliper. 'matchit-4.5.1': reproduce MatchIt 4.5.1-4.5.3, which
   * truncate |distance difference| to an integer in the caliper test and the left/right choice (see the file header).
   */
  compat?: 'exact' | 'matchit-4.5.1';
}

export interface MatchResult {
  /** Flattened [t0, c0, t1, c1, ...], 0-based rows, in matching order (round by round). */
  pairs: Int32Array;
  nTreated: number;
  nControl: number;
  nTreatedMatched: number;
  nControlMatched: number;
  /** The caliper in distance units (caliperSd x SD of the distance), or null. */
  caliper: number | null;
  /** MatchIt matching weights; 0 for unmatched units. */
  weights: Float64Array;
  /** For each row, the 0-based matched-set number (the treated unit's order of first match), -1 if unmatched (MatchIt's subclass). */
  subclass: Int32Array;
}

/** Sample SD (n - 1 denominator), as R's sd(). */
function sampleSd(v: Float64Array): number {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
  return Math.sqrt(ss / (n - 1));
}

/**
 * Row indices sorted by (distance, row) ascending: a stable LSD radix sort on the IEEE-754 bits (four 16-bit
 * digits of the order-preserving key: flip all bits of negatives, the sign bit of the rest), so equal distances
 * keep data order as base::sort.list does, in O(n) without a comparator. -0 is folded into +0 first.
 */
function stableOrder(distance: Float64Array): Int32Array {
  const n = distance.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = distance[i] + 0;
  const bits = new Uint32Array(f.buffer);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const loOff = little ? 0 : 1;
  const hiOff = little ? 1 : 0;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + hiOff];
    const l = bits[2 * i + loOff];
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let tmp = new Int32Array(n);
  const count = new Int32Array(65536);
  const passes: Array<[Uint32Array, number]> = [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ];
  for (const [word, shift] of passes) {
    count.fill(0);
    for (let k = 0; k < n; k++) count[(word[idx[k]] >>> shift) & 0xffff]++;
    // Skip a pass whose digit is the same for every row (common for the low digits of rounded data).
    if (count[(word[idx[0]] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      tmp[count[(word[i] >>> shift) & 0xffff]++] = i;
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  return idx;
}

/** Finds the root with path halving: parent[q] === q marks an available position (or the sentinel). */
function findRoot(parent: Int32Array, q: number): number {
  while (parent[q] !== q) {
    const g = parent[parent[q]];
    parent[q] = g;
    q = g;
  }
  return q;
}

/** Greedy 1:k nearest-neighbour matching without replacement, as MatchIt 4.5.1 (see the file header). */
export function matchNearest(input: MatchInput): MatchResult {
  const { distance, treated } = input;
  const n = distance.length;
  const ratio = input.ratio ?? 1;
  // C's int abs(int) applied to a double: truncation towards zero, then absolute value.
  const gap = input.compat === 'matchit-4.5.1' ? (v: number): number => Math.abs(Math.trunc(v)) : Math.abs;
  if (treated.length !== n) throw new StatsError('invalid-input', `matching: ${treated.length} treatment values for ${n} distances`, 'treatment');
  if (!Number.isInteger(ratio) || ratio < 1) throw new StatsError('invalid-input', `matching: ratio must be a whole number >= 1, got ${ratio}`, 'ratio');
  let nTreated = 0;
  for (let i = 0; i < n; i++) {
    if (treated[i] !== 0 && treated[i] !== 1) throw new StatsError('invalid-input', `matching: treatment ${treated[i]} in row ${i + 1} is not 0 or 1`, 'treatment');
    if (!Number.isFinite(distance[i])) throw new StatsError('invalid-input', `matching: distance in row ${i + 1} is ${distance[i]}; all distances must be finite`, 'distance');
    nTreated += treated[i];
  }
  const nControl = n - nTreated;
  if (nTreated === 0) throw new StatsError('invalid-input', 'matching: there are no treated units to match', 'treatment');
  if (nControl === 0) throw new StatsError('invalid-input', 'matching: there are no control units to match to', 'treatment');

  let caliper: number | null = null;
  if (input.caliperSd !== null && input.caliperSd !== undefined) {
    if (!(input.caliperSd > 0) || !Number.isFinite(input.caliperSd)) {
      throw new StatsError('invalid-input', `matching: caliper must be a positive number of SDs, got ${input.caliperSd}`, 'caliper');
    }
    if (n < 2) throw new StatsError('invalid-input', 'matching: a caliper in SD units needs at least 2 units', 'caliper');
    // MatchIt process.caliper with std.caliper = TRUE: caliper * sd(distance[!discarded]), all units.
    caliper = input.caliperSd * sampleSd(distance);
  }

  const order = stableOrder(distance);
  const sortedD = new Float64Array(n);
  for (let q = 0; q < n; q++) sortedD[q] = distance[order[q]];
  const position = new Int32Array(n);
  for (let q = 0; q < n; q++) position[order[q]] = q;

  // right[q]: next available control at position >= q (sentinel n). left[q + 1]: last available control at
  // position <= q (sentinel 0 = "none"), shifted by one so the sentinel has an index.
  const right = new Int32Array(n + 1);
  const left = new Int32Array(n + 1);
  right[n] = n;
  left[0] = 0;
  for (let q = 0; q < n; q++) {
    const isControl = treated[order[q]] === 0;
    right[q] = isControl ? q : q + 1;
    left[q + 1] = isControl ? q + 1 : q;
  }

  // Treated units by distance decreasing, ties in data order (R's stable order(decreasing = TRUE)): walk the
  // sorted positions from the top one run of equal distances at a time, each run in ascending position
  // (= ascending row).
  const treatedRows = new Int32Array(nTreated);
  {
    let k = 0;
    let end = n - 1;
    while (end >= 0) {
      let start = end;
      while (start > 0 && sortedD[start - 1] === sortedD[end]) start--;
      for (let q = start; q <= end; q++) if (treated[order[q]] === 1) treatedRows[k++] = order[q];
      end = start - 1;
    }
  }

  const pairs = new Int32Array(2 * nTreated * ratio);
  let nPairs = 0;
  const matchesOf = new Int32Array(n); // per treated row: number of controls matched
  let available = nControl;
  outer: for (let r = 0; r < ratio; r++) {
    for (let k = 0; k < nTreated; k++) {
      const t = treatedRows[k];
      const q = position[t];
      const dt = sortedD[q];
      let kl = findRoot(left, q) - 1; // last available control at position <= q - 1 (q itself is treated)
      let kr = findRoot(right, q + 1); // first available control at position >= q + 1 (n = none)
      if (kr >= n) kr = -1;
      if (caliper !== null) {
        if (kl >= 0 && gap(dt - sortedD[kl]) > caliper) kl = -1;
        if (kr >= 0 && gap(dt - sortedD[kr]) > caliper) kr = -1;
      }
      let chosen: number;
      if (kl >= 0 && kr >= 0) chosen = gap(sortedD[kl] - dt) <= gap(sortedD[kr] - dt) ? kl : kr;
      else if (kl >= 0) chosen = kl;
      else if (kr >= 0) chosen = kr;
      else continue;
      const c = order[chosen];
      pairs[nPairs++] = t;
      pairs[nPairs++] = c;
      matchesOf[t]++;
      // Remove the control from both structures.
      right[chosen] = chosen + 1;
      left[chosen + 1] = chosen;
      available--;
      if (available === 0) break outer;
    }
  }

  const weights = new Float64Array(n);
  const subclass = new Int32Array(n).fill(-1);
  let nTreatedMatched = 0;
  let nControlMatched = 0;
  let nextSubclass = 0;
  for (let k = 0; k < nPairs; k += 2) {
    const t = pairs[k];
    const c = pairs[k + 1];
    if (subclass[t] < 0) {
      subclass[t] = nextSubclass++;
      weights[t] = 1;
      nTreatedMatched++;
    }
    subclass[c] = subclass[t];
    weights[c] += 1 / matchesOf[t];
    nControlMatched++;
  }
  // weights_matrixC (MatchIt 4.5.1): scale control weights to sum to the number of matched controls.
  let sumControl = 0;
  for (let i = 0; i < n; i++) if (treated[i] === 0) sumControl += weights[i];
  if (sumControl > 0 && sumControl !== nControlMatched) {
    const f = nControlMatched / sumControl;
    for (let i = 0; i < n; i++) if (treated[i] === 0) weights[i] *= f;
  }
  return {
    pairs: pairs.slice(0, nPairs),
    nTreated,
    nControl,
    nTreatedMatched,
    nControlMatched,
    caliper,
    weights,
    subclass,
  };
}
