// The load generator of the server benchmark and load test, in a child process of its own: autocannon then uses
// the machine's second core instead of taking turns with the server on the event loop it is measuring (as wrk
// would). runPhase (bench/server.ts) forks this file once per phase and gets the result back over IPC. (Not a
// worker thread: autocannon inside a worker thread acts as one of its own workers and returns no histogram.)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export type PhaseName = 'board' | 'view' | 'lab-entry';

export interface PhaseJob {
  readonly kind: 'stratum-load-phase';
  readonly url: string;
  readonly token: string;
  readonly sites: readonly string[];
  readonly episodes: readonly { readonly id: number; readonly anchorMs: number }[];
  readonly phase: PhaseName;
  readonly seconds: number;
  readonly connections: number;
  /** Lab entries are numbered from here (their times must not repeat across phases). */
  readonly firstEntry: number;
}

export interface PhaseResult {
  readonly phase: PhaseName;
  readonly requests: number;
  readonly rps: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Lab entries numbered by this phase (sent, whether answered or not). */
  readonly entriesUsed: number;
}

/** An anti-Xa/aPTT pair for one episode at anchor + 48 h + n s (n unique to the entry). */
export function labEntryBody(anchorMs: number, n: number): string {
  const time = new Date(anchorMs + 48 * 3_600_000 + n * 1000).toISOString();
  return JSON.stringify({ observations: [{ time, code: 'anti_xa_IU_mL', value: 0.3 + (n % 5) / 20 }, { time, code: 'aptt_s', value: 55 + (n % 7) * 3 }] });
}

async function runJob(job: PhaseJob): Promise<PhaseResult> {
  const headers = { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' };
  let k = 0;
  let entry = job.firstEntry;
  const next = <T>(xs: readonly T[]): T => xs[k++ % xs.length]!;
  const request: autocannon.Request = {
    method: job.phase === 'lab-entry' ? 'POST' : 'GET',
    path: '/',
    headers,
    setupRequest: (req) => {
      if (job.phase === 'board') return { ...req, path: `/api/patients?site=${encodeURIComponent(next(job.sites))}` };
      const e = next(job.episodes);
      if (job.phase === 'view') return { ...req, path: `/api/patients/${e.id}` };
      entry += 1;
      return { ...req, path: `/api/patients/${e.id}/observations`, body: labEntryBody(e.anchorMs, entry) };
    },
  };
  const result = await autocannon({ url: job.url, connections: job.connections, duration: job.seconds, timeout: 10, requests: [request] });
  return {
    phase: job.phase,
    requests: result.requests.total,
    rps: result.requests.total / Math.max(result.duration, 1e-9),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    entriesUsed: entry - job.firstEntry,
  };
}

/** Runs one phase in a child process (this file: its .js when compiled, its .ts under tsx) and resolves with its result. */
export function runPhaseInProcess(job: Omit<PhaseJob, 'kind'>): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    // Under tsx the loader flags are in execArgv and are passed on; node --test's own flags are not.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
    const child = fork(fileURLToPath(import.meta.url), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (m: { ok: true; result: PhaseResult } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.result);
      else reject(new Error(`load client: ${m.error}`));
      child.disconnect();
    });
    child.once('error', (e) => { settled = true; reject(e); });
    child.once('exit', (code) => { if (!settled) reject(new Error(`load client exited with code ${code} before answering`)); });
    child.send({ ...job, kind: 'stratum-load-phase' } satisfies PhaseJob);
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1] && process.send !== undefined) {
  process.once('message', (job: PhaseJob) => {
    if (job.kind !== 'stratum-load-phase') return;
    runJob(job).then(
      (result) => process.send?.({ ok: true, result }),
      (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
