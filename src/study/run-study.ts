// The study pipeline: a sequence of small named steps (OHDSI CohortMethod's shape), each taking the previous
// step's result plus the spec, so a study is reproducible from its specification and data alone.
//
//   columns -> cohort (attrition) -> propensity + adjustment (critique set = primary, published set, crude)
//   -> Table 1 -> outcome models -> strata -> three-way comparison -> sensitivity -> completeness audit -> evidence
//
// Pure: no I/O, no clock, no randomness (matching breaks ties by data order), so the same spec and table give the
// same StudyResults, byte for byte once serialized.
import { createHash } from 'node:crypto';
import { DataError } from '../data/data-error.js';
import { getColumn, type Table } from '../data/table.js';
import { StatsError } from '../stats/stats-error.js';
import type { AdjustedSample, Cohort } from './adjusted-sample.js';
import { adjustSample, crudeSample, propensityModel, type PropensityModel } from './adjust-sample.js';
import { checkStudyColumns, selectCohort, studyColumns } from './cohort.js';
import { AUDIT_COLUMNS, completenessAudit } from './completeness-audit.js';
import { assessEvidence } from './evidence-assessment.js';
import { analyseOutcome } from './outcome-analysis.js';
import { stratumAnalysis } from './stratum-analysis.js';
import { BLEEDING_DEFINITION_COLUMNS, BLEEDING_DEFINITIONS, type Adjustment, type Outcome, type StudySpec } from './study-spec.js';
import type { AdjustmentSet, AttritionStep, ComparisonRow, OutcomeResult, SensitivityRow, StratumAnalysis, StudyResults, TableOne } from './study-results.js';
import { tableOneRows } from './table-one.js';

export interface RunStudyOptions {
  /** sha256 of the analysis table as read (the CSV text), recorded in the results. */
  readonly dataSha256: string;
  readonly stratumVersion: string;
  /** Called as each step starts, e.g. "propensity score and matching (critique covariates)". */
  readonly onProgress?: (step: string) => void;
}

/** A step that can fail on thin data (an outcome without events in a group, a stratum too small) becomes a warning. */
function attempt<T>(what: string, warnings: string[], run: () => T): T | null {
  try {
    return run();
  } catch (e) {
    if (e instanceof StatsError || e instanceof DataError) {
      warnings.push(`${what}: not estimable (${e.message})`);
      return null;
    }
    throw e;
  }
}

function groupCounts(cohort: Cohort): { target: number; comparator: number } {
  let target = 0;
  for (const t of cohort.treated) target += t;
  return { target, comparator: cohort.treated.length - target };
}

/** Follow-up per cohort row, days: the death time when the patient died, else the last-known-alive time (NaN when unknown). */
function followUpDays(table: Table, cohort: Cohort, spec: StudySpec): Float64Array {
  const death = getColumn(table, spec.followUp.death);
  const deathTime = getColumn(table, spec.followUp.deathTime);
  const alive = getColumn(table, spec.followUp.lastKnownAlive);
  const value = (c: typeof death, i: number) => (c.kind === 'categorical' ? Number(c.levels[c.codes[i]] ?? NaN) : c.values[i]);
  return Float64Array.from(cohort.rows, (i) => (value(death, i) === 1 ? value(deathTime, i) : value(alive, i)));
}

function withBleedingDefinition(outcome: Outcome, definition: (typeof BLEEDING_DEFINITIONS)[number]): Outcome {
  const columns = BLEEDING_DEFINITION_COLUMNS[definition];
  if (outcome.type === 'time_to_event') return { ...outcome, event: columns.event, eventTime: columns.eventTime, bleedingDefinition: definition };
  return { ...outcome, column: columns.event, positive: undefined, bleedingDefinition: definition };
}

function adjustmentLabel(a: Adjustment): string {
  switch (a.method) {
    case 'match':
      return `1:${a.ratio} matching${a.caliperSd === null ? ' without caliper' : `, caliper ${a.caliperSd} SD`}`;
    case 'iptw':
      return `inverse-probability weights (${a.estimand.toUpperCase()})`;
    case 'overlap':
      return 'overlap weights (ATO)';
    case 'stratification':
      return `stratification on ${a.subclasses} score quantiles (${a.estimand.toUpperCase()})`;
  }
}

/**
 * Every column the pipeline can read for this spec: the columns the spec names, its follow-up columns, every bleeding
 * definition's columns (the sensitivity analysis) and the audit's columns. Reading only these from a wide CSV gives
 * the same results (run-study.test.ts checks it) at a fraction of the time and memory.
 */
export function studyTableColumns(spec: StudySpec): string[] {
  const bleeding = Object.values(BLEEDING_DEFINITION_COLUMNS).flatMap((c) => [c.event, c.eventTime]);
  const followUp = [spec.followUp.death, spec.followUp.deathTime, spec.followUp.lastKnownAlive];
  return [...new Set([...studyColumns(spec), ...followUp, ...bleeding, ...AUDIT_COLUMNS])];
}

