// The bedside API: the patient board, the patient view and data entry (observations, events, infusions, devices).
// Identified data: admins see every site, clinicians their own sites only (another site's patient is a 404, so its
// existence is not revealed); researchers and auditors get 403. Every read writes an audit record ('read'); every
// entry is merged into the stored episode, checked by the engine's parseEpisode (its messages, with the request's
// field names), and saved as a new episode version with its audit record (saveRecords). Responses carry what the
// engine computes for the entry: a pair's classification and next step, a bleed's class under every definition.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assessAnticoagulation } from '../clinical/anticoagulation/index.js';
import { assessBleeding } from '../clinical/bleeding/index.js';
import { minutesBetween, parseEpisode, type Episode, type EpisodeInput, type InputProblem, type InputWarning } from '../clinical/episode/episode.js';
import { gradeHemolysis } from '../clinical/hemolysis/hemolysis-grade.js';
import { appendAudit } from '../registry/db/audit-log.js';
import { appendObservations, loadRecords, saveRecords } from '../registry/db/episode-store.js';
import type { RegistryDatabase } from '../registry/db/schema.js';
import { isRegistryUnavailable } from '../registry/db/registry-connection.js';
import type { RegistryRecord } from '../registry/record.js';
import type { Kysely } from 'kysely';
import { requireRole } from './auth/auth-hooks.js';
import { boardEntry, isActive, type BoardEntry } from './patient-board.js';
import { PatientCache, type CachedEpisode } from './patient-cache.js';
import {
  boardQuerySchema,
  devicesBodyDoc,
  devicesBodySchema,
  episodeParamsSchema,
  eventsBodyDoc,
  eventsBodySchema,
  infusionsBodyDoc,
  infusionsBodySchema,
  observationsBodyDoc,
  observationsBodySchema,
  openApiSchema,
  type DevicesBody,
  type InfusionsBody,
} from './patient-input.js';
import { bleedingEventView, nextStepView, pairView, patientView, type BleedingEventView, type NextStepView, type PairView } from './patient-view.js';
import { canSeeIdentifiedSite, type Principal, type Role } from './principal.js';
import { parseInput, ProblemError } from './problem.js';
import type { ServerContext } from './server-context.js';

const BEDSIDE_ROLES: readonly Role[] = ['admin', 'clinician'];

/** The caller, checked again here (defence in depth: the auth hook and requireRole run first). */
function bedsidePrincipal(request: FastifyRequest): Principal {
  const p = request.principal ?? null;
  if (!p) throw new ProblemError(401, 'Not authenticated', 'Log in or send an API token.');
  if (!BEDSIDE_ROLES.includes(p.role)) throw new ProblemError(403, 'Forbidden', `This needs the role admin or clinician; you are ${p.role}.`);
  return p;
}

const actorOf = (p: Principal): string => `user:${p.username}`;

interface EpisodeRef {
  readonly id: number;
  readonly site: string;
  readonly sourceId: string;
  readonly version: number;
}

function notFound(id: number): ProblemError {
  return new ProblemError(404, 'Not Found', `No patient episode ${id} that you may see.`, 'episodeId');
}

/** The episode row behind :episodeId, if the caller may see its site; otherwise 404 (the same answer as "no such episode"). */
async function visibleEpisode(db: Kysely<RegistryDatabase>, p: Principal, id: number): Promise<EpisodeRef> {
  const row = await db
    .selectFrom('episodes as e')
    .innerJoin('sites as s', 's.id', 'e.site_id')
    .select(['e.id', 'e.source_id', 'e.version', 's.code as site'])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row || !canSeeIdentifiedSite(p, row.site)) throw notFound(id);
  return { id: row.id, site: row.site, sourceId: row.source_id, version: row.version };
}

/** The current record of one episode (episode ids are unique within a site). */
async function loadRecord(db: Kysely<RegistryDatabase>, ref: EpisodeRef): Promise<RegistryRecord> {
  for await (const page of loadRecords(db, { sites: [ref.site], episodeIds: [ref.sourceId] })) {
    const found = page.find((r) => r.episode.id === ref.sourceId);
    if (found) return found;
  }
  throw notFound(ref.id);
}

