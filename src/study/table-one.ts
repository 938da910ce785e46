// Table 1: baseline characteristics per group, before adjustment (the cohort) and after it (the matched or
// weighted sample), with standardized mean differences (SMD) that put both on one scale.
//
// Summaries, as R's tableone::CreateTableOne prints them and with cobalt's weighted formulas:
//   * numeric: mean (SD) when the distribution is roughly symmetric (|skewness| <= 1), else median [Q1, Q3]. The
//     choice is made once per covariate on the BEFORE sample (both groups, unweighted; skewness g1 = m3 / m2^1.5,
//     moments::skewness), so a covariate reads the same way before and after;
//   * flag (a numeric column whose values are all 0/1, or a true/false column): n (%) of 1 among the recorded;
//   * category: n (%) per level among all patients of the group, plus a "missing" level when any value is missing.
// Weighted ("after"):
//   * weighted mean sum(w x) / sum(w); weighted variance sum(w (x - m)^2) / (sum(w) - sum(w^2) / sum(w)), the
//     "unbiased" reliability-weight form cobalt's col_w_sd uses (Greifer, cobalt R/utilities.R); with unit weights
//     it is the n - 1 sample variance;
//   * weighted quantiles: Hmisc::wtd.quantile(type = "quantile", normwt = TRUE) (Harrell), after dropping rows
//     with weight 0 (unmatched patients): weights are rescaled to sum to the number of rows n, and the quantile
//     of probability p interpolates between the values at cumulative weight floor(1 + (n - 1) p) and the next.
//     With equal weights this is R's default type-7 quantile, which is what the unweighted table uses;
//   * counts are weighted counts shown to 1 decimal; missing values are counted unweighted, among rows with
//     weight > 0.
// SMD (Austin, Stat Med 2009;28:3083): (target - comparator) / sqrt((s_t^2 + s_c^2) / 2) with the group
// variances of the BEFORE sample (unweighted; p (1 - p) for a flag or a category level), so the after-SMD
// measures the change in the means only. A category gets one SMD per level (the level as a 0/1 indicator, as
// cobalt reports factors), including the missing level.
import { DataError } from '../data/data-error.js';
import { getColumn, type Column, type Table } from '../data/table.js';
import type { TableOneCell, TableOneRow } from './study-results.js';

/** Skewness above which a numeric covariate is summarized by median [Q1, Q3] rather than mean (SD). */
const SKEWNESS_FOR_MEDIAN = 1;
/** Level label of the missing values of a category. */
const MISSING_LEVEL = 'missing';

interface Sample {
  readonly rows: Int32Array;
  readonly treated: Uint8Array;
  /** null = every row weight 1. */
  readonly weights: Float64Array | null;
}

/** Per-group (index 1 = target, 0 = comparator) weighted sums of one numeric covariate. */
interface GroupMoments {
  /** Sum of weights of rows with a value. */
  readonly sumW: [number, number];
  readonly mean: [number, number];
  /** cobalt's weighted variance; the n - 1 variance when unweighted. */
  readonly variance: [number, number];
  /** Missing values, unweighted, among rows with weight > 0. */
  readonly missing: [number, number];
}

function checkSample(sample: Sample, what: string): void {
  const n = sample.rows.length;
  if (sample.treated.length !== n) throw new DataError(`Table 1: ${what} has ${n} rows but ${sample.treated.length} treatment values`, { field: 'treated', value: sample.treated.length, expected: `${n} values` });
  if (sample.weights && sample.weights.length !== n) throw new DataError(`Table 1: ${what} has ${n} rows but ${sample.weights.length} weights`, { field: 'weights', value: sample.weights.length, expected: `${n} weights` });
  for (let k = 0; k < n; k++) {
    if (sample.treated[k] > 1) throw new DataError(`Table 1: treatment value ${sample.treated[k]} at position ${k} of ${what}`, { field: 'treated', value: sample.treated[k], expected: '0 or 1' });
    const w = sample.weights ? sample.weights[k] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new DataError(`Table 1: weight ${w} at position ${k} of ${what}`, { field: 'weights', value: w, expected: 'a finite weight >= 0' });
  }
}

