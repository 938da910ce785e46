// `npm run bench:study`: a comparative study on 1,000,000 patients, run as a user runs it
// (`stratum study run SPEC --out DIR --no-pdf`, a fresh CLI process each time), with the median wall time and the
// peak RSS of that process (/usr/bin/time). Target of issue 5: < 20 s and < 2 GB on 2 cores. Two specs:
//   - bench/study-1m.yaml: the core (1:1 caliper matching on the critique and published sets, Cox with
//     cluster-robust SE, Kaplan-Meier, crude/published/critique comparison, SCAI-stage strata, E-values), death only;
//   - bench/study-1m-full.yaml: the bundled example (examples/studies/pump-vs-iabp.yaml) with every outcome,
//     stratum and sensitivity analysis, on the same table.
//
// The input is a fixed analysis-table CSV of 1,000,000 rows, built once and cached under bench/.cache/ (gitignored):
//   1. the analysis rows of a 20,000-patient synthetic registry (src/synth defaults, 12 sites, seed 1) through the
//      real path: generatePatient -> parseEpisode -> analysisRow -> analysisTableCsv (two worker threads);
//   2. 1,000,000 rows drawn from those 20,000 with replacement by a seeded xoshiro128** stream (src/synth/prng.ts,
//      seed 20261124), each with a new patient_key (B0000001...) and episode_id (BE0000001...).
// Building a million patients through the clinical engine would take ~40 min of CPU; the resampled table has the
// real columns, value distributions, missingness and case mix (each base row appears ~50 times, so there are more
// ties than in a real registry of this size, which the matcher and the Cox fit must handle anyway).
// The cache is rebuilt when its key (the recipe below and the analysis-table columns) changes; delete bench/.cache to
// force a rebuild after a change of the generator or the clinical engine.
//
// Repeats: STRATUM_BENCH_REPEATS (default 3). Prints a Markdown table for docs/benchmarks.md. `--build-only` builds
// (or checks) the cached input and stops.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANALYSIS_COLUMN_NAMES } from '../src/registry/dataset/index.js';
import { Rng } from '../src/synth/prng.js';
import { synthParameters } from '../src/synth/synth-parameters.js';
import { repoRoot } from '../test/support/paths.js';
import { synthAnalysisTableInWorkers } from '../test/support/synthetic-analysis-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = repoRoot;
// The CLI compiled beside this file (dist/bench/study.js -> dist/src/cli/main.js).
const cli = join(here, '..', 'src', 'cli', 'main.js');
const SPECS = [
  { file: 'study-1m.yaml', label: 'core study (matching x2, Cox, KM, stage strata, E-values; death)' },
  { file: 'study-1m-full.yaml', label: 'bundled example study (6 outcomes, 5 stratifiers, bleeding definitions, caliper/trim/method variants)' },
] as const;
const cacheDir = join(root, 'bench', '.cache');
/** The spec's `source.csv` is `.cache/analysis-1m.csv`, relative to bench/. */
const csvFile = join(cacheDir, 'analysis-1m.csv');
const keyFile = `${csvFile}.key`;
const repeats = Number(process.env['STRATUM_BENCH_REPEATS'] ?? '3');

const RECIPE = {
  base: { patients: 20_000, sites: 12, seed: 1 },
  rows: 1_000_000,
  resampleSeed: 20261124,
  workers: 2,
} as const;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function cacheKey(): string {
  return createHash('sha256').update(JSON.stringify({ RECIPE, columns: ANALYSIS_COLUMN_NAMES })).digest('hex');
}

