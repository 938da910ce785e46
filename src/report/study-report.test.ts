import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StudyResults } from '../study/study-results.js';
import { activeMarkup, HOSTILE, studyResultsFixture } from '../../test/support/study-results-fixture.js';
import { REPORT_CSP, REPORT_SECTIONS, renderStudyReport } from './study-report.js';

const EXPECTED_SECTIONS = ['summary', 'attrition', 'table-one', 'propensity', 'balance', 'outcomes', 'strata', 'comparison', 'sensitivity', 'completeness', 'methods', 'warnings'];

/** The markup of one section (from its opening tag to the next section's). */
function sectionOf(doc: string, id: string): string {
  const start = doc.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `section ${id}`);
  const end = doc.indexOf('<section id=', start + 1);
  return doc.slice(start, end === -1 ? doc.length : end);
}

test('every section is there, in order, each with an h2', async () => {
  const doc = await renderStudyReport(studyResultsFixture());
  assert.deepEqual(REPORT_SECTIONS.map((s) => s.id), EXPECTED_SECTIONS);
  const positions = EXPECTED_SECTIONS.map((id) => doc.indexOf(`<section id="${id}"`));
  positions.forEach((p, k) => assert.ok(p >= 0, `section ${EXPECTED_SECTIONS[k]} missing`));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'sections in order');
  for (const id of EXPECTED_SECTIONS) assert.match(sectionOf(doc, id), new RegExp(`^<section id="${id}"[^>]*>[\\s\\S]*?<h2 id="${id}-h">`));
});

test('each plot is an inline SVG: overlap and love plot per set, KM and CIF curves, forest plots', async () => {
  const doc = await renderStudyReport(studyResultsFixture());
  const svgs = (s: string): number => (s.match(/<svg /g) ?? []).length;
  assert.equal(svgs(sectionOf(doc, 'propensity')), 2, 'an overlap plot per propensity model');
  assert.equal(svgs(sectionOf(doc, 'balance')), 2, 'a love plot per balance table');
  assert.equal(svgs(sectionOf(doc, 'outcomes')), 2, 'KM for death, cumulative incidence for bleeding');
  assert.equal(svgs(sectionOf(doc, 'strata')), 2, 'a forest plot per outcome x stratifier');
  assert.equal(svgs(sectionOf(doc, 'comparison')), 2, 'a forest plot per outcome');
  assert.equal(svgs(sectionOf(doc, 'sensitivity')), 1, 'bleeding definitions');
  // The numbers at risk sit in the KM plot, under the curves.
  const outcomes = sectionOf(doc, 'outcomes');
  assert.match(outcomes, /Number at risk/);
  for (const n of ['290', '251', '236', '222', '305', '268', '252', '241']) assert.match(outcomes, new RegExp(`>${n}</text>`), `at-risk count ${n}`);
  // Vega's ids are renumbered per plot: no id repeats across the document.
  const ids = [...doc.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, 'ids unique');
});

