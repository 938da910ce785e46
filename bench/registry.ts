// `npm run bench:registry`: the registry's throughput targets, each run as the user would run it (the CLI in a
// fresh process), with wall time and peak memory from /usr/bin/time:
//   - `stratum synth --patients 100000` (FHIR R4 Bundles to disk; target < 60 s);
//   - `stratum import csv` of a Stratum CSV set with ~1,000,000 observation rows (13,400 patients) into a fresh
//     embedded registry (target < 60 s) and, when STRATUM_BENCH_DATABASE_URL names a PostgreSQL server database that
//     may be emptied, into that server (target < 30 s).
// Repeats: STRATUM_BENCH_REPEATS (default 3); medians are printed as a Markdown table for docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const repeats = Number(process.env['STRATUM_BENCH_REPEATS'] ?? '3');
const serverUrl = process.env['STRATUM_BENCH_DATABASE_URL'];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(args: string[], env: Record<string, string>): { seconds: number; maxRssMB: number } {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, '--max-old-space-size=8000', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, STRATUM_PROGRESS: '0', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`stratum ${args.join(' ')} failed: ${res.stdout}${res.stderr}`);
  const last = res.stderr.trim().split('\n').pop()!.split(' ');
  return { seconds: Number(last[0]), maxRssMB: Number(last[1]) / 1024 };
}

async function resetServer(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('drop schema public cascade');
  await client.query('create schema public');
  await client.end();
}

const work = mkdtempSync(join(tmpdir(), 'stratum-bench-'));
const rows: string[] = [];
try {
  const synth: { seconds: number; maxRssMB: number }[] = [];
  for (let r = 0; r < repeats; r++) {
    const out = join(work, `synth-${r}`);
    synth.push(timed(['synth', '--patients', '100000', '--sites', '12', '--seed', '1', '--out', out], {}));
    rmSync(out, { recursive: true, force: true });
  }
  rows.push(`| synth 100k patients, FHIR R4 Bundles to disk (2 worker threads) | ${median(synth.map((s) => s.seconds)).toFixed(1)} s | ${Math.max(...synth.map((s) => s.maxRssMB)).toFixed(0)} MB | < 60 s |`);

  const csvDir = join(work, 'csv-source');
  timed(['synth', '--patients', '13400', '--sites', '12', '--seed', '2', '--out', csvDir, '--csv'], {});
  const observations = readFileSync(join(csvDir, 'csv', 'observations.csv'), 'utf8').split('\n').length - 2;
  const embedded: { seconds: number; maxRssMB: number }[] = [];
  for (let r = 0; r < repeats; r++) {
    const dataDir = join(work, `registry-${r}`);
    embedded.push(timed(['import', 'csv', join(csvDir, 'csv')], { STRATUM_DATA_DIR: dataDir }));
    rmSync(dataDir, { recursive: true, force: true });
  }
  rows.push(`| import csv, ${observations.toLocaleString('en-US')} observation rows (13,400 patients), embedded PGlite | ${median(embedded.map((s) => s.seconds)).toFixed(1)} s | ${Math.max(...embedded.map((s) => s.maxRssMB)).toFixed(0)} MB | < 60 s |`);
  if (serverUrl) {
    const server: { seconds: number; maxRssMB: number }[] = [];
    for (let r = 0; r < repeats; r++) {
      await resetServer(serverUrl);
      server.push(timed(['import', 'csv', join(csvDir, 'csv')], { STRATUM_DATABASE_URL: serverUrl }));
    }
    rows.push(`| same import into PostgreSQL 15 on loopback (same machine) | ${median(server.map((s) => s.seconds)).toFixed(1)} s | ${Math.max(...server.map((s) => s.maxRssMB)).toFixed(0)} MB | < 30 s |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; medians of ${repeats} runs; wall time and peak RSS of the whole CLI process.\n`);
console.log('| step | median wall time | peak RSS | target |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
