// Keeps docs/episode-format.md honest: its full example must be the fixture and must parse without warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEpisode } from './episode.js';
import { fullExampleRaw, repoFile } from './__fixtures__/build.js';

test('docs example parses: the JSON block of docs/episode-format.md equals the fixture and parses cleanly', () => {
  const doc = readFileSync(repoFile('docs', 'episode-format.md'), 'utf8');
  const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
  assert.ok(block, 'no json block in docs/episode-format.md');
  assert.deepEqual(JSON.parse(block), fullExampleRaw());
  const r = parseEpisode(JSON.parse(block));
  assert.ok(r.ok);
  assert.equal(r.warnings.length, 0);
});