test('hostile strings in title, labels, covariates, levels and warnings are printed as text', async () => {
  const doc = await renderStudyReport(studyResultsFixture());
  assert.ok(!/<script/i.test(doc), 'no script tag');
  assert.deepEqual(activeMarkup(doc), [], 'no injected tag or event-handler attribute');
  assert.ok(doc.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the script tag is shown escaped');
  assert.ok(doc.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the img tag is shown escaped');
  assert.ok(sectionOf(doc, 'warnings').includes('&lt;script&gt;'));
  assert.ok(doc.includes('<title>Microaxial pump vs IABP in AMI cardiogenic shock &lt;script&gt;'));
});

test('the checker behind the escaping test catches what it should', () => {
  assert.notDeepEqual(activeMarkup(`<td title="x"onerror=alert(1)>`), []);
  assert.notDeepEqual(activeMarkup(`<p>${HOSTILE.script}</p>`), []);
  assert.notDeepEqual(activeMarkup(`<p>${HOSTILE.image}</p>`), []);
  assert.notDeepEqual(activeMarkup('<p>1 < 2</p>'), []);
  assert.deepEqual(activeMarkup('<p title="&quot;onerror=x">&lt;img src=x onerror=alert(1)&gt; "onerror=</p>'), []);
});

test('nothing a browser would fetch: a strict CSP, no external src/href/url(), no @import', async () => {
  const doc = await renderStudyReport(studyResultsFixture());
  const head = doc.slice(0, doc.indexOf('<style>'));
  assert.ok(head.includes(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`), 'CSP meta before the stylesheet');
  assert.equal(REPORT_CSP, "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  // xmlns and xmlns:xlink name XML namespaces; nothing fetches them.
  const withoutNamespaces = doc.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
  assert.doesNotMatch(withoutNamespaces, /https?:\/\//i, 'no http(s) URL outside namespace declarations');
  for (const m of doc.matchAll(/\s(?:src|href|xlink:href|action|poster|data)\s*=\s*"([^"]*)"/gi)) assert.match(m[1], /^#[\w-]+$/, `only in-page links, saw ${m[0]}`);
  assert.doesNotMatch(doc, /url\((?!#)/, 'no url() other than in-SVG fragment references');
  assert.doesNotMatch(doc, /@import|<link|<iframe|<object|<embed|<img/i);
});

test('numbers read as the brief asks: HR 2 decimals, p < 0.001, percentages 1 decimal', async () => {
  const doc = await renderStudyReport(studyResultsFixture());
  const outcomes = sectionOf(doc, 'outcomes');
  assert.ok(outcomes.includes('1.85 (1.31 to 2.61)'), 'bleeding HR');
  assert.ok(outcomes.includes('&lt; 0.001'), 'p < 0.001');
  assert.ok(outcomes.includes('21.4% (17.5% to 25.3%)'), 'bleeding risk by day 30');
  const summary = sectionOf(doc, 'summary');
  assert.ok(summary.includes('12% higher'), 'primary HR in words');
  assert.ok(summary.includes('HR 1.12 (0.93 to 1.35); p = 0.230'));
  assert.ok(summary.includes('What these data cannot support'));
  assert.ok(summary.includes('anticoagulation target unknown for 100% of patients'));
  // 1 - log(1.12)/log(1.52) = 72.9%; 1 - log(1.44)/log(1.52) = 12.9%.
  assert.ok(sectionOf(doc, 'comparison').includes('the published set removes 12.9% and the critique set removes 72.9%'));
  assert.ok(sectionOf(doc, 'strata').includes('not estimated: fewer than 5 events in IABP &quot;onerror=alert(1)'));
  assert.ok(sectionOf(doc, 'methods').includes(studyResultsFixture().dataSha256));
});

test('the same results give the same bytes, and the fixture renders in under 3 s', async () => {
  const t0 = performance.now();
  const a = await renderStudyReport(studyResultsFixture());
  const elapsed_ms = performance.now() - t0;
  const b = await renderStudyReport(studyResultsFixture());
  assert.equal(a, b);
  assert.ok(elapsed_ms < 3000, `took ${elapsed_ms.toFixed(0)} ms`);
});

test('a study with empty parts still renders every section', async () => {
  const full = studyResultsFixture();
  const sparse: StudyResults = {
    ...full,
    propensity: [],
    balance: [],
    outcomes: full.outcomes.map((o) => ({ ...o, km: null, riskTable: null, competing: null })),
    strata: [],
    comparison: [],
    sensitivity: [],
    completeness: [],
    evidence: { strength: 'moderate', downgrades: [], unsupported: [] },
    warnings: [],
  };
  const doc = await renderStudyReport(sparse);
  for (const id of EXPECTED_SECTIONS) assert.ok(doc.includes(`<section id="${id}"`), id);
  assert.equal((doc.match(/<svg /g) ?? []).length, 0);
  assert.match(sectionOf(doc, 'warnings'), /None\./);
  assert.match(sectionOf(doc, 'summary'), /no conclusion these data cannot support/);
});
