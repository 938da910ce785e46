// Building blocks the report's sections share: a section with its heading, a scrollable table, a figure with an
// inlined plot, status badges, and the wording of adjustment sets and group labels.
import type { TopLevelSpec } from 'vega-lite';
import type { AdjustmentSet, StudyResults } from '../study/study-results.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { renderVegaLite } from './vega-svg.js';

/** One report section: `<section id>` with its `<h2>`; the ids are the report's anchors (and what the browser test checks). */
export function section(id: string, heading: string, body: HtmlValue): SafeHtml {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${body}</section>`;
}

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => HtmlValue;
  /** Right-aligned tabular figures. */
  readonly numeric?: boolean;
}

/** A table in a box that scrolls sideways on narrow screens; `rowClass` marks rows (e.g. 'level', 'flag'). */
export function dataTable<T>(caption: string | null, columns: readonly Column<T>[], rows: readonly T[], rowClass?: (row: T) => string | null): SafeHtml {
  const cls = (numeric: boolean | undefined): string | null => (numeric ? 'num' : null);
  return html`<div class="table-wrap"><table>${caption !== null && html`<caption>${caption}</caption>`}<thead><tr>${columns.map(
    (c) => html`<th scope="col" class="${cls(c.numeric)}">${c.header}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (r) => html`<tr class="${rowClass?.(r) ?? null}">${columns.map((c) => html`<td class="${cls(c.numeric)}">${c.cell(r)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

/** A plot as a figure: the SVG from Vega-Lite, a caption, or a line saying why there is no plot. */
export async function figure(spec: TopLevelSpec | null, idPrefix: string, description: string, caption: HtmlValue): Promise<SafeHtml> {
  if (spec === null) return html`<p class="muted">No plot: ${description} has no data to draw.</p>`;
  const svg = await renderVegaLite(spec, idPrefix, description);
  return html`<figure class="plot">${svg}<figcaption>${caption}</figcaption></figure>`;
}

/** A coloured status word; `kind` is a CSS class (complete, sparse, missing, not-applicable, pass, fail, ...). */
export function badge(kind: string, text: string): SafeHtml {
  return html`<span class="badge ${kind}">${text}</span>`;
}

export const SET_LABELS: Readonly<Record<AdjustmentSet, string>> = {
  crude: 'Crude (unadjusted)',
  published: "Published set (the claims studies' covariates)",
  critique: "Critique set (shock stage, phenotype, organ function, management; primary)",
};

/** Short set names for plot rows. */
export const SET_SHORT: Readonly<Record<AdjustmentSet, string>> = { crude: 'Crude', published: 'Published set', critique: 'Critique set' };

/** The label of an outcome by name (sensitivity and strata rows refer to outcomes by name); the name when unknown. */
export function outcomeLabel(results: StudyResults, name: string): string {
  return results.outcomes.find((o) => o.name === name)?.label ?? name;
}

/** The target and comparator labels coloured as in the plots. */
export function groupSpans(results: StudyResults): { target: SafeHtml; comparator: SafeHtml } {
  return {
    target: html`<span class="group-target">${results.labels.target}</span>`,
    comparator: html`<span class="group-comparator">${results.labels.comparator}</span>`,
  };
}

/** A DOM-id-safe slug of an outcome or column name (ids in plots are prefixed with it). */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}

/** The adjustment of the primary analysis in words, e.g. "1:1 nearest-neighbour matching on the logit of the propensity score, caliper 0.2 SD (ATT)". */
export function adjustmentInWords(adjustment: StudyResults['spec']['adjustment']): string {
  const estimand = adjustment.estimand.toUpperCase();
  const trim = adjustment.trim > 0 ? `, scores outside [${adjustment.trim}, ${1 - adjustment.trim}] trimmed` : '';
  switch (adjustment.method) {
    case 'match': {
      const caliper = adjustment.caliperSd === null ? 'no caliper' : `caliper ${adjustment.caliperSd} SD of the logit`;
      return `1:${adjustment.ratio} nearest-neighbour matching on the logit of the propensity score without replacement, ${caliper} (${estimand})${trim}`;
    }
    case 'iptw':
      return `inverse probability of treatment weighting (${estimand})${trim}`;
    case 'overlap':
      return `overlap weighting (ATO)${trim}`;
    case 'stratification':
      return `stratification on ${adjustment.subclasses} propensity-score quantile subclasses, weighted to the ${estimand}${trim}`;
  }
}
