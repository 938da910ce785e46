// Reporting-completeness audit: for every element the critique of the device-vs-device claims studies names
// (Vandenbriele et al., JAMA Intern Med 2023;183:277), the share of cohort patients with it recorded, measured
// from the data itself; then the STROBE (von Elm et al., Lancet 2007) and RECORD (Benchimol et al., PLoS Med
// 2015) items a pipeline can check from the spec and the run.
//
// `inClaimsData` is a design assumption, not a measurement: it follows the critique's argument that claims and
// administrative data (the source of the studies it criticized) record who was treated where, and the drugs a
// pharmacy dispensed, but not the shock stage, the reason a device was chosen, the anticoagulation test and
// target, how major bleeding was defined, hemolysis labs, organ-function labs, coma after arrest or phenotype.
import type { Column, Table } from '../data/table.js';
import { ANALYSIS_COLUMN_NAMES } from '../registry/dataset/analysis-columns.js';
import type { Cohort } from './adjusted-sample.js';
import { studyColumns } from './cohort.js';
import { BLEEDING_DEFINITION_COLUMNS, BLEEDING_DEFINITIONS, type StudySpec } from './study-spec.js';
import type { AttritionStep, CompletenessItem, CompletenessStatus } from './study-results.js';

/** Share recorded at or above which an element counts as complete (a [D] design threshold). */
export const COMPLETE_FROM = 0.9;
/** Share recorded at or above which an element counts as sparse rather than missing. */
export const SPARSE_FROM = 0.5;

export interface AuditContext {
  readonly attrition: readonly AttritionStep[];
  /** Follow-up per cohort patient, days (death time, else last known alive), aligned with cohort.rows; NaN = unknown. */
  readonly followUpDays: Float64Array;
}

function statusOf(share: number): CompletenessStatus {
  return share >= COMPLETE_FROM ? 'complete' : share >= SPARSE_FROM ? 'sparse' : 'missing';
}

const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;

function findColumn(table: Table, name: string): Column | null {
  return table.columns.find((c) => c.name === name) ?? null;
}

function isRecorded(column: Column, row: number): boolean {
  return column.kind === 'categorical' ? column.codes[row] >= 0 : !Number.isNaN(column.values[row]);
}

/** Cell as a number (numeric columns, or numeric text); NaN when missing or not a number. */
function numberAt(column: Column, row: number): number {
  if (column.kind !== 'categorical') return column.values[row];
  const code = column.codes[row];
  return code < 0 ? NaN : Number(column.levels[code]);
}

function textAt(column: Column, row: number): string | null {
  if (column.kind === 'categorical') return column.codes[row] < 0 ? null : column.levels[column.codes[row]];
  return Number.isNaN(column.values[row]) ? null : String(column.values[row]);
}

/** Cohort patients for whom `test` holds. */
function countWhere(cohort: Cohort, test: (row: number) => boolean): number {
  let n = 0;
  for (let k = 0; k < cohort.rows.length; k++) if (test(cohort.rows[k])) n++;
  return n;
}

const absentDetail = (names: readonly string[]): string =>
  `${names.length === 1 ? 'column' : 'columns'} ${names.map((n) => `'${n}'`).join(', ')} absent from the table (as in a claims extract): not recorded for any patient`;

interface CritiqueElement {
  readonly id: string;
  readonly element: string;
  readonly inClaimsData: boolean;
  /** The columns it reads (null in `recorded` when absent from the table). */
  readonly columns: readonly string[];
  /** Whether the element is recorded for a row, given the columns that are present (null = absent). */
  readonly recorded: (columns: ReadonlyArray<Column | null>) => (row: number) => boolean;
  /** Columns without which the element cannot be recorded at all (default: `columns`)... */
  readonly required?: readonly string[];
  /** ...when any of them is absent (default), or only when all are (alternatives, e.g. two phenotype columns). */
  readonly absentWhen?: 'any' | 'all';
  /** Extra words for the detail (e.g. the parts of a composite), given the same columns. */
  readonly parts?: (columns: ReadonlyArray<Column | null>, cohort: Cohort) => string;
}

