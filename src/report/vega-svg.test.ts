import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { activeMarkup } from '../../test/support/study-results-fixture.js';
import { renderVegaLite } from './vega-svg.js';

const hostile = '<script>alert(1)</script>"onerror=alert(1)';

function barSpec(label: string, title: string): TopLevelSpec {
  return {
    title,
    data: { values: [{ x: label, y: 1 }, { x: 'b', y: 2 }] },
    mark: { type: 'bar', clip: true },
    encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } },
  };
}

test('vega writes data values and titles into SVG as escaped text', async () => {
  const svg = (await renderVegaLite(barSpec(hostile, `T ${hostile}`), 'p', `plot of ${hostile}`)).markup;
  assert.match(svg, /^<svg role="img" aria-label="plot of &lt;script&gt;/);
  assert.ok(!svg.includes('<script'), 'no script tag');
  assert.deepEqual(activeMarkup(svg), [], 'no injected tag or event-handler attribute');
  assert.match(svg, /&lt;script&gt;/, 'the hostile label is printed as text');
});

test('ids are renumbered per plot, so two plots in one page never share a clip path, and output is deterministic', async () => {
  const a = (await renderVegaLite(barSpec('a', 't'), 'first', 'd')).markup;
  const b = (await renderVegaLite(barSpec('a', 't'), 'second', 'd')).markup;
  const ids = (svg: string): string[] => [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids(a).length > 0, 'the clipped bar mark has a clip path id');
  assert.ok(ids(a).every((id) => id.startsWith('first-')));
  assert.ok(ids(b).every((id) => id.startsWith('second-')));
  for (const m of a.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids(a).includes(m[1]), `url(#${m[1]}) points into the same SVG`);
  assert.equal(a.replaceAll('first-', 'X-'), b.replaceAll('second-', 'X-'), 'same spec, same bytes');
});

test('a spec that asks to load a URL is refused', async () => {
  const spec: TopLevelSpec = { data: { url: 'https://example.com/data.csv' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
  await assert.rejects(renderVegaLite(spec, 'p', 'd'), /tried to load https:\/\/example\.com\/data\.csv/);
});
