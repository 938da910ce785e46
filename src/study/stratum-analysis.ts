// Effects within strata (shock stage, phenotype, anticoagulation quality, ...) and the test of whether the effect
// differs between them. The critique's first point: the device comparison mixed patients whose prognosis and
// response may differ by shock severity, so the effect must be shown by patient selection, not only overall.
import { getColumn, type Column, type Table } from '../data/table.js';
import { fitCox } from '../stats/cox.js';
import { chiSquareUpperTail } from '../stats/distributions.js';
import { choleskyFactor, choleskySolve, designFromColumns } from '../stats/matrix.js';
import { StatsError } from '../stats/stats-error.js';
import type { AdjustedSample } from './adjusted-sample.js';
import { denseCodes, effectEstimate, event1, groupCounts, hazardRatio, outcomeSample, type BinarySample, type TimeToEventSample } from './outcome-analysis.js';
import type { EffectEstimate, StratumAnalysis, StratumEffect } from './study-results.js';
import type { Outcome, StudySpec, Stratifier } from './study-spec.js';

/** Fewer events than this in either group of a stratum: no estimate (too unstable to show). */
export const MIN_EVENTS_PER_GROUP = 5;

/** StratumAnalysis plus the patients left out of every level (missing stratifier value, or a level not asked for). */
export interface StratumAnalysisWithNote extends StratumAnalysis {
  /** Sample patients (weight > 0, outcome known) with no value of the stratifier. */
  readonly missing: number;
  /** Says how many patients are in no level and why; null when every patient is in a level. */
  readonly note: string | null;
}

interface Level {
  readonly label: string;
  /** The column's level code (categorical) or value (numeric / boolean) it matches; null when the column never holds it. */
  readonly key: number | null;
}

/**
 * The effect of treatment within each level of a stratifier, on the adjusted sample restricted to that level
 * (weights and matched-set clusters kept as they are: a matched set split across levels contributes its members
 * to each), and a Wald test of the treatment-by-level interaction.
 *
 *  - Levels: the spec's `levels` in their order, else every level with patients in both groups in the column's
 *    order (categories as the table sorts them, numbers ascending). Missing values form no level; they and
 *    patients in levels not asked for are counted in `missing` / `note`.
 *  - Effect per level: the Cox HR (time-to-event; same model as analyseOutcome: Efron, case weights, robust SE
 *    clustered on the matched set, or on each row when weighted, model SE when crude) or the risk ratio (binary,
 *    delta-method SE with the cluster sandwich, as analyseOutcome). A level with fewer than 5 events in a group
 *    (MIN_EVENTS_PER_GROUP) gets effect null and a reason, as does a level whose model fails.
 *  - Interaction, over the levels with an estimate (df = those levels - 1; null with fewer than 2):
 *    time-to-event: one weighted Cox model with treatment, level dummies and treatment x level terms (R:
 *    coxph(Surv(t, d) ~ treat * level, weights = w, cluster = set)); Wald chi-square b' V^-1 b of the interaction
 *    terms with the robust variance (model variance when crude).
 *    binary: the saturated log-link ("modified Poisson", Zou 2004, Am J Epidemiol 159:702) model y ~ treat * level
 *    with case weights and the cluster sandwich. Being saturated, its fit is the cell risks, so the Wald test of
 *    the interaction terms equals the test that the levels' log RRs are equal, computed here in closed form from
 *    each row's influence on every level's log RR: w_i (y_i - p) / (W p) (plus for target, minus for comparator),
 *    summed by cluster; the covariance between levels comes from matched sets that span levels. A log link, not
 *    a logistic model, so the test is about the same scale (RR) as the per-level estimates.
 */
