// docs/csv-import.md documents every column of the native layout and every mapped field, so the page cannot drift
// from native-layout.ts and mapping-schema.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/support/paths.js';
import { NATIVE_TABLES } from './native-layout.js';
import { MAPPED_FIELDS } from './mapping-schema.js';

const doc = readFileSync(join(repoRoot, 'docs', 'csv-import.md'), 'utf8');

test('docs/csv-import.md names every native file and column', () => {
  for (const t of NATIVE_TABLES) {
    assert.ok(doc.includes(t.file), t.file);
    for (const c of t.columns) assert.ok(doc.includes(`\`${c.name}\``), `${t.file}: ${c.name}`);
  }
});

test('docs/csv-import.md names every mapped field', () => {
  for (const f of Object.keys(MAPPED_FIELDS)) assert.ok(doc.includes(`\`${f}\``), f);
});
