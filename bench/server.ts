// `npm run bench:server`: the server's load targets (issue 6, item 5) against loopback with autocannon, on the
// EMBEDDED registry: >= 2,000 requests/s for the read endpoints (the patient board of a site, the patient view) and
// >= 500/s for the lab-entry endpoint (POST /api/patients/:id/observations, an anti-Xa/aPTT pair), p99 < 100 ms.
// The server runs in this process (logger off, 127.0.0.1:0) over a fresh registry of ~200 active patients at 4 sites
// (src/synth), an admin account and a bearer API token. Each phase runs STRATUM_BENCH_SECONDS (default 10) s,
// STRATUM_BENCH_REPEATS (default 3) times; medians go to a Markdown table for docs/benchmarks.md.
// The harness (seed, start, one autocannon phase) is exported for src/server/load.test.ts (short mode).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { parseEpisode } from '../src/clinical/episode/episode.js';
import type { EpisodeInput } from '../src/clinical/episode/episode-schema.js';
import { saveRecords } from '../src/registry/db/episode-store.js';
import { openRegistry, type Registry, type RegistryLocation } from '../src/registry/db/registry-connection.js';
import type { RegistryRecord } from '../src/registry/record.js';
import { createAccount } from '../src/server/auth/accounts.js';
import { newSecret, sha256Hex } from '../src/server/auth/secrets.js';
import { buildServer } from '../src/server/build-server.js';
import { DEFAULT_SERVER_CONFIG, type ServerContext } from '../src/server/server-context.js';
import { runPhaseInProcess, type PhaseName, type PhaseResult } from './load-client.js';
import { serverTarget } from '../test/support/registry.js';
import { generateRegistry } from '../src/synth/generate-registry.js';
import { synthParameters } from '../src/synth/synth-parameters.js';

export interface LoadSeed {
  readonly patients: number;
  readonly sites: number;
  readonly seed: number;
}

export const DEFAULT_LOAD_SEED: LoadSeed = { patients: 200, sites: 4, seed: 6 };

/** Synthetic records made still on the unit: no discharge, no death, the first device in place. */
export function activeRecords(seed: LoadSeed): RegistryRecord[] {
  const out: RegistryRecord[] = [];
  for (const p of generateRegistry(synthParameters({ patients: seed.patients, sites: seed.sites, seed: seed.seed }))) {
    const r = p.record;
    const [first, ...rest] = r.episode.devices ?? [];
    const { discharge: _d, ...times } = r.episode.times ?? {};
    const events = (r.episode.events ?? []).filter((e) => e.kind !== 'death');
    const devices = first ? [{ ...first, removal: undefined, removalReason: undefined }, ...rest] : [];
    const episode = JSON.parse(JSON.stringify({ ...r.episode, times, events, devices, followUp: {} })) as EpisodeInput;
    out.push({ ...r, episode });
  }
  return out;
}

/** Saves the records in one transaction (they must parse). */
export async function seedRegistry(registry: Registry, records: readonly RegistryRecord[], now: Date): Promise<void> {
  const items = records.map((record) => {
    const parsed = parseEpisode(record.episode);
    if (!parsed.ok) throw new Error(`seed record ${record.episode.id} does not parse: ${parsed.problems.map((x) => x.message).join('; ')}`);
    return { record, episode: parsed.episode };
  });
  await registry.db.transaction().execute((trx) => saveRecords(trx, items, { actor: 'bench', reason: 'seed', importId: null, now }));
}

/** An admin account and a bearer token for it (inserted as POST /api/auth/tokens would). */
export async function adminToken(ctx: ServerContext): Promise<string> {
  const accountId = await createAccount(ctx, { username: 'bench-admin', password: 'bench-admin-password-1', role: 'admin', sites: [] }, 'bench');
  const token = newSecret();
  const now = ctx.now();
  await ctx.registry.db
    .insertInto('api_tokens')
    .values({ account_id: accountId, name: 'load', token_sha256: sha256Hex(token), expires_at: new Date(now.getTime() + 86_400_000), created_at: now })
    .execute();
  return token;
}