/** Weighted mean and variance per group (two passes, so the variance does not lose digits to cancellation). */
function groupMoments(values: Float64Array, sample: Sample): GroupMoments {
  const { rows, treated, weights } = sample;
  const sumW: [number, number] = [0, 0];
  const sumWX: [number, number] = [0, 0];
  const sumW2: [number, number] = [0, 0];
  const missing: [number, number] = [0, 0];
  for (let k = 0; k < rows.length; k++) {
    const w = weights ? weights[k] : 1;
    if (w === 0) continue;
    const x = values[rows[k]];
    const g = treated[k];
    if (Number.isNaN(x)) {
      missing[g]++;
      continue;
    }
    sumW[g] += w;
    sumWX[g] += w * x;
    sumW2[g] += w * w;
  }
  const mean: [number, number] = [sumWX[0] / sumW[0], sumWX[1] / sumW[1]];
  const ss: [number, number] = [0, 0];
  for (let k = 0; k < rows.length; k++) {
    const w = weights ? weights[k] : 1;
    const x = values[rows[k]];
    if (w === 0 || Number.isNaN(x)) continue;
    const g = treated[k];
    ss[g] += w * (x - mean[g]) * (x - mean[g]);
  }
  const variance = [0, 1].map((g) => {
    const denominator = sumW[g] - sumW2[g] / sumW[g];
    return denominator > 0 ? ss[g] / denominator : NaN;
  }) as [number, number];
  return { sumW, mean, variance, missing };
}

/** Sample skewness g1 = m3 / m2^1.5 of the recorded values over both groups (moments::skewness; 0 when constant). */
function skewness(values: Float64Array, rows: Int32Array): number {
  let n = 0;
  let sum = 0;
  for (let k = 0; k < rows.length; k++) {
    const x = values[rows[k]];
    if (!Number.isNaN(x)) {
      n++;
      sum += x;
    }
  }
  if (n < 3) return 0;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let k = 0; k < rows.length; k++) {
    const x = values[rows[k]];
    if (Number.isNaN(x)) continue;
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

/** Index of the high 32-bit word of a double in a Uint32Array view of a Float64Array (platform byte order). */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The high word of a double's bits mapped so that unsigned order = numeric order (sign flipped for positives, all bits for negatives). */
function orderedHigh(h: number): number {
  return h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
}

/**
 * Positions 0..n-1 ordered by `keys` ascending (stable): LSD radix sort with eight 8-bit digits on the IEEE-754
 * bits mapped to an unsigned order. O(n); keys travel with the positions so every pass reads sequentially, 256
 * buckets keep the scattered writes in cache, and a digit every key shares is skipped.
 */
function argsort(keys: Float64Array): Uint32Array {
  const n = keys.length;
  let index = new Uint32Array(n);
  for (let k = 0; k < n; k++) index[k] = k;
  if (n < 2) return index;
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const histogram = new Uint32Array(8 * 256);
  for (let k = 0; k < n; k++) {
    const rawHigh = bits[2 * k + HIGH_WORD];
    const l = rawHigh & 0x80000000 ? ~bits[2 * k + 1 - HIGH_WORD] >>> 0 : bits[2 * k + 1 - HIGH_WORD];
    const h = orderedHigh(rawHigh);
    lo[k] = l;
    hi[k] = h;
    histogram[l & 0xff]++;
    histogram[256 + ((l >>> 8) & 0xff)]++;
    histogram[512 + ((l >>> 16) & 0xff)]++;
    histogram[768 + (l >>> 24)]++;
    histogram[1024 + (h & 0xff)]++;
    histogram[1280 + ((h >>> 8) & 0xff)]++;
    histogram[1536 + ((h >>> 16) & 0xff)]++;
    histogram[1792 + (h >>> 24)]++;
  }
  let index2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const offset = new Uint32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const base = pass * 256;
    const word = pass < 4 ? lo : hi;
    const shift = (pass & 3) * 8;
    if (histogram[base + ((word[0] >>> shift) & 0xff)] === n) continue; // every key shares this digit
    let total = 0;
    for (let d = 0; d < 256; d++) {
      offset[d] = total;
      total += histogram[base + d];
    }
    const carryLo = pass < 3; // the low word is not read after the fourth pass
    for (let k = 0; k < n; k++) {
      const to = offset[(word[k] >>> shift) & 0xff]++;
      index2[to] = index[k];
      hi2[to] = hi[k];
      if (carryLo) lo2[to] = lo[k];
    }
    [index, index2] = [index2, index];
    [hi, hi2] = [hi2, hi];
    if (carryLo) [lo, lo2] = [lo2, lo];
  }
  return index;
}

