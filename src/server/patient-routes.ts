// The bedside API: the patient board, the patient view and data entry (observations, events, infusions, devices).
// Identified data: admins see every site, clinicians their own sites only (another site's patient is a 404, so its
// existence is not revealed); researchers and auditors get 403. Every read writes an audit record ('read'); every
// entry is merged into the stored episode, checked by the engine's parseEpisode (its messages, with the request's
// field names), and saved as a new episode version with its audit record (saveRecords). Responses carry what the
// engine computes for the entry: a pair's classification and next step, a bleed's class under every definition.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { assessAnticoagulation } from '../clinical/anticoagulation/index.js';
import { assessBleeding } from '../clinical/bleeding/index.js';
import { minutesBetween, parseEpisode, type Episode, type EpisodeInput } from '../clinical/episode/episode.js';
import { gradeHemolysis } from '../clinical/hemolysis/hemolysis-grade.js';
import { saveRecords } from '../registry/db/episode-store.js';
import { isRegistryUnavailable } from '../registry/db/registry-connection.js';
import type { RegistryRecord } from '../registry/record.js';
import { requireRole } from './auth/auth-hooks.js';
import { boardEntry, isActive } from './patient-board.js';
import { ALL_SITES, bedsideState, cachedEpisode, cachedEpisodes, notFound, visibleEpisode, type BedsideState, type EpisodeRef, type Saved } from './bedside-episodes.js';
import { anyOf, appended, changed, entryProblem, entryWarnings, futureTimeProblem, observationsEntry, type Entry } from './entry-fields.js';
import { observationEntryBatch } from './observation-entry-batch.js';
import type { CachedEpisode } from './patient-cache.js';
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
import { problemResponses } from './openapi.js';
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

/** The caller, the episode and the body of an entry request, checked; a time after now (+ skew) is refused. */
function entryRequest<S extends z.ZodType>(request: FastifyRequest, schema: S, now: Date): { p: Principal; episodeId: number; body: z.output<S> } {
  const p = bedsidePrincipal(request);
  const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
  const body = parseInput(schema, request.body, 'body');
  const future = futureTimeProblem(body, now);
  if (future) throw future;
  return { p, episodeId, body };
}

// ---------------------------------------------------------------- entry: merge, check, save

/**
 * Applies an entry to the current version of the episode in one transaction: the episode row is locked (concurrent
 * entries for one patient apply one after another), the record loaded, the entry merged and checked by parseEpisode,
 * and the result saved as a new version with its audit record. Nothing is written when the check fails.
 */
async function applyEntry(
  ctx: ServerContext,
  state: BedsideState,
  p: Principal,
  episodeId: number,
  reason: string,
  apply: (current: EpisodeInput) => Entry,
): Promise<Saved> {
  const { cache } = state;
  const ref = await visibleEpisode(state.refs, p, episodeId);
  const saved = await ctx.registry.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('episodes').select(['version', 'digest']).where('id', '=', ref.id).forUpdate().executeTakeFirst();
    if (!locked) throw notFound(ref.id);
    // The current version, read under the lock: the cached episode if it is that version, else from the database.
    const { record, episode: before } = await cachedEpisode(trx, cache, { ...ref, version: locked.version });
    const entry = apply(record.episode);
    const parsed = parseEpisode(entry.input);
    if (!parsed.ok) throw entryProblem(parsed.problems, entry.fields);
    const save = { actor: actorOf(p), reason, importId: null, now: ctx.now() };
    const merged = { record: { ...record, episode: entry.input }, episode: parsed.episode };
    await saveRecords(trx, [merged], save);
    const row = await trx.selectFrom('episodes').select('version').where('id', '=', ref.id).executeTakeFirstOrThrow();
    // Warnings about the entered records only (the stored ones were seen when they were entered).
    const warnings = entryWarnings(parsed.warnings, entry.fields);
    return { ref, before, after: parsed.episode, version: row.version, warnings, record: merged.record };
  });
  // The new version, committed, is what the next reader and the next entry of this patient start from: keep it
  // (its record is the merged input, which parses to the same episode as the stored rows; the view is computed anew).
  cache.set(ref.id, saved.version, saved.record, saved.after);
  return saved;
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

/** The first `kind-n` (n = 1, 2, ...) that no device of the episode uses. */
function freeDeviceId(devices: readonly { readonly id?: string; readonly kind: string }[], kind: string): string {
  const used = new Set(devices.map((d, i) => d.id ?? `${d.kind}-${i}`));
  let n = 1;
  while (used.has(`${kind}-${n}`)) n += 1;
  return `${kind}-${n}`;
}