export function runStudy(spec: StudySpec, table: Table, options: RunStudyOptions): StudyResults {
  const progress = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];

  progress('checking the spec against the table');
  const problems = checkStudyColumns(table, spec);
  if (problems.length > 0) {
    throw new DataError(`the study spec does not fit the table: ${problems.join('; ')}`, { field: 'spec', expected: 'columns of the analysis table' });
  }

  progress('cohort and attrition');
  const { cohort, attrition } = selectCohort(table, spec);
  const cohortSize = groupCounts(cohort);
  if (cohortSize.target === 0 || cohortSize.comparator === 0) {
    throw new DataError(
      `the cohort has ${cohortSize.target} ${spec.treatment.targetLabel} and ${cohortSize.comparator} ${spec.treatment.comparatorLabel} patients; expected both groups`,
      { field: 'treatment', expected: 'patients in both groups' },
    );
  }

  const adjust = (set: Exclude<AdjustmentSet, 'crude'>, adjustment: Adjustment): AdjustedSample => {
    const options = set === 'critique' ? { model: critiqueModel } : {};
    const sample = adjustSample(table, cohort, set, spec.covariates[set], adjustment, spec.missingCovariates, options);
    for (const w of sample.warnings) warnings.push(`${set} propensity model: ${w}`);
    return sample;
  };
  progress(`propensity score and ${adjustmentLabel(spec.adjustment)} (critique covariates)`);
  // The critique model is fitted once and reused by every sensitivity variant (calipers, trims, methods).
  const critiqueModel = propensityModel(table, cohort, 'critique', spec.covariates.critique, spec.missingCovariates);
  const primary = adjust('critique', spec.adjustment);
  progress(`propensity score and ${adjustmentLabel(spec.adjustment)} (published covariates)`);
  const published = adjust('published', spec.adjustment);
  const crude = crudeSample(cohort);
  const fullAttrition: AttritionStep[] = [...attrition];
  const droppedForMissing = cohort.rows.length - primary.rows.length - (primary.propensity?.trimmed ?? 0);
  if (droppedForMissing > 0) {
    fullAttrition.push({ label: 'Missing critique covariates (complete-case analysis)', kind: 'missing-data', excluded: droppedForMissing, remaining: cohort.rows.length - droppedForMissing });
  }

  progress('Table 1 before and after adjustment');
  const tableCovariates = [...new Set([...spec.covariates.critique, ...spec.covariates.published])];
  const ess = primary.balance?.effectiveSampleSize ?? cohortSize;
  const tableOne: TableOne = {
    before: tableOneRows(table, cohort.rows, cohort.treated, tableCovariates, null),
    after: tableOneRows(table, primary.rows, primary.treated, tableCovariates, primary.weights, { rows: cohort.rows, treated: cohort.treated }),
    nBefore: cohortSize,
    nAfter: { target: ess.target, comparator: ess.comparator },
  };

  const outcomes: OutcomeResult[] = [];
  for (const outcome of spec.outcomes) {
    progress(`outcome: ${outcome.label}`);
    const result = attempt(`outcome '${outcome.name}'`, warnings, () =>
      analyseOutcome(table, primary, outcome, spec, { eValues: spec.sensitivity.eValues, curves: true }),
    );
    if (result) outcomes.push(result);
  }

  // Effect modification on the primary outcome and on every bleeding outcome: the critique's point is that the
  // device's effect may differ by shock severity and by how anticoagulation was run.
  const strata: StratumAnalysis[] = [];
  const strataOutcomes = spec.outcomes.filter((o) => o.primary || o.bleedingDefinition !== undefined);
  for (const stratifier of spec.strata) {
    for (const outcome of strataOutcomes) {
      progress(`strata: ${outcome.label} by ${stratifier.label}`);
      const result = attempt(`'${outcome.name}' by ${stratifier.column}`, warnings, () => stratumAnalysis(table, primary, outcome, stratifier, spec));
      if (result) strata.push(result);
    }
  }

  progress('three-way comparison: crude, published-style, critique');
  const comparison: ComparisonRow[] = [];
  const samples: ReadonlyArray<[AdjustmentSet, AdjustedSample]> = [['crude', crude], ['published', published], ['critique', primary]];
  for (const outcome of spec.outcomes) {
    for (const [set, sample] of samples) {
      const fromPrimary = set === 'critique' ? outcomes.find((o) => o.name === outcome.name) : undefined;
      const result = fromPrimary ?? attempt(`'${outcome.name}' (${set})`, warnings, () =>
        analyseOutcome(table, sample, outcome, spec, { eValues: spec.sensitivity.eValues && set !== 'crude', curves: false }),
      );
      if (!result) continue;
      comparison.push({
        outcome: outcome.name,
        set,
        covariates: set === 'crude' ? [] : spec.covariates[set],
        ratio: result.ratio,
        riskDifference: result.riskDifference,
        balancePass: sample.balance?.pass ?? null,
      });
    }
  }

  const sensitivity = runSensitivity(table, cohort, spec, primary, critiqueModel, outcomes, warnings, progress);

  progress('reporting-completeness audit');
  const completeness = completenessAudit(table, cohort, spec, { attrition: fullAttrition, followUpDays: followUpDays(table, cohort, spec) });
  const evidence = assessEvidence({ completeness, balance: primary.balance, propensity: primary.propensity, cohortSize, outcomes });

  const propensity = [primary.propensity, published.propensity].filter((p): p is NonNullable<typeof p> => p !== null);
  const balance = [primary.balance, published.balance].filter((b): b is NonNullable<typeof b> => b !== null);
  return {
    format: 'stratum-study-results/1',
    stratumVersion: options.stratumVersion,
    spec,
    specSha256: createHash('sha256').update(JSON.stringify(spec)).digest('hex'),
    dataSha256: options.dataSha256,
    labels: { target: spec.treatment.targetLabel, comparator: spec.treatment.comparatorLabel },
    attrition: fullAttrition,
    tableOne,
    propensity,
    balance,
    outcomes,
    strata,
    comparison,
    sensitivity,
    completeness,
    evidence,
    warnings,
  };
}

