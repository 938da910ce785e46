// The study workspace's rows in the registry database (migration 0003-studies): saved specs, and study runs with
// their progress, outcome, report and results.json. Every query of the study routes and the study runner is here;
// the answers are the API's shapes (ISO times, camelCase), so the routes only pass them on.
import type { Kysely } from 'kysely';
import type { RegistryDatabase, StudyRunStep, StudyRunsTable } from '../registry/db/schema.js';

type Db = Kysely<RegistryDatabase>;

export type RunStatus = StudyRunsTable['status'];
export type RunStep = StudyRunStep;

/** A run as GET /api/studies/runs/:id answers it (the report and results are fetched on their own). */
export interface RunView {
  readonly id: string;
  readonly title: string;
  readonly status: RunStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly steps: readonly RunStep[];
}

/** A saved spec as GET /api/studies lists it. */
export interface SavedSpecView {
  readonly id: string;
  readonly origin: 'saved';
  readonly name: string;
  readonly title: string;
  readonly description: string | null;
  readonly spec: string;
  readonly savedBy: string;
  readonly savedAt: string;
}

export interface NewRun {
  readonly id: string;
  readonly title: string;
  readonly specText: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** What a run left: its report and results when it succeeded, else the message a researcher sees. */
export type RunOutcome = { readonly ok: true; readonly resultsJson: string; readonly reportHtml: string } | { readonly ok: false; readonly error: string };

export const INTERRUPTED = 'interrupted: the server stopped while this run was in progress';
export const NOT_STARTED = 'the server stopped before the run started';

const iso = (d: Date | string): string => new Date(d).toISOString();

/** jsonb comes back parsed from both drivers; a text value (should a driver not parse it) is parsed here. */
function stepsOf(value: unknown): RunStep[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? (list as RunStep[]) : [];
}

const RUN_COLUMNS = ['id', 'title', 'status', 'created_by', 'created_at', 'finished_at', 'error', 'steps'] as const;

function runView(row: { id: string; title: string; status: RunStatus; created_by: string; created_at: Date; finished_at: Date | null; error: string | null; steps: unknown }): RunView {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    error: row.error,
    steps: stepsOf(row.steps),
  };
}

export async function insertRun(db: Db, run: NewRun): Promise<RunView> {
  const row = await db
    .insertInto('study_runs')
    .values({ id: run.id, title: run.title, spec: run.specText, status: 'queued', steps: '[]', created_by: run.createdBy, created_at: run.createdAt })
    .returning(RUN_COLUMNS)
    .executeTakeFirstOrThrow();
  return runView(row);
}

export async function findRun(db: Db, id: string): Promise<RunView | undefined> {
  const row = await db.selectFrom('study_runs').select(RUN_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : runView(row);
}

/** The newest runs first (created_at, then id so runs of the same millisecond keep one order). */
export async function listRuns(db: Db, limit: number): Promise<RunView[]> {
  const rows = await db.selectFrom('study_runs').select(RUN_COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(runView);
}

/** The report or results.json of a run, with its status and error (null text until the run succeeded). */
export async function runOutput(db: Db, id: string, what: 'report_html' | 'results_json'): Promise<{ status: RunStatus; error: string | null; text: string | null } | undefined> {
  const row = await db.selectFrom('study_runs').select(['status', 'error', what]).where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  return { status: row.status, error: row.error, text: (row as Record<typeof what, string | null>)[what] };
}

export async function markRunning(db: Db, id: string, steps: readonly RunStep[]): Promise<void> {
  await db.updateTable('study_runs').set({ status: 'running', steps: JSON.stringify(steps) }).where('id', '=', id).execute();
}

export async function saveSteps(db: Db, id: string, steps: readonly RunStep[]): Promise<void> {
  await db.updateTable('study_runs').set({ steps: JSON.stringify(steps) }).where('id', '=', id).execute();
}

/**
 * Records how a run ended. Unconditional on purpose: with several server processes on one PostgreSQL database, a
 * process that starts marks the others' runs in progress as interrupted (failInterruptedRuns); the process that
 * really ran the run then writes its actual outcome over that mark.
 */
export async function finishRun(db: Db, id: string, outcome: RunOutcome, steps: readonly RunStep[], at: Date): Promise<void> {
  await db
    .updateTable('study_runs')
    .set(
      outcome.ok
        ? { status: 'succeeded', error: null, results_json: outcome.resultsJson, report_html: outcome.reportHtml, steps: JSON.stringify(steps), finished_at: at }
        : { status: 'failed', error: outcome.error, steps: JSON.stringify(steps), finished_at: at },
    )
    .where('id', '=', id)
    .execute();
}

/** Marks runs still queued or running as failed; returns how many. At start-up (left by a stopped process) and at close. */
export async function failUnfinishedRuns(db: Db, at: Date, ids?: readonly string[]): Promise<number> {
  if (ids !== undefined && ids.length === 0) return 0;
  const base = (status: RunStatus, error: string) => {
    let q = db.updateTable('study_runs').set({ status: 'failed', error, finished_at: at }).where('status', '=', status);
    if (ids !== undefined) q = q.where('id', 'in', [...ids]);
    return q.executeTakeFirst();
  };
  const running = await base('running', INTERRUPTED);
  const queued = await base('queued', ids === undefined ? INTERRUPTED : NOT_STARTED);
  return Number(running.numUpdatedRows) + Number(queued.numUpdatedRows);
}

function specView(row: { id: number; name: string; title: string; description: string | null; spec: string; created_by: string; created_at: Date }): SavedSpecView {
  return {
    id: `saved:${row.id}`,
    origin: 'saved',
    name: row.name,
    title: row.title,
    description: row.description,
    spec: row.spec,
    savedBy: row.created_by,
    savedAt: iso(row.created_at),
  };
}

const SPEC_COLUMNS = ['id', 'name', 'title', 'description', 'spec', 'created_by', 'created_at'] as const;

/** Saved specs, newest first. */
export async function listSavedSpecs(db: Db): Promise<SavedSpecView[]> {
  const rows = await db.selectFrom('study_specs').select(SPEC_COLUMNS).orderBy('id', 'desc').execute();
  return rows.map(specView);
}

export async function countSavedSpecs(db: Db): Promise<number> {
  const row = await db.selectFrom('study_specs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Saves a spec; null when the name is taken (checked by the unique constraint, so two saves cannot both win). */
export async function insertSavedSpec(
  db: Db,
  spec: { name: string; title: string; description: string | null; specText: string; createdBy: string; createdAt: Date },
): Promise<SavedSpecView | null> {
  const row = await db
    .insertInto('study_specs')
    .values({ name: spec.name, title: spec.title, description: spec.description, spec: spec.specText, created_by: spec.createdBy, created_at: spec.createdAt })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning(SPEC_COLUMNS)
    .executeTakeFirst();
  return row === undefined ? null : specView(row);
}