const present = (c: Column | null): ((row: number) => boolean) => (c ? (row) => isRecorded(c, row) : () => false);

/** Share of the cohort for which each present column is recorded, e.g. "bp_phenotype_t0 61.0%, ventricular_phenotype 22.0%". */
function perColumn(columns: ReadonlyArray<Column | null>, names: readonly string[], cohort: Cohort): string {
  const n = cohort.rows.length;
  return names.map((name, j) => {
    const c = columns[j];
    return c ? `${name} ${pct(countWhere(cohort, (row) => isRecorded(c, row)) / n)}` : `${name} absent`;
  }).join(', ');
}

/** SOFA at time zero is determined when it is recorded and its upper bound equals it (no unknown component could raise it). */
function sofaDetermined(sofa: Column | null, upper: Column | null, missingInputs: Column | null): (row: number) => boolean {
  if (!sofa) return () => false;
  if (upper) return (row) => isRecorded(sofa, row) && numberAt(sofa, row) === numberAt(upper, row);
  if (missingInputs) return (row) => isRecorded(sofa, row) && !isRecorded(missingInputs, row);
  return (row) => isRecorded(sofa, row);
}

const CRITIQUE_ELEMENTS: readonly CritiqueElement[] = [
  {
    id: 'scai-stage-t0',
    element: 'SCAI SHOCK stage at time zero (determined: lower bound = upper bound)',
    inClaimsData: false,
    columns: ['scai_stage_t0', 'scai_stage_t0_upper'],
    recorded: ([stage, upper]) => (stage && upper ? (row) => isRecorded(stage, row) && textAt(stage, row) === textAt(upper, row) : () => false),
    parts: ([stage, upper], cohort) => {
      if (!stage || !upper) return '';
      const ranged = countWhere(cohort, (row) => isRecorded(stage, row) && textAt(stage, row) !== textAt(upper, row));
      return `; a stage range (e.g. B..E) for ${pct(ranged / cohort.rows.length)}`;
    },
  },
  { id: 'arrest-coma', element: 'Cardiac arrest with coma at time zero (SCAI -A modifier)', inClaimsData: false, columns: ['arrest_coma_t0'], recorded: ([c]) => present(c) },
  {
    id: 'phenotype',
    element: 'Shock phenotype (blood-pressure and/or ventricular)',
    inClaimsData: false,
    columns: ['bp_phenotype_t0', 'ventricular_phenotype'],
    absentWhen: 'all',
    recorded: ([bp, ventricular]) => {
      const a = present(bp);
      const b = present(ventricular);
      return (row) => a(row) || b(row);
    },
    parts: (columns, cohort) => `; ${perColumn(columns, ['bp_phenotype_t0', 'ventricular_phenotype'], cohort)}`,
  },
  { id: 'selection-reasons', element: 'Reason the device was chosen', inClaimsData: false, columns: ['device_t0_selection_reasons'], recorded: ([c]) => present(c) },
  // Pharmacy claims record the dispensed anticoagulant, so the drug is the one anticoagulation element claims hold.
  { id: 'anticoagulant', element: 'Anticoagulant drug', inClaimsData: true, columns: ['anticoag_drugs'], recorded: ([c]) => present(c) },
  { id: 'monitoring-test', element: 'Anticoagulation monitoring test (aPTT, anti-Xa, ACT)', inClaimsData: false, columns: ['anticoag_tests'], recorded: ([c]) => present(c) },
  { id: 'target-band', element: 'Anticoagulation target range', inClaimsData: false, columns: ['anticoag_target_bands'], recorded: ([c]) => present(c) },
  // 'bleeding-definition' is built separately (it depends on the spec's outcomes).
  { id: 'hemolysis', element: 'Hemolysis surveillance (plasma-free hemoglobin or LDH)', inClaimsData: false, columns: ['hemolysis_grade'], recorded: ([c]) => present(c) },
  {
    id: 'organ-function',
    element: 'Organ function at time zero (complete SOFA and creatinine)',
    inClaimsData: false,
    columns: ['sofa_t0', 'sofa_t0_upper', 'sofa_t0_missing', 'creatinine_t0_mg_dL'],
    required: ['sofa_t0', 'creatinine_t0_mg_dL'],
    recorded: ([sofa, upper, missingInputs, creatinine]) => {
      const determined = sofaDetermined(sofa, upper, missingInputs);
      const lab = present(creatinine);
      return (row) => determined(row) && lab(row);
    },
    parts: ([sofa, upper, missingInputs, creatinine], cohort) => {
      const n = cohort.rows.length;
      const sofaPart = sofa ? `SOFA complete ${pct(countWhere(cohort, sofaDetermined(sofa, upper, missingInputs)) / n)}` : 'sofa_t0 absent';
      const creatininePart = creatinine ? `creatinine ${pct(countWhere(cohort, present(creatinine)) / n)}` : 'creatinine_t0_mg_dL absent';
      return `; ${sofaPart}, ${creatininePart}`;
    },
  },
  // Claims carry the provider, so the treating site is known there too.
  { id: 'site', element: 'Treating site (center effects, clustering)', inClaimsData: true, columns: ['site'], recorded: ([c]) => present(c) },
];

