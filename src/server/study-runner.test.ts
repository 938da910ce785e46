// The study runner's handling of its worker thread, with stand-in workers (the real one runs in study-routes.test.ts):
// a worker that crashes or exits fails its run with the reason; a worker that reports results without the analysis
// table they came from (so no audit record of the registry read) stores none; closing terminates the running worker
// and fails the run in progress and the queued ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from '../registry/db/registry-connection.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { DEFAULT_SERVER_CONFIG, type ServerContext } from './server-context.js';
import { findRun, insertRun, INTERRUPTED, NOT_STARTED, runOutput, type RunView } from './study-run-store.js';
import { createStudyRunner, type StudyRunnerOptions } from './study-runner.js';

interface LogLine {
  readonly level: string;
  readonly message: string;
}

/** A logger that keeps what it is told (error and warn lines), for asserting that failures are logged. */
function recordingLogger(lines: LogLine[]): FastifyBaseLogger {
  const keep = (level: string) => (_obj: unknown, message?: string) => void lines.push({ level, message: message ?? '' });
  const noop = () => {};
  const logger = { level: 'info', fatal: keep('fatal'), error: keep('error'), warn: keep('warn'), info: noop, debug: noop, trace: noop, silent: noop, child: () => logger };
  return logger as unknown as FastifyBaseLogger;
}

/** A worker from source text (CommonJS, as Node evaluates it). */
const evalWorker = (code: string) => () => new Worker(code, { eval: true });

async function newRun(registry: Registry, n: number): Promise<string> {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  await insertRun(registry.db, { id, title: `run ${n}`, specText: 'title: x', createdBy: 'tester', createdAt: new Date() });
  return id;
}

async function waitFor(registry: Registry, id: string, done: (run: RunView) => boolean, timeout_ms = 30_000): Promise<RunView> {
  const deadline = Date.now() + timeout_ms;
  for (;;) {
    const run = await findRun(registry.db, id);
    assert.ok(run, `run ${id} exists`);
    if (done(run)) return run;
    if (Date.now() > deadline) assert.fail(`run ${id} still ${run.status} after ${timeout_ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const finished = (run: RunView) => run.status === 'succeeded' || run.status === 'failed';

for (const target of registryTargets()) {
  describe(`study runner (${target.name} registry)`, () => {
    const withRunner = (options: StudyRunnerOptions, body: (registry: Registry, runner: ReturnType<typeof createStudyRunner>, log: LogLine[]) => Promise<void>) =>
      withFreshRegistry(target, async (registry) => {
        const ctx: ServerContext = { registry, config: DEFAULT_SERVER_CONFIG, now: () => new Date() };
        const log: LogLine[] = [];
        const runner = createStudyRunner(ctx, recordingLogger(log), options);
        try {
          await body(registry, runner, log);
        } finally {
          await runner.close();
        }
      });

    it('fails the run with the reason when its worker crashes or exits, and logs it', { timeout: 120_000 }, async () => {
      await withRunner({ startWorker: evalWorker(`throw new Error('boom in the worker')`) }, async (registry, runner, log) => {
        const id = await newRun(registry, 1);
        runner.enqueue({ runId: id, title: 'run 1', specText: 'title: x', actor: 'user:tester' });
        const run = await waitFor(registry, id, finished);
        assert.equal(run.status, 'failed');
        assert.equal(run.error, 'the study worker crashed: boom in the worker');
        assert.ok(run.finishedAt !== null);
        assert.ok(log.some((l) => l.level === 'error' && /crashed/.test(l.message)), JSON.stringify(log));
      });
      await withRunner({ startWorker: evalWorker('process.exit(3)') }, async (registry, runner) => {
        const id = await newRun(registry, 2);
        runner.enqueue({ runId: id, title: 'run 2', specText: 'title: x', actor: 'user:tester' });
        const run = await waitFor(registry, id, finished);
        assert.equal(run.status, 'failed');
        assert.equal(run.error, 'the study worker stopped (exit code 3) before the run finished');
      });
    });

    it('stores no results a worker reports without the table it read (no audit record of the read)', { timeout: 120_000 }, async () => {
      const answersDone = `
        const { parentPort } = require('node:worker_threads');
        parentPort.on('message', (m) => {
          if (m.kind === 'end') parentPort.postMessage({ kind: 'done', resultsJson: '{}', reportHtml: '<p>results</p>' });
        });`;
      await withRunner({ startWorker: evalWorker(answersDone) }, async (registry, runner, log) => {
        const id = await newRun(registry, 3);
        runner.enqueue({ runId: id, title: 'run 3', specText: 'title: x', actor: 'user:tester' });
        const run = await waitFor(registry, id, finished);
        assert.equal(run.status, 'failed');
        assert.match(run.error ?? '', /internal error/);
        assert.equal((await runOutput(registry.db, id, 'report_html'))?.text, null);
        assert.ok(log.some((l) => /audit record/.test(l.message)), JSON.stringify(log));
      });
    });

    it('on close, terminates the running worker and fails the run in progress and the queued ones', { timeout: 120_000 }, async () => {
      const workers: Worker[] = [];
      const silent = () => {
        // Takes the records and never answers, like a long study.
        const w = new Worker(`require('node:worker_threads').parentPort.on('message', () => {})`, { eval: true });
        workers.push(w);
        return w;
      };
      await withRunner({ startWorker: silent }, async (registry, runner) => {
        const first = await newRun(registry, 4);
        const second = await newRun(registry, 5);
        runner.enqueue({ runId: first, title: 'run 4', specText: 'title: x', actor: 'user:tester' });
        runner.enqueue({ runId: second, title: 'run 5', specText: 'title: x', actor: 'user:tester' });
        await waitFor(registry, first, (r) => r.status === 'running' && workers.length === 1);
        const exited = new Promise<number>((resolve) => workers[0]!.once('exit', resolve));
        assert.equal(runner.closing, false);
        await runner.close();
        assert.equal(runner.closing, true);
        await exited; // the worker was terminated (a silent worker never ends on its own)
        const a = await findRun(registry.db, first);
        const b = await findRun(registry.db, second);
        assert.deepEqual([a?.status, a?.error], ['failed', INTERRUPTED]);
        assert.deepEqual([b?.status, b?.error], ['failed', NOT_STARTED]);
        assert.equal(workers.length, 1, 'the queued run never started a worker');
      });
    });
  });
}
