// The study workspace over HTTP, for researchers and admins. Studies run on the registry's DE-IDENTIFIED analysis
// table (the one `stratum dataset` writes), never on identified data:
//   GET  /api/studies                    bundled specs (examples/studies) and the specs saved in the registry
//   POST /api/studies                    save a spec {name, spec}
//   POST /api/studies/runs               run a spec {spec: YAML text or JSON object} -> 202 {runId}
//   GET  /api/studies/runs               the runs, newest first
//   GET  /api/studies/runs/:id           {status, steps[], error?}: progress of one run
//   GET  /api/studies/runs/:id/report    the HTML report (as `stratum study run` writes report.html)
//   GET  /api/studies/runs/:id/results   results.json
// Saved specs and runs (progress, outcome, report, results) are rows of the registry database (study-run-store.ts),
// so they outlive the server process. Runs execute one at a time in a worker thread (study-runner.ts), so the server
// keeps answering while a study computes.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { packageRoot } from '../package-root.js';
import { parseStudySpec, StudySpecError } from '../study/load-study-spec.js';
import { studySpecSchema, type StudySpec } from '../study/study-spec.js';
import { requireRole } from './auth/auth-hooks.js';
import { jsonSchemaOf, problemResponses } from './openapi.js';
import type { Principal, Role } from './principal.js';
import { parseInput, ProblemError } from './problem.js';
import type { ServerContext } from './server-context.js';
import { countSavedSpecs, failUnfinishedRuns, findRun, insertRun, insertSavedSpec, listRuns, listSavedSpecs, runOutput } from './study-run-store.js';
import { createStudyRunner } from './study-runner.js';

const STUDY_ROLES: readonly Role[] = ['researcher', 'admin'];
/** GET /api/studies/runs lists this many, newest first; every run stays in the registry and is found by its id. */
const LISTED_RUNS = 100;
const MAX_SAVED_SPECS = 200;

const specField = z.union([z.string().min(1).max(200_000), z.record(z.string(), z.unknown())]);
const runBodySchema = z.object({ spec: specField }).strict();
const saveBodySchema = z.object({ name: z.string().trim().min(1).max(200), spec: specField }).strict();
const runParamsSchema = z.object({ id: z.string().uuid() });

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

/** The spec's text as stored: YAML or JSON text as given, a JSON object as indented JSON (which also reads as YAML). */
const specText = (spec: string | Record<string, unknown>): string => (typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2));

export function registerStudyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const guard = requireRole(...STUDY_ROLES);
  const bundled = bundledStudies();
  const runner = createStudyRunner(ctx, app.log);

  // Runs a stopped process left queued or running will never finish: say so instead of showing them in progress.
  app.addHook('onReady', async () => {
    try {
      const n = await failUnfinishedRuns(ctx.registry.db, ctx.now());
      if (n > 0) app.log.warn({ runs: n }, 'study runs left unfinished by a previous server process are marked failed');
    } catch (err) {
      // The registry may be briefly unreachable (a PostgreSQL server restarting); the server still starts.
      app.log.error({ err }, 'study runs left unfinished could not be marked failed');
    }
  });
  app.addHook('onClose', () => runner.close());

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
      return { items: [...bundled, ...(await listSavedSpecs(ctx.registry.db))] };
    },
  );

  app.post(
    '/api/studies',
    {
      preHandler: guard,
      schema: {
        summary: 'Save a study spec in the registry (names are unique)',
        tags: ['studies'],
        body: jsonSchemaOf(saveBodySchema),
        response: { 201: studyEntrySchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const principal = researcher(request);
      const body = parseInput(saveBodySchema, request.body, 'body');
      const spec = specFromBody(body.spec);
      if ((await countSavedSpecs(ctx.registry.db)) >= MAX_SAVED_SPECS) throw new ProblemError(409, 'Conflict', `the registry keeps at most ${MAX_SAVED_SPECS} saved specs`);
      const entry = await insertSavedSpec(ctx.registry.db, {
        name: body.name,
        title: spec.title,
        description: spec.description ?? null,
        specText: specText(body.spec),
        createdBy: principal.username,
        createdAt: ctx.now(),
      });
      if (entry === null) throw new ProblemError(409, 'Conflict', `a spec named '${body.name}' is already saved; choose another name`, 'name');
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
      if (runner.closing) throw new ProblemError(503, 'Service Unavailable', 'the server is stopping');
      const text = specText(body.spec);
      const run = await insertRun(ctx.registry.db, { id: randomUUID(), title: spec.title, specText: text, createdBy: principal.username, createdAt: ctx.now() });
      runner.enqueue({ runId: run.id, title: run.title, specText: text, actor: actorOf(principal) });
      return reply.code(202).header('location', `/api/studies/runs/${run.id}`).send({ runId: run.id, status: run.status });
    },
  );

  app.get(
    '/api/studies/runs',
    {
      preHandler: guard,
      schema: {
        summary: `Study runs, newest first (the latest ${LISTED_RUNS})`,
        tags: ['studies'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: runSummaryProperties, required: Object.keys(runSummaryProperties) } } }, required: ['items'] },
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => {
      researcher(request);
      return { items: await listRuns(ctx.registry.db, LISTED_RUNS) };
    },
  );

  const runId = (request: FastifyRequest): string => {
    researcher(request);
    return parseInput(runParamsSchema, request.params, 'params').id;
  };
  const notFound = (id: string) => new ProblemError(404, 'Not Found', `no study run ${id}`, 'id');
  /** The report or results.json of a run that succeeded; 409 while it has none. */
  const finishedOutput = async (request: FastifyRequest, what: 'report_html' | 'results_json'): Promise<string> => {
    const id = runId(request);
    const out = await runOutput(ctx.registry.db, id, what);
    if (out === undefined) throw notFound(id);
    if (out.status !== 'succeeded' || out.text === null) {
      throw new ProblemError(409, 'Conflict', out.status === 'failed' ? `the run failed: ${out.error ?? ''}` : `the run is ${out.status}; its report is not ready`);
    }
    return out.text;
  };

  app.get(
    '/api/studies/runs/:id',
    {
      preHandler: guard,
      schema: { summary: 'Progress and status of a study run', tags: ['studies'], params: runIdParams, response: { 200: runSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => {
      const id = runId(request);
      const run = await findRun(ctx.registry.db, id);
      if (run === undefined) throw notFound(id);
      return run;
    },
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
      const html = await finishedOutput(request, 'report_html');
      // The report's own CSP is a <meta> tag in the HTML (src/report/study-report.ts); the header says the same.
      const { REPORT_CSP } = await import('../report/study-report.js');
      return reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP).send(html);
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
      const json = await finishedOutput(request, 'results_json');
      // Sent as the exact text results.json holds (already checked for non-finite numbers), not re-serialized.
      return reply.type('application/json; charset=utf-8').serializer((payload: unknown) => String(payload)).send(json);
    },
  );
}