function parseStored(record: RegistryRecord): Episode {
  const parsed = parseEpisode(record.episode);
  if (!parsed.ok) throw new Error(`stored episode ${record.site}/${record.episode.id} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.episode;
}

/** The episode at `ref.version` from the cache, or loaded, parsed and kept (the version was read just before). */
async function cachedEpisode(db: Kysely<RegistryDatabase>, cache: PatientCache, ref: EpisodeRef): Promise<CachedEpisode> {
  const hit = cache.get(ref.id, ref.version);
  if (hit) return hit;
  const record = await loadRecord(db, ref);
  return cache.set(ref.id, ref.version, record, parseStored(record));
}

/** Episodes as of the versions just read (board), from the cache or loaded in one loadRecords per 1000 misses. */
async function cachedEpisodes(db: Kysely<RegistryDatabase>, cache: PatientCache, refs: readonly EpisodeRef[]): Promise<Map<number, CachedEpisode>> {
  const out = new Map<number, CachedEpisode>();
  const missing: EpisodeRef[] = [];
  for (const ref of refs) {
    const hit = cache.get(ref.id, ref.version);
    if (hit) out.set(ref.id, hit);
    else missing.push(ref);
  }
  for (let start = 0; start < missing.length; start += 1000) {
    const chunk = missing.slice(start, start + 1000);
    const byKey = new Map(chunk.map((r) => [`${r.site}/${r.sourceId}`, r]));
    const sites = [...new Set(chunk.map((r) => r.site))];
    for await (const page of loadRecords(db, { sites, episodeIds: [...new Set(chunk.map((r) => r.sourceId))] })) {
      for (const record of page) {
        const ref = byKey.get(`${record.site}/${record.episode.id}`);
        if (ref) out.set(ref.id, cache.set(ref.id, ref.version, record, parseStored(record)));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- entry: merge, check, save

/** Maps a problem path of the merged episode (e.g. 'observations[12].value') to the request's field, if it is one. */
type FieldMap = (path: string) => string | undefined;

/** Appended records of `section` (from index `base`) are the request's `field[k]`. */
function appended(section: string, base: number, field: string, single = false): FieldMap {
  const re = new RegExp(`^${section}\\[(\\d+)\\](.*)$`);
  return (path) => {
    const m = re.exec(path);
    if (!m || Number(m[1]) < base) return undefined;
    return single ? `${field}${m[2]}` : `${field}[${Number(m[1]) - base}]${m[2]}`;
  };
}

/** A changed record `section[index]`: its fields map through `fields` (e.g. end -> at). */
function changed(section: string, index: number, fields: Readonly<Record<string, string>>, whole: string): FieldMap {
  const prefix = `${section}[${index}]`;
  return (path) => {
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(prefix.length).replace(/^\./, '');
    const key = rest.split(/[.[]/)[0] ?? '';
    return fields[key] ?? whole;
  };
}

function anyOf(...maps: FieldMap[]): FieldMap {
  return (path) => {
    for (const m of maps) {
      const f = m(path);
      if (f !== undefined) return f;
    }
    return undefined;
  };
}

/** parseEpisode's problems as a 400 problem naming the request's fields (its own messages, paths rewritten). */
function entryProblem(problems: readonly InputProblem[], map: FieldMap): ProblemError {
  const errors = problems.map((pr) => {
    const field = map(pr.path) ?? `episode.${pr.path}`;
    const detail = pr.message.startsWith(pr.path) ? `${field}${pr.message.slice(pr.path.length)}` : pr.message;
    return { field, detail };
  });
  return new ProblemError(400, 'Invalid entry', errors.map((e) => e.detail).join('; '), errors[0]?.field, errors);
}

interface Entry {
  /** The episode input with the entry applied. */
  readonly input: EpisodeInput;
  readonly fields: FieldMap;
}

interface Saved {
  readonly ref: EpisodeRef;
  readonly before: Episode;
  readonly after: Episode;
  readonly version: number;
  readonly warnings: readonly InputWarning[];
}

/**
 * Applies an entry to the current version of the episode in one transaction: the episode row is locked (concurrent
 * entries for one patient apply one after another), the record loaded, the entry merged and checked by parseEpisode,
 * and the result saved as a new version with its audit record. Nothing is written when the check fails.
 */
async function applyEntry(
  ctx: ServerContext,
  cache: PatientCache,
  p: Principal,
  episodeId: number,
  reason: string,
  apply: (current: EpisodeInput) => Entry,
  mode: 'rewrite' | 'append-observations' = 'rewrite',
): Promise<Saved> {
  const ref = await visibleEpisode(ctx.registry.db, p, episodeId);
  return ctx.registry.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('episodes').select(['version', 'digest']).where('id', '=', ref.id).forUpdate().executeTakeFirst();
    if (!locked) throw notFound(ref.id);
    // The current version, read under the lock: the cached episode if it is that version, else from the database.
    const hit = cache.get(ref.id, locked.version);
    const record = hit ? hit.record : await loadRecord(trx, ref);
    const before = hit ? hit.episode : parseStored(record);
    const entry = apply(record.episode);
    const parsed = parseEpisode(entry.input);
    if (!parsed.ok) throw entryProblem(parsed.problems, entry.fields);
    const save = { actor: actorOf(p), reason, importId: null, now: ctx.now() };
    const merged = { record: { ...record, episode: entry.input }, episode: parsed.episode };
    // An observations-only entry adds its rows without rewriting the episode (same record read back: episode-store).
    const appendedVersion = mode === 'append-observations'
      ? await appendObservations(trx, { episodeId: ref.id, current: locked, before, after: merged }, save)
      : null;
    if (appendedVersion === null) await saveRecords(trx, [merged], save);
    const row = appendedVersion !== null ? { version: appendedVersion } : await trx.selectFrom('episodes').select('version').where('id', '=', ref.id).executeTakeFirstOrThrow();
    // Warnings about the entered records only (the stored ones were seen when they were entered).
    const warnings = parsed.warnings.flatMap((w) => {
      const field = entry.fields(w.path);
      return field === undefined ? [] : [{ ...w, path: field, message: w.message.startsWith(w.path) ? `${field}${w.message.slice(w.path.length)}` : w.message }];
    });
    return { ref, before, after: parsed.episode, version: row.version, warnings };
  });
}

const list = <T>(xs: readonly T[] | undefined): T[] => [...(xs ?? [])];
type Item<K extends keyof EpisodeInput> = NonNullable<EpisodeInput[K]> extends readonly (infer T)[] ? T : never;
/** A request record handed to parseEpisode as the episode's own record (it checks every field). */
const asRecord = <K extends keyof EpisodeInput>(_section: K, r: Record<string, unknown>): Item<K> => r as unknown as Item<K>;

const sameInstant = (a: string | undefined, b: string): boolean => a !== undefined && Date.parse(a) === Date.parse(b);

function noMatch(field: string, detail: string): ProblemError {
  return new ProblemError(400, 'Invalid entry', detail, field, [{ field, detail }]);
}

function infusionEntry(body: InfusionsBody, current: EpisodeInput): Entry {
  const infusions = list(current.infusions);
  const purge = list(current.purge);
  switch (body.action) {
    case 'start':
      return { input: { ...current, infusions: [...infusions, asRecord('infusions', body.infusion)] }, fields: appended('infusions', infusions.length, 'infusion', true) };
    case 'stop':
    case 'change': {
      const i = infusions.findIndex((x) => x.drug === body.drug && sameInstant(x.start, body.start) && x.end === undefined);
      if (i < 0) throw noMatch('start', `no running ${body.drug} infusion started at ${body.start}`);
      const old = infusions[i]!;
      infusions[i] = { ...old, end: body.at, ...(body.action === 'stop' && body.note !== undefined ? { note: body.note } : {}) };
      if (body.action === 'stop') return { input: { ...current, infusions }, fields: changed('infusions', i, { end: 'at' }, 'start') };
      const next = { drug: old.drug, start: body.at, rate: body.rate, rateUnit: body.rateUnit ?? old.rateUnit, ...(old.route !== undefined ? { route: old.route } : {}), ...(body.note !== undefined ? { note: body.note } : {}) };
      return {
        input: { ...current, infusions: [...infusions, next] },
        fields: anyOf(changed('infusions', i, { end: 'at' }, 'start'), changed('infusions', infusions.length, { start: 'at', rate: 'rate', rateUnit: 'rateUnit', note: 'note' }, 'rate')),
      };
    }
    case 'start_purge':
      return { input: { ...current, purge: [...purge, asRecord('purge', body.purge)] }, fields: appended('purge', purge.length, 'purge', true) };
    case 'stop_purge': {
      const i = purge.findIndex((x) => sameInstant(x.start, body.start) && x.end === undefined && (body.deviceId === undefined || x.deviceId === body.deviceId));
      if (i < 0) throw noMatch('start', `no running purge started at ${body.start}${body.deviceId !== undefined ? ` on ${body.deviceId}` : ''}`);
      purge[i] = { ...purge[i]!, end: body.at };
      return { input: { ...current, purge }, fields: changed('purge', i, { end: 'at' }, 'start') };
    }
  }
}

function deviceEntry(body: DevicesBody, current: EpisodeInput): Entry {
  const devices = list(current.devices);
  if (body.action === 'insert') {
    return { input: { ...current, devices: [...devices, asRecord('devices', body.device)] }, fields: appended('devices', devices.length, 'device', true) };
  }
  const i = devices.findIndex((d) => d.id === body.deviceId);
  if (i < 0) throw noMatch('deviceId', `no device ${body.deviceId} in this episode`);
  const old = devices[i]!;
  if (body.action === 'remove') {
    if (old.removal !== undefined) throw noMatch('deviceId', `device ${body.deviceId} was already removed at ${old.removal}`);
    devices[i] = { ...old, removal: body.at, ...(body.removalReason !== undefined ? { removalReason: body.removalReason } : {}) };
    return { input: { ...current, devices }, fields: changed('devices', i, { removal: 'at', removalReason: 'removalReason' }, 'deviceId') };
  }
  const settings = list(old.settings);
  devices[i] = { ...old, settings: [...settings, body.setting as unknown as (typeof settings)[number]] };
  return { input: { ...current, devices }, fields: appended(`devices\\[${i}\\]\\.settings`, settings.length, 'setting', true) };
}

// ---------------------------------------------------------------- what an entry returns

/** Pairs that include a newly entered anti-Xa or aPTT, with their classification and next step. */
function enteredPairs(after: Episode, entered: readonly Record<string, unknown>[]): { pairs: (PairView & { enteredTogether: boolean })[]; nextSteps: NextStepView[] } {
  const newTimes = (code: string) =>
    entered.filter((o) => o['code'] === code && typeof o['time'] === 'string').map((o) => minutesBetween(after.anchor.time, o['time'] as string));
  const xa = newTimes('anti_xa_IU_mL');
  const pt = newTimes('aptt_s');
  if (xa.length === 0 && pt.length === 0) return { pairs: [], nextSteps: [] };
  const assessed = assessAnticoagulation(after).result;
  const window = assessed.pairingWindow_min;
  const pairs: (PairView & { enteredTogether: boolean })[] = [];
  for (const pair of assessed.pairs) {
    const t = pair.result.t_min;
    const newXa = xa.includes(t);
    const newPt = pt.some((tp) => Math.abs(tp - t) <= window) && after.observations.some((o) => o.code === 'aptt_s' && o.value === pair.result.aptt.value && pt.includes(o.t_min));
    if (newXa || newPt) pairs.push({ ...pairView(pair, assessed), enteredTogether: newXa && newPt });
  }
  const nextSteps = assessed.nextSteps
    .map((s) => s.result)
    .filter((s) => (s.test === 'anti_xa_IU_mL' ? xa : s.test === 'aptt_s' ? pt : []).includes(s.t_min))
    .map(nextStepView);
  return { pairs, nextSteps };
}

function enteredEvents(after: Episode, base: number, count: number): { index: number; kind: string; bleeding?: BleedingEventView; hemolysisGrade?: string | null }[] {
  const bleeding = after.events.slice(base, base + count).some((e) => e.kind === 'bleeding') ? assessBleeding(after) : undefined;
  const out: { index: number; kind: string; bleeding?: BleedingEventView; hemolysisGrade?: string | null }[] = [];
  for (let index = base; index < base + count; index++) {
    const e = after.events[index]!;
    const assessed = bleeding?.events.find((b) => b.index === index);
    if (e.kind === 'bleeding' && bleeding && assessed) out.push({ index, kind: e.kind, bleeding: bleedingEventView(assessed, bleeding) });
    else if (e.kind === 'hemolysis') out.push({ index, kind: e.kind, hemolysisGrade: gradeHemolysis(after).result.grade });
    else out.push({ index, kind: e.kind });
  }
  return out;
}

// ---------------------------------------------------------------- routes

const problemDoc = { description: 'problem+json', type: 'object', additionalProperties: true } as const;
const openObject = { type: 'object', additionalProperties: true } as const;
const paramsDoc = { type: 'object', properties: { episodeId: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['episodeId'] } as const;
const errorsDoc = { 400: problemDoc, 401: problemDoc, 403: problemDoc, 404: problemDoc } as const;
const writeDoc = (summary: string, body: Record<string, unknown>) => ({
  tags: ['patients'],
  summary,
  params: paramsDoc,
  body,
  response: { 201: { description: 'saved as a new episode version', ...openObject }, ...errorsDoc },
});

/** GET/POST /api/patients...: the bedside routes (admin, clinician). */
export function registerPatientRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(async (scope) => {
    // The zod schemas validate (parseInput, then parseEpisode for the records), so that every message is the one the
    // episode format gives; the JSON schemas document the routes. Responses are written as they are.
    scope.setValidatorCompiler(() => (data) => ({ value: data }));
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    const preHandler = requireRole('admin', 'clinician');
    const db = ctx.registry.db;
    // Parsed episodes, views and board rows per (episode id, version): see patient-cache.ts.
    const cache = new PatientCache();
    // The registry's server unreachable (restarting): 503, retry later, for these routes and the auth hook before them.
    scope.setErrorHandler((error) => {
      throw isRegistryUnavailable(error) ? new ProblemError(503, 'Service Unavailable', 'the registry database does not answer; try again shortly') : error;
    });

    scope.get(
      '/api/patients',
      {
        preHandler,
        schema: {
          tags: ['patients'],
          summary: 'The patient board: active MCS patients of the sites you may see',
          querystring: openApiSchema(boardQuerySchema),
          response: { 200: { type: 'object', properties: { items: { type: 'array', items: openObject }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } } }, ...errorsDoc },
        },
      },
      async (request) => {
        const p = bedsidePrincipal(request);
        const q = parseInput(boardQuerySchema, request.query ?? {}, 'query');
        if (q.site !== undefined && !canSeeIdentifiedSite(p, q.site)) throw new ProblemError(403, 'Forbidden', `Site ${q.site} is not one of your sites.`, 'site');
        const sites = q.site !== undefined ? [q.site] : p.role === 'admin' ? undefined : [...p.sites];
        if (sites !== undefined && sites.length === 0) return { items: [], total: 0, limit: q.limit, offset: q.offset };

        // Versions only (one indexed query); the episodes themselves come from the cache at those versions.
        let ids = db.selectFrom('episodes as e').innerJoin('sites as s', 's.id', 'e.site_id').select(['e.id', 'e.source_id', 'e.version', 's.code as site']);
        if (sites !== undefined) ids = ids.where('s.code', 'in', sites);
        const refs: EpisodeRef[] = (await ids.execute())
          .filter((r) => canSeeIdentifiedSite(p, r.site))
          .map((r) => ({ id: r.id, site: r.site, sourceId: r.source_id, version: r.version }));
        const episodes = await cachedEpisodes(db, cache, refs);
        const rows: { id: number; record: RegistryRecord; entry: CachedEpisode }[] = [];
        for (const ref of refs) {
          const entry = episodes.get(ref.id);
          if (entry === undefined) continue;
          if (q.status === 'active' && !isActive(entry.episode)) continue;
          rows.push({ id: ref.id, record: entry.record, entry });
        }
        rows.sort((a, b) => (a.record.site < b.record.site ? -1 : a.record.site > b.record.site ? 1 : a.id - b.id));
        const now = ctx.now();
        const items: BoardEntry[] = rows
          .slice(q.offset, q.offset + q.limit)
          .map((r) => cache.boardRow(r.entry, now, (episode, at) => boardEntry({ episodeId: r.id, site: r.record.site, patient: r.record.patient, episode, now: at })));
        await db.transaction().execute((trx) =>
          appendAudit(trx, actorOf(p), [{
            action: 'read',
            entity: 'patient_board',
            entityKey: sites === undefined ? '*' : sites.join(','),
            before: null,
            after: { status: q.status, episodes: items.map((i) => `${i.site}/${i.sourceEpisodeId}`) },
            reason: 'patient board',
          }], now),
        );
        return { items, total: rows.length, limit: q.limit, offset: q.offset };
      },
    );

    scope.get(
      '/api/patients/:episodeId',
      { preHandler, schema: { tags: ['patients'], summary: 'The patient view', params: paramsDoc, response: { 200: openObject, ...errorsDoc } } },
      async (request) => {
        const p = bedsidePrincipal(request);
        const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
        const ref = await visibleEpisode(db, p, episodeId);
        const entry = await cachedEpisode(db, cache, ref);
        const record = entry.record;
        const view = cache.view(entry, patientView);
        await db.transaction().execute((trx) =>
          appendAudit(trx, actorOf(p), [{ action: 'read', entity: 'episode', entityKey: `${ref.site}/${ref.sourceId}`, before: null, after: { version: ref.version }, reason: 'patient view' }], ctx.now()),
        );
        return { episodeId: ref.id, site: ref.site, version: ref.version, patient: record.patient, ...view };
      },
    );

    scope.post(
      '/api/patients/:episodeId/observations',
      { preHandler, schema: writeDoc('Enter observations (labs, vitals); an anti-Xa/aPTT pair is classified', openApiSchema(observationsBodyDoc)) },
      async (request, reply) => {
        const p = bedsidePrincipal(request);
        const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
        const body = parseInput(observationsBodySchema, request.body, 'body');
        const saved = await applyEntry(ctx, cache, p, episodeId, 'bedside entry: observations', (current) => {
          const observations = list(current.observations);
          return {
            input: { ...current, observations: [...observations, ...body.observations.map((o) => asRecord('observations', o))] },
            fields: appended('observations', observations.length, 'observations'),
          };
        }, 'append-observations');
        const { pairs, nextSteps } = enteredPairs(saved.after, body.observations);
        return reply.code(201).send({ episodeId: saved.ref.id, version: saved.version, warnings: saved.warnings, entered: body.observations.length, pairs, nextSteps });
      },
    );

    scope.post(
      '/api/patients/:episodeId/events',
      { preHandler, schema: writeDoc('Enter events (bleeding with its facts, hemolysis, transfusion, ...); a bleed is classified under every definition', openApiSchema(eventsBodyDoc)) },
      async (request, reply) => {
        const p = bedsidePrincipal(request);
        const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
        const body = parseInput(eventsBodySchema, request.body, 'body');
        let base = 0;
        const saved = await applyEntry(ctx, cache, p, episodeId, 'bedside entry: events', (current) => {
          const events = list(current.events);
          base = events.length;
          return { input: { ...current, events: [...events, ...body.events.map((e) => asRecord('events', e))] }, fields: appended('events', base, 'events') };
        });
        return reply.code(201).send({ episodeId: saved.ref.id, version: saved.version, warnings: saved.warnings, events: enteredEvents(saved.after, base, body.events.length) });
      },
    );

    scope.post(
      '/api/patients/:episodeId/infusions',
      { preHandler, schema: writeDoc('Start, stop or change an infusion (a rate change is a new record), or start/stop a purge', openApiSchema(infusionsBodyDoc)) },
      async (request, reply) => {
        const p = bedsidePrincipal(request);
        const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
        const body = parseInput(infusionsBodySchema, request.body, 'body');
        const saved = await applyEntry(ctx, cache, p, episodeId, `bedside entry: infusion ${body.action}`, (current) => infusionEntry(body, current));
        const latest = assessAnticoagulation(saved.after).result.latestNextStep;
        return reply.code(201).send({
          episodeId: saved.ref.id,
          version: saved.version,
          warnings: saved.warnings,
          action: body.action,
          infusions: saved.after.infusions.map((i) => ({ drug: i.drug, start: i.start, ...(i.end !== undefined ? { end: i.end } : {}), rate: i.rate, rateUnit: i.rateUnit })),
          purge: saved.after.purge.map((x) => ({ start: x.start, ...(x.end !== undefined ? { end: x.end } : {}), heparin_IU_mL: x.heparin_IU_mL, flow_mL_h: x.flow_mL_h, heparin_IU_h: x.heparin_IU_h })),
          latestNextStep: latest ? nextStepView(latest.result) : null,
        });
      },
    );

    scope.post(
      '/api/patients/:episodeId/devices',
      { preHandler, schema: writeDoc('Insert or remove a device, or record a setting change', openApiSchema(devicesBodyDoc)) },
      async (request, reply) => {
        const p = bedsidePrincipal(request);
        const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
        const body = parseInput(devicesBodySchema, request.body, 'body');
        const saved = await applyEntry(ctx, cache, p, episodeId, `bedside entry: device ${body.action}`, (current) => deviceEntry(body, current));
        const known = new Set(saved.before.devices.map((d) => d.id));
        const device = body.action === 'insert' ? saved.after.devices.find((d) => !known.has(d.id)) : saved.after.devices.find((d) => d.id === body.deviceId);
        return reply.code(201).send({ episodeId: saved.ref.id, version: saved.version, warnings: saved.warnings, action: body.action, device: device ?? null });
      },
    );
  });
}
