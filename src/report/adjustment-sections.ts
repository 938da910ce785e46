// How comparable the groups were made: the propensity model's discrimination, equipoise and overlap, then
// covariate balance before and after adjustment with its verdict (OHDSI CohortMethod's diagnostics).
import type { StudyResults } from '../study/study-results.js';
import { html, type SafeHtml } from './html.js';
import { lovePlotSpec, SMD_THRESHOLD } from './love-plot.js';
import { overlapPlotSpec } from './overlap-plot.js';
import { badge, dataTable, figure, groupSpans, section, SET_LABELS, type Column } from './report-parts.js';
import { formatCount, formatPercent, formatRatio } from './report-format.js';

/** Equipoise share below which the groups are too different to compare (Walker et al. 2013: half the patients in [0.3, 0.7]). */
const EQUIPOISE_MIN_SHARE = 0.5;

export async function propensitySection(results: StudyResults): Promise<SafeHtml> {
  const g = groupSpans(results);
  const parts = await Promise.all(
    results.propensity.map(async (p) => {
      type Term = (typeof p.terms)[number];
      const terms: Column<Term>[] = [
        { header: 'Term', cell: (t) => t.term },
        { header: 'Coefficient', cell: (t) => t.coef.toFixed(3), numeric: true },
        { header: 'SE', cell: (t) => t.se.toFixed(3), numeric: true },
      ];
      const plot = await figure(
        overlapPlotSpec('Propensity score by group', results.labels, p),
        `ps-${p.set}`,
        `propensity score overlap, ${SET_LABELS[p.set]}`,
        html`Share of each group per score bin (width 0.05): ${g.target} above the axis, ${g.comparator} below; after adjustment
          with the analysis weights (matched patients only when matching).`,
      );
      return html`<h3>${SET_LABELS[p.set]}</h3>
      <dl class="facts">
        <dt>c-statistic</dt><dd>${formatRatio(p.cStatistic)}</dd>
        <dt>Equipoise</dt><dd>${formatPercent(p.equipoiseShare)} of patients with a preference score in [0.3, 0.7]
          ${p.equipoiseShare < EQUIPOISE_MIN_SHARE ? badge('fail', 'below 50%') : badge('pass', 'at least 50%')}</dd>
        <dt>Trimmed</dt><dd>${formatCount(p.trimmed)} patients</dd>
      </dl>
      ${plot}
      <details><summary>Model terms (${p.terms.length}; also in propensity-terms.csv)</summary>${dataTable(null, terms, p.terms)}</details>`;
    }),
  );
  return section(
    'propensity',
    'Propensity score',
    html`<p>A logistic model of receiving the target device given the covariates of each set. A c-statistic near 1 means the
      groups barely overlap; equipoise is the share of patients whose preference score (Walker et al. 2013) lies in [0.3, 0.7].</p>
      ${parts.length === 0 ? html`<p>No propensity model in these results.</p>` : parts}`,
  );
}

export async function balanceSection(results: StudyResults): Promise<SafeHtml> {
  const parts = await Promise.all(
    results.balance.map(async (b) => {
      const plot = await figure(
        lovePlotSpec('Covariate balance', b),
        `love-${b.set}`,
        `love plot, ${SET_LABELS[b.set]}`,
        html`Absolute standardized mean difference per covariate before (open circles) and after (filled diamonds) adjustment;
          dashed line at ${SMD_THRESHOLD}.`,
      );
      const m = b.matched;
      return html`<h3>${SET_LABELS[b.set]}</h3>
      <dl class="facts">
        <dt>Verdict</dt><dd>${badge(b.pass ? 'pass' : 'fail', b.pass ? 'pass' : 'fail')} maximum |SMD| after adjustment
          ${b.maxAbsSmdAfter.toFixed(3)} (pass = every |SMD| &lt; ${SMD_THRESHOLD})</dd>
        <dt>Effective sample size</dt><dd>${formatCount(b.effectiveSampleSize.target)} ${results.labels.target},
          ${formatCount(b.effectiveSampleSize.comparator)} ${results.labels.comparator}</dd>
        ${m !== null && html`<dt>Matched</dt><dd>${formatCount(m.target)} ${results.labels.target} with ${formatCount(m.comparator)}
          ${results.labels.comparator}; ${formatCount(m.unmatchedTarget)} target patients unmatched;
          caliper ${m.caliper === null ? 'none' : `${m.caliper} SD of the logit`}</dd>`}
      </dl>
      ${plot}`;
    }),
  );
  return section('balance', 'Covariate balance', parts.length === 0 ? html`<p>No balance diagnostics in these results.</p>` : parts);
}
