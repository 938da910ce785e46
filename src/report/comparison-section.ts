// Crude vs published-set vs critique-set estimates side by side: how much of the crude difference each
// adjustment removes, on the log scale where ratios are symmetric.
import type { ComparisonRow, StudyResults } from '../study/study-results.js';
import { forestPlotSpec } from './forest-plot.js';
import { html, type SafeHtml } from './html.js';
import { badge, dataTable, figure, outcomeLabel, section, SET_SHORT, slug, type Column } from './report-parts.js';
import { formatEffect, formatP, formatPercent } from './report-format.js';
import { AFTER_COLOUR, BEFORE_COLOUR, TARGET_COLOUR } from './report-theme.js';

/** Below this |log ratio| the crude estimate is too close to no difference for a share of it to mean anything. */
const NEAR_NULL_LOG_RATIO = Math.log(1.02);

/**
 * The share of the crude log ratio that the adjustment removed: 1 - log(adjusted) / log(crude). 1 = adjusted estimate at
 * the null, 0 = unchanged, > 1 = crossed the null, < 0 = adjustment moved it further from the null. Null when the crude
 * estimate is within 2% of no difference or either ratio is not positive and finite.
 */
export function shareOfCrudeRemoved(crudeRatio: number, adjustedRatio: number): number | null {
  if (!(crudeRatio > 0 && adjustedRatio > 0 && Number.isFinite(crudeRatio) && Number.isFinite(adjustedRatio))) return null;
  const crude = Math.log(crudeRatio);
  if (Math.abs(crude) < NEAR_NULL_LOG_RATIO) return null;
  return 1 - Math.log(adjustedRatio) / crude;
}

function removalSentence(rows: readonly ComparisonRow[]): string {
  const crude = rows.find((r) => r.set === 'crude');
  if (crude === undefined) return 'No crude estimate to compare with.';
  const parts = (['published', 'critique'] as const).flatMap((set) => {
    const adjusted = rows.find((r) => r.set === set);
    if (adjusted === undefined) return [];
    const share = shareOfCrudeRemoved(crude.ratio.estimate, adjusted.ratio.estimate);
    return share === null ? [] : [`the ${SET_SHORT[set].toLowerCase()} removes ${formatPercent(share)}`];
  });
  if (parts.length === 0) return `The crude ${crude.ratio.measure} is close to 1, so the share of it removed by adjustment is not defined.`;
  return `Of the crude difference on the log ${crude.ratio.measure} scale, ${parts.join(' and ')}.`;
}

async function outcomeComparison(results: StudyResults, name: string, rows: readonly ComparisonRow[]): Promise<SafeHtml> {
  const label = outcomeLabel(results, name);
  const measure = rows[0]?.ratio.measure ?? 'HR';
  const columns: Column<ComparisonRow>[] = [
    { header: 'Analysis', cell: (r) => SET_SHORT[r.set] },
    { header: 'Covariates', cell: (r) => (r.covariates.length === 0 ? 'none' : r.covariates.join(', ')) },
    { header: `${measure} (95% CI)`, cell: (r) => formatEffect(r.ratio), numeric: true },
    { header: 'p', cell: (r) => formatP(r.ratio.p), numeric: true },
    { header: 'Risk difference, pp (95% CI)', cell: (r) => formatEffect(r.riskDifference), numeric: true },
    { header: 'Balance', cell: (r) => (r.balancePass === null ? '' : badge(r.balancePass ? 'pass' : 'fail', r.balancePass ? 'pass' : 'fail')) },
  ];
  const spec = forestPlotSpec({
    title: null,
    xTitle: `${measure} (log scale)`,
    rows: rows.map((r) => ({ label: SET_SHORT[r.set], estimate: r.ratio.estimate, lower: r.ratio.lower, upper: r.ratio.upper, series: SET_SHORT[r.set] })),
    colours: { domain: [SET_SHORT.crude, SET_SHORT.published, SET_SHORT.critique], range: [BEFORE_COLOUR, AFTER_COLOUR, TARGET_COLOUR] },
  });
  const sentence = removalSentence(rows);
  const plot = await figure(spec, `cmp-${slug(name)}`, `crude and adjusted estimates of ${label}`, `${measure} with 95% CI on a log axis. ${sentence}`);
  return html`<h3>${label}</h3>${dataTable(null, columns, rows)}<p>${sentence}</p>${plot}`;
}

export async function comparisonSection(results: StudyResults): Promise<SafeHtml> {
  const names = [...new Set(results.comparison.map((r) => r.outcome))];
  const blocks = await Promise.all(names.map((n) => outcomeComparison(results, n, results.comparison.filter((r) => r.outcome === n))));
  return section(
    'comparison',
    'Crude, published and critique adjustment side by side',
    html`<p>The same outcome model with no adjustment, with the covariates the claims studies adjusted for, and with the
      critique's covariates (shock stage, arrest with coma, phenotype, organ function, anticoagulation management).</p>
    ${blocks.length === 0 ? html`<p>No comparison rows in these results.</p>` : blocks}`,
  );
}
