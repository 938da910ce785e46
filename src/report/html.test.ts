import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, SafeHtml } from './html.js';

test('escapeHtml encodes the five characters that can end text or an attribute', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(escapeHtml('plain text 1.23'), 'plain text 1.23');
});

test('html escapes interpolated strings but keeps nested html and arrays of it as markup', () => {
  const label = '<script>alert(1)</script>';
  const row = html`<td title="${label}">${label}</td>`;
  assert.equal(row.markup, '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
  const list = html`<ul>${['a&b', '"q"'].map((x) => html`<li>${x}</li>`)}</ul>`;
  assert.equal(list.markup, '<ul><li>a&amp;b</li><li>&quot;q&quot;</li></ul>');
  assert.ok(list instanceof SafeHtml);
});

test('null, undefined and false print nothing; numbers and true print as text', () => {
  const flag = false;
  assert.equal(html`[${null}${undefined}${flag && 'x'}${0}${1.5}${true}]`.markup, '[01.5true]');
});

test('an attribute breakout in a value stays inside the quoted attribute', () => {
  const out = html`<span class="${'x" onerror="alert(1)'}"></span>`.markup;
  assert.doesNotMatch(out, /<[^>]*\sonerror="/);
});
