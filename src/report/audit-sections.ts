// Robustness and reporting: sensitivity analyses (bleeding definitions side by side, calipers, trimming,
// other adjustment methods, negative controls) and the completeness audit of what the critique says such
// studies must report.
import type { CompletenessItem, SensitivityRow, StudyResults } from '../study/study-results.js';
import { forestPlotSpec } from './forest-plot.js';
import { html, type SafeHtml } from './html.js';
import { badge, dataTable, figure, outcomeLabel, section, slug, type Column } from './report-parts.js';
import { formatCount, formatEffect, formatP, formatPercent } from './report-format.js';

const KIND_LABELS: Readonly<Record<SensitivityRow['kind'], string>> = {
  'bleeding-definition': 'Bleeding definition',
  caliper: 'Matching caliper',
  trim: 'Trimming',
  method: 'Adjustment method',
  'negative-control': 'Negative control',
};

function sensitivityColumns(results: StudyResults, withKind: boolean): Column<SensitivityRow>[] {
  const columns: Column<SensitivityRow>[] = [
    ...(withKind ? [{ header: 'Kind', cell: (r: SensitivityRow) => KIND_LABELS[r.kind] }] : []),
    { header: withKind ? 'Variant' : 'Definition', cell: (r) => r.variant },
    ...(withKind ? [{ header: 'Outcome', cell: (r: SensitivityRow) => outcomeLabel(results, r.outcome) }] : []),
    { header: 'Events', cell: (r) => (r.ratio === null ? '' : `${formatCount(r.ratio.events.target)} / ${formatCount(r.ratio.events.comparator)}`), numeric: true },
    { header: 'Ratio (95% CI)', cell: (r) => (r.ratio === null ? '' : `${r.ratio.measure} ${formatEffect(r.ratio)}`), numeric: true },
    { header: 'p', cell: (r) => (r.ratio === null ? '' : formatP(r.ratio.p)), numeric: true },
    { header: 'Risk difference, pp (95% CI)', cell: (r) => (r.riskDifference === null ? '' : formatEffect(r.riskDifference)), numeric: true },
    { header: 'Note', cell: (r) => r.note },
  ];
  return columns;
}

export async function sensitivitySection(results: StudyResults): Promise<SafeHtml> {
  const bleeding = results.sensitivity.filter((r) => r.kind === 'bleeding-definition');
  const other = results.sensitivity.filter((r) => r.kind !== 'bleeding-definition');
  const outcomes = [...new Set(bleeding.map((r) => r.outcome))];
  const bleedingBlocks = await Promise.all(
    outcomes.map(async (name) => {
      const rows = bleeding.filter((r) => r.outcome === name);
      const label = outcomeLabel(results, name);
      const spec = forestPlotSpec({
        title: null,
        xTitle: 'Ratio (log scale)',
        rows: rows.flatMap((r) => (r.ratio === null ? [] : [{ label: r.variant, estimate: r.ratio.estimate, lower: r.ratio.lower, upper: r.ratio.upper }])),
      });
      const plot = await figure(spec, `bleed-${slug(name)}`, `${label} under each bleeding definition`, 'The same comparison with major bleeding defined each way; dashed line at 1.');
      return html`<h3>Bleeding definitions side by side: ${label}</h3>${dataTable(null, sensitivityColumns(results, false), rows)}${plot}`;
    }),
  );
  return section(
    'sensitivity',
    'Sensitivity analyses',
    html`<p>Each row repeats the primary comparison with one thing changed. Events are given as ${results.labels.target} /
      ${results.labels.comparator}.</p>
    ${bleedingBlocks}
    <h3>Other analyses</h3>
    ${other.length === 0 ? html`<p>None specified.</p>` : dataTable(null, sensitivityColumns(results, true), other)}
    ${results.sensitivity.length === 0 && html`<p>No sensitivity analyses in these results.</p>`}`,
  );
}

const STATUS_LABELS: Readonly<Record<CompletenessItem['status'], string>> = { complete: 'complete', sparse: 'sparse', missing: 'missing', 'not-applicable': 'n/a' };
const SOURCE_LABELS: Readonly<Record<CompletenessItem['source'], string>> = { critique: 'Critique', strobe: 'STROBE', record: 'RECORD' };

export function completenessSection(results: StudyResults): SafeHtml {
  const columns: Column<CompletenessItem>[] = [
    { header: 'Element', cell: (c) => c.element },
    { header: 'Source', cell: (c) => SOURCE_LABELS[c.source] },
    { header: 'Status', cell: (c) => badge(c.status, STATUS_LABELS[c.status]) },
    { header: 'Recorded', cell: (c) => (c.completeness === null ? '' : formatPercent(c.completeness)), numeric: true },
    { header: 'In claims data', cell: (c) => (c.inClaimsData ? 'usually' : 'no') },
    { header: 'Detail', cell: (c) => c.detail },
  ];
  const lacking = results.completeness.filter((c) => !c.inClaimsData && c.status !== 'not-applicable').length;
  return section(
    'completeness',
    'Reporting completeness',
    html`<p>What the critique of the device studies and the STROBE/RECORD guidelines require, and how completely this study's
      data record it. "In claims data" says whether an administrative (claims) dataset would usually hold the element:
      ${formatCount(lacking)} of the ${formatCount(results.completeness.length)} elements audited here are not in claims data.</p>
    ${dataTable(null, columns, results.completeness)}`,
  );
}