export function stratumAnalysis(table: Table, sample: AdjustedSample, outcome: Outcome, stratifier: Stratifier, spec: StudySpec): StratumAnalysisWithNote {
  const s = outcomeSample(table, sample, outcome, spec);
  const column = getColumn(table, stratifier.column);
  const levels = stratifier.levels ? specLevels(column, stratifier.levels) : null;
  const { code, missing, outside, found } = levelCodes(column, s.rows, s.treated, levels);
  const reported = levels ?? found;
  const event = s.kind === 'binary' ? s.y : event1(s.status);

  const selections = reported.map((_, l) => {
    const select = new Uint8Array(s.n);
    for (let i = 0; i < s.n; i++) if (code[i] === l) select[i] = 1;
    return select;
  });
  const binary = s.kind === 'binary' ? binaryLevelEffects(s, code, reported.length) : null;
  const effects: StratumEffect[] = reported.map((level, l) => {
    const counts = groupCounts(s.treated, event, selections[l]);
    const reason = tooFew(counts);
    let effect: EffectEstimate | null = null;
    let failure: string | null = reason;
    if (reason === null) {
      try {
        effect = s.kind === 'time_to_event' ? hazardRatio(s, selections[l]) : binaryEffect(binary as BinaryLevels, l, counts);
      } catch (e) {
        if (!(e instanceof StatsError)) throw e;
        failure = `not estimable: ${e.message}`;
      }
    }
    return { level: level.label, n: counts.n, events: counts.events, effect, reason: failure };
  });

  const estimable = effects.map((e, l) => (e.effect ? l : -1)).filter((l) => l >= 0);
  let interaction: StratumAnalysis['interaction'] = null;
  if (estimable.length >= 2) {
    try {
      interaction = s.kind === 'time_to_event' ? coxInteraction(s, code, estimable) : binaryInteraction(binary as BinaryLevels, estimable);
    } catch (e) {
      if (!(e instanceof StatsError)) throw e;
    }
  }
  const notes: string[] = [];
  if (missing > 0) notes.push(`${missing} patient${missing === 1 ? '' : 's'} with no ${stratifier.column} value (in no level)`);
  if (outside > 0) notes.push(`${outside} patient${outside === 1 ? '' : 's'} in levels not listed (in no level)`);
  if (s.excluded.count > 0) notes.push(`${s.excluded.count} patient${s.excluded.count === 1 ? '' : 's'} with the outcome unknown`);
  return {
    outcome: outcome.name,
    column: stratifier.column,
    label: stratifier.label,
    levels: effects,
    interaction,
    missing,
    note: notes.length > 0 ? `${notes.join('; ')}.` : null,
  };
}

function tooFew(counts: ReturnType<typeof groupCounts>): string | null {
  if (counts.n.target === 0 || counts.n.comparator === 0) return `no ${counts.n.target === 0 ? 'target' : 'comparator'} patients in this level`;
  for (const [group, k] of [['target', counts.events.target], ['comparator', counts.events.comparator]] as const) {
    if (k < MIN_EVENTS_PER_GROUP) return `fewer than ${MIN_EVENTS_PER_GROUP} events in the ${group} group (${k})`;
  }
  return null;
}

/** The spec's levels matched to the column: text as text, numbers as numbers (true/false as 1/0). */
function specLevels(column: Column, wanted: ReadonlyArray<string | number | boolean>): Level[] {
  return wanted.map((v) => {
    const label = String(v);
    if (column.kind === 'categorical') {
      const i = column.levels.indexOf(label);
      return { label, key: i >= 0 ? i : null };
    }
    const x = typeof v === 'boolean' ? (v ? 1 : 0) : v === 'true' ? 1 : v === 'false' ? 0 : Number(v);
    return { label, key: Number.isNaN(x) ? null : x };
  });
}

/**
 * Level index per sample row (-1 = in no level), and the default levels (the column's levels with patients in both
 * groups) when none were given. A categorical column is keyed by its level code, any other by its value.
 */
