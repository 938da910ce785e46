// The study workspace over HTTP, for researchers and admins. Studies run on the registry's DE-IDENTIFIED analysis
// table (the one `stratum dataset` writes), never on identified data:
//   GET  /api/studies                    bundled specs (examples/studies) and specs saved on this server
//   POST /api/studies                    save a spec {name, spec}
//   POST /api/studies/runs               run a spec {spec: YAML text or JSON object} -> 202 {runId}
//   GET  /api/studies/runs               the runs, newest first
//   GET  /api/studies/runs/:id           {status, steps[], error?}: progress of one run
//   GET  /api/studies/runs/:id/report    the HTML report (as `stratum study run` writes report.html)
//   GET  /api/studies/runs/:id/results   results.json
// Saved specs and runs are kept in memory by this server process (lost on restart; docs/server.md). Runs execute
// one at a time, in-process: the pipeline is synchronous, so the server answers more slowly while a study runs.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { packageRoot } from '../package-root.js';
import { DataError } from '../data/data-error.js';
import { analysisTableCsv } from '../registry/dataset/index.js';
import { readRegistryAnalysisRows, type RowsProgress } from '../registry/dataset/registry-analysis-rows.js';
import { appendAudit } from '../registry/db/audit-log.js';
import { StatsError } from '../stats/stats-error.js';
import { parseStudySpec, StudySpecError } from '../study/load-study-spec.js';
import { resultsJson, stratumVersion } from '../study/results-json.js';
import { studySpecSchema, type StudySpec } from '../study/study-spec.js';
import { analysisTableFromCsvText } from '../study/study-table.js';
import { requireRole } from './auth/auth-hooks.js';
import { jsonSchemaOf, problemResponses } from './openapi.js';
import type { Principal, Role } from './principal.js';
import { parseInput, ProblemError } from './problem.js';
import type { ServerContext } from './server-context.js';

const STUDY_ROLES: readonly Role[] = ['researcher', 'admin'];
/** Finished runs kept in memory; the oldest finished one goes when a new run would exceed this. */
const MAX_RUNS = 100;
const MAX_SAVED_SPECS = 200;

const specField = z.union([z.string().min(1).max(200_000), z.record(z.string(), z.unknown())]);
const runBodySchema = z.object({ spec: specField }).strict();
const saveBodySchema = z.object({ name: z.string().trim().min(1).max(200), spec: specField }).strict();
const runParamsSchema = z.object({ id: z.string().uuid() });

type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

interface RunStep {
  readonly step: string;
  readonly at: string;
  readonly elapsed_s: number;
}

interface StudyRun {
  readonly id: string;
  readonly title: string;
  readonly spec: StudySpec;
  readonly createdBy: string;
  readonly createdAt: string;
  status: RunStatus;
  finishedAt: string | null;
  readonly steps: RunStep[];
  error: string | null;
  reportHtml: string | null;
  resultsJson: string | null;
}

interface StudyEntry {
  readonly id: string;
  readonly origin: 'bundled' | 'saved';
  readonly name: string;
  readonly title: string;
  readonly description: string | null;
  /** The spec as text (YAML for bundled files, YAML or JSON as saved), ready to edit. */
  readonly spec: string;
  readonly savedBy: string | null;
  readonly savedAt: string | null;
}

const stepSchema = {
  type: 'object',
  properties: { step: { type: 'string' }, at: { type: 'string', format: 'date-time' }, elapsed_s: { type: 'number' } },
  required: ['step', 'at', 'elapsed_s'],
} as const;

const runSummaryProperties = {
  id: { type: 'string' },
  title: { type: 'string' },
  status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
  createdBy: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  finishedAt: { type: 'string', format: 'date-time', nullable: true },
  error: { type: 'string', nullable: true },
} as const;

const runSchema = {
  type: 'object',
  properties: { ...runSummaryProperties, steps: { type: 'array', items: stepSchema } },
  required: ['id', 'title', 'status', 'createdBy', 'createdAt', 'finishedAt', 'error', 'steps'],
} as const;

const studyEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    origin: { type: 'string', enum: ['bundled', 'saved'] },
    name: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string', nullable: true },
    spec: { type: 'string' },
    savedBy: { type: 'string', nullable: true },
    savedAt: { type: 'string', format: 'date-time', nullable: true },
  },
  required: ['id', 'origin', 'name', 'title', 'description', 'spec', 'savedBy', 'savedAt'],
} as const;

const runIdParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;

/** Defence in depth beside requireRole: the handler itself refuses a missing or wrong principal. */
function researcher(request: FastifyRequest): Principal {
  const p = request.principal;
  if (!p) throw new ProblemError(401, 'Unauthorized', 'log in or give an API token');
  if (!STUDY_ROLES.includes(p.role)) throw new ProblemError(403, 'Forbidden', 'studies are for researchers and admins');
  return p;
}

const actorOf = (p: Principal) => `user:${p.username}`;

/** "outcomes[1].horizon_d: message" -> {field: "spec.outcomes[1].horizon_d", detail: "message"} */
function specProblems(problems: readonly string[]): Array<{ field: string; detail: string }> {
  return problems.map((p) => {
    const cut = p.indexOf(': ');
    const path = cut < 0 ? '(spec)' : p.slice(0, cut);
    const detail = cut < 0 ? p : p.slice(cut + 2);
    return { field: path === '(spec)' || path === '(file)' || path.startsWith('line ') ? 'spec' : `spec.${path}`, detail: path.startsWith('line ') ? `${path}: ${detail}` : detail };
  });
}

/** Validates a spec given as YAML/JSON text or as a JSON object; only registry sources run on the server. */
function specFromBody(spec: string | Record<string, unknown>): StudySpec {
  let parsed: StudySpec;
  try {
    if (typeof spec === 'string') parsed = parseStudySpec(spec, 'spec.yaml');
    else {
      const r = studySpecSchema.safeParse(spec);
      if (!r.success) {
        throw new StudySpecError('spec', r.error.issues.map((i) => `${i.path.length === 0 ? '(spec)' : i.path.map((k, n) => (typeof k === 'number' ? `[${k}]` : `${n === 0 ? '' : '.'}${String(k)}`)).join('')}: ${i.message}`));
      }
      parsed = r.data;
    }
  } catch (error) {
    if (!(error instanceof StudySpecError)) throw error;
    const errors = specProblems(error.problems);
    throw new ProblemError(400, 'Invalid study spec', `the study spec has ${errors.length} problem(s): ${errors.map((e) => `${e.field}: ${e.detail}`).join('; ')}`, errors[0]?.field, errors);
  }
  if (!('registry' in parsed.source)) {
    throw new ProblemError(400, 'Invalid study spec', 'the server runs studies on the registry only: use source: {registry: true}', 'spec.source');
  }
  return parsed;
}

/** The specs under examples/studies, read once at start-up. */
function bundledStudies(): StudyEntry[] {
  const dir = join(packageRoot(), 'examples', 'studies');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f).toLowerCase())).sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const spec = parseStudySpec(text, file);
    const name = basename(file, extname(file));
    return { id: `bundled:${name}`, origin: 'bundled', name, title: spec.title, description: spec.description ?? null, spec: text, savedBy: null, savedAt: null };
  });
}

function runView(run: StudyRun) {
  return {
    id: run.id,
    title: run.title,
    status: run.status,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    error: run.error,
    steps: run.steps,
  };
}

/** The pipeline and the report renderer, loaded on the first run (they pull in the statistics and vega). */
async function pipeline() {
  const [{ runStudy }, { renderStudyReport }] = await Promise.all([import('../study/run-study.js'), import('../report/study-report.js')]);
  return { runStudy, renderStudyReport };
}

