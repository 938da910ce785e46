// R's results for the reference datasets (test/fixtures/expected/r-reference.json; the R calls are in test/fixtures/r/).
import { readFileSync } from 'node:fs';
import { fixturePath } from './paths.js';

export type ReferenceCase = Record<string, unknown>;

let cache: Record<string, ReferenceCase> | undefined;

/** One case of r-reference.json by key, e.g. `lung_cox_efron`. */
export function referenceCase(key: string): ReferenceCase {
  cache ??= JSON.parse(readFileSync(fixturePath('expected', 'r-reference.json'), 'utf8')) as Record<string, ReferenceCase>;
  const found = cache[key];
  if (!found) throw new Error(`no reference case ${key}`);
  return found;
}
