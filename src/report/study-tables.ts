// The report's tables as CSV files, numbers at full precision (the HTML rounds them for reading). Written with
// csv-stringify; cells that a spreadsheet would run as a formula (=, +, -, @ at the start of text) are escaped
// with a leading quote (OWASP "CSV Injection"), since labels and levels come from registry data.
import { stringify } from 'csv-stringify/sync';
import type { EffectEstimate, StudyResults, TableOneRow } from '../study/study-results.js';

type Cell = string | number | null;

/** Numbers as JavaScript prints them (shortest round-trip form), non-finite as empty, booleans as 1/0 like the analysis table's flags. */
function cell(value: string | number | boolean | null | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value;
}

function csv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return stringify(
    rows.map((r) => r.map(cell)),
    { header: true, columns: [...columns], escape_formulas: true, record_delimiter: '\n' },
  );
}

const EFFECT_COLUMNS = ['measure', 'estimate', 'lower', 'upper', 'p', 'se', 'se_type'] as const;
function effectCells(e: EffectEstimate | null): Array<string | number | null> {
  return e === null ? [null, null, null, null, null, null, null] : [e.measure, e.estimate, e.lower, e.upper, e.p, e.se, e.seType];
}
function prefixed(prefix: string, columns: readonly string[]): string[] {
  return columns.map((c) => `${prefix}_${c}`);
}

const TABLE_ONE_COLUMNS = ['variable', 'level', 'kind', 'summary', 'target', 'target_missing', 'comparator', 'comparator_missing', 'smd'];
function tableOneRows(rows: readonly TableOneRow[]): Array<Array<string | number | null>> {
  return rows.map((r) => [r.variable, r.level, r.kind, r.summary, r.target.text, r.target.missing, r.comparator.text, r.comparator.missing, r.smd]);
}

/**
 * The report's tables as CSV files (csv-stringify): attrition.csv, table1-before.csv, table1-after.csv, balance.csv,
 * propensity-terms.csv, outcomes.csv, strata.csv, comparison.csv, sensitivity.csv, completeness.csv. Group columns
 * are named target/comparator (the labels are in results.json and the report), so the columns stay the same
 * across studies.
 */
export function studyTables(results: StudyResults): Array<{ file: string; csv: string }> {
  return [
    {
      file: 'attrition.csv',
      csv: csv(['step', 'label', 'kind', 'excluded', 'remaining'], results.attrition.map((s, i) => [i, s.label, s.kind, s.excluded, s.remaining])),
    },
    { file: 'table1-before.csv', csv: csv(TABLE_ONE_COLUMNS, tableOneRows(results.tableOne.before)) },
    { file: 'table1-after.csv', csv: csv(TABLE_ONE_COLUMNS, tableOneRows(results.tableOne.after)) },
    {
      file: 'balance.csv',
      csv: csv(
        ['set', 'covariate', 'smd_before', 'smd_after', 'set_pass', 'ess_target', 'ess_comparator'],
        results.balance.flatMap((b) => b.rows.map((r) => [b.set, r.covariate, r.smdBefore, r.smdAfter, b.pass, b.effectiveSampleSize.target, b.effectiveSampleSize.comparator])),
      ),
    },
    {
      file: 'propensity-terms.csv',
      csv: csv(['set', 'term', 'coef', 'se'], results.propensity.flatMap((p) => p.terms.map((t) => [p.set, t.term, t.coef, t.se]))),
    },
    {
      file: 'outcomes.csv',
      csv: csv(
        [
          'outcome', 'label', 'type', 'primary', 'negative_control', 'bleeding_definition', 'horizon_d', 'set',
          'n_target', 'n_comparator', 'events_target', 'events_comparator',
          'risk_target', 'risk_target_lower', 'risk_target_upper', 'risk_comparator', 'risk_comparator_lower', 'risk_comparator_upper',
          ...prefixed('rd', EFFECT_COLUMNS), ...prefixed('ratio', EFFECT_COLUMNS), 'evalue_point', 'evalue_ci',
          'competing_event', ...prefixed('shr', EFFECT_COLUMNS),
        ],
        results.outcomes.map((o) => [
          o.name, o.label, o.type, o.primary, o.negativeControl, o.bleedingDefinition, o.horizon_d, o.set,
          o.ratio.n.target, o.ratio.n.comparator, o.ratio.events.target, o.ratio.events.comparator,
          o.risk.target.estimate, o.risk.target.lower, o.risk.target.upper, o.risk.comparator.estimate, o.risk.comparator.lower, o.risk.comparator.upper,
          ...effectCells(o.riskDifference), ...effectCells(o.ratio), o.ratio.eValue?.point ?? null, o.ratio.eValue?.ci ?? null,
          o.competing?.label ?? null, ...effectCells(o.competing?.subdistributionHr ?? null),
        ]),
      ),
    },
    {
      file: 'strata.csv',
      csv: csv(
        ['outcome', 'column', 'stratifier', 'level', 'n_target', 'n_comparator', 'events_target', 'events_comparator', ...EFFECT_COLUMNS, 'reason', 'interaction_chisq', 'interaction_df', 'interaction_p'],
        results.strata.flatMap((s) =>
          s.levels.map((l) => [
            s.outcome, s.column, s.label, l.level, l.n.target, l.n.comparator, l.events.target, l.events.comparator, ...effectCells(l.effect), l.reason,
            s.interaction?.chiSquare ?? null, s.interaction?.df ?? null, s.interaction?.p ?? null,
          ]),
        ),
      ),
    },
    {
      file: 'comparison.csv',
      csv: csv(
        ['outcome', 'set', 'covariates', ...prefixed('ratio', EFFECT_COLUMNS), ...prefixed('rd', EFFECT_COLUMNS), 'balance_pass'],
        results.comparison.map((c) => [c.outcome, c.set, c.covariates.join(';'), ...effectCells(c.ratio), ...effectCells(c.riskDifference), c.balancePass]),
      ),
    },
    {
      file: 'sensitivity.csv',
      csv: csv(
        ['kind', 'variant', 'outcome', 'events_target', 'events_comparator', ...prefixed('ratio', EFFECT_COLUMNS), ...prefixed('rd', EFFECT_COLUMNS), 'note'],
        results.sensitivity.map((s) => [
          s.kind, s.variant, s.outcome, (s.ratio ?? s.riskDifference)?.events.target ?? null, (s.ratio ?? s.riskDifference)?.events.comparator ?? null,
          ...effectCells(s.ratio), ...effectCells(s.riskDifference), s.note,
        ]),
      ),
    },
    {
      file: 'completeness.csv',
      csv: csv(
        ['id', 'source', 'element', 'completeness', 'status', 'in_claims_data', 'detail'],
        results.completeness.map((c) => [c.id, c.source, c.element, c.completeness, c.status, c.inClaimsData, c.detail]),
      ),
    },
  ];
}
