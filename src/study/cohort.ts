// The study population: the spec's columns checked against the table, then the cohort selected step by step
// (inclusion, exclusion, treatment filter) with the patients each step removed, as STROBE item 13a asks for a flow
// diagram (von Elm et al., Lancet 2007) and as OHDSI CohortMethod's createStudyPopulation reports attrition.
//
// Missing values never satisfy a rule silently: a row with an empty cell fails an inclusion criterion (it is not
// known to qualify) and is not removed by an exclusion criterion (it is not known to qualify for removal), except
// for the ops 'present' and 'missing', which test emptiness itself.
import { DataError } from '../data/data-error.js';
import { getColumn, type Column, type Table } from '../data/table.js';
import type { Cohort } from './adjusted-sample.js';
import type { Criterion, StudySpec } from './study-spec.js';
import type { AttritionStep } from './study-results.js';

type Scalar = string | number | boolean;

/** What a spec field needs of its column. */
type ColumnNeed = 'any' | 'numbers' | 'flag';

interface ColumnUse {
  readonly path: string;
  readonly column: string;
  readonly need: ColumnNeed;
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMPARISON_OPS: ReadonlySet<Criterion['op']> = new Set(['gt', 'gte', 'lt', 'lte']);

/** Every column the pipeline reads, with the spec path that names it. */
function columnUses(spec: StudySpec): ColumnUse[] {
  const uses: ColumnUse[] = [
    { path: 'timeZero.column', column: spec.timeZero.column, need: 'any' },
    { path: 'treatment.column', column: spec.treatment.column, need: 'any' },
  ];
  const criteria = (kind: 'inclusion' | 'exclusion'): void => {
    spec[kind].forEach((c, i) => uses.push({ path: `${kind}[${i}].column`, column: c.column, need: COMPARISON_OPS.has(c.op) ? 'numbers' : 'any' }));
  };
  criteria('inclusion');
  criteria('exclusion');
  uses.push(
    { path: 'followUp.death', column: spec.followUp.death, need: 'flag' },
    { path: 'followUp.deathTime', column: spec.followUp.deathTime, need: 'numbers' },
    { path: 'followUp.lastKnownAlive', column: spec.followUp.lastKnownAlive, need: 'numbers' },
  );
  spec.outcomes.forEach((o, i) => {
    if (o.type === 'time_to_event') {
      uses.push({ path: `outcomes[${i}].event`, column: o.event, need: 'flag' }, { path: `outcomes[${i}].eventTime`, column: o.eventTime, need: 'numbers' });
      if (o.competing) {
        uses.push({ path: `outcomes[${i}].competing.event`, column: o.competing.event, need: 'flag' }, { path: `outcomes[${i}].competing.eventTime`, column: o.competing.eventTime, need: 'numbers' });
      }
    } else {
      uses.push({ path: `outcomes[${i}].column`, column: o.column, need: o.positive === undefined ? 'flag' : 'any' });
    }
  });
  spec.covariates.critique.forEach((c, i) => uses.push({ path: `covariates.critique[${i}]`, column: c, need: 'any' }));
  spec.covariates.published.forEach((c, i) => uses.push({ path: `covariates.published[${i}]`, column: c, need: 'any' }));
  spec.strata.forEach((s, i) => uses.push({ path: `strata[${i}].column`, column: s.column, need: 'any' }));
  return uses;
}

/** Every distinct column the spec names, in spec order (the report's list of variables used). */
export function studyColumns(spec: StudySpec): string[] {
  return [...new Set(columnUses(spec).map((u) => u.column))];
}

/** Levenshtein distance, for "did you mean" hints on misspelt column names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function suggestion(name: string, table: Table): string {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of table.columns) {
    const d = c.name.toLowerCase() === lower ? 0 : editDistance(lower, c.name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c.name;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? ` (did you mean '${best}'?)` : '';
}

/** The spec value as a number for a numeric or boolean column; NaN when it cannot be one. */
function numberOf(value: Scalar): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = value.trim();
  if (NUMERIC_TEXT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  return lower === 'true' ? 1 : lower === 'false' ? 0 : NaN;
}

/** Whether a categorical level equals a spec value: as text, or as numbers when both are numeric text ("2" = 2.0). */
function levelMatches(level: string, value: Scalar): boolean {
  const text = String(value);
  if (level === text) return true;
  return NUMERIC_TEXT.test(level.trim()) && NUMERIC_TEXT.test(text.trim()) && Number(level) === Number(text);
}

/**
 * A row test "the cell equals one of `values`" for a column; false for a missing cell. Categorical columns are
 * tested through a per-level table so that a million rows cost one array read each.
 */
function equalsAny(column: Column, values: readonly Scalar[]): (row: number) => boolean {
  if (column.kind === 'categorical') {
    const hit = Uint8Array.from(column.levels, (level) => (values.some((v) => levelMatches(level, v)) ? 1 : 0));
    const codes = column.codes;
    return (row) => codes[row] >= 0 && hit[codes[row]] === 1;
  }
  const wanted = values.map(numberOf).filter((v) => !Number.isNaN(v));
  const cells = column.values;
  if (wanted.length === 1) {
    const only = wanted[0];
    return (row) => cells[row] === only;
  }
  const set = new Set(wanted);
  return (row) => !Number.isNaN(cells[row]) && set.has(cells[row]);
}

function missingTest(column: Column): (row: number) => boolean {
  if (column.kind === 'categorical') {
    const codes = column.codes;
    return (row) => codes[row] < 0;
  }
  const cells = column.values;
  return (row) => Number.isNaN(cells[row]);
}

/** The row test of one criterion: true when the row satisfies it (a missing cell satisfies only 'missing'). */
function criterionTest(table: Table, criterion: Criterion, path: string): (row: number) => boolean {
  const column = getColumn(table, criterion.column);
  const isMissing = missingTest(column);
  const list = criterion.value === undefined ? [] : Array.isArray(criterion.value) ? criterion.value : [criterion.value];
  switch (criterion.op) {
    case 'present':
      return (row) => !isMissing(row);
    case 'missing':
      return isMissing;
    case 'eq':
    case 'in':
      return equalsAny(column, list);
    case 'ne':
    case 'notIn': {
      const equals = equalsAny(column, list);
      return (row) => !isMissing(row) && !equals(row);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (column.kind === 'categorical') {
        throw new DataError(`${path}: op '${criterion.op}' needs a numeric column; '${criterion.column}' holds text such as '${column.levels[0] ?? ''}'`, {
          field: criterion.column,
          value: column.levels[0],
          expected: 'a numeric column',
        });
      }
      const bound = numberOf(list[0]);
      const cells = column.values;
      // NaN (missing) compares false with every op, so a missing cell never satisfies these.
      if (criterion.op === 'gt') return (row) => cells[row] > bound;
      if (criterion.op === 'gte') return (row) => cells[row] >= bound;
      if (criterion.op === 'lt') return (row) => cells[row] < bound;
      return (row) => cells[row] <= bound;
    }
  }
}

/** Up to `max` distinct values of a column, as text, for messages. */
function someValues(column: Column, max: number): string {
  if (column.kind === 'categorical') return column.levels.slice(0, max).join(', ') + (column.levels.length > max ? ', ...' : '');
  const seen = new Set<number>();
  for (let i = 0; i < column.values.length && seen.size < 10_000; i++) if (!Number.isNaN(column.values[i])) seen.add(column.values[i]);
  const list = [...seen].sort((a, b) => a - b);
  return list.slice(0, max).join(', ') + (list.length > max ? ', ...' : '');
}

function occurs(column: Column, value: Scalar): boolean {
  const test = equalsAny(column, [value]);
  const n = column.kind === 'categorical' ? column.codes.length : column.values.length;
  for (let i = 0; i < n; i++) if (test(i)) return true;
  return false;
}

/**
 * Problems with the spec's column names against the table: every column the spec names (with the spec path that
 * names it) that the table lacks, that holds text where numbers or a 0/1 flag are needed, and treatment values
 * that occur nowhere in the treatment column. Empty when the spec fits. The bleeding-definition sensitivity
 * analysis reads the other definitions' columns too; it is not checked here because the pipeline turns an
 * absent definition into a warning rather than a failure.
 */
export function checkStudyColumns(table: Table, spec: StudySpec): string[] {
  const problems: string[] = [];
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const use of columnUses(spec)) {
    const column = byName.get(use.column);
    if (!column) {
      problems.push(`${use.path}: column '${use.column}' not found in the table${suggestion(use.column, table)}`);
      continue;
    }
    if (use.need !== 'any' && column.kind === 'categorical' && column.levels.length > 0) {
      problems.push(`${use.path}: column '${use.column}' holds text (e.g. '${column.levels[0]}'); expected ${use.need === 'flag' ? 'a 0/1 flag' : 'numbers'}`);
    }
  }
  const treatment = byName.get(spec.treatment.column);
  if (treatment) {
    for (const key of ['target', 'comparator'] as const) {
      const value = spec.treatment[key];
      if (!occurs(treatment, value)) {
        problems.push(`treatment.${key}: value '${String(value)}' does not occur in column '${spec.treatment.column}' (values: ${someValues(treatment, 12) || 'none, every cell is empty'})`);
      }
    }
  }
  for (const kind of ['inclusion', 'exclusion'] as const) {
    spec[kind].forEach((c, i) => {
      const column = byName.get(c.column);
      if (!column || column.kind === 'categorical' || c.value === undefined) return;
      // A text value on a numeric column can match nothing: almost always a typo or the wrong column.
      const values = Array.isArray(c.value) ? c.value : [c.value];
      for (const v of values) {
        if (Number.isNaN(numberOf(v)) && someValues(column, 1) !== '') {
          problems.push(`${kind}[${i}].value: '${String(v)}' is not a number, but column '${c.column}' holds numbers (e.g. ${someValues(column, 5)})`);
        }
      }
    });
  }
  return problems;
}

