// The installed package's root folder (where package.json and examples/ are), from src/ or dist/src/: the nearest
// folder above this module that holds a package.json. Used by every layer that reads a shipped file (examples/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('stratum package root not found');
    dir = parent;
  }
}
