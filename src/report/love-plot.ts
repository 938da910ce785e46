// Love plot: absolute standardized mean difference per covariate before and after adjustment, with the 0.1 line
// (Austin 2009, Stat Med 28:3083; the layout of cobalt::love.plot). Covariates sorted by |SMD| before adjustment.
import type { TopLevelSpec } from 'vega-lite';
import type { BalanceDiagnostics } from '../study/study-results.js';
import { AFTER_COLOUR, BEFORE_COLOUR } from './report-theme.js';

/** The |SMD| threshold of balance (Austin 2009). */
export const SMD_THRESHOLD = 0.1;
const ROW_HEIGHT_PX = 16;
const BEFORE = 'Before adjustment';
const AFTER = 'After adjustment';

/** The Vega-Lite spec, or null for a balance table without rows. */
export function lovePlotSpec(title: string, balance: BalanceDiagnostics): TopLevelSpec | null {
  const finite = balance.rows.filter((r) => Number.isFinite(r.smdBefore) && Number.isFinite(r.smdAfter));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => Math.abs(b.smdBefore) - Math.abs(a.smdBefore));
  // Vega-Lite keys a nominal axis by value: a repeated covariate name would merge rows.
  const seen = new Map<string, number>();
  const wide = sorted.map((r) => {
    const k = (seen.get(r.covariate) ?? 0) + 1;
    seen.set(r.covariate, k);
    return { covariate: k === 1 ? r.covariate : `${r.covariate} (${k})`, before: Math.abs(r.smdBefore), after: Math.abs(r.smdAfter) };
  });
  const long = wide.flatMap((r) => [
    { covariate: r.covariate, stage: BEFORE, absSmd: r.before },
    { covariate: r.covariate, stage: AFTER, absSmd: r.after },
  ]);
  const xMax = Math.max(0.25, ...wide.map((r) => Math.max(r.before, r.after))) * 1.05;
  const y = { field: 'covariate', type: 'nominal' as const, sort: wide.map((r) => r.covariate), title: null, axis: { labelLimit: 240 } };
  const x = { type: 'quantitative' as const, scale: { domain: [0, xMax] } };
  return {
    title,
    width: 420,
    height: ROW_HEIGHT_PX * wide.length,
    layer: [
      { data: { values: [{ threshold: SMD_THRESHOLD }] }, mark: { type: 'rule', color: '#555', strokeDash: [4, 3] }, encoding: { x: { field: 'threshold', ...x } } },
      { data: { values: wide }, mark: { type: 'rule', color: '#bbbbbb' }, encoding: { x: { field: 'after', ...x }, x2: { field: 'before' }, y } },
      {
        data: { values: long },
        mark: { type: 'point', size: 45, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'absSmd', ...x, title: 'Absolute standardized mean difference' },
          y,
          color: { field: 'stage', type: 'nominal', scale: { domain: [BEFORE, AFTER], range: [BEFORE_COLOUR, AFTER_COLOUR] }, title: null },
          shape: { field: 'stage', type: 'nominal', scale: { domain: [BEFORE, AFTER], range: ['circle', 'diamond'] }, title: null },
          fill: { field: 'stage', type: 'nominal', scale: { domain: [BEFORE, AFTER], range: ['#ffffff', AFTER_COLOUR] }, title: null },
        },
      },
    ],
  } as TopLevelSpec;
}