/** Writes the 1M-row CSV (see the file header); returns the seconds it took. */
async function buildCsv(): Promise<{ baseSeconds: number; resampleSeconds: number }> {
  const t0 = performance.now();
  const params = synthParameters(RECIPE.base);
  const base = await synthAnalysisTableInWorkers(params, RECIPE.workers);
  const baseSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const lines = base.csv.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines[0];
  if (lines.length - 1 !== base.table.nRows) throw new Error(`base CSV has ${lines.length - 1} lines for ${base.table.nRows} rows; expected one line per row (a field with a newline?)`);
  if (!header.startsWith('site,patient_key,episode_id,')) throw new Error(`base CSV header starts '${header.slice(0, 40)}'; expected site,patient_key,episode_id first`);
  // Each base row as [site, rest after the two id fields]; site codes and the generator's ids never need quoting.
  const parts = lines.slice(1).map((line, k) => {
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    if (line[0] === '"' || line[c1 + 1] === '"' || line[c2 + 1] === '"') throw new Error(`base row ${k + 1} has a quoted id field; expected plain site and ids`);
    return { site: line.slice(0, c1), rest: line.slice(c3) };
  });

  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${csvFile}.tmp`;
  const fd = openSync(tmp, 'w');
  const rng = new Rng(RECIPE.resampleSeed);
  let chunk = `${header}\n`;
  for (let i = 1; i <= RECIPE.rows; i++) {
    const p = parts[rng.int(0, parts.length - 1)];
    const id = String(i).padStart(7, '0');
    chunk += `${p.site},B${id},BE${id}${p.rest}\n`;
    if (chunk.length > 1 << 22) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  renameSync(tmp, csvFile);
  writeFileSync(keyFile, cacheKey());
  return { baseSeconds, resampleSeconds: (performance.now() - t1) / 1000 };
}

interface Run {
  readonly seconds: number;
  readonly maxRssMB: number;
  /** Elapsed seconds at the start of each pipeline step, from the CLI's progress lines ("study: STEP (12.3 s)"). */
  readonly steps: ReadonlyArray<{ readonly step: string; readonly at_s: number }>;
  /** The CLI's error when it failed (exit status not 0); the time and memory are then those of the failed run. */
  readonly error: string | null;
}

function stepsOf(stderr: string): Run['steps'] {
  return [...stderr.matchAll(/^study: (.*) \((\d+(?:\.\d+)?) s\)$/gm)].map((m) => ({ step: m[1], at_s: Number(m[2]) }));
}

function errorOf(status: number | null, stderr: string): string | null {
  if (status === 0) return null;
  return stderr.split('\n').find((l) => l.startsWith('stratum: error:'))?.slice('stratum: error: '.length) ?? `exit status ${status}`;
}

/**
 * One `stratum study run` in a fresh process: wall time and peak RSS from GNU time (`%e %M`, kB) when installed, else
 * from the child itself: a preloaded hook prints its process.resourceUsage().maxRSS (kB) on exit.
 */
function timedStudy(spec: string, out: string, work: string): Run {
  const args = [cli, 'study', 'run', spec, '--out', out, '--no-pdf'];
  // Progress stays on: its one line per pipeline step gives the step timings.
  const env = { ...process.env };
  if (existsSync('/usr/bin/time')) {
    const res = spawnSync('/usr/bin/time', ['-f', 'gnu-time %e %M', process.execPath, ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    const m = /gnu-time (\S+) (\d+)/.exec(res.stderr);
    if (!m) throw new Error(`no timing from /usr/bin/time:\n${res.stderr}`);
    return { seconds: Number(m[1]), maxRssMB: Number(m[2]) / 1024, steps: stepsOf(res.stderr), error: errorOf(res.status, res.stderr) };
  }
  const hook = join(work, 'max-rss.cjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write('\\nmax-rss-kB ' + process.resourceUsage().maxRSS + '\\n'));\n");
  const t0 = performance.now();
  const res = spawnSync(process.execPath, ['--require', hook, ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  const kB = Number(/max-rss-kB (\d+)/.exec(res.stderr)?.[1] ?? NaN);
  return { seconds, maxRssMB: kB / 1024, steps: stepsOf(res.stderr), error: errorOf(res.status, res.stderr) };
}

let built: { baseSeconds: number; resampleSeconds: number } | null = null;
if (!existsSync(csvFile) || !existsSync(keyFile) || readFileSync(keyFile, 'utf8') !== cacheKey()) {
  process.stderr.write(`building ${csvFile} (${RECIPE.base.patients.toLocaleString('en-US')} synthetic patients resampled to ${RECIPE.rows.toLocaleString('en-US')} rows) ...\n`);
  built = await buildCsv();
  process.stderr.write(`  base rows ${built.baseSeconds.toFixed(1)} s, resampling and writing ${built.resampleSeconds.toFixed(1)} s\n`);
}
const csvMB = statSync(csvFile).size / 2 ** 20;
if (process.argv.includes('--build-only')) {
  process.stdout.write(`${csvFile}: ${csvMB.toFixed(0)} MB\n`);
  process.exit(0);
}
if (!existsSync(cli)) throw new Error(`${cli} not found; run \`npm run build\` first (npm run bench:study does)`);

