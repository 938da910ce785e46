// The column list is the table's contract: unique names, a type, a unit and a definition each, and every column
// documented in docs/dataset.md (so the documentation cannot drift from the code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/support/paths.js';
import { ANALYSIS_COLUMNS } from './analysis-columns.js';

test('every column has a unique name (snake_case, units spelled as in the episode format), a unit and a definition', () => {
  const names = new Set<string>();
  for (const c of ANALYSIS_COLUMNS) {
    assert.match(c.name, /^[a-z][A-Za-z0-9_]*$/, c.name);
    assert.ok(!names.has(c.name), `duplicate ${c.name}`);
    names.add(c.name);
    assert.ok(c.description.length > 10, c.name);
    assert.equal(typeof c.unit, 'string');
    if (c.type === 'category') assert.ok('levels' in c && c.levels.length > 0, `${c.name}: a category lists its levels`);
  }
});

test('docs/dataset.md has a table row for every column, with its type and unit', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'dataset.md'), 'utf8');
  for (const c of ANALYSIS_COLUMNS) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${c.name}\` |`));
    assert.ok(row, `docs/dataset.md: no row for ${c.name}`);
    const cells = row.split(' | ');
    assert.ok(cells[1].startsWith(c.type), `${c.name}: type ${c.type} in the docs`);
    assert.equal(cells[2].trim(), c.unit, `${c.name}: unit in the docs`);
  }
});
