// Who is in the study: the attrition from registry to cohort, and Table 1 before and after adjustment with the
// standardized mean difference and the missing counts per group.
import type { StudyResults, TableOneRow } from '../study/study-results.js';
import { html, type SafeHtml } from './html.js';
import { dataTable, section, type Column } from './report-parts.js';
import { formatCount, formatSmd } from './report-format.js';
import { SMD_THRESHOLD } from './love-plot.js';

const KIND_LABELS: Readonly<Record<StudyResults['attrition'][number]['kind'], string>> = {
  start: 'Start',
  inclusion: 'Inclusion',
  exclusion: 'Exclusion',
  treatment: 'Treatment groups',
  'missing-data': 'Missing data',
};

export function attritionSection(results: StudyResults): SafeHtml {
  type Step = StudyResults['attrition'][number];
  const columns: Column<Step>[] = [
    { header: 'Step', cell: (s) => s.label },
    { header: 'Kind', cell: (s) => KIND_LABELS[s.kind] },
    { header: 'Excluded', cell: (s) => (s.kind === 'start' ? '' : formatCount(s.excluded)), numeric: true },
    { header: 'Remaining', cell: (s) => formatCount(s.remaining), numeric: true },
  ];
  const last = results.attrition.at(-1);
  return section(
    'attrition',
    'Attrition',
    html`${dataTable(null, columns, results.attrition)}
    ${last !== undefined && html`<p>The cohort: ${formatCount(last.remaining)} patients (${formatCount(results.tableOne.nBefore.target)}
      ${results.labels.target}, ${formatCount(results.tableOne.nBefore.comparator)} ${results.labels.comparator}).</p>`}`,
  );
}

const SUMMARY_LABELS: Readonly<Record<TableOneRow['summary'], string>> = { n: 'n', 'mean-sd': 'mean (SD)', 'median-iqr': 'median [IQR]', 'n-pct': 'n (%)' };

function tableOne(caption: string, results: StudyResults, rows: readonly TableOneRow[], weighted: boolean): SafeHtml {
  const columns: Column<TableOneRow>[] = [
    { header: 'Characteristic', cell: (r) => (r.kind === 'level' ? r.level : html`${r.variable}${r.kind === 'numeric' ? html` <span class="muted">${SUMMARY_LABELS[r.summary]}</span>` : ''}`) },
    { header: results.labels.target, cell: (r) => r.target.text, numeric: true },
    { header: results.labels.comparator, cell: (r) => r.comparator.text, numeric: true },
    { header: 'SMD', cell: (r) => formatSmd(r.smd), numeric: true },
    { header: `Missing, ${results.labels.target}`, cell: (r) => (r.kind === 'count' ? '' : formatCount(r.target.missing)), numeric: true },
    { header: `Missing, ${results.labels.comparator}`, cell: (r) => (r.kind === 'count' ? '' : formatCount(r.comparator.missing)), numeric: true },
  ];
  // A category's levels follow a header row naming the variable, as in a printed Table 1.
  const withHeaders: TableOneRow[] = [];
  let previous: string | null = null;
  for (const r of rows) {
    if (r.kind === 'level' && r.variable !== previous) {
      withHeaders.push({ variable: r.variable, level: null, kind: 'count', summary: 'n-pct', target: { text: '', missing: 0 }, comparator: { text: '', missing: 0 }, smd: null });
    }
    previous = r.kind === 'level' ? r.variable : null;
    withHeaders.push(r);
  }
  const rowClass = (r: TableOneRow): string | null => {
    const classes = [r.kind === 'level' ? 'level' : null, weighted && r.smd !== null && Math.abs(r.smd) >= SMD_THRESHOLD ? 'flag' : null].filter(Boolean);
    return classes.length > 0 ? classes.join(' ') : null;
  };
  return dataTable(caption, columns, withHeaders, rowClass);
}

export function tableOneSection(results: StudyResults): SafeHtml {
  const t = results.tableOne;
  return section(
    'table-one',
    'Table 1: baseline characteristics',
    html`<p>Before adjustment: the cohort (${formatCount(t.nBefore.target)} vs ${formatCount(t.nBefore.comparator)} patients). After: the
      matched or weighted sample of the primary analysis (effective sample size ${formatCount(t.nAfter.target)} vs
      ${formatCount(t.nAfter.comparator)}). SMD = standardized mean difference (target minus comparator); rows still at
      |SMD| ≥ ${SMD_THRESHOLD} after adjustment are shaded. Missing counts are unweighted.</p>
    ${tableOne('Before adjustment', results, t.before, false)}
    ${tableOne('After adjustment', results, t.after, true)}`,
  );
}

