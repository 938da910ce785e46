// Methods (what the specification asked for, so the report can be read without it) and the run's warnings.
import type { Criterion } from '../study/study-spec.js';
import type { StudyResults } from '../study/study-results.js';
import { html, type SafeHtml } from './html.js';
import { adjustmentInWords, section } from './report-parts.js';
import { formatCount } from './report-format.js';

const OP_WORDS: Readonly<Record<Criterion['op'], string>> = {
  eq: '=',
  ne: '≠',
  in: 'in',
  notIn: 'not in',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  present: 'recorded',
  missing: 'missing',
};

function criterionText(c: Criterion): SafeHtml {
  const value = c.value === undefined ? '' : Array.isArray(c.value) ? ` {${c.value.join(', ')}}` : ` ${String(c.value)}`;
  return html`<li>${c.label} <span class="muted">(<code>${c.column}</code> ${OP_WORDS[c.op]}${value})</span></li>`;
}

function list(items: readonly SafeHtml[]): SafeHtml {
  return items.length === 0 ? html`<p>None.</p>` : html`<ul>${items}</ul>`;
}

export function methodsSection(results: StudyResults): SafeHtml {
  const spec = results.spec;
  const s = spec.sensitivity;
  const source = 'registry' in spec.source ? 'the registry (analysis table built on the fly)' : html`analysis table <code>${spec.source.csv}</code>`;
  const outcomes = spec.outcomes.map((o) => {
    const def =
      o.type === 'time_to_event'
        ? html`event <code>${o.event}</code> at <code>${o.eventTime}</code>, horizon ${formatCount(o.horizon_d)} days${o.competing !== undefined && html`, competing event ${o.competing.label} (<code>${o.competing.event}</code>)`}`
        : html`binary <code>${o.column}</code>${o.positive !== undefined && ` in {${o.positive.join(', ')}}`}`;
    return html`<li>${o.label}${o.primary && ' (primary)'}${o.negativeControl && ' (negative control)'}: ${def}${o.bleedingDefinition !== undefined && `; ${o.bleedingDefinition}`}</li>`;
  });
  const variants = [
    s.bleedingDefinitions && 'every bleeding definition',
    s.calipers.length > 0 && `calipers ${s.calipers.join(', ')} SD`,
    s.trims.length > 0 && `trimming at ${s.trims.join(', ')}`,
    s.methods.length > 0 && `methods ${s.methods.join(', ')}`,
    s.eValues && 'E-values (VanderWeele & Ding 2017)',
  ].filter((x): x is string => typeof x === 'string');
  return section(
    'methods',
    'Methods',
    html`<dl class="facts">
      <dt>Data</dt><dd>${source}</dd>
      <dt>Treatment</dt><dd><code>${spec.treatment.column}</code> = ${String(spec.treatment.target)} (${spec.treatment.targetLabel}) vs
        ${String(spec.treatment.comparator)} (${spec.treatment.comparatorLabel})</dd>
      <dt>Time zero</dt><dd>${spec.timeZero.definition} (<code>${spec.timeZero.column}</code>)</dd>
      <dt>Follow-up</dt><dd>to death (<code>${spec.followUp.deathTime}</code>) or last known alive (<code>${spec.followUp.lastKnownAlive}</code>), stopped at each outcome's horizon</dd>
      <dt>Adjustment</dt><dd>${adjustmentInWords(spec.adjustment)}; missing covariates: ${spec.missingCovariates === 'indicator' ? 'missing-indicator method' : 'complete cases'}</dd>
      <dt>Sensitivity</dt><dd>${variants.length === 0 ? 'none' : variants.join('; ')}</dd>
      <dt>Strata</dt><dd>${spec.strata.length === 0 ? 'none' : spec.strata.map((x) => `${x.label} (${x.column})`).join('; ')}</dd>
    </dl>
    <h3>Inclusion</h3>${list(spec.inclusion.map(criterionText))}
    <h3>Exclusion</h3>${list(spec.exclusion.map(criterionText))}
    <h3>Outcomes</h3>${list(outcomes)}
    <h3>Covariate sets</h3>
    <dl class="facts">
      <dt>Published</dt><dd>${spec.covariates.published.map((c, i) => html`${i > 0 && ', '}<code>${c}</code>`)}</dd>
      <dt>Critique (primary)</dt><dd>${spec.covariates.critique.map((c, i) => html`${i > 0 && ', '}<code>${c}</code>`)}</dd>
    </dl>
    <h3>Software and inputs</h3>
    <dl class="facts">
      <dt>Software</dt><dd>Stratum ${results.stratumVersion}</dd>
      <dt>Spec sha256</dt><dd><code>${results.specSha256}</code></dd>
      <dt>Data sha256</dt><dd><code>${results.dataSha256}</code></dd>
      <dt>Seed</dt><dd>${spec.seed}</dd>
    </dl>`,
  );
}

export function warningsSection(results: StudyResults): SafeHtml {
  return section('warnings', 'Warnings', results.warnings.length === 0 ? html`<p>None.</p>` : html`<ul>${results.warnings.map((w) => html`<li>${w}</li>`)}</ul>`);
}