export interface LoadTarget {
  readonly url: string;
  readonly token: string;
  readonly app: FastifyInstance;
  readonly registry: Registry;
  /** Registry episode ids with each one's anchor time (ms), and the site codes. */
  readonly episodes: readonly { readonly id: number; readonly site: string; readonly anchorMs: number }[];
  readonly sites: readonly string[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1:0 over `registry` (seeded and with a token here); close() stops it (not the registry). */
export async function startLoadTarget(registry: Registry, seed: LoadSeed = DEFAULT_LOAD_SEED): Promise<LoadTarget> {
  const ctx: ServerContext = { registry, config: DEFAULT_SERVER_CONFIG, now: () => new Date() };
  const records = activeRecords(seed);
  await seedRegistry(registry, records, new Date());
  const token = await adminToken(ctx);
  const rows = await registry.db.selectFrom('episodes as e').innerJoin('sites as s', 's.id', 'e.site_id').select(['e.id', 's.code as site', 'e.anchor_time']).orderBy('e.id').execute();
  const episodes = rows.map((r) => ({ id: r.id, site: r.site, anchorMs: new Date(r.anchor_time).getTime() }));
  const app = await buildServer(ctx, { logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, token, app, registry, episodes, sites: [...new Set(episodes.map((e) => e.site))].sort(), close: () => app.close() };
}

export type { PhaseName, PhaseResult } from './load-client.js';

export interface PhaseOptions {
  readonly seconds: number;
  readonly connections?: number;
}

let entriesUsed = 0;

/** One autocannon phase against the target, from a child process (bench/load-client.ts); requests spread over the sites and patients. */
export async function runPhase(target: LoadTarget, phase: PhaseName, options: PhaseOptions): Promise<PhaseResult> {
  const result = await runPhaseInProcess({
    url: target.url,
    token: target.token,
    sites: target.sites,
    episodes: target.episodes.map((e) => ({ id: e.id, anchorMs: e.anchorMs })),
    phase,
    seconds: options.seconds,
    connections: options.connections ?? 10,
    firstEntry: entriesUsed,
  });
  entriesUsed += result.entriesUsed;
  return result;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const TARGETS: Record<PhaseName, { rps: number; p99_ms: number }> = {
  board: { rps: 2000, p99_ms: 100 },
  view: { rps: 2000, p99_ms: 100 },
  'lab-entry': { rps: 500, p99_ms: 100 },
};

async function main(): Promise<void> {
  const seconds = Number(process.env['STRATUM_BENCH_SECONDS'] ?? '10');
  const repeats = Number(process.env['STRATUM_BENCH_REPEATS'] ?? '3');
  const connections = Number(process.env['STRATUM_BENCH_CONNECTIONS'] ?? '10');
  // STRATUM_BENCH_PHASES=view (for example): only these phases, so reads can be measured without writes between runs.
  const phases = (process.env['STRATUM_BENCH_PHASES'] ?? 'board,view,lab-entry').split(',').map((x) => x.trim()) as PhaseName[];
  for (const ph of phases) if (!['board', 'view', 'lab-entry'].includes(ph)) throw new Error(`STRATUM_BENCH_PHASES: unknown phase '${ph}'; expected board, view or lab-entry`);
  const all: Record<PhaseName, PhaseResult[]> = { board: [], view: [], 'lab-entry': [] };
  // STRATUM_BENCH_DATABASE_URL (a PostgreSQL server's admin URL): the same phases on a fresh database there.
  const serverUrl = process.env['STRATUM_BENCH_DATABASE_URL'];
  const dir = mkdtempSync(join(tmpdir(), 'stratum-bench-server-'));
  const fresh = serverUrl ? await serverTarget(serverUrl).fresh() : null;
  const location: RegistryLocation = fresh ? fresh.location : { dataDir: dir };
  const registry = await openRegistry(location);
  try {
    const target = await startLoadTarget(registry);
    process.stderr.write(`server at ${target.url}: ${target.episodes.length} episodes at ${target.sites.length} sites; ${seconds} s per phase, ${repeats} runs, ${connections} connections\n`);
    try {
      for (let run = 1; run <= repeats; run++) {
        for (const phase of phases) {
          // Warm-up (JIT, caches), not counted.
          if (run === 1) await runPhase(target, phase, { seconds: 2, connections });
          const r = await runPhase(target, phase, { seconds, connections });
          all[phase].push(r);
          process.stderr.write(`run ${run} ${phase}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms, errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}\n`);
        }
      }
    } finally {
      await target.close();
    }
  } finally {
    await registry.close();
    await fresh?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const cpu = cpus();
  console.log(`\n${new Date().toISOString()}: ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `${fresh ? 'PostgreSQL server (loopback)' : 'embedded registry'}, ${connections} connections, ${seconds} s per phase, load average after ${loadavg()[0]!.toFixed(2)}\n`);
  console.log('| endpoint | median req/s | runs (req/s) | median p99 | runs p99 (ms) | errors / non-2xx | target | met |');
  console.log('|---|---:|---|---:|---|---|---|---|');
  const names: Record<PhaseName, string> = {
    board: '`GET /api/patients?site=S` (board, ~50 patients)',
    view: '`GET /api/patients/:id` (patient view)',
    'lab-entry': '`POST /api/patients/:id/observations` (anti-Xa + aPTT)',
  };
  for (const phase of phases) {
    const rs = all[phase];
    const rps = median(rs.map((r) => r.rps));
    const p99 = median(rs.map((r) => r.p99_ms));
    const bad = rs.reduce((n, r) => n + r.errors + r.timeouts, 0);
    const non2xx = rs.reduce((n, r) => n + r.non2xx, 0);
    const t = TARGETS[phase];
    const met = rps >= t.rps && p99 < t.p99_ms && bad === 0 && non2xx === 0;
    console.log(`| ${names[phase]} | **${rps.toFixed(0)}** | ${rs.map((r) => r.rps.toFixed(0)).join(', ')} | **${p99} ms** | ${rs.map((r) => r.p99_ms).join(', ')} | ${bad} / ${non2xx} | >= ${t.rps}/s, p99 < ${t.p99_ms} ms | ${met ? 'met' : '**not met**'} |`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
