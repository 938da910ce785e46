// Locates the repository root from a test file, whether it runs from src/ (tsx) or dist/ (compiled),
// so fixtures resolve the same way in both.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of a file under test/fixtures/. */
export function fixturePath(...parts: string[]): string {
  return join(repoRoot, 'test', 'fixtures', ...parts);
}

/** Absolute path of a file under examples/ (e.g. examplePath('episodes', 'x.json')). */
export function examplePath(...parts: string[]): string {
  return join(repoRoot, 'examples', ...parts);
}