interface Results {
  readonly attrition: Array<{ label: string; remaining: number }>;
  readonly comparison: Array<{ outcome: string; set: string; ratio: { estimate: number; lower: number; upper: number } }>;
}

const work = mkdtempSync(join(tmpdir(), 'stratum-bench-study-'));
const measured: Array<{ label: string; file: string; runs: Run[]; results: Results | null }> = [];
try {
  for (const s of SPECS) {
    const runs: Run[] = [];
    let results: Results | null = null;
    for (let r = 0; r < repeats; r++) {
      process.stderr.write(`stratum study run bench/${s.file} ${r + 1}/${repeats} ...\n`);
      const out = join(work, `run-${r}`);
      const run = timedStudy(join(root, 'bench', s.file), out, work);
      runs.push(run);
      if (run.error !== null) {
        process.stderr.write(`  failed after ${run.seconds.toFixed(1)} s: ${run.error}\n`);
        break;
      }
      if (r === 0) results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
      rmSync(out, { recursive: true, force: true });
    }
    measured.push({ label: s.label, file: s.file, runs, results });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${repeats} runs per spec; wall time and peak RSS of the whole CLI process.`);
console.log(`Input: ${RECIPE.rows.toLocaleString('en-US')} rows, ${csvMB.toFixed(0)} MB CSV.`);
if (built) console.log(`Input built in ${(built.baseSeconds + built.resampleSeconds).toFixed(1)} s (base rows ${built.baseSeconds.toFixed(1)} s, resampling ${built.resampleSeconds.toFixed(1)} s).`);
console.log('');
console.log('| spec | cohort | median wall time | runs (s) | peak RSS | < 20 s and < 2 GB |');
console.log('|---|---:|---:|---|---:|---|');
for (const m of measured) {
  const cohort = m.results?.attrition[m.results.attrition.length - 1]?.remaining;
  const seconds = median(m.runs.map((r) => r.seconds));
  const rss = Math.max(...m.runs.map((r) => r.maxRssMB));
  const failed = m.runs.find((r) => r.error !== null);
  const verdict = failed ? `**failed**: ${failed.error}` : seconds < 20 && rss < 2048 ? 'met' : '**not met**';
  console.log(`| \`bench/${m.file}\`: ${m.label} | ${cohort?.toLocaleString('en-US') ?? '-'} | ${seconds.toFixed(1)} s | ${m.runs.map((r) => r.seconds.toFixed(1)).join(', ')} | ${rss.toFixed(0)} MB | ${verdict} |`);
}
for (const m of measured) {
  // Step durations of the median run: from one progress line to the next (the last step runs to the process end).
  const runs = [...m.runs].sort((a, b) => a.seconds - b.seconds);
  const run = runs[(runs.length - 1) >> 1];
  if (run.steps.length === 0) continue;
  console.log(`\nSteps of \`bench/${m.file}\` (run of ${run.seconds.toFixed(1)} s; seconds from the step's start to the next one's):\n`);
  console.log('| step | s |');
  console.log('|---|---:|');
  run.steps.forEach((st, k) => {
    const end = k + 1 < run.steps.length ? run.steps[k + 1].at_s : run.seconds;
    console.log(`| ${st.step.replace(/\|/g, '/')} | ${(end - st.at_s).toFixed(1)} |`);
  });
}
console.log('');
for (const m of measured) {
  if (!m.results) continue;
  const primary = m.results.comparison[0]?.outcome;
  for (const c of m.results.comparison.filter((x) => x.outcome === primary)) {
    console.log(`${m.file} ${c.outcome} ${c.set}: HR ${c.ratio.estimate.toFixed(3)} (${c.ratio.lower.toFixed(3)}-${c.ratio.upper.toFixed(3)})`);
  }
}
