// Dependencies point one way (../shared/DESIGN.md): cli -> anything; server -> study, registry, report; nothing
// below src/cli imports from it. Reads the import lines of every module of the lower layers and fails on any import
// of src/cli, naming the file, the line and the import. Test files (*.test.ts) are not modules of the layer: a
// test may set up its fixtures with a CLI helper (e.g. the demo registry).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../test/support/paths.js';

// The TypeScript sources, also when this test runs compiled from dist/.
const SRC = join(repoRoot, 'src');
const BELOW_CLI = ['server', 'study', 'registry', 'report', 'clinical', 'stats', 'data'] as const;
const CLI = join(SRC, 'cli');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : /\.(m|c)?tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier of a file: `import ... from 'x'`, `export ... from 'x'`, `import('x')`, `import 'x'`. */
export function importSpecifiers(text: string): { line: number; specifier: string }[] {
  const out: { line: number; specifier: string }[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) out.push({ line: text.slice(0, m.index).split('\n').length, specifier: m[1]! });
  }
  return out;
}

/** The imports of `file` that resolve into src/cli. */
function cliImports(file: string): string[] {
  return importSpecifiers(readFileSync(file, 'utf8'))
    .filter(({ specifier }) => specifier.startsWith('.') && (resolve(dirname(file), specifier) + '/').startsWith(CLI + '/'))
    .map(({ line, specifier }) => `src/${relative(SRC, file)}:${line}: ${specifier}`);
}

test('the import scanner sees every form of import', () => {
  const text = "import { a } from '../cli/a.js';\nexport { b } from \"../cli/b.js\";\nconst c = await import('../cli/c.js');\nimport '../cli/d.js';\nimport type { E } from '../e.js';";
  assert.deepEqual(
    importSpecifiers(text).map((i) => i.specifier).sort(),
    ['../cli/a.js', '../cli/b.js', '../cli/c.js', '../cli/d.js', '../e.js'],
  );
});

test(`nothing under src/{${BELOW_CLI.join(',')}} imports src/cli`, () => {
  const files = BELOW_CLI.flatMap((layer) => tsFiles(join(SRC, layer)));
  assert.ok(files.length > 100, `scanned ${files.length} files`);
  const offending = files.flatMap(cliImports);
  assert.deepEqual(offending, [], `imports of src/cli from a lower layer:\n${offending.join('\n')}`);
});