/** Every analysis-table column the audit reads (beyond the columns the spec names), so a reader can load only these. */
export const AUDIT_COLUMNS: readonly string[] = [...new Set(CRITIQUE_ELEMENTS.flatMap((e) => e.columns))];


function critiqueItem(table: Table, cohort: Cohort, element: CritiqueElement): CompletenessItem {
  const columns = element.columns.map((name) => findColumn(table, name));
  const base = { id: element.id, source: 'critique' as const, element: element.element, inClaimsData: element.inClaimsData };
  const required = element.required ?? element.columns;
  const absent = required.filter((name) => findColumn(table, name) === null);
  if (element.absentWhen === 'all' ? absent.length === required.length : absent.length > 0) {
    return { ...base, completeness: 0, status: 'missing', detail: absentDetail(absent) };
  }
  const n = cohort.rows.length;
  if (n === 0) return { ...base, completeness: null, status: 'not-applicable', detail: 'the cohort is empty' };
  const recorded = countWhere(cohort, element.recorded(columns));
  const share = recorded / n;
  const parts = element.parts ? element.parts(columns, cohort) : '';
  return { ...base, completeness: share, status: statusOf(share), detail: `recorded for ${recorded} of ${n} patients (${pct(share)})${parts}` };
}

/** Outcomes about major bleeding: those naming a bleeding definition, and those reading a definition's flag column without naming it. */
function bleedingOutcomes(spec: StudySpec): Array<{ name: string; definition: (typeof BLEEDING_DEFINITIONS)[number] | null; column: string }> {
  const flagColumns = new Map(BLEEDING_DEFINITIONS.map((d) => [BLEEDING_DEFINITION_COLUMNS[d].event, d]));
  const out: Array<{ name: string; definition: (typeof BLEEDING_DEFINITIONS)[number] | null; column: string }> = [];
  for (const o of spec.outcomes) {
    const column = o.type === 'time_to_event' ? o.event : o.column;
    if (o.bleedingDefinition !== undefined) out.push({ name: o.name, definition: o.bleedingDefinition, column: BLEEDING_DEFINITION_COLUMNS[o.bleedingDefinition].event });
    else if (flagColumns.has(column)) out.push({ name: o.name, definition: null, column });
  }
  return out;
}

