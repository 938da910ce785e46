// Runs the server's study runs one at a time, each in a worker thread (study-worker.ts), so the server keeps answering
// while a study computes. The main thread does only what needs the database: it reads the registry's current records
// in small pages, yielding to the event loop between them, and streams them as stored to the worker, which
// de-identifies them before anything else (that, too, is CPU work kept off this thread); it writes each step,
// the audit record of the read and the outcome into study_runs (study-run-store.ts). A worker that crashes fails its
// run with the reason; closing the server terminates the worker and fails the runs it had not finished.
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { appendAudit } from '../registry/db/audit-log.js';
import { loadRecords } from '../registry/db/episode-store.js';
import { failUnfinishedRuns, finishRun, INTERRUPTED, markRunning, saveSteps, type RunOutcome, type RunStep } from './study-run-store.js';
import { startWorker } from '../worker-thread.js';
import type { FromStudyWorker, StudyWorkerData, ToStudyWorker } from './study-worker.js';
import type { ServerContext } from './server-context.js';

export interface StudyJob {
  readonly runId: string;
  readonly title: string;
  readonly specText: string;
  /** The audit actor (`user:NAME`). */
  readonly actor: string;
}

export interface StudyRunner {
  /** Runs the job (a stored run, status queued) after those queued before it. */
  enqueue(job: StudyJob): void;
  /** True once close() was called: no new runs. */
  readonly closing: boolean;
  /** Terminates the running worker, fails the run and the queued ones, and waits until that is stored. */
  close(): Promise<void>;
}

export interface StudyRunnerOptions {
  /** Starts the worker thread; tests replace it (e.g. with a worker that crashes). */
  readonly startWorker?: (data: StudyWorkerData) => Worker;
}

/**
 * Episodes read per page; the event loop gets a turn between pages. PGlite runs its queries in this thread without
 * ever yielding to timers or I/O, so with the embedded database a page is a stretch the server cannot answer: on the
 * demo registry a page of 2000 episodes blocked ~0.7 s, one of 25 ~40 ms, one of 5 ~12 ms (several times that on a
 * loaded machine). A PostgreSQL server answers over the network; there only building the records of a page blocks.
 */
const PAGE_EPISODES = { embedded: 5, server: 100 } as const;

