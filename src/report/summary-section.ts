// The summary: what was compared from when, the primary outcome's adjusted estimate in words, the strength of
// evidence with what lowered it, and, prominently, the conclusions the data cannot support.
import type { OutcomeResult, StudyResults } from '../study/study-results.js';
import { html, type SafeHtml } from './html.js';
import { adjustmentInWords, badge, groupSpans, SET_LABELS } from './report-parts.js';
import { formatCount, formatEffect, formatPercent, formatPoints, formatRatio, pPhrase, ratioInWords } from './report-format.js';

function primaryInWords(results: StudyResults, o: OutcomeResult): SafeHtml {
  const g = groupSpans(results);
  const r = o.ratio;
  const what = r.measure === 'RR' ? 'risk' : r.measure === 'SHR' ? 'subdistribution hazard' : 'hazard';
  const includesNull = r.lower <= 1 && r.upper >= 1;
  const ci = html`the 95% CI runs from ${ratioInWords(r.lower)} to ${ratioInWords(r.upper)}${includesNull ? ', so it includes no difference' : ''}`;
  const by = o.horizon_d === null ? '' : ` by day ${formatCount(o.horizon_d)}`;
  const eValue =
    r.eValue === null
      ? null
      : html` E-value ${formatRatio(r.eValue.point)} (CI limit ${formatRatio(r.eValue.ci)}): an unmeasured confounder associated with
        both the device and the outcome by a risk ratio of ${formatRatio(r.eValue.point)} each could explain the point estimate away.`;
  return html`<p class="lead"><strong>${o.label}</strong> (primary outcome). After ${adjustmentInWords(results.spec.adjustment)} on the
    ${SET_LABELS[o.set].toLowerCase()}, the ${what} of the outcome was <strong>${ratioInWords(r.estimate)}</strong> with ${g.target}
    than with ${g.comparator} (${r.measure} ${formatEffect(r)}; ${pPhrase(r.p)}); ${ci}.
    Risk${by}: ${formatPercent(o.risk.target.estimate)} (${formatPercent(o.risk.target.lower)} to ${formatPercent(o.risk.target.upper)}) vs
    ${formatPercent(o.risk.comparator.estimate)} (${formatPercent(o.risk.comparator.lower)} to ${formatPercent(o.risk.comparator.upper)}),
    a difference of ${formatPoints(o.riskDifference.estimate)} percentage points (95% CI ${formatPoints(o.riskDifference.lower)} to
    ${formatPoints(o.riskDifference.upper)}).${eValue}</p>`;
}

/** The summary section; `contents` (the table of contents) goes under the title. */
export function summarySection(results: StudyResults, contents: SafeHtml): SafeHtml {
  const spec = results.spec;
  const g = groupSpans(results);
  const primary = results.outcomes.find((o) => o.primary) ?? null;
  const ev = results.evidence;
  const primaryBalance = results.balance[0] ?? null;
  return html`<section id="summary" aria-labelledby="summary-h">
  <h1>${spec.title}</h1>
  ${spec.description !== undefined && html`<p class="muted">${spec.description}</p>`}
  ${contents}
  <h2 id="summary-h">Summary</h2>
  <dl class="facts">
    <dt>Question</dt><dd>${g.target} (target) versus ${g.comparator} (comparator)</dd>
    <dt>Time zero</dt><dd>${spec.timeZero.definition}</dd>
    <dt>Cohort</dt><dd>${formatCount(results.tableOne.nBefore.target)} vs ${formatCount(results.tableOne.nBefore.comparator)} patients;
      after adjustment (effective) ${formatCount(results.tableOne.nAfter.target)} vs ${formatCount(results.tableOne.nAfter.comparator)}</dd>
    ${primaryBalance !== null && html`<dt>Balance</dt><dd>${badge(primaryBalance.pass ? 'pass' : 'fail', primaryBalance.pass ? 'pass' : 'fail')}
      max |SMD| after adjustment ${primaryBalance.maxAbsSmdAfter.toFixed(3)} (${SET_LABELS[primaryBalance.set]})</dd>`}
    <dt>Warnings</dt><dd>${results.warnings.length === 0 ? 'none' : html`<a href="#warnings">${results.warnings.length}</a>`}</dd>
  </dl>
  ${primary === null ? html`<p>No primary outcome in these results.</p>` : primaryInWords(results, primary)}
  <div class="callout evidence keep">
    <h3>Strength of evidence: ${badge(ev.strength.replace(' ', '-'), ev.strength)}</h3>
    <p>An adjusted observational comparison starts at moderate${ev.downgrades.length === 0 ? ' and nothing lowered it.' : '; lowered for:'}</p>
    ${ev.downgrades.length > 0 && html`<ul>${ev.downgrades.map((d) => html`<li>${d}</li>`)}</ul>`}
  </div>
  <div class="callout unsupported keep">
    <h3>What these data cannot support</h3>
    ${ev.unsupported.length === 0
      ? html`<p>The audit found no conclusion these data cannot support.</p>`
      : html`<ul>${ev.unsupported.map((u) => html`<li><strong>${u}</strong></li>`)}</ul>`}
  </div>
</section>`;
}