function bleedingDefinitionItem(table: Table, cohort: Cohort, spec: StudySpec): CompletenessItem {
  const base = { id: 'bleeding-definition', source: 'critique' as const, element: 'Major-bleeding definition named and classifiable', inClaimsData: false };
  const outcomes = bleedingOutcomes(spec);
  if (outcomes.length === 0) return { ...base, completeness: null, status: 'not-applicable', detail: 'the spec has no bleeding outcome' };
  const n = cohort.rows.length;
  let worst = Infinity;
  const details: string[] = [];
  for (const o of outcomes) {
    if (o.definition === null) {
      worst = 0;
      details.push(`outcome '${o.name}' reads '${o.column}' but names no bleedingDefinition: major bleeding is not defined`);
      continue;
    }
    const column = findColumn(table, o.column);
    if (!column) {
      worst = 0;
      details.push(`outcome '${o.name}' (${o.definition}): ${absentDetail([o.column])}`);
      continue;
    }
    const determined = n === 0 ? 0 : countWhere(cohort, (row) => isRecorded(column, row)) / n;
    worst = Math.min(worst, determined);
    details.push(`outcome '${o.name}' (${o.definition}): '${o.column}' determined for ${pct(determined)} (empty = an event could be major if unrecorded facts were the worst)`);
  }
  if (n === 0 && worst > 0) return { ...base, completeness: null, status: 'not-applicable', detail: 'the cohort is empty' };
  return { ...base, completeness: worst, status: statusOf(worst), detail: details.join('; ') };
}

/** R's type-7 quantile of sorted values. */
function quantileSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function followUpItem(cohort: Cohort, spec: StudySpec, followUpDays: Float64Array): CompletenessItem {
  const base = { id: 'strobe-14c-follow-up', source: 'strobe' as const, element: 'Follow-up time summarized (STROBE 14c)', inClaimsData: true };
  const n = cohort.rows.length;
  if (followUpDays.length !== n) {
    return { ...base, completeness: null, status: 'missing', detail: `follow-up times were given for ${followUpDays.length} patients, the cohort has ${n}` };
  }
  const groups = [1, 0].map((g) => {
    const known: number[] = [];
    for (let k = 0; k < n; k++) if (cohort.treated[k] === g && Number.isFinite(followUpDays[k])) known.push(followUpDays[k]);
    return Float64Array.from(known).sort();
  });
  const known = groups[0].length + groups[1].length;
  if (n === 0) return { ...base, completeness: null, status: 'not-applicable', detail: 'the cohort is empty' };
  const share = known / n;
  const label = [spec.treatment.targetLabel, spec.treatment.comparatorLabel];
  const summary = groups.map((sorted, j) =>
    sorted.length === 0 ? `${label[j]}: no known follow-up` : `${label[j]} ${quantileSorted(sorted, 0.5).toFixed(1)} d [IQR ${quantileSorted(sorted, 0.25).toFixed(1)}-${quantileSorted(sorted, 0.75).toFixed(1)}]`,
  );
  return {
    ...base,
    completeness: share,
    status: statusOf(share),
    detail: `median observed follow-up (death or last known alive, not capped at the horizon): ${summary.join('; ')}; unknown for ${n - known} of ${n} patients`,
  };
}

