// The study report: one self-contained HTML document drawn from StudyResults alone. Inline CSS, plots inlined as
// SVG (rendered by vega in Node), no script, and a Content-Security-Policy that forbids every fetch, so the file
// can be mailed, archived and printed as is. Sections in reading order: what was found and what cannot be
// concluded first, then the evidence behind it, then methods.
import type { StudyResults } from '../study/study-results.js';
import { balanceSection, propensitySection } from './adjustment-sections.js';
import { completenessSection, sensitivitySection } from './audit-sections.js';
import { attritionSection, tableOneSection } from './cohort-sections.js';
import { comparisonSection } from './comparison-section.js';
import { html, SafeHtml } from './html.js';
import { methodsSection, warningsSection } from './methods-section.js';
import { outcomesSection } from './outcomes-section.js';
import { REPORT_CSS } from './report-theme.js';
import { strataSection } from './strata-section.js';
import { summarySection } from './summary-section.js';

/** The policy of the document: nothing may be fetched; inline styles (ours and the SVGs') and data: images only. A constant
 *  without double quotes, printed as is so the file shows it literally. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Section ids in order, with the table-of-contents titles. */
export const REPORT_SECTIONS: ReadonlyArray<{ readonly id: string; readonly title: string }> = [
  { id: 'summary', title: 'Summary' },
  { id: 'attrition', title: 'Attrition' },
  { id: 'table-one', title: 'Table 1' },
  { id: 'propensity', title: 'Propensity score' },
  { id: 'balance', title: 'Covariate balance' },
  { id: 'outcomes', title: 'Outcomes' },
  { id: 'strata', title: 'Effects within strata' },
  { id: 'comparison', title: 'Crude vs adjusted' },
  { id: 'sensitivity', title: 'Sensitivity analyses' },
  { id: 'completeness', title: 'Reporting completeness' },
  { id: 'methods', title: 'Methods' },
  { id: 'warnings', title: 'Warnings' },
];

/**
 * The whole report as one HTML document: inline CSS, inline SVG plots, no script needed to read it, no external
 * requests (no fonts, images or scripts from elsewhere; a strict CSP meta tag `default-src 'none'; style-src
 * 'unsafe-inline'; img-src data:`). Every string from the results is escaped (src/report/html.ts).
 */
export async function renderStudyReport(results: StudyResults): Promise<string> {
  const contents = html`<nav aria-label="Contents"><ol>${REPORT_SECTIONS.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ol></nav>`;
  const sections = await Promise.all([
    summarySection(results, contents),
    attritionSection(results),
    tableOneSection(results),
    propensitySection(results),
    balanceSection(results),
    outcomesSection(results),
    strataSection(results),
    comparisonSection(results),
    sensitivitySection(results),
    completenessSection(results),
    methodsSection(results),
    warningsSection(results),
  ]);
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new SafeHtml(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Stratum ${results.stratumVersion}">
<title>${results.spec.title}</title>
<style>${new SafeHtml(REPORT_CSS)}</style>
</head>
<body>
<main>
${sections}
<footer class="muted"><p>Stratum ${results.stratumVersion} · results format ${results.format} · spec sha256 <code>${results.specSha256}</code></p></footer>
</main>
</body>
</html>
`;
  return doc.markup;
}
