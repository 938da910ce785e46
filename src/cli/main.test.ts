import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../test/support/paths.js';
import { runCli } from '../../test/support/cli.js';

const compiled = fileURLToPath(import.meta.url).includes('/dist/');

test('stratum with no command prints the usage; an unknown command exits 2', () => {
  const help = runCli([]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: stratum <command>/);
  assert.match(help.stdout, /stats/);
  assert.match(help.stdout, /clinical/);
  const unknown = runCli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

// The README's quick start runs the built CLI through npx; that needs the bin declared in package.json to exist
// and be executable after `npm run build`.
test('npx --no-install stratum runs the built CLI from the repository root', { skip: compiled ? false : 'runs only against the build' }, () => {
  const out = spawnSync('npx', ['--no-install', 'stratum', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /usage: stratum <command>/);
});