function missingDataItem(table: Table, cohort: Cohort, spec: StudySpec): CompletenessItem {
  const covariates = [...new Set([...spec.covariates.critique, ...spec.covariates.published])];
  const n = cohort.rows.length;
  const shares: Array<{ name: string; share: number }> = [];
  const absent: string[] = [];
  for (const name of covariates) {
    const column = findColumn(table, name);
    if (!column) {
      absent.push(name);
      continue;
    }
    const missing = n === 0 ? 0 : countWhere(cohort, (row) => !isRecorded(column, row)) / n;
    if (missing > 0) shares.push({ name, share: missing });
  }
  shares.sort((a, b) => b.share - a.share || (a.name < b.name ? -1 : 1));
  const handling = spec.missingCovariates === 'indicator' ? 'missing-indicator method (missing category / mean + missing flag)' : 'complete-case analysis';
  const listed = shares.length === 0 ? 'no covariate has missing values in the cohort' : `missing in the cohort: ${shares.map((s) => `${s.name} ${pct(s.share)}`).join(', ')}`;
  return {
    id: 'strobe-12c-missing-data',
    source: 'strobe',
    element: 'Missing data per variable and its handling (STROBE 12c)',
    completeness: null,
    status: absent.length > 0 ? 'sparse' : 'complete',
    detail: `${listed}; handled by ${handling}${absent.length > 0 ? `; ${absentDetail(absent)}` : ''}`,
    inClaimsData: true,
  };
}

function studyItem(id: string, source: 'strobe' | 'record', element: string, status: CompletenessStatus, detail: string): CompletenessItem {
  return { id, source, element, completeness: null, status, detail, inClaimsData: true };
}

/** Share of cohort rows per level of a column, most frequent first, e.g. "device_start 97.0%, shock_onset 3.0%". */
function levelShares(column: Column, cohort: Cohort): string {
  const counts = new Map<string, number>();
  for (const row of cohort.rows) {
    const text = textAt(column, row) ?? 'missing';
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([level, c]) => `${level} ${pct(c / cohort.rows.length)}`).join(', ');
}

/**
 * From the data itself: for each element the critique names, the share of cohort patients with it recorded
 * (status complete >= 0.9, sparse >= 0.5, missing below; a column absent from the table is 'missing' with
 * completeness 0), then the STROBE / RECORD items the pipeline can check from the spec and the run.
 */
