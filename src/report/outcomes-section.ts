// Each outcome: risk by the horizon per group, the risk difference, the hazard (or risk) ratio with its E-value,
// Kaplan-Meier curves with the numbers at risk, and for an outcome with a competing event the cumulative
// incidence curves (Aalen-Johansen) and the Fine-Gray subdistribution HR.
import type { EffectEstimate, OutcomeResult, StudyResults } from '../study/study-results.js';
import { curvePlotSpec } from './curve-plot.js';
import { html, type SafeHtml } from './html.js';
import { badge, dataTable, figure, groupSpans, section, SET_LABELS, slug, type Column } from './report-parts.js';
import { formatCount, formatEffect, formatP, formatPercent, formatRatio } from './report-format.js';

const MEASURE_LABELS: Readonly<Record<EffectEstimate['measure'], string>> = {
  HR: 'Hazard ratio (Cox)',
  SHR: 'Subdistribution hazard ratio (Fine-Gray)',
  RD: 'Risk difference, percentage points',
  RR: 'Risk ratio',
};

function effectTable(estimates: readonly EffectEstimate[]): SafeHtml {
  const columns: Column<EffectEstimate>[] = [
    { header: 'Measure', cell: (e) => MEASURE_LABELS[e.measure] },
    { header: 'Estimate (95% CI)', cell: (e) => formatEffect(e), numeric: true },
    { header: 'p', cell: (e) => formatP(e.p), numeric: true },
    { header: 'E-value (CI limit)', cell: (e) => (e.eValue === null ? '' : `${formatRatio(e.eValue.point)} (${formatRatio(e.eValue.ci)})`), numeric: true },
    { header: 'SE', cell: (e) => e.seType },
  ];
  return dataTable(null, columns, estimates);
}

function riskTable(results: StudyResults, o: OutcomeResult): SafeHtml {
  type Row = { group: SafeHtml; n: number; events: number; risk: OutcomeResult['risk']['target'] };
  const g = groupSpans(results);
  const rows: Row[] = [
    { group: g.target, n: o.ratio.n.target, events: o.ratio.events.target, risk: o.risk.target },
    { group: g.comparator, n: o.ratio.n.comparator, events: o.ratio.events.comparator, risk: o.risk.comparator },
  ];
  const by = o.horizon_d === null ? 'Risk' : `Risk by day ${formatCount(o.horizon_d)}`;
  const columns: Column<Row>[] = [
    { header: 'Group', cell: (r) => r.group },
    { header: 'Patients', cell: (r) => formatCount(r.n), numeric: true },
    { header: 'Events', cell: (r) => formatCount(r.events), numeric: true },
    { header: `${by} (95% CI)`, cell: (r) => `${formatPercent(r.risk.estimate)} (${formatPercent(r.risk.lower)} to ${formatPercent(r.risk.upper)})`, numeric: true },
  ];
  return dataTable(null, columns, rows);
}

async function outcomeBlock(results: StudyResults, o: OutcomeResult): Promise<SafeHtml> {
  const id = slug(o.name);
  const estimates = [o.ratio, o.riskDifference, ...(o.competing ? [o.competing.subdistributionHr] : [])];
  // The numbers at risk go under the first curve plot (the KM plot, else the cumulative incidence plot).
  const km =
    o.km &&
    (await figure(
      curvePlotSpec({ title: 'Kaplan-Meier', scale: 'survival', labels: results.labels, curves: o.km, riskTable: o.riskTable, horizon_d: o.horizon_d }),
      `km-${id}`,
      `Kaplan-Meier curves, ${o.label}`,
      `Survival free of the event per group (weighted where the adjustment weights) with 95% confidence bands; numbers at risk
        (unweighted, adjusted sample) under the plot.`,
    ));
  const cif =
    o.competing &&
    (await figure(
      curvePlotSpec({ title: 'Cumulative incidence', scale: 'incidence', labels: results.labels, curves: o.competing.cif, riskTable: o.km ? null : o.riskTable, horizon_d: o.horizon_d }),
      `cif-${id}`,
      `cumulative incidence curves, ${o.label}`,
      html`Cumulative incidence (Aalen-Johansen) with ${o.competing.label} as a competing event, 95% confidence bands.`,
    ));
  return html`<article class="outcome" id="outcome-${id}">
    <h3>${o.label} ${o.primary && badge('moderate', 'primary')} ${o.negativeControl && badge('moderate', 'negative control')}</h3>
    <p class="muted">${o.type === 'time_to_event' ? 'Time to event' : 'Binary'}${o.horizon_d !== null && `, follow-up to day ${formatCount(o.horizon_d)}`}${
      o.bleedingDefinition !== null && `; bleeding defined as ${o.bleedingDefinition}`
    }${o.competing !== null && `; competing event: ${o.competing.label}`}. Adjusted on the ${SET_LABELS[o.set].toLowerCase()}.</p>
    ${riskTable(results, o)}
    ${effectTable(estimates)}
    ${km}
    ${cif}
  </article>`;
}

export async function outcomesSection(results: StudyResults): Promise<SafeHtml> {
  const blocks = await Promise.all(results.outcomes.map((o) => outcomeBlock(results, o)));
  return section('outcomes', 'Outcomes', blocks.length === 0 ? html`<p>No outcomes in these results.</p>` : blocks);
}
