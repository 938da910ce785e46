// Effects within strata (shock stage, phenotype, ...): a forest plot per outcome and stratifier with the
// treatment-by-stratum interaction test, and the counts behind each level.
import type { StratumAnalysis, StratumEffect, StudyResults } from '../study/study-results.js';
import { forestPlotSpec } from './forest-plot.js';
import { html, type SafeHtml } from './html.js';
import { dataTable, figure, outcomeLabel, section, slug, type Column } from './report-parts.js';
import { formatCount, formatEffect, formatP, pPhrase } from './report-format.js';

async function stratumBlock(results: StudyResults, s: StratumAnalysis, index: number): Promise<SafeHtml> {
  const outcome = outcomeLabel(results, s.outcome);
  const measure = s.levels.find((l) => l.effect !== null)?.effect?.measure ?? 'HR';
  const spec = forestPlotSpec({
    title: null,
    xTitle: `${measure} (log scale)`,
    rows: s.levels.flatMap((l) => (l.effect === null ? [] : [{ label: l.level, estimate: l.effect.estimate, lower: l.effect.lower, upper: l.effect.upper }])),
  });
  const t = results.labels;
  const columns: Column<StratumEffect>[] = [
    { header: s.label, cell: (l) => l.level },
    { header: t.target, cell: (l) => `${formatCount(l.events.target)} / ${formatCount(l.n.target)}`, numeric: true },
    { header: t.comparator, cell: (l) => `${formatCount(l.events.comparator)} / ${formatCount(l.n.comparator)}`, numeric: true },
    { header: `${measure} (95% CI)`, cell: (l) => (l.effect === null ? '' : formatEffect(l.effect)), numeric: true },
    { header: 'p', cell: (l) => (l.effect === null ? '' : formatP(l.effect.p)), numeric: true },
    { header: 'Note', cell: (l) => (l.effect === null ? html`<span class="muted">not estimated: ${l.reason ?? 'no reason given'}</span>` : '') },
  ];
  const interaction =
    s.interaction === null
      ? 'Interaction test not available.'
      : `Treatment × ${s.label} interaction: χ² ${s.interaction.chiSquare.toFixed(2)} on ${s.interaction.df} df, ${pPhrase(s.interaction.p)}.`;
  const plot = await figure(spec, `strata-${slug(s.outcome)}-${slug(s.column)}-${index}`, `forest plot of ${outcome} by ${s.label}`, `${measure} with 95% CI per level on a log axis; dashed line at 1 (no difference). ${interaction}`);
  return html`<h3>${outcome} by ${s.label}</h3><p>${interaction}</p>${plot}${dataTable(null, columns, s.levels)}`;
}

export async function strataSection(results: StudyResults): Promise<SafeHtml> {
  const blocks = await Promise.all(results.strata.map((s, i) => stratumBlock(results, s, i)));
  return section(
    'strata',
    'Effects within strata',
    html`<p>The device comparison repeated within each level, in the adjusted sample; the group columns give events / patients.
      A level too small to estimate is listed with the reason. Heterogeneity across levels is judged by the interaction test, not by which levels reach significance.</p>
    ${blocks.length === 0 ? html`<p>No stratified analyses in the specification.</p>` : blocks}`,
  );
}