/** Buckets of the coarse pass: the top 16 bits of the ordered bits (sign, exponent, 4 mantissa bits). */
const BUCKETS = 65536;
/** Rescaled weights need not add up exactly; a relative 1e-10 keeps "cumulative weight = v" a hit. */
const CUMULATIVE_SLACK = 1 - 1e-10;

/**
 * Weighted quantiles per group (index 0 = comparator, 1 = target) of the recorded values with weight > 0, as
 * Hmisc::wtd.quantile(type = "quantile", normwt = TRUE): weights rescaled to sum to the number of rows n; with
 * order = 1 + (n - 1) p, the value at cumulative weight floor(order) and at the next unit, interpolated by the
 * fractional part of order. "The value at cumulative weight v" is approx(cumsum(w), x, v, "constant", f = 1,
 * rule = 2): the smallest value whose cumulative weight reaches v (the largest value when none does).
 *
 * Exact without sorting every row: one pass sums the weight in 65,536 buckets of the value's ordered bits, the
 * cumulative bucket weights say which bucket holds each wanted position, and only those buckets' rows are sorted.
 */
function groupQuantiles(values: Float64Array, sample: Sample, probs: readonly number[]): [number[], number[]] {
  const { rows, treated, weights } = sample;
  const valueBits = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  const n: [number, number] = [0, 0];
  const sumW: [number, number] = [0, 0];
  const mass = [new Float64Array(BUCKETS), new Float64Array(BUCKETS)];
  for (let k = 0; k < rows.length; k++) {
    const wk = weights ? weights[k] : 1;
    const i = rows[k];
    if (!(wk > 0) || Number.isNaN(values[i])) continue;
    const group = treated[k];
    n[group]++;
    sumW[group] += wk;
    mass[group][orderedHigh(valueBits[2 * i + HIGH_WORD]) >>> 16] += wk;
  }

  // Per group: the normalized targets, the bucket of each and the weight below that bucket.
  interface Target {
    readonly v: number;
    readonly bucket: number;
    readonly below: number;
    value: number;
  }
  const targets: [Target[], Target[]] = [[], []];
  const slot = [new Int32Array(BUCKETS).fill(-1), new Int32Array(BUCKETS).fill(-1)];
  const slotBuckets: Array<{ group: 0 | 1; bucket: number }> = [];
  for (const group of [0, 1] as const) {
    if (n[group] === 0) continue;
    const scale = n[group] / sumW[group];
    const cumulative = new Float64Array(BUCKETS);
    let running = 0;
    let lastNonEmpty = 0;
    for (let b = 0; b < BUCKETS; b++) {
      running += mass[group][b] * scale;
      cumulative[b] = running;
      if (mass[group][b] > 0) lastNonEmpty = b;
    }
    for (const p of probs) {
      const order = 1 + (n[group] - 1) * p;
      const low = Math.max(Math.floor(order), 1);
      for (const v of [low, Math.min(low + 1, n[group])]) {
        let lo = 0;
        let hi = BUCKETS - 1;
        if (cumulative[hi] < v * CUMULATIVE_SLACK) {
          lo = lastNonEmpty;
        } else {
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cumulative[mid] >= v * CUMULATIVE_SLACK) hi = mid;
            else lo = mid + 1;
          }
        }
        targets[group].push({ v, bucket: lo, below: lo > 0 ? cumulative[lo - 1] : 0, value: NaN });
        if (slot[group][lo] < 0) {
          slot[group][lo] = slotBuckets.length;
          slotBuckets.push({ group, bucket: lo });
        }
      }
    }
  }

  // Gather the rows of the wanted buckets, sort each bucket and walk it to the targets' cumulative weights.
  const sizes = new Int32Array(slotBuckets.length);
  const slotOf = (k: number): number => {
    const i = rows[k];
    if (!((weights ? weights[k] : 1) > 0) || Number.isNaN(values[i])) return -1;
    return slot[treated[k]][orderedHigh(valueBits[2 * i + HIGH_WORD]) >>> 16];
  };
  for (let k = 0; k < rows.length; k++) {
    const s = slotOf(k);
    if (s >= 0) sizes[s]++;
  }
  const members = Array.from(sizes, (size) => ({ x: new Float64Array(size), w: new Float64Array(size), filled: 0 }));
  for (let k = 0; k < rows.length; k++) {
    const s = slotOf(k);
    if (s < 0) continue;
    const member = members[s];
    member.x[member.filled] = values[rows[k]];
    member.w[member.filled] = weights ? weights[k] : 1;
    member.filled++;
  }
  slotBuckets.forEach(({ group, bucket: b }, s) => {
    const { x: bx, w: bw } = members[s];
    const order = argsort(bx);
    const scale = n[group] / sumW[group];
    for (const t of targets[group]) {
      if (t.bucket !== b) continue;
      let running = t.below;
      t.value = bx[order[order.length - 1]];
      for (let k = 0; k < order.length; k++) {
        running += bw[order[k]] * scale;
        if (running >= t.v * CUMULATIVE_SLACK) {
          t.value = bx[order[k]];
          break;
        }
      }
    }
  });

  const result: [number[], number[]] = [[], []];
  for (const group of [0, 1] as const) {
    probs.forEach((p, i) => {
      if (n[group] === 0) {
        result[group].push(NaN);
        return;
      }
      const order = 1 + (n[group] - 1) * p;
      const fraction = order - Math.floor(order);
      const [a, b] = [targets[group][2 * i].value, targets[group][2 * i + 1].value];
      result[group].push(fraction === 0 ? a : (1 - fraction) * a + fraction * b);
    });
  }
  return result;
}