/** The worker module beside this one: study-worker.js when compiled (dist/), study-worker.ts under tsx. */
function startStudyWorker(data: StudyWorkerData): Worker {
  const here = new URL(import.meta.url);
  return startWorker(new URL(`./study-worker.${here.pathname.endsWith('.ts') ? 'ts' : 'js'}`, here), data);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The run's progress: each step timed from the start and written to its row, one write after another. */
class StepLog {
  readonly steps: RunStep[] = [];
  private readonly started = Date.now();
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ServerContext,
    private readonly runId: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  add(step: string): void {
    this.steps.push({ step, at: new Date().toISOString(), elapsed_s: Math.round((Date.now() - this.started) / 100) / 10 });
    const snapshot = [...this.steps];
    // A lost progress update is not worth failing the study for; the outcome's write carries every step anyway.
    this.writes = this.writes.then(() => saveSteps(this.ctx.registry.db, this.runId, snapshot)).catch((err: unknown) => this.log.warn({ err, runId: this.runId }, 'study run: progress not stored'));
  }

  /** Waits for the step writes so far (the outcome's write must come after them). */
  settled(): Promise<void> {
    return this.writes;
  }
}

export function createStudyRunner(ctx: ServerContext, log: FastifyBaseLogger, options: StudyRunnerOptions = {}): StudyRunner {
  const start = options.startWorker ?? startStudyWorker;
  const queued = new Set<string>();
  let queue: Promise<void> = Promise.resolve();
  let closing = false;
  /** Stops the run in progress (terminates its worker or ends its registry read). */
  let stopCurrent: (() => void) | null = null;

  /** Reads the registry page by page and streams the records to the worker, until done or `stopped()`. */
  async function feed(worker: Worker, stopped: () => boolean): Promise<void> {
    const pageSize = PAGE_EPISODES[ctx.registry.kind];
    for await (const page of loadRecords(ctx.registry.db, { pageSize })) {
      if (stopped()) return;
      worker.postMessage({ kind: 'records', records: page } satisfies ToStudyWorker);
      // A few turns of the loop, not one: a request waiting on its socket needs more than one to be read and answered
      // (with one turn per page, /health answered in 2-3 pages' time on the demo registry).
      for (let turn = 0; turn < 3; turn++) await yieldToEventLoop();
    }
    worker.postMessage({ kind: 'end' } satisfies ToStudyWorker);
  }

  async function execute(job: StudyJob): Promise<void> {
    const db = ctx.registry.db;
    const steps = new StepLog(ctx, job.runId, log);
    await markRunning(db, job.runId, []);
    if (closing) return finishRun(db, job.runId, { ok: false, error: INTERRUPTED }, [], ctx.now());
    steps.add('reading the registry (de-identified)');

    let settle!: (outcome: RunOutcome) => void;
    let settled = false;
    const outcome = new Promise<RunOutcome>((resolve) => {
      settle = (o) => {
        if (settled) return;
        settled = true;
        resolve(o);
      };
    });
    let audited: Promise<void> | null = null;
    const worker = start({ kind: 'stratum-study-run', specText: job.specText });
    stopCurrent = () => {
      settle({ ok: false, error: INTERRUPTED });
      void worker.terminate();
    };

    worker.on('message', (m: FromStudyWorker) => {
      if (m.kind === 'step') steps.add(m.step);
      else if (m.kind === 'table') {
        const after = { records: m.records, rows: m.rows, sites: 'all', deidentified: true, study: job.title, runId: job.runId, dataSha256: m.sha256 };
        audited = db.transaction().execute((trx) =>
          appendAudit(trx, job.actor, [{ action: 'read', entity: 'registry', entityKey: 'study', before: null, after, reason: 'POST /api/studies/runs' }], ctx.now()),
        );
        audited.catch(() => {}); // awaited with the outcome below; this only keeps an early failure from going unhandled
      } else if (m.kind === 'done') settle({ ok: true, resultsJson: m.resultsJson, reportHtml: m.reportHtml });
      else {
        if (m.log) log.error({ runId: job.runId, detail: m.detail }, 'study run failed');
        settle({ ok: false, error: m.error });
      }
    });
    worker.on('error', (err) => {
      log.error({ err, runId: job.runId }, 'study worker crashed');
      settle({ ok: false, error: `the study worker crashed: ${err.message}` });
    });
    // After an outcome (or stopCurrent), the exit of the terminated worker changes nothing: settle keeps the first.
    worker.on('exit', (code) => settle({ ok: false, error: `the study worker stopped (exit code ${code}) before the run finished` }));

    try {
      await feed(worker, () => settled);
    } catch (err) {
      log.error({ err, runId: job.runId }, 'study run: reading the registry failed');
      settle({ ok: false, error: 'the study failed with an internal error (see the server log)' });
    }
    let result = await outcome;
    if (result.ok) {
      // No results without the audit record of the registry read they came from.
      try {
        if (audited === null) throw new Error('the worker finished without reporting its analysis table');
        await audited;
        steps.add('done');
      } catch (err) {
        log.error({ err, runId: job.runId }, 'study run: the audit record of the registry read was not written');
        result = { ok: false, error: 'the study failed with an internal error (see the server log)' };
      }
    }
    stopCurrent = null;
    await worker.terminate();
    await steps.settled();
    await finishRun(db, job.runId, result, steps.steps, ctx.now());
  }

  return {
    get closing() {
      return closing;
    },
    enqueue(job) {
      queued.add(job.runId);
      queue = queue.then(async () => {
        if (!queued.delete(job.runId)) return; // failed by close() before its turn
        try {
          await execute(job);
        } catch (err) {
          // Only the database writes of execute() get here (the worker's failures are outcomes); the row is failed at
          // the next start-up if this process cannot write it now.
          log.error({ err, runId: job.runId }, 'study run: its state could not be stored');
        }
      });
    },
    async close() {
      closing = true;
      const notStarted = [...queued];
      queued.clear();
      stopCurrent?.();
      await failUnfinishedRuns(ctx.registry.db, ctx.now(), notStarted).catch((err: unknown) => log.error({ err }, 'study runs: queued runs not marked failed'));
      await queue;
    },
  };
}
