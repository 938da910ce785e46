// `npm run bench`: writes the fixed synthetic cohorts (100k and 1M rows) to bench/out/, runs the pipeline
// benchmark for each in a fresh process, and prints the medians as a Markdown table for docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticCohortCsv } from './synthetic-cohort.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'bench', 'out');
mkdirSync(outDir, { recursive: true });

const sizes = [
  { label: '100k', n: 100_000, repeats: 7 },
  { label: '1M', n: 1_000_000, repeats: 3 },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const results: Array<{ label: string; medians: Record<string, number>; maxRssMB: number }> = [];
for (const size of sizes) {
  const file = join(outDir, `cohort-${size.label}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`writing ${file} ...\n`);
    writeFileSync(file, syntheticCohortCsv(size.n));
  }
  process.stderr.write(`running ${size.label} x${size.repeats} ...\n`);
  const child = spawnSync(process.execPath, [join(here, 'pipeline.js'), file, String(size.repeats)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    process.exit(1);
  }
  const parsed = JSON.parse(child.stdout) as { runs: Array<Record<string, number>>; maxRssMB: number };
  const keys = Object.keys(parsed.runs[0]);
  const medians = Object.fromEntries(keys.map((k) => [k, median(parsed.runs.map((r) => r[k]))]));
  results.push({ label: size.label, medians, maxRssMB: parsed.maxRssMB });
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  `Machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  '',
  '| step (median ms) | ' + results.map((r) => r.label).join(' | ') + ' |',
  '|---|' + results.map(() => '---:').join('|') + '|',
];
const rowsToShow: Array<[string, string]> = [
  ['read CSV', 'readMs'],
  ['propensity fit (logistic, 13 terms)', 'propensityMs'],
  ['1:1 caliper match (0.2 SD)', 'matchMs'],
  ['Cox on matched set, cluster-robust SE', 'coxMatchedClusterMs'],
  ['Kaplan-Meier by group', 'kmMs'],
  ['**pipeline total**', 'pipelineMs'],
  ['Cox, 15 terms, all rows', 'cox15Ms'],
];
for (const [label, key] of rowsToShow) lines.push(`| ${label} | ${results.map((r) => r.medians[key].toFixed(0)).join(' | ')} |`);
lines.push(`| matched pairs | ${results.map((r) => r.medians.matchedPairs).join(' | ')} |`);
lines.push(`| peak RSS (MB) | ${results.map((r) => r.maxRssMB.toFixed(0)).join(' | ')} |`);
process.stdout.write(lines.join('\n') + '\n');
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