function smd(difference: number, varianceTarget: number, varianceComparator: number): number | null {
  const sd = Math.sqrt((varianceTarget + varianceComparator) / 2);
  const value = difference / sd;
  if (Number.isFinite(value)) return value;
  // Both groups constant at the same value before adjustment: no difference to standardize.
  return difference === 0 && sd === 0 ? 0 : null;
}

/** Decimals for a row: 1 for values of magnitude >= 1, 2 down to 0.1, else 3. */
function decimalsFor(...values: number[]): number {
  const finite = values.filter(Number.isFinite).map(Math.abs);
  const ref = finite.length === 0 ? 0 : Math.max(...finite);
  return ref >= 1 || ref === 0 ? 1 : ref >= 0.1 ? 2 : 3;
}

function fixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return 'NA';
  const text = x.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

function countText(count: number, weighted: boolean): string {
  return weighted ? fixed(count, 1) : String(Math.round(count));
}

function nPct(count: number, total: number, weighted: boolean): string {
  return total > 0 ? `${countText(count, weighted)} (${fixed((100 * count) / total, 1)}%)` : `${countText(count, weighted)} (NA)`;
}

/** Whether a numeric column is a 0/1 flag: every recorded value in the table is 0 or 1, and at least one is recorded. */
function isFlag(column: Column): boolean {
  if (column.kind === 'boolean') return true;
  if (column.kind !== 'numeric') return false;
  let any = false;
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (v !== 0 && v !== 1) return false;
    any = true;
  }
  return any;
}

