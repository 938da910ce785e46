// Kaplan-Meier survival or cumulative incidence per group as step curves with their 95% band, and, under the
// plot on the same time axis, the numbers at risk at the risk-table times (the layout of survminer's
// ggsurvplot(risk.table = TRUE) and of the CONSORT-era journal figures).
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoints } from '../study/study-results.js';
import { groupColourScale, groupNames } from './report-theme.js';

export interface CurvePlotInput {
  readonly title: string;
  /** 'survival' starts at 1 and reads as "survival"; 'incidence' starts at 0. */
  readonly scale: 'survival' | 'incidence';
  readonly labels: { readonly target: string; readonly comparator: string };
  readonly curves: { readonly target: CurvePoints; readonly comparator: CurvePoints };
  readonly riskTable: { readonly time: readonly number[]; readonly target: readonly number[]; readonly comparator: readonly number[] } | null;
  /** The x axis ends at the horizon when given, else at the last time of either curve or the risk table. */
  readonly horizon_d: number | null;
}

const PLOT_WIDTH = 560;
const PLOT_HEIGHT = 260;

interface CurveRow {
  group: string;
  time: number;
  estimate: number;
  lower: number | null;
  upper: number | null;
}

function curveRows(group: string, curve: CurvePoints, start: number): CurveRow[] {
  const rows: CurveRow[] = [];
  // A curve that does not start at time 0 is drawn from its value at 0 (1 survival, 0 incidence), as survfit does.
  if (curve.time.length === 0 || curve.time[0] > 0) rows.push({ group, time: 0, estimate: start, lower: start, upper: start });
  for (let i = 0; i < curve.time.length; i++) {
    const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);
    rows.push({ group, time: curve.time[i], estimate: curve.estimate[i], lower: finite(curve.lower[i]), upper: finite(curve.upper[i]) });
  }
  return rows;
}

/** The Vega-Lite spec of the curves (and the risk table under them when there is one). */
export function curvePlotSpec(input: CurvePlotInput): TopLevelSpec {
  const names = groupNames(input.labels);
  const colour = groupColourScale(input.labels);
  const start = input.scale === 'survival' ? 1 : 0;
  const rows = [...curveRows(names.target, input.curves.target, start), ...curveRows(names.comparator, input.curves.comparator, start)];
  const lastTime = Math.max(0, ...rows.map((r) => r.time), ...(input.riskTable?.time ?? []));
  const end_d = input.horizon_d ?? lastTime;
  // 14 px of padding keeps the at-risk counts at time 0 clear of the group names on the axis.
  const x = { field: 'time', type: 'quantitative' as const, scale: { domain: [0, end_d], nice: false, padding: 14 } };
  const yTitle = input.scale === 'survival' ? 'Survival' : 'Cumulative incidence';
  const yScale = input.scale === 'survival' ? { domain: [0, 1] } : { zero: true, domainMin: 0 };
  const band = rows.filter((r) => r.lower !== null && r.upper !== null);
  const curves = {
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area' as const, interpolate: 'step-after' as const, opacity: 0.18, clip: true },
        encoding: {
          x,
          y: { field: 'lower', type: 'quantitative' as const, scale: yScale, title: yTitle, axis: { format: '.0%' } },
          y2: { field: 'upper' },
          color: { field: 'group', type: 'nominal' as const, scale: colour, title: null },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 2, clip: true },
        encoding: {
          x: { ...x, title: input.riskTable ? null : 'Days from time zero' },
          y: { field: 'estimate', type: 'quantitative' as const, scale: yScale },
          color: { field: 'group', type: 'nominal' as const, scale: colour, title: null },
        },
      },
    ],
  };
  if (!input.riskTable) return { title: input.title, ...curves } as TopLevelSpec;
  const table = input.riskTable;
  const atRisk = table.time.flatMap((time, i) => [
    { group: names.target, time, n: table.target[i] },
    { group: names.comparator, time, n: table.comparator[i] },
  ]);
  return {
    title: input.title,
    vconcat: [
      curves,
      {
        width: PLOT_WIDTH,
        height: 44,
        title: { text: 'Number at risk', fontSize: 11, fontWeight: 'normal', anchor: 'start' },
        data: { values: atRisk },
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          x: { ...x, title: 'Days from time zero', axis: { values: [...table.time], grid: false } },
          y: { field: 'group', type: 'nominal', scale: { domain: colour.domain }, title: null, axis: { domain: false, ticks: false } },
          text: { field: 'n', type: 'quantitative', format: ',d' },
          color: { field: 'group', type: 'nominal', scale: colour, title: null, legend: null },
        },
      },
    ],
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}