function countKept(keep: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i];
  return n;
}

/**
 * Start -> each inclusion criterion (rows must satisfy it; a missing value does not satisfy it, except op
 * 'missing') -> each exclusion criterion (rows satisfying it are removed; a missing value never satisfies it
 * except op 'missing') -> treatment filter (rows whose treatment is neither target nor comparator, or missing).
 * One AttritionStep each, labels "Inclusion: <label>" / "Exclusion: <label>" / "Not <targetLabel> or
 * <comparatorLabel>". The cohort's rows are ascending; treated = 1 for the target.
 */
export function selectCohort(table: Table, spec: StudySpec): { cohort: Cohort; attrition: AttritionStep[] } {
  const n = table.nRows;
  const keep = new Uint8Array(n).fill(1);
  let remaining = n;
  const attrition: AttritionStep[] = [{ label: 'registry' in spec.source ? 'Registry episodes' : 'Analysis table rows', kind: 'start', excluded: 0, remaining }];

  const step = (label: string, kind: AttritionStep['kind'], removes: (row: number) => boolean): void => {
    for (let i = 0; i < n; i++) if (keep[i] === 1 && removes(i)) keep[i] = 0;
    const after = countKept(keep);
    attrition.push({ label, kind, excluded: remaining - after, remaining: after });
    remaining = after;
  };

  spec.inclusion.forEach((c, i) => {
    const satisfies = criterionTest(table, c, `inclusion[${i}]`);
    step(`Inclusion: ${c.label}`, 'inclusion', (row) => !satisfies(row));
  });
  spec.exclusion.forEach((c, i) => {
    const satisfies = criterionTest(table, c, `exclusion[${i}]`);
    step(`Exclusion: ${c.label}`, 'exclusion', satisfies);
  });

  const { treatment } = spec;
  const column = getColumn(table, treatment.column);
  const isTarget = equalsAny(column, [treatment.target]);
  const isComparator = equalsAny(column, [treatment.comparator]);
  step(`Not ${treatment.targetLabel} or ${treatment.comparatorLabel}`, 'treatment', (row) => !isTarget(row) && !isComparator(row));

  const rows = new Int32Array(remaining);
  const treated = new Uint8Array(remaining);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 1) {
      rows[k] = i;
      treated[k] = isTarget(i) ? 1 : 0;
      k++;
    }
  }
  return { cohort: { rows, treated }, attrition };
}