function numericRows(values: Float64Array, name: string, sample: Sample, reference: Sample): TableOneRow[] {
  const now = groupMoments(values, sample);
  const before = reference === sample ? now : groupMoments(values, { ...reference, weights: null });
  const useMedian = Math.abs(skewness(values, reference.rows)) > SKEWNESS_FOR_MEDIAN;
  const difference = now.mean[1] - now.mean[0];
  const cell = (g: 0 | 1, text: string): TableOneCell => ({ text, missing: now.missing[g] });
  if (!useMedian) {
    const d = decimalsFor(now.mean[0], now.mean[1]);
    const text = (g: 0 | 1): string => (now.sumW[g] > 0 ? `${fixed(now.mean[g], d)} (${fixed(Math.sqrt(now.variance[g]), d)})` : 'NA');
    return [{ variable: name, level: null, kind: 'numeric', summary: 'mean-sd', target: cell(1, text(1)), comparator: cell(0, text(0)), smd: smd(difference, before.variance[1], before.variance[0]) }];
  }
  const quartiles = groupQuantiles(values, sample, [0.5, 0.25, 0.75]);
  const d = decimalsFor(quartiles[0][0], quartiles[1][0]);
  const text = (g: 0 | 1): string => (Number.isFinite(quartiles[g][0]) ? `${fixed(quartiles[g][0], d)} [${fixed(quartiles[g][1], d)}, ${fixed(quartiles[g][2], d)}]` : 'NA');
  return [{ variable: name, level: null, kind: 'numeric', summary: 'median-iqr', target: cell(1, text(1)), comparator: cell(0, text(0)), smd: smd(difference, before.variance[1], before.variance[0]) }];
}

function flagRows(column: Column & { values: Float64Array }, sample: Sample, reference: Sample, weighted: boolean): TableOneRow[] {
  const now = groupMoments(column.values, sample);
  const before = reference === sample ? now : groupMoments(column.values, { ...reference, weights: null });
  const p = now.mean;
  const q = before.mean;
  const cell = (g: 0 | 1): TableOneCell => ({ text: now.sumW[g] > 0 ? nPct(p[g] * now.sumW[g], now.sumW[g], weighted) : 'NA', missing: now.missing[g] });
  return [
    {
      variable: column.name,
      level: column.kind === 'boolean' ? 'true' : '1',
      kind: 'level',
      summary: 'n-pct',
      target: cell(1),
      comparator: cell(0),
      smd: smd(p[1] - p[0], q[1] * (1 - q[1]), q[0] * (1 - q[0])),
    },
  ];
}

/** Weighted counts per group and level (the last slot is the missing values), and unweighted missing counts. */
function levelCounts(codes: Int32Array, nLevels: number, sample: Sample): { counts: [Float64Array, Float64Array]; totals: [number, number]; missing: [number, number]; seen: Uint8Array } {
  const counts: [Float64Array, Float64Array] = [new Float64Array(nLevels + 1), new Float64Array(nLevels + 1)];
  const missing: [number, number] = [0, 0];
  const seen = new Uint8Array(nLevels + 1);
  const { rows, treated, weights } = sample;
  for (let k = 0; k < rows.length; k++) {
    const w = weights ? weights[k] : 1;
    const code = codes[rows[k]];
    const slot = code < 0 ? nLevels : code;
    seen[slot] = 1;
    if (w === 0) continue;
    counts[treated[k]][slot] += w;
    if (code < 0) missing[treated[k]]++;
  }
  const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
  return { counts, totals: [sum(counts[0]), sum(counts[1])], missing, seen };
}