function levelCodes(column: Column, rows: Int32Array, treated: Uint8Array, levels: Level[] | null): { code: Int32Array; missing: number; outside: number; found: Level[] } {
  const n = rows.length;
  // Distinct keys in a dense numbering: categorical codes as they are, numbers through a Map (rare: flags, stages).
  const key = new Int32Array(n); // -1 = missing
  const keyValue: number[] = [];
  let missing = 0;
  if (column.kind === 'categorical') {
    for (let i = 0; i < n; i++) key[i] = column.codes[rows[i]];
    for (let k = 0; k < column.levels.length; k++) keyValue.push(k);
  } else {
    const seen = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = column.values[rows[i]];
      if (Number.isNaN(v)) {
        key[i] = -1;
        continue;
      }
      let k = seen.get(v);
      if (k === undefined) {
        k = keyValue.length;
        seen.set(v, k);
        keyValue.push(v);
      }
      key[i] = k;
    }
  }
  const groups = new Uint8Array(keyValue.length); // bit 1 comparator, bit 2 target
  for (let i = 0; i < n; i++) {
    if (key[i] < 0) missing++;
    else groups[key[i]] |= treated[i] === 1 ? 2 : 1;
  }
  let found: Level[] = [];
  if (!levels) {
    const inBoth = keyValue.map((v, k) => ({ v, k })).filter(({ k }) => groups[k] === 3);
    inBoth.sort((a, b) => a.v - b.v);
    found = inBoth.map(({ v }) => ({ key: v, label: column.kind === 'categorical' ? column.levels[v] : column.kind === 'boolean' ? (v === 1 ? 'true' : 'false') : String(v) }));
  }
  // Dense key -> reported level position.
  const position = new Int32Array(keyValue.length).fill(-1);
  const keyOf = new Map(keyValue.map((v, k) => [v, k]));
  (levels ?? found).forEach((l, j) => {
    const k = l.key === null ? undefined : keyOf.get(l.key);
    if (k !== undefined && position[k] < 0) position[k] = j;
  });
  const code = new Int32Array(n);
  let outside = 0;
  for (let i = 0; i < n; i++) {
    code[i] = key[i] < 0 ? -1 : position[key[i]];
    if (key[i] >= 0 && code[i] < 0) outside++;
  }
  return { code, missing, outside, found };
}

/** Wald chi-square b' V^-1 b for the sub-vector `idx` of coef with covariance V (p x p row-major). */
function waldTest(coef: ArrayLike<number>, variance: Float64Array, p: number, idx: number[]): { chiSquare: number; df: number; p: number } {
  const k = idx.length;
  const v = new Float64Array(k * k);
  const b = idx.map((i) => coef[i]);
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) v[a * k + c] = variance[idx[a] * p + idx[c]];
  const l = choleskyFactor(v, k, { tolerance: 1e-12 });
  if (typeof l === 'number') throw new StatsError('singular', `the interaction terms' variance is singular (term ${l + 1})`);
  const x = choleskySolve(l, k, b);
  let chiSquare = 0;
  for (let a = 0; a < k; a++) chiSquare += b[a] * x[a];
  return { chiSquare, df: k, p: chiSquareUpperTail(chiSquare, k) };
}

/** Cox model treat + level dummies + treat x level dummies on the rows in `levels` (first = reference). */
function coxInteraction(s: TimeToEventSample, code: Int32Array, levels: number[]): { chiSquare: number; df: number; p: number } {
  const position = new Int32Array(Math.max(...levels) + 1).fill(-1);
  levels.forEach((l, j) => (position[l] = j));
  const used: number[] = [];
  for (let i = 0; i < s.n; i++) if (code[i] >= 0 && position[code[i]] >= 0) used.push(i);
  const n = used.length;
  const L = levels.length;
  const p = 2 * L - 1;
  const names = ['treatment', ...levels.slice(1).map((l) => `level${l}`), ...levels.slice(1).map((l) => `treatment:level${l}`)];
  const data = new Float64Array(n * p);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  const weights = new Float64Array(n);
  const cluster = s.cluster ? new Int32Array(n) : undefined;
  used.forEach((i, r) => {
    const t = s.treated[i];
    const j = position[code[i]];
    data[r * p] = t;
    if (j > 0) {
      data[r * p + j] = 1;
      data[r * p + L - 1 + j] = t;
    }
    time[r] = s.time[i];
    event[r] = s.status[i] === 1 ? 1 : 0;
    weights[r] = s.weights[i];
    if (cluster && s.cluster) cluster[r] = s.cluster[i];
  });
  const fit = fitCox({ time, event, x: { nRows: n, nCols: p, names, data }, weights, cluster, ties: 'efron' });
  return waldTest(fit.coef, fit.variance, p, Array.from({ length: L - 1 }, (_, j) => L + j));
}

