// results.json: the study results as text, and the version of Stratum that computed them. Shared by
// `stratum study run`, `stratum demo` and the server's study workspace, so every results.json is written one way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { StudyResults } from './study-results.js';

/** The package version, recorded in results.json. */
export function stratumVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * results.json text. JSON.stringify writes NaN and Infinity as null, which would hide a failed computation in a
 * results file that claims a number; every such value is found, with its path, and is an error.
 */
export function resultsJson(results: StudyResults): string {
  const bad: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) bad.push(`${path} = ${value}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
  };
  walk(results, '');
  if (bad.length > 0) {
    throw new Error(
      `the study results hold ${bad.length} non-finite number(s); results.json was not written: ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', ...' : ''}`,
    );
  }
  return JSON.stringify(results, null, 2) + '\n';
}