function deviceEntry(body: DevicesBody, current: EpisodeInput): Entry {
  const devices = list(current.devices);
  if (body.action === 'insert') {
    // Without an id the episode format numbers devices by position (kind-index), which may repeat an id the stored
    // devices already use: give the new one the first free kind-n.
    const device = body.device['id'] === undefined ? { ...body.device, id: freeDeviceId(devices, String(body.device['kind'])) } : body.device;
    return { input: { ...current, devices: [...devices, asRecord('devices', device)] }, fields: appended('devices', devices.length, 'device', true) };
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

const openObject = { type: 'object', additionalProperties: true } as const;
const paramsDoc = { type: 'object', properties: { episodeId: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['episodeId'] } as const;
const errorsDoc = problemResponses(400, 401, 403, 404, 503);
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
    const state = bedsideState(db);
    const { cache } = state;
    const entries = observationEntryBatch(db, cache);
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
      async (request, reply) => {
        const p = bedsidePrincipal(request);
        const q = parseInput(boardQuerySchema, request.query ?? {}, 'query');
        if (q.site !== undefined && !canSeeIdentifiedSite(p, q.site)) throw new ProblemError(403, 'Forbidden', `Site ${q.site} is not one of your sites.`, 'site');
        const sites = q.site !== undefined ? [q.site] : p.role === 'admin' ? undefined : [...p.sites];
        if (sites !== undefined && sites.length === 0) return { items: [], total: 0, limit: q.limit, offset: q.offset };

        // The sites' episode lists, re-read only when a site's change counter moved (shared by concurrent board
        // requests, bedside-episodes.ts); the episodes themselves come from the cache at those versions.
        const found = sites === undefined ? await state.siteEpisodes.submit(ALL_SITES) : (await Promise.all(sites.map((x) => state.siteEpisodes.submit(x)))).flat();
        const refs: EpisodeRef[] = found.filter((r) => canSeeIdentifiedSite(p, r.site));
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
        const items = rows
          .slice(q.offset, q.offset + q.limit)
          .map((r) => cache.boardRow(r.entry, now, (episode, at) => boardEntry({ episodeId: r.id, site: r.record.site, patient: r.record.patient, episode, now: at })));
        await state.audit.append({
          actor: actorOf(p),
          at: now,
          entry: {
            action: 'read',
            entity: 'patient_board',
            entityKey: sites === undefined ? '*' : sites.join(','),
            before: null,
            after: { status: q.status, episodes: items.map((i) => `${i.row.site}/${i.row.sourceEpisodeId}`) },
            reason: 'patient board',
          },
        });
        // The rows' JSON, kept with them, joined (the same text JSON.stringify of the whole page gives).
        const body = `{"items":[${items.map((i) => i.json).join(',')}],"total":${rows.length},"limit":${q.limit},"offset":${q.offset}}`;
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );

    scope.get(
      '/api/patients/:episodeId',
      { preHandler, schema: { tags: ['patients'], summary: 'The patient view', params: paramsDoc, response: { 200: openObject, ...errorsDoc } } },
      async (request, reply) => {
        const p = bedsidePrincipal(request);
        const { episodeId } = parseInput(episodeParamsSchema, request.params, 'params');
        const ref = await visibleEpisode(state.refs, p, episodeId);
        const entry = await cachedEpisode(db, cache, ref);
        const body = cache.viewJson(entry, (episode) => {
          const view = patientView(episode);
          return JSON.stringify({ episodeId: ref.id, site: ref.site, version: entry.version, patient: entry.record.patient, ...view });
        });
        // The version served (entry.version: at least the one just looked up, newer if a write landed in between).
        await state.audit.append({ actor: actorOf(p), at: ctx.now(), entry: { action: 'read', entity: 'episode', entityKey: `${ref.site}/${ref.sourceId}`, before: null, after: { version: entry.version }, reason: 'patient view' } });
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );

    scope.post(
      '/api/patients/:episodeId/observations',
      { preHandler, schema: writeDoc('Enter observations (labs, vitals); an anti-Xa/aPTT pair is classified', openApiSchema(observationsBodyDoc)) },
      async (request, reply) => {
        const { p, episodeId, body } = entryRequest(request, observationsBodySchema, ctx.now());
        const reason = 'bedside entry: observations';
        // Group commit with concurrent entries (observation-entry-batch.ts); an entry that would change more than
        // the observations (none known, but the store checks) is saved as a full new version instead.
        const ref = await visibleEpisode(state.refs, p, episodeId);
        const outcome = await entries.submit({ actor: actorOf(p), ref, observations: body.observations, reason, now: ctx.now() });
        if (outcome.kind === 'invalid') throw outcome.problem;
        const saved = outcome.kind === 'saved'
          ? outcome.saved
          : await applyEntry(ctx, state, p, episodeId, reason, (current) => observationsEntry(current, body.observations));
        const { pairs, nextSteps } = enteredPairs(saved.after, body.observations);
        return reply.code(201).send({ episodeId: saved.ref.id, version: saved.version, warnings: saved.warnings, entered: body.observations.length, pairs, nextSteps });
      },
    );

    scope.post(
      '/api/patients/:episodeId/events',
      { preHandler, schema: writeDoc('Enter events (bleeding with its facts, hemolysis, transfusion, ...); a bleed is classified under every definition', openApiSchema(eventsBodyDoc)) },
      async (request, reply) => {
        const { p, episodeId, body } = entryRequest(request, eventsBodySchema, ctx.now());
        let base = 0;
        const saved = await applyEntry(ctx, state, p, episodeId, 'bedside entry: events', (current) => {
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
        const { p, episodeId, body } = entryRequest(request, infusionsBodySchema, ctx.now());
        const saved = await applyEntry(ctx, state, p, episodeId, `bedside entry: infusion ${body.action}`, (current) => infusionEntry(body, current));
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
        const { p, episodeId, body } = entryRequest(request, devicesBodySchema, ctx.now());
        const saved = await applyEntry(ctx, state, p, episodeId, `bedside entry: device ${body.action}`, (current) => deviceEntry(body, current));
        const known = new Set(saved.before.devices.map((d) => d.id));
        const device = body.action === 'insert' ? saved.after.devices.find((d) => !known.has(d.id)) : saved.after.devices.find((d) => d.id === body.deviceId);
        return reply.code(201).send({ episodeId: saved.ref.id, version: saved.version, warnings: saved.warnings, action: body.action, device: device ?? null });
      },
    );
  });
}