/** Runs one study on the de-identified analysis table and keeps the report and results.json in the run. */
async function executeRun(ctx: ServerContext, run: StudyRun, actor: string, log: FastifyInstance['log']): Promise<void> {
  const started = Date.now();
  const step = (text: string) => run.steps.push({ step: text, at: new Date().toISOString(), elapsed_s: Math.round((Date.now() - started) / 100) / 10 });
  run.status = 'running';
  try {
    let label = '';
    const progress: RowsProgress = {
      update(next) {
        if (next !== label) step((label = next));
      },
      done() {},
    };
    step('reading the registry (de-identified)');
    const { rows, records, problems } = await readRegistryAnalysisRows(ctx.registry, undefined, progress);
    if (problems.length > 0) step(`${problems.length} episode(s) could not be assessed and are not in the table`);
    const { table, sha256 } = analysisTableFromCsvText(analysisTableCsv(rows), 'analysis table of the registry');
    await ctx.registry.db.transaction().execute((trx) =>
      appendAudit(
        trx,
        actor,
        [{ action: 'read', entity: 'registry', entityKey: 'study', before: null, after: { records, rows: rows.length, sites: 'all', deidentified: true, study: run.title, runId: run.id, dataSha256: sha256 }, reason: 'POST /api/studies/runs' }],
        ctx.now(),
      ),
    );
    const { runStudy, renderStudyReport } = await pipeline();
    const results = runStudy(run.spec, table, { dataSha256: sha256, stratumVersion: stratumVersion(), onProgress: step });
    step('writing the report');
    run.resultsJson = resultsJson(results);
    run.reportHtml = await renderStudyReport(results);
    step('done');
    run.status = 'succeeded';
  } catch (error) {
    run.status = 'failed';
    if (error instanceof DataError || error instanceof StatsError || error instanceof StudySpecError) run.error = error.message;
    else {
      log.error({ err: error, runId: run.id }, 'study run failed');
      run.error = error instanceof Error && /non-finite/.test(error.message) ? error.message : 'the study failed with an internal error (see the server log)';
    }
  } finally {
    run.finishedAt = new Date().toISOString();
  }
}

