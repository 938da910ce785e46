// Plots are Vega-Lite specifications compiled to Vega and rendered to SVG in Node (no browser, no canvas): the
// report inlines the SVG, so it reads without scripts. Vega writes data values and titles into SVG text nodes and
// attributes through its own escaping (vega-scenegraph's markup writer); study-report.test.ts checks that on
// hostile strings.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { SafeHtml, escapeHtml } from './html.js';

/** Shared look: system fonts only (nothing to fetch), no frame around the view. */
export const PLOT_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'top' as const, labelLimit: 320 },
  // Long titles are cut (with an ellipsis) rather than widening the plot and shrinking everything else.
  title: { fontSize: 13, anchor: 'start' as const, fontWeight: 'bold' as const, limit: 480 },
};

/**
 * A loader that refuses every URL and records it: the plots are built from inline values, so any load would be a bug
 * or an injection. (Vega logs a failed load and draws on, so the caller checks `refused` afterwards.)
 */
function refusingLoader(refused: string[]): ReturnType<typeof vega.loader> {
  const loader = vega.loader();
  const refuse = (uri: string): Promise<never> => {
    refused.push(uri);
    return Promise.reject(new Error(`report plots load nothing; refused '${uri}'`));
  };
  loader.load = refuse;
  loader.sanitize = refuse;
  loader.http = refuse;
  loader.file = refuse;
  return loader;
}

/**
 * Vega numbers clip paths and gradients with a process-wide counter, so two plots in one document can share an id
 * (and url(#clip1) would then point at the wrong plot) and the same results could print different bytes. Renumber
 * every id of one SVG as `${prefix}-1`, `${prefix}-2`, ... in order of first appearance.
 */
function renumberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + (ids.get(id) ?? id) + b)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : whole))
    .replace(/(href=")#([^"]+)(")/g, (whole, a: string, id: string, b: string) => (ids.has(id) ? `${a}#${ids.get(id)}${b}` : whole));
}

/**
 * The SVG markup of a Vega-Lite spec (throws when the spec asks to load anything), with ids prefixed by `idPrefix` (letters, digits, '-'), an accessible name
 * (`role="img"`, `aria-label`: the plot's description). The width/height vega writes stay as the intrinsic size;
 * the stylesheet scales the SVG down to narrow screens through its viewBox.
 */
export async function renderVegaLite(spec: TopLevelSpec, idPrefix: string, description: string): Promise<SafeHtml> {
  const { spec: vgSpec } = compile({ ...spec, config: { ...PLOT_CONFIG, ...spec.config } } as TopLevelSpec);
  const refused: string[] = [];
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', loader: refusingLoader(refused), logLevel: vega.None });
  try {
    let svg = renumberIds(await view.toSVG(), idPrefix);
    if (refused.length > 0) throw new Error(`a report plot tried to load ${refused.join(', ')}; plots must carry their data inline`);
    svg = svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(description)}" `);
    return new SafeHtml(svg);
  } finally {
    view.finalize();
  }
}