export function completenessAudit(table: Table, cohort: Cohort, spec: StudySpec, context: AuditContext): CompletenessItem[] {
  const items: CompletenessItem[] = [];
  for (const element of CRITIQUE_ELEMENTS) {
    if (element.id === 'hemolysis') items.push(bleedingDefinitionItem(table, cohort, spec));
    items.push(critiqueItem(table, cohort, element));
  }

  const criteria = [...spec.inclusion.map((c) => `Inclusion: ${c.label}`), ...spec.exclusion.map((c) => `Exclusion: ${c.label}`)];
  items.push(
    studyItem(
      'strobe-6a-eligibility',
      'strobe',
      'Eligibility criteria (STROBE 6a)',
      criteria.length > 0 ? 'complete' : 'sparse',
      criteria.length > 0 ? criteria.join('; ') : `no inclusion or exclusion criteria: every row with ${spec.treatment.targetLabel} or ${spec.treatment.comparatorLabel} is in the cohort`,
    ),
  );

  const timeZero = findColumn(table, spec.timeZero.column);
  items.push(
    studyItem(
      'strobe-time-zero',
      'strobe',
      'Time zero (start of follow-up) defined (STROBE 6a, 7)',
      timeZero ? 'complete' : 'sparse',
      timeZero
        ? `${spec.timeZero.definition}; in the cohort: ${levelShares(timeZero, cohort)} ('${spec.timeZero.column}')`
        : `${spec.timeZero.definition}; ${absentDetail([spec.timeZero.column])}, so the data cannot show which event started follow-up`,
    ),
  );

  const t = spec.treatment;
  items.push(studyItem('strobe-7-exposure', 'strobe', 'Exposure defined (STROBE 7)', 'complete', `'${t.column}' = ${String(t.target)} (${t.targetLabel}) vs ${String(t.comparator)} (${t.comparatorLabel})`));

  const undefinedBleeding = bleedingOutcomes(spec).filter((o) => o.definition === null);
  const outcomeText = spec.outcomes.map((o) => {
    const what = o.type === 'time_to_event' ? `'${o.event}' by day ${o.horizon_d}${o.competing ? `, competing ${o.competing.label}` : ''}` : `'${o.column}'${o.positive ? ` in ${o.positive.join('/')}` : ''}`;
    return `${o.label} (${o.name}: ${what}${o.bleedingDefinition ? `, ${o.bleedingDefinition}` : ''}${o.primary ? ', primary' : ''}${o.negativeControl ? ', negative control' : ''})`;
  });
  items.push(
    studyItem(
      'strobe-7-outcomes',
      'strobe',
      'Outcomes defined (STROBE 7)',
      undefinedBleeding.length > 0 ? 'sparse' : 'complete',
      `${outcomeText.join('; ')}${undefinedBleeding.length > 0 ? `; no bleeding definition named for ${undefinedBleeding.map((o) => o.name).join(', ')}` : ''}`,
    ),
  );

  items.push(
    studyItem(
      'strobe-7-covariates',
      'strobe',
      'Confounders listed (STROBE 7)',
      'complete',
      `critique set (primary analysis, ${spec.covariates.critique.length}): ${spec.covariates.critique.join(', ')}; published-style set (${spec.covariates.published.length}): ${spec.covariates.published.join(', ')}`,
    ),
  );

  items.push(missingDataItem(table, cohort, spec));

  const flow = context.attrition;
  items.push(
    studyItem(
      'strobe-13a-flow',
      'strobe',
      'Participant flow with numbers at each stage (STROBE 13a)',
      flow.length > 0 ? 'complete' : 'missing',
      flow.length > 0
        ? flow.map((s) => (s.kind === 'start' ? `${s.label}: ${s.remaining}` : `${s.label}: -${s.excluded} (${s.remaining} left)`)).join('; ')
        : 'no attrition steps were recorded',
    ),
  );

  items.push(followUpItem(cohort, spec, context.followUpDays));

  const s = spec.sensitivity;
  const sensitivity: string[] = [];
  if (s.eValues) sensitivity.push('E-values');
  if (s.bleedingDefinitions && spec.outcomes.some((o) => o.bleedingDefinition !== undefined)) sensitivity.push(`every bleeding definition (${BLEEDING_DEFINITIONS.join(', ')})`);
  if (s.calipers.length > 0 && spec.adjustment.method === 'match') sensitivity.push(`calipers ${s.calipers.join(', ')} SD`);
  if (s.trims.length > 0) sensitivity.push(`trimming at ${s.trims.join(', ')}`);
  const methods = s.methods.filter((m) => m !== spec.adjustment.method);
  if (methods.length > 0) sensitivity.push(`other adjustment methods (${methods.join(', ')})`);
  const negativeControls = spec.outcomes.filter((o) => o.negativeControl).map((o) => o.name);
  if (negativeControls.length > 0) sensitivity.push(`negative-control outcomes (${negativeControls.join(', ')})`);
  sensitivity.push('crude vs published-style vs critique covariate sets');
  items.push(studyItem('strobe-12e-sensitivity', 'strobe', 'Sensitivity analyses (STROBE 12e)', sensitivity.length > 1 ? 'complete' : 'sparse', sensitivity.join('; ')));

  const documented = new Set<string>(ANALYSIS_COLUMN_NAMES);
  const undocumented = studyColumns(spec).filter((c) => !documented.has(c));
  const source = 'registry' in spec.source ? 'the registry (stratum dataset, built for this run)' : `the analysis-table file '${spec.source.csv}'`;
  items.push(
    studyItem(
      'record-7.1-codes',
      'record',
      'Codes and algorithms that define the variables (RECORD 7.1)',
      undocumented.length === 0 ? 'complete' : 'sparse',
      undocumented.length === 0
        ? `data from ${source}; every column the study uses is defined, with the engine rule that computes it, in docs/dataset.md`
        : `data from ${source}; not analysis-table columns, so not defined in docs/dataset.md: ${undocumented.join(', ')} (state how they were derived)`,
    ),
  );
  return items;
}