export function registerStudyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const guard = requireRole(...STUDY_ROLES);
  const bundled = bundledStudies();
  const saved = new Map<string, StudyEntry>();
  const runs = new Map<string, StudyRun>();
  let queue: Promise<void> = Promise.resolve();
  let closing = false;

  app.addHook('onClose', async () => {
    closing = true;
    await queue;
  });

  app.get(
    '/api/studies',
    {
      preHandler: guard,
      schema: {
        summary: 'Study specs: bundled and saved',
        tags: ['studies'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: studyEntrySchema } }, required: ['items'] }, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      researcher(request);
      return { items: [...bundled, ...[...saved.values()].reverse()] };
    },
  );

  app.post(
    '/api/studies',
    {
      preHandler: guard,
      schema: {
        summary: 'Save a study spec (kept in memory by this server)',
        tags: ['studies'],
        body: jsonSchemaOf(saveBodySchema),
        response: { 201: studyEntrySchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const principal = researcher(request);
      const body = parseInput(saveBodySchema, request.body, 'body');
      const spec = specFromBody(body.spec);
      if (saved.size >= MAX_SAVED_SPECS) throw new ProblemError(409, 'Conflict', `this server keeps at most ${MAX_SAVED_SPECS} saved specs`);
      const id = `saved:${randomUUID()}`;
      const entry: StudyEntry = {
        id,
        origin: 'saved',
        name: body.name,
        title: spec.title,
        description: spec.description ?? null,
        spec: typeof body.spec === 'string' ? body.spec : JSON.stringify(body.spec, null, 2),
        savedBy: principal.username,
        savedAt: ctx.now().toISOString(),
      };
      saved.set(id, entry);
      return reply.code(201).send(entry);
    },
  );

  app.post(
    '/api/studies/runs',
    {
      preHandler: guard,
      schema: {
        summary: 'Run a study on the de-identified registry',
        tags: ['studies'],
        body: jsonSchemaOf(runBodySchema),
        response: {
          202: { type: 'object', properties: { runId: { type: 'string' }, status: { type: 'string' } }, required: ['runId', 'status'] },
          ...problemResponses(400, 401, 403, 503),
        },
      },
    },
    async (request, reply) => {
      const principal = researcher(request);
      const body = parseInput(runBodySchema, request.body, 'body');
      const spec = specFromBody(body.spec);
      if (closing) throw new ProblemError(503, 'Service Unavailable', 'the server is stopping');
      const run: StudyRun = {
        id: randomUUID(),
        title: spec.title,
        spec,
        createdBy: principal.username,
        createdAt: ctx.now().toISOString(),
        status: 'queued',
        finishedAt: null,
        steps: [],
        error: null,
        reportHtml: null,
        resultsJson: null,
      };
      runs.set(run.id, run);
      if (runs.size > MAX_RUNS) {
        const oldest = [...runs.values()].find((r) => r.status === 'succeeded' || r.status === 'failed');
        if (oldest) runs.delete(oldest.id);
      }
      const actor = actorOf(principal);
      queue = queue.then(() =>
        closing
          ? void Object.assign(run, { status: 'failed', error: 'the server stopped before the run started', finishedAt: new Date().toISOString() })
          : executeRun(ctx, run, actor, app.log),
      );
      return reply.code(202).header('location', `/api/studies/runs/${run.id}`).send({ runId: run.id, status: run.status });
    },
  );

  app.get(
    '/api/studies/runs',
    {
      preHandler: guard,
      schema: {
        summary: 'Study runs, newest first',
        tags: ['studies'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: runSummaryProperties, required: Object.keys(runSummaryProperties) } } }, required: ['items'] },
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => {
      researcher(request);
      return { items: [...runs.values()].reverse().map(runView) };
    },
  );

  const findRun = (request: FastifyRequest): StudyRun => {
    researcher(request);
    const { id } = parseInput(runParamsSchema, request.params, 'params');
    const run = runs.get(id);
    if (!run) throw new ProblemError(404, 'Not Found', `no study run ${id} on this server (runs are kept in memory until the server restarts)`, 'id');
    return run;
  };
  const finishedRun = (request: FastifyRequest): StudyRun & { reportHtml: string; resultsJson: string } => {
    const run = findRun(request);
    if (run.status !== 'succeeded' || run.reportHtml === null || run.resultsJson === null) {
      throw new ProblemError(409, 'Conflict', run.status === 'failed' ? `the run failed: ${run.error ?? ''}` : `the run is ${run.status}; its report is not ready`);
    }
    return run as StudyRun & { reportHtml: string; resultsJson: string };
  };

  app.get(
    '/api/studies/runs/:id',
    {
      preHandler: guard,
      schema: { summary: 'Progress and status of a study run', tags: ['studies'], params: runIdParams, response: { 200: runSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => runView(findRun(request)),
  );

  app.get(
    '/api/studies/runs/:id/report',
    {
      preHandler: guard,
      schema: {
        summary: 'The HTML report of a finished run',
        tags: ['studies'],
        params: runIdParams,
        produces: ['text/html'],
        response: { 200: { description: 'The study report (HTML)', type: 'string' }, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const run = finishedRun(request);
      // The report's own CSP is a <meta> tag in the HTML (src/report/study-report.ts); the header says the same.
      const { REPORT_CSP } = await import('../report/study-report.js');
      return reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP).send(run.reportHtml);
    },
  );

  app.get(
    '/api/studies/runs/:id/results',
    {
      preHandler: guard,
      schema: {
        summary: 'results.json of a finished run',
        tags: ['studies'],
        params: runIdParams,
        response: { 200: { description: 'results.json (docs/study-spec.md)', type: 'object', additionalProperties: true }, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const run = finishedRun(request);
      // Sent as the exact text results.json holds (already checked for non-finite numbers), not re-serialized.
      return reply.type('application/json; charset=utf-8').serializer((payload: unknown) => String(payload)).send(run.resultsJson);
    },
  );
}
