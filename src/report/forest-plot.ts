// A forest plot: one row per estimate, point and 95% CI on a log axis with the line of no effect at 1 (ratios
// are symmetric on the log scale: 0.5 is as far from 1 as 2).
import type { TopLevelSpec } from 'vega-lite';

export interface ForestRow {
  /** Row label; rows keep their order. Labels must be unique within one plot (forestPlotSpec makes them so). */
  readonly label: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** Optional colour group (e.g. the adjustment set). */
  readonly series?: string;
}

const ROW_HEIGHT_PX = 24;

/** Rows with a positive finite estimate and CI; others cannot sit on a log axis and are left to the table beside the plot. */
function plottable(rows: readonly ForestRow[]): ForestRow[] {
  const ok = (x: number): boolean => Number.isFinite(x) && x > 0;
  return rows.filter((r) => ok(r.estimate) && ok(r.lower) && ok(r.upper));
}

function uniqueLabels(rows: readonly ForestRow[]): ForestRow[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const k = (seen.get(r.label) ?? 0) + 1;
    seen.set(r.label, k);
    return k === 1 ? r : { ...r, label: `${r.label} (${k})` };
  });
}

/** Powers of 2 and 1/2 (and 1.5, 0.67 near 1) as ticks within the domain: the readable ratios. */
function logTicks(min: number, max: number): number[] {
  const candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 0.67, 1, 1.5, 2, 4, 5, 10, 20];
  return candidates.filter((t) => t >= min && t <= max);
}

/** The Vega-Lite spec, or null when no row can be plotted. */
export function forestPlotSpec(input: { readonly title: string | null; readonly xTitle: string; readonly rows: readonly ForestRow[]; readonly colours?: { readonly domain: readonly string[]; readonly range: readonly string[] } }): TopLevelSpec | null {
  const rows = uniqueLabels(plottable(input.rows));
  if (rows.length === 0) return null;
  // Domain: the CIs and 1, widened by 15% on the log scale and kept within [0.02, 50] so a wild CI does not squash the rest.
  const lo = Math.max(0.02, Math.min(1, ...rows.map((r) => r.lower)));
  const hi = Math.min(50, Math.max(1, ...rows.map((r) => r.upper)));
  const pad = Math.max(0.05, (Math.log(hi) - Math.log(lo)) * 0.15);
  const domain = [Math.exp(Math.log(lo) - pad), Math.exp(Math.log(hi) + pad)];
  const values = rows.map((r) => ({ label: r.label, estimate: r.estimate, lower: Math.max(r.lower, domain[0]), upper: Math.min(r.upper, domain[1]), series: r.series ?? '' }));
  const x = { type: 'quantitative' as const, scale: { type: 'log' as const, domain, nice: false } };
  const y = { field: 'label', type: 'nominal' as const, sort: rows.map((r) => r.label), title: null, axis: { labelLimit: 260 } };
  const colour = input.colours
    ? { color: { field: 'series', type: 'nominal' as const, scale: { domain: [...input.colours.domain], range: [...input.colours.range] }, title: null } }
    : {};
  return {
    ...(input.title === null ? {} : { title: input.title }),
    width: 420,
    height: ROW_HEIGHT_PX * rows.length,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#555', strokeDash: [4, 3] }, encoding: { x: { datum: 1, ...x } } },
      { mark: { type: 'rule', strokeWidth: 2, color: '#1a1a1a' }, encoding: { x: { field: 'lower', ...x }, x2: { field: 'upper' }, y, ...colour } },
      {
        mark: { type: 'point', filled: true, size: 70, shape: 'square', color: '#1a1a1a' },
        encoding: { x: { field: 'estimate', ...x, title: input.xTitle, axis: { values: logTicks(domain[0], domain[1]), format: '~g' } }, y, ...colour },
      },
    ],
  } as TopLevelSpec;
}