function runSensitivity(
  table: Table,
  cohort: Cohort,
  spec: StudySpec,
  primary: AdjustedSample,
  critiqueModel: PropensityModel,
  outcomes: readonly OutcomeResult[],
  warnings: string[],
  progress: (step: string) => void,
): SensitivityRow[] {
  const rows: SensitivityRow[] = [];
  const primaryOutcome = spec.outcomes.find((o) => o.primary);
  if (!primaryOutcome) throw new DataError('the spec has no primary outcome', { field: 'outcomes', expected: 'one outcome with primary: true' });
  const effectOptions = { eValues: spec.sensitivity.eValues, curves: false } as const;

  if (spec.sensitivity.bleedingDefinitions) {
    for (const outcome of spec.outcomes.filter((o) => o.bleedingDefinition !== undefined)) {
      progress(`sensitivity: ${outcome.label} under every bleeding definition`);
      for (const definition of BLEEDING_DEFINITIONS) {
        const variant = withBleedingDefinition(outcome, definition);
        const result = attempt(`'${outcome.name}' under ${definition}`, warnings, () => analyseOutcome(table, primary, variant, spec, effectOptions));
        rows.push({
          kind: 'bleeding-definition',
          variant: definition,
          outcome: outcome.name,
          ratio: result?.ratio ?? null,
          riskDifference: result?.riskDifference ?? null,
          note: result ? (definition === outcome.bleedingDefinition ? 'the definition of the main analysis' : null) : 'not estimable (see warnings)',
        });
      }
    }
  }

  const variants: Array<{ kind: SensitivityRow['kind']; variant: string; adjustment: Adjustment }> = [];
  // Caliper variants are matching variants, whatever the primary method (matching is what the claims studies did).
  for (const caliperSd of spec.sensitivity.calipers) {
    const adjustment: Adjustment = { ...spec.adjustment, method: 'match', estimand: 'att', caliperSd };
    variants.push({ kind: 'caliper', variant: adjustmentLabel(adjustment), adjustment });
  }
  for (const trim of spec.sensitivity.trims) variants.push({ kind: 'trim', variant: `trim scores outside [${trim}, ${1 - trim}]`, adjustment: { ...spec.adjustment, trim } });
  for (const method of spec.sensitivity.methods) {
    if (method === spec.adjustment.method) continue;
    const adjustment: Adjustment = { ...spec.adjustment, method, estimand: method === 'match' ? 'att' : spec.adjustment.estimand };
    variants.push({ kind: 'method', variant: adjustmentLabel(adjustment), adjustment });
  }
  for (const v of variants) {
    progress(`sensitivity: ${v.variant}`);
    const sample = attempt(`sensitivity ${v.variant}`, warnings, () => adjustSample(table, cohort, 'critique', spec.covariates.critique, v.adjustment, spec.missingCovariates, { model: critiqueModel }));
    const result = sample ? attempt(`'${primaryOutcome.name}' with ${v.variant}`, warnings, () => analyseOutcome(table, sample, primaryOutcome, spec, effectOptions)) : null;
    const balanceNote = sample?.balance ? `balance ${sample.balance.pass ? 'passed' : 'failed'} (max |SMD| ${sample.balance.maxAbsSmdAfter.toFixed(3)})` : null;
    rows.push({ kind: v.kind, variant: v.variant, outcome: primaryOutcome.name, ratio: result?.ratio ?? null, riskDifference: result?.riskDifference ?? null, note: result ? balanceNote : 'not estimable (see warnings)' });
  }

  for (const outcome of outcomes.filter((o) => o.negativeControl)) {
    rows.push({ kind: 'negative-control', variant: outcome.label, outcome: outcome.name, ratio: outcome.ratio, riskDifference: outcome.riskDifference, note: 'expected null: an effect suggests residual confounding' });
  }
  return rows;
}