function categoryRows(column: Column & { codes: Int32Array; levels: readonly string[] }, sample: Sample, reference: Sample, weighted: boolean): TableOneRow[] {
  const nLevels = column.levels.length;
  const now = levelCounts(column.codes, nLevels, sample);
  const before = reference === sample ? now : levelCounts(column.codes, nLevels, { ...reference, weights: null });
  const rows: TableOneRow[] = [];
  for (let slot = 0; slot <= nLevels; slot++) {
    if (now.seen[slot] === 0 && before.seen[slot] === 0) continue;
    const p = [now.counts[0][slot] / now.totals[0], now.counts[1][slot] / now.totals[1]];
    const q = [before.counts[0][slot] / before.totals[0], before.counts[1][slot] / before.totals[1]];
    const cell = (g: 0 | 1): TableOneCell => ({ text: nPct(now.counts[g][slot], now.totals[g], weighted), missing: now.missing[g] });
    rows.push({
      variable: column.name,
      level: slot === nLevels ? MISSING_LEVEL : column.levels[slot],
      kind: 'level',
      summary: 'n-pct',
      target: cell(1),
      comparator: cell(0),
      smd: smd(p[1] - p[0], q[1] * (1 - q[1]), q[0] * (1 - q[0])),
    });
  }
  return rows;
}

/**
 * Table 1 rows: a count row, then per covariate: numeric -> mean (SD) when |skewness| <= 1 else median [Q1, Q3];
 * flag (0/1 numeric or boolean) -> n (%) of 1; category -> n (%) per level plus a "missing" level when any.
 * `weights` null = unweighted ("before"); otherwise weighted summaries (weighted mean/SD, weighted quantiles,
 * weighted %, counts shown as weighted counts rounded to 1 decimal) and SMDs with the pooled SD of the BEFORE
 * sample ((var_t + var_c)/2, Austin 2009) so before and after are comparable. The before sample is
 * `pooledSdFrom` when given, else `rows` unweighted. Missing per group counted unweighted.
 * `rows` are table rows; `treated` (1 = target) and `weights` are aligned with them.
 */
export function tableOneRows(
  table: Table,
  rows: Int32Array,
  treated: Uint8Array,
  covariates: readonly string[],
  weights: Float64Array | null,
  pooledSdFrom?: { rows: Int32Array; treated: Uint8Array },
): TableOneRow[] {
  const sample: Sample = { rows, treated, weights };
  checkSample(sample, 'the sample');
  let reference: Sample = sample;
  if (pooledSdFrom) {
    reference = { rows: pooledSdFrom.rows, treated: pooledSdFrom.treated, weights: null };
    checkSample(reference, 'pooledSdFrom');
  } else if (weights) {
    reference = { rows, treated, weights: null };
  }
  for (const r of [rows, reference.rows]) {
    for (let k = 0; k < r.length; k++) {
      if (r[k] < 0 || r[k] >= table.nRows) throw new DataError(`Table 1: row ${r[k]} is outside the table (${table.nRows} rows)`, { field: 'rows', value: r[k], expected: `0..${table.nRows - 1}` });
    }
  }
  const weighted = weights !== null;

  const total: [number, number] = [0, 0];
  for (let k = 0; k < rows.length; k++) total[treated[k]] += weights ? weights[k] : 1;
  const out: TableOneRow[] = [
    { variable: 'n', level: null, kind: 'count', summary: 'n', target: { text: countText(total[1], weighted), missing: 0 }, comparator: { text: countText(total[0], weighted), missing: 0 }, smd: null },
  ];
  for (const name of covariates) {
    const column = getColumn(table, name);
    if (column.kind === 'categorical') out.push(...categoryRows(column, sample, reference, weighted));
    else if (isFlag(column)) out.push(...flagRows(column, sample, reference, weighted));
    else out.push(...numericRows(column.values, name, sample, reference));
  }
  return out;
}
