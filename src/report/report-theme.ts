// Colours and the stylesheet. Target and comparator take blue and vermillion from the Okabe-Ito palette
// (Okabe & Ito 2008, "Color Universal Design"), distinguishable with every common colour-vision deficiency
// and in greyscale print by lightness.

export const TARGET_COLOUR = '#0072B2';
export const COMPARATOR_COLOUR = '#D55E00';
/** Before/after adjustment in diagnostics plots: grey vs black, so they never read as the two groups. */
export const BEFORE_COLOUR = '#8C8C8C';
export const AFTER_COLOUR = '#000000';

/**
 * The two group names as the plots' colour domain. Vega-Lite keys colours by value, so identical labels would merge
 * the groups; the comparator then gets a suffix.
 */
export function groupNames(labels: { readonly target: string; readonly comparator: string }): { target: string; comparator: string } {
  return labels.target === labels.comparator ? { target: labels.target, comparator: `${labels.comparator} (comparator)` } : { ...labels };
}

/** Vega-Lite colour scale of the two groups. */
export function groupColourScale(labels: { readonly target: string; readonly comparator: string }): { domain: string[]; range: string[] } {
  const names = groupNames(labels);
  return { domain: [names.target, names.comparator], range: [TARGET_COLOUR, COMPARATOR_COLOUR] };
}

/**
 * Inline stylesheet: readable from a phone to A4 paper. Tables scroll sideways inside their own box on narrow
 * screens; on paper each figure and small table stays on one page (break-inside: avoid) and each major
 * section starts a new page only when the previous one filled it.
 */
export const REPORT_CSS = `
:root { --target: ${TARGET_COLOUR}; --comparator: ${COMPARATOR_COLOUR}; --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0;
  --ok: #1b6e3a; --ok-bg: #e3f3e8; --warn: #7a4b00; --warn-bg: #fff1d6; --bad: #8f1d1d; --bad-bg: #fde4e4; --na-bg: #ececec; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem; margin: 2.2rem 0 0.8rem; }
h3 { font-size: 1.08rem; margin: 1.4rem 0 0.5rem; }
p, li { max-width: 48rem; }
nav ol { columns: 2 12rem; padding-left: 1.4rem; margin: 0.5rem 0 1rem; }
a { color: var(--target); }
.muted { color: var(--muted); }
.lead { font-size: 1.05rem; }
.group-target { color: var(--target); font-weight: 600; }
.group-comparator { color: var(--comparator); font-weight: 600; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { padding: 0.3rem 0.55rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.level td:first-child { padding-left: 1.6rem; }
tr.flag td { background: var(--warn-bg); }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.88rem; color: var(--muted); margin-top: 0.3rem; max-width: 48rem; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 0.7rem; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.badge.complete, .badge.pass { color: var(--ok); background: var(--ok-bg); }
.badge.sparse, .badge.low { color: var(--warn); background: var(--warn-bg); }
.badge.missing, .badge.fail, .badge.very-low { color: var(--bad); background: var(--bad-bg); }
.badge.not-applicable, .badge.moderate { color: var(--ink); background: var(--na-bg); }
.callout { border-left: 5px solid var(--ink); padding: 0.6rem 1rem; margin: 1rem 0; background: #f6f6f6; }
.callout.unsupported { border-color: var(--bad); background: var(--bad-bg); }
.callout.unsupported h3 { margin-top: 0.2rem; color: var(--bad); }
.callout.evidence { border-color: var(--warn); background: var(--warn-bg); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; word-break: break-all; }
details summary { cursor: pointer; }
@media (max-width: 40rem) {
  body { font-size: 14px; }
  main { padding: 0.5rem 0.7rem 2rem; }
  dl.facts { grid-template-columns: 1fr; }
}
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, .callout, tr, dl.facts, .keep { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 8.5pt; }
  td.num, th.num { white-space: normal; }
  th, td { padding: 0.2rem 0.35rem; }
  section { break-before: auto; }
  section#outcomes, section#strata, section#methods { break-before: page; page-break-before: always; }
  thead { display: table-header-group; }
  .badge, .callout, tr.flag td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