/** Per level: log RR and the covariance of the levels' log RRs (cluster sandwich). */
interface BinaryLevels {
  readonly logRr: Float64Array;
  /** L x L row-major. */
  readonly covariance: Float64Array;
  readonly nLevels: number;
}

/**
 * Log risk ratio per level and their joint sandwich covariance: row i (group g, level l) moves log p_{g,l} by
 * w_i (y_i - p_{g,l}) / (W_{g,l} p_{g,l}); summed by cluster (matched set, else each row) and squared.
 * Levels with no outcome in a group get NaN (they are never estimated: fewer than 5 events).
 */
function binaryLevelEffects(s: BinarySample, code: Int32Array, L: number): BinaryLevels {
  const sw = new Float64Array(2 * L);
  const swy = new Float64Array(2 * L);
  for (let i = 0; i < s.n; i++) {
    if (code[i] < 0) continue;
    const cell = 2 * code[i] + s.treated[i];
    sw[cell] += s.weights[i];
    swy[cell] += s.weights[i] * s.y[i];
  }
  const risk = sw.map((w, c) => swy[c] / w);
  const logRr = new Float64Array(L);
  for (let l = 0; l < L; l++) logRr[l] = Math.log(risk[2 * l + 1] / risk[2 * l]);
  const influence = (i: number): number => {
    const cell = 2 * code[i] + s.treated[i];
    const p = risk[cell];
    const u = (s.weights[i] * (s.y[i] - p)) / (sw[cell] * p);
    return s.treated[i] === 1 ? u : -u;
  };
  const covariance = new Float64Array(L * L);
  if (s.clusterKind !== 'matched' || s.cluster === null) {
    for (let i = 0; i < s.n; i++) {
      if (code[i] < 0) continue;
      const u = influence(i);
      covariance[code[i] * L + code[i]] += u * u;
    }
  } else {
    const { index, count } = denseCodes(s.cluster);
    const sums = new Float64Array(count * L);
    for (let i = 0; i < s.n; i++) if (code[i] >= 0) sums[index[i] * L + code[i]] += influence(i);
    for (let c = 0; c < count; c++) {
      const off = c * L;
      for (let a = 0; a < L; a++) {
        const ua = sums[off + a];
        if (ua === 0) continue;
        for (let b = 0; b < L; b++) covariance[a * L + b] += ua * sums[off + b];
      }
    }
  }
  return { logRr, covariance, nLevels: L };
}

function binaryEffect(b: BinaryLevels, l: number, counts: ReturnType<typeof groupCounts>): EffectEstimate {
  const variance = b.covariance[l * b.nLevels + l];
  if (!Number.isFinite(b.logRr[l]) || !(variance > 0)) throw new StatsError('singular', `the risk ratio has no variance (every patient in a group has the same outcome)`);
  return effectEstimate('RR', b.logRr[l], Math.sqrt(variance), 'delta', counts);
}

/** Wald test that the log RRs of `levels` are equal: contrasts against the first, with their covariance. */
function binaryInteraction(b: BinaryLevels, levels: number[]): { chiSquare: number; df: number; p: number } {
  const L = b.nLevels;
  const k = levels.length - 1;
  const ref = levels[0];
  const d = new Float64Array(k);
  const v = new Float64Array(k * k);
  const cov = (x: number, y: number): number => b.covariance[x * L + y];
  for (let a = 0; a < k; a++) {
    const la = levels[a + 1];
    d[a] = b.logRr[la] - b.logRr[ref];
    for (let c = 0; c < k; c++) {
      const lc = levels[c + 1];
      v[a * k + c] = cov(la, lc) - cov(la, ref) - cov(ref, lc) + cov(ref, ref);
    }
  }
  return waldTest(d, v, k, Array.from({ length: k }, (_, j) => j));
}
