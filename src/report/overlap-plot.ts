// Propensity-score overlap: mirrored histograms, target above the axis and comparator below, as shares of each
// group so unequal group sizes compare (the layout of OHDSI CohortMethod's plotPs), before and after adjustment.
import type { TopLevelSpec } from 'vega-lite';
import type { PropensityDiagnostics } from '../study/study-results.js';
import { groupColourScale, groupNames } from './report-theme.js';

const BEFORE = 'Before adjustment';
const AFTER = 'After adjustment (weighted)';

/** The Vega-Lite spec, or null when the histogram is empty. */
export function overlapPlotSpec(title: string, labels: { readonly target: string; readonly comparator: string }, propensity: PropensityDiagnostics): TopLevelSpec | null {
  const bins = propensity.overlap;
  if (bins.length === 0) return null;
  const names = groupNames(labels);
  const total = (pick: (b: (typeof bins)[number]) => number): number => bins.reduce((s, b) => s + (Number.isFinite(pick(b)) ? pick(b) : 0), 0);
  const share = (x: number, sum: number): number => (sum > 0 && Number.isFinite(x) ? x / sum : 0);
  const sums = { t: total((b) => b.target), c: total((b) => b.comparator), ta: total((b) => b.targetAfter), ca: total((b) => b.comparatorAfter) };
  const values = bins.flatMap((b) => [
    { stage: BEFORE, group: names.target, binStart: b.binStart, binEnd: b.binEnd, share: share(b.target, sums.t) },
    { stage: BEFORE, group: names.comparator, binStart: b.binStart, binEnd: b.binEnd, share: -share(b.comparator, sums.c) },
    { stage: AFTER, group: names.target, binStart: b.binStart, binEnd: b.binEnd, share: share(b.targetAfter, sums.ta) },
    { stage: AFTER, group: names.comparator, binStart: b.binStart, binEnd: b.binEnd, share: -share(b.comparatorAfter, sums.ca) },
  ]);
  return {
    title,
    data: { values },
    facet: { column: { field: 'stage', type: 'nominal', sort: [BEFORE, AFTER], title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 250,
      height: 200,
      layer: [
        {
          mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 0.5 },
          encoding: {
            x: { field: 'binStart', type: 'quantitative', scale: { domain: [0, 1] }, title: 'Propensity score' },
            x2: { field: 'binEnd' },
            y: { field: 'share', type: 'quantitative', title: 'Share of group', axis: { labelExpr: "format(abs(datum.value), '.0%')" } },
            y2: { datum: 0 },
            color: { field: 'group', type: 'nominal', scale: groupColourScale(labels), title: null },
          },
        },
        { mark: { type: 'rule', color: '#1a1a1a' }, encoding: { y: { datum: 0 } } },
      ],
    },
  } as TopLevelSpec;
}
