// Writes records into the registry and reads them back. A record whose content (digest) is already stored is left
// alone; a changed record becomes a new version of its episode: the current section rows are retired (v_to set) and
// the new ones added, the episode-level fields of every version are kept in episode_versions, and each change
// appends an audit record. Rows are written in batches with one array parameter per column (unnest), which is how
// a million observations go in within the import time budget; every value is still a bound parameter.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Episode } from '../../clinical/episode/episode.js';
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import type { PatientIdentity, RegistryRecord } from '../record.js';
import { eventInputOf, isoInOffset, recordDigest, storedInputOf, utcOffsetMinutes } from '../stored-episode.js';
import { appendAudit, appendAuditRecords, type AuditEntry, type PendingAudit } from './audit-log.js';
import type { RegistryDatabase } from './schema.js';
import { stableJson } from './stable-json.js';

export interface ParsedRecord {
  readonly record: RegistryRecord;
  readonly episode: Episode;
}

export interface SaveContext {
  readonly actor: string;
  readonly reason: string;
  readonly importId: number | null;
  readonly now: Date;
  /** Called after each batch with the number of records saved so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SaveCounts {
  inserted: number;
  unchanged: number;
  corrected: number;
}

const SECTION_TABLES = ['observations', 'infusions', 'boluses', 'purge_records', 'devices', 'supports', 'events', 'anticoagulation_periods'] as const;

/** Ids of the given site codes, creating the sites that do not exist yet. */
export async function ensureSites(trx: Transaction<RegistryDatabase> | Kysely<RegistryDatabase>, codes: readonly string[], now: Date): Promise<Map<string, number>> {
  const unique = [...new Set(codes)];
  const map = new Map<string, number>();
  if (unique.length === 0) return map;
  await trx
    .insertInto('sites')
    .values(unique.map((code) => ({ code, created_at: now })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const rows = await trx.selectFrom('sites').select(['id', 'code']).where('code', 'in', unique).execute();
  for (const r of rows) map.set(r.code, r.id);
  return map;
}

function counts(e: Episode): Record<string, number> {
  return {
    observations: e.observations.length,
    infusions: e.infusions.length,
    boluses: e.boluses.length,
    purge: e.purge.length,
    devices: e.devices.length,
    supports: e.supports.length,
    events: e.events.length,
    anticoagulation: e.anticoagulation.length,
  };
}

function header(stored: EpisodeInput): Record<string, unknown> {
  return {
    anchor: stored.anchor,
    times: stored.times,
    demographics: stored.demographics,
    clinical: stored.clinical,
    followUp: stored.followUp,
  };
}

function episodeColumns(e: Episode, stored: EpisodeInput, now: Date) {
  const death = e.events.find((ev) => ev.kind === 'death');
  return {
    format_version: e.formatVersion,
    anchor_kind: e.anchor.kind,
    anchor_time: e.anchor.time,
    utc_offset_min: utcOffsetMinutes(e.anchor.time),
    admission_time: e.times.admission ?? null,
    cicu_admission_time: e.times.cicuAdmission ?? null,
    shock_onset_time: e.times.shockOnset ?? null,
    pci_start_time: e.times.pciStart ?? null,
    discharge_time: e.times.discharge ?? null,
    age_years: e.demographics.age_years ?? null,
    sex: e.demographics.sex,
    weight_kg: e.demographics.weight_kg ?? null,
    height_cm: e.demographics.height_cm ?? null,
    clinical: stableJson(stored.clinical ?? {}),
    last_known_alive: e.followUp.lastKnownAlive ?? null,
    follow_up_source: e.followUp.source ?? null,
    follow_up_note: e.followUp.note ?? null,
    death_time: death?.time ?? null,
    updated_at: now,
  };
}

function patientColumns(p: PatientIdentity) {
  return {
    mrn: p.mrn ?? null,
    family_name: p.familyName ?? null,
    given_name: p.givenName ?? null,
    birth_date: p.birthDate ?? null,
    postal_code: p.postalCode ?? null,
  };
}

/** Column arrays for one section table, filled row by row in the order of SECTION_COLUMNS (no per-row objects). */
class Columns {
  readonly cols: unknown[][];
  constructor(readonly names: readonly string[]) {
    this.cols = names.map(() => []);
  }
  row(...values: unknown[]): void {
    const cols = this.cols;
    for (let i = 0; i < cols.length; i++) cols[i]!.push(values[i] ?? null);
  }
  get length(): number {
    return this.cols[0]!.length;
  }
}

const SECTION_COLUMNS: Record<(typeof SECTION_TABLES)[number], readonly (readonly [string, string])[]> = {
  observations: [
    ['episode_id', 'int4'], ['v_from', 'int4'], ['time', 'timestamptz'], ['code', 'text'], ['value', 'float8'], ['unit', 'text'],
    ['original_value', 'float8'], ['original_unit', 'text'], ['censored', 'text'], ['specimen', 'text'], ['method', 'text'],
    ['period_min', 'float8'], ['sample_id', 'text'], ['note', 'text'],
  ],
  infusions: [
    ['episode_id', 'int4'], ['v_from', 'int4'], ['drug', 'text'], ['start_time', 'timestamptz'], ['end_time', 'timestamptz'],
    ['rate', 'float8'], ['rate_unit', 'text'], ['route', 'text'], ['note', 'text'],
  ],
  boluses: [
    ['episode_id', 'int4'], ['v_from', 'int4'], ['drug', 'text'], ['time', 'timestamptz'], ['dose', 'float8'], ['dose_unit', 'text'],
    ['context', 'text'], ['note', 'text'],
  ],
  purge_records: [
    ['episode_id', 'int4'], ['v_from', 'int4'], ['device_ref', 'text'], ['start_time', 'timestamptz'], ['end_time', 'timestamptz'],
    ['solution', 'text'], ['heparin_iu_ml', 'float8'], ['flow_ml_h', 'float8'], ['bicarbonate_meq_l', 'float8'], ['note', 'text'],
  ],
  devices: [
    ['episode_id', 'int4'], ['v_from', 'int4'], ['device_ref', 'text'], ['kind', 'text'], ['insertion_time', 'timestamptz'],
    ['removal_time', 'timestamptz'], ['access_site', 'text'], ['side', 'text'], ['placement', 'text'],
    // text[] columns cannot be unnested from a 2-D array parameter; selection reasons travel as JSON and are expanded.
    ['selection_reasons_json', 'jsonb'], ['selection_note', 'text'], ['removal_reason', 'text'], ['details', 'jsonb'], ['settings', 'jsonb'],
  ],
  supports: [['episode_id', 'int4'], ['v_from', 'int4'], ['kind', 'text'], ['start_time', 'timestamptz'], ['end_time', 'timestamptz'], ['note', 'text']],
  events: [['episode_id', 'int4'], ['v_from', 'int4'], ['position', 'int4'], ['kind', 'text'], ['time', 'timestamptz'], ['details', 'jsonb']],
  anticoagulation_periods: [
    ['episode_id', 'int4'], ['v_from', 'int4'], ['from_time', 'timestamptz'], ['protocol_id', 'text'], ['target', 'jsonb'], ['note', 'text'],
  ],
};

function newColumnSet(): Record<(typeof SECTION_TABLES)[number], Columns> {
  const out = {} as Record<(typeof SECTION_TABLES)[number], Columns>;
  for (const t of SECTION_TABLES) out[t] = new Columns(SECTION_COLUMNS[t].map(([n]) => n));
  return out;
}

function addSections(set: Record<(typeof SECTION_TABLES)[number], Columns>, episodeId: number, v: number, e: Episode, stored: EpisodeInput): void {
  // Argument order = SECTION_COLUMNS order.
  for (const o of e.observations) {
    set.observations.row(episodeId, v, o.time, o.code, o.value, o.unit, o.originalValue, o.originalUnit, o.censored, o.specimen, o.method, o.periodMin, o.sampleId, o.note);
  }
  for (const i of e.infusions) set.infusions.row(episodeId, v, i.drug, i.start, i.end, i.rate, i.rateUnit, i.route, i.note);
  for (const b of e.boluses) set.boluses.row(episodeId, v, b.drug, b.time, b.dose, b.doseUnit, b.context, b.note);
  for (const p of e.purge) {
    set.purge_records.row(episodeId, v, p.deviceId, p.start, p.end, p.solution, p.heparin_IU_mL, p.flow_mL_h, p.bicarbonate_meq_L, p.note);
  }
  e.devices.forEach((d, i) => {
    const input = stored.devices![i]! as Record<string, unknown>;
    const { id: _id, kind: _k, insertion: _ins, removal: _rem, accessSite: _a, side: _s, placement: _p, selectionReasons: _r, selectionNote: _n,
      removalReason: _rr, settings, ...details } = input;
    set.devices.row(episodeId, v, d.id, d.kind, d.insertion, d.removal, d.accessSite, d.side, d.placement, JSON.stringify(d.selectionReasons),
      d.selectionNote, d.removalReason, stableJson(details), stableJson(settings ?? []));
  });
  for (const s of e.supports) set.supports.row(episodeId, v, s.kind, s.start, s.end, s.note);
  e.events.forEach((ev, position) => {
    const { kind, time, ...details } = eventInputOf(ev, (x) => x);
    set.events.row(episodeId, v, position, kind, time, stableJson(details));
  });
  for (const a of e.anticoagulation) {
    set.anticoagulation_periods.row(episodeId, v, a.from, a.protocolId, a.target === undefined ? null : stableJson(a.target), a.note);
  }
}

async function insertSections(trx: Transaction<RegistryDatabase>, set: Record<(typeof SECTION_TABLES)[number], Columns>): Promise<void> {
  for (const table of SECTION_TABLES) {
    const columns = set[table];
    if (columns.length === 0) continue;
    const spec = SECTION_COLUMNS[table];
    const CHUNK = 50000;
    for (let start = 0; start < columns.length; start += CHUNK) {
      const arrays = spec.map(([name, type]) => {
        const values = columns.cols[spec.findIndex(([n]) => n === name)]!.slice(start, start + CHUNK);
        return sql`${values}::${sql.raw(type === 'jsonb' ? 'text' : type)}[]`;
      });
      const names = spec.map(([name]) => name);
      const targetNames = names.map((n) => (n === 'selection_reasons_json' ? 'selection_reasons' : n));
      const select = names.map((n, k) => {
        const [, type] = spec[k]!;
        const ref = sql.ref(`u.${n}`);
        if (n === 'selection_reasons_json') return sql`array(select jsonb_array_elements_text(${ref}::jsonb))`;
        return type === 'jsonb' ? sql`${ref}::jsonb` : ref;
      });
      await sql`insert into ${sql.table(table)} (${sql.join(targetNames.map((n) => sql.ref(n)))})
        select ${sql.join(select)} from unnest(${sql.join(arrays)}) as u(${sql.join(names.map((n) => sql.ref(n)))})`.execute(trx);
    }
  }
}

/**
 * Saves parsed records in the caller's transaction. Returns how many episodes were new, unchanged or corrected.
 * Audit: one record per new or corrected episode (before/after = version, digest and row counts) and per patient
 * whose identity changed (before/after = the identity).
 */
export async function saveRecords(trx: Transaction<RegistryDatabase>, items: readonly ParsedRecord[], ctx: SaveContext): Promise<SaveCounts> {
  const result: SaveCounts = { inserted: 0, unchanged: 0, corrected: 0 };
  if (items.length === 0) return result;
  const siteIds = await ensureSites(trx, items.map((i) => i.record.site), ctx.now);
  const audit: AuditEntry[] = [];
  const BATCH = 1000;
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH);
    const bySite = new Map<number, string[]>();
    for (const it of batch) {
      const siteId = siteIds.get(it.record.site)!;
      const list = bySite.get(siteId) ?? [];
      list.push(it.episode.id);
      bySite.set(siteId, list);
    }
    const existing = new Map<string, { id: number; version: number; digest: string; patient_id: number }>();
    const existingPatients = new Map<string, { id: number } & ReturnType<typeof patientColumns>>();
    for (const [siteId, ids] of bySite) {
      const rows = await trx.selectFrom('episodes').select(['id', 'source_id', 'version', 'digest', 'patient_id']).where('site_id', '=', siteId).where('source_id', 'in', ids).execute();
      for (const r of rows) existing.set(`${siteId}/${r.source_id}`, r);
      const sourceIds = [...new Set(batch.filter((b) => siteIds.get(b.record.site) === siteId).map((b) => b.record.patient.sourceId))];
      const prow = await trx.selectFrom('patients').select(['id', 'source_id', 'mrn', 'family_name', 'given_name', 'birth_date', 'postal_code']).where('site_id', '=', siteId).where('source_id', 'in', sourceIds).execute();
      for (const p of prow) {
        const { source_id, ...rest } = p;
        existingPatients.set(`${siteId}/${source_id}`, rest);
      }
    }

    const sections = newColumnSet();
    const versions: { episode_id: number; version: number; digest: string; header: string; import_id: number | null; actor: string; reason: string; recorded_at: Date }[] = [];
    // Pass 1: classify each record; identity changes of known patients are corrected here (rare, one by one).
    interface Pending {
      readonly it: ParsedRecord;
      readonly siteId: number;
      readonly digest: string;
      readonly stored: EpisodeInput;
      readonly current: { id: number; version: number; digest: string } | undefined;
    }
    const pending: Pending[] = [];
    const newPatients = new Map<string, { site_id: number; source_id: string; version: number } & ReturnType<typeof patientColumns>>();
    for (const it of batch) {
      const { record, episode } = it;
      const siteId = siteIds.get(record.site)!;
      const digest = recordDigest(record.site, record.patient, episode);
      const current = existing.get(`${siteId}/${episode.id}`);
      if (current && current.digest === digest) {
        result.unchanged += 1;
        continue;
      }
      pending.push({ it, siteId, digest, stored: storedInputOf(episode), current });
      const pkey = `${siteId}/${record.patient.sourceId}`;
      const identity = patientColumns(record.patient);
      const knownPatient = existingPatients.get(pkey);
      if (!knownPatient) {
        if (!newPatients.has(pkey)) {
          newPatients.set(pkey, { site_id: siteId, source_id: record.patient.sourceId, ...identity, version: 1 });
          audit.push({ action: 'insert', entity: 'patient', entityKey: `${record.site}/${record.patient.sourceId}`, before: null, after: { version: 1 }, reason: ctx.reason });
        }
      } else {
        const { id: patientId, ...before } = knownPatient;
        if (stableJson(before) !== stableJson(identity)) {
          await trx.updateTable('patients').set({ ...identity, version: sql<number>`version + 1` }).where('id', '=', patientId).execute();
          existingPatients.set(pkey, { id: patientId, ...identity });
          audit.push({ action: 'correct', entity: 'patient', entityKey: `${record.site}/${record.patient.sourceId}`, before, after: identity, reason: ctx.reason });
        }
      }
    }
    // Pass 2: new patients in one statement.
    if (newPatients.size > 0) {
      const rows = await trx.insertInto('patients').values([...newPatients.values()]).returning(['id', 'site_id', 'source_id']).execute();
      for (const r of rows) {
        const { site_id: _s, source_id: _src, version: _v, ...identity } = newPatients.get(`${r.site_id}/${r.source_id}`)!;
        existingPatients.set(`${r.site_id}/${r.source_id}`, { id: r.id, ...identity });
      }
    }
    // Pass 3: new episodes in one statement; corrections one by one (retire the current rows, bump the version).
    const fresh = pending.filter((p) => !p.current);
    const freshIds = new Map<string, number>();
    if (fresh.length > 0) {
      const rows = await trx
        .insertInto('episodes')
        .values(
          fresh.map(({ it, siteId, digest, stored }) => ({
            site_id: siteId,
            patient_id: existingPatients.get(`${siteId}/${it.record.patient.sourceId}`)!.id,
            source_id: it.episode.id,
            version: 1,
            digest,
            ...episodeColumns(it.episode, stored, ctx.now),
          })),
        )
        .returning(['id', 'site_id', 'source_id'])
        .execute();
      for (const r of rows) freshIds.set(`${r.site_id}/${r.source_id}`, r.id);
    }
    for (const { it, siteId, digest, stored, current } of pending) {
      const { record, episode } = it;
      const key = `${record.site}/${episode.id}`;
      const patientId = existingPatients.get(`${siteId}/${record.patient.sourceId}`)!.id;
      let episodeId: number;
      let version: number;
      if (!current) {
        version = 1;
        episodeId = freshIds.get(`${siteId}/${episode.id}`)!;
        result.inserted += 1;
        audit.push({ action: 'insert', entity: 'episode', entityKey: key, before: null, after: { version, digest, rows: counts(episode) }, reason: ctx.reason });
      } else {
        episodeId = current.id;
        version = current.version + 1;
        for (const table of SECTION_TABLES) {
          await trx.updateTable(table).set({ v_to: version }).where('episode_id', '=', episodeId).where('v_to', 'is', null).execute();
        }
        await trx
          .updateTable('episodes')
          .set({ patient_id: patientId, version, digest, ...episodeColumns(episode, stored, ctx.now) })
          .where('id', '=', episodeId)
          .execute();
        result.corrected += 1;
        audit.push({
          action: 'correct',
          entity: 'episode',
          entityKey: key,
          before: { version: current.version, digest: current.digest },
          after: { version, digest, rows: counts(episode) },
          reason: ctx.reason,
        });
      }
      versions.push({ episode_id: episodeId, version, digest, header: stableJson(header(stored)), import_id: ctx.importId, actor: ctx.actor, reason: ctx.reason, recorded_at: ctx.now });
      addSections(sections, episodeId, version, episode, stored);
    }
    if (versions.length > 0) await trx.insertInto('episode_versions').values(versions).execute();
    await insertSections(trx, sections);
    ctx.onProgress?.(Math.min(start + BATCH, items.length), items.length);
  }
  await appendAudit(trx, ctx.actor, audit, ctx.now);
  return result;
}

// ---------------------------------------------------------------- reading back

export interface LoadOptions {
  /** Only these sites (codes). */
  readonly sites?: readonly string[];
  /** Only these episodes (their source ids, the `episode.id` of the record), e.g. one patient's view. */
  readonly episodeIds?: readonly string[];
  /** Episodes per page. */
  readonly pageSize?: number;
}

function groupBy<T extends { episode_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) {
    const list = map.get(r.episode_id);
    if (list) list.push(r);
    else map.set(r.episode_id, [r]);
  }
  return map;
}

function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
}

/** Current version of every episode, as records in pages (site, then id order). Times in each episode's offset. */
export async function* loadRecords(db: Kysely<RegistryDatabase>, options: LoadOptions = {}): AsyncGenerator<RegistryRecord[]> {
  const pageSize = options.pageSize ?? 2000;
  let afterId = 0;
  for (;;) {
    let q = db
      .selectFrom('episodes as e')
      .innerJoin('sites as s', 's.id', 'e.site_id')
      .innerJoin('patients as p', 'p.id', 'e.patient_id')
      .select([
        'e.id', 'e.source_id', 'e.format_version', 'e.anchor_kind', 'e.anchor_time', 'e.utc_offset_min', 'e.admission_time',
        'e.cicu_admission_time', 'e.shock_onset_time', 'e.pci_start_time', 'e.discharge_time', 'e.age_years', 'e.sex', 'e.weight_kg',
        'e.height_cm', 'e.clinical', 'e.last_known_alive', 'e.follow_up_source', 'e.follow_up_note', 's.code as site',
        'p.source_id as patient_source_id', 'p.mrn', 'p.family_name', 'p.given_name', 'p.birth_date', 'p.postal_code',
      ])
      .where('e.id', '>', afterId)
      .orderBy('e.id')
      .limit(pageSize);
    if (options.sites && options.sites.length > 0) q = q.where('s.code', 'in', [...options.sites]);
    if (options.episodeIds !== undefined) {
      if (options.episodeIds.length === 0) return;
      q = q.where('e.source_id', 'in', [...options.episodeIds]);
    }
    const episodes = await q.execute();
    if (episodes.length === 0) return;
    afterId = episodes[episodes.length - 1]!.id;
    const ids = episodes.map((e) => e.id);
    const [obs, inf, bol, pur, dev, sup, evt, ac] = await Promise.all([
      db.selectFrom('observations').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('time').orderBy('id').execute(),
      db.selectFrom('infusions').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('start_time').orderBy('id').execute(),
      db.selectFrom('boluses').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('time').orderBy('id').execute(),
      db.selectFrom('purge_records').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('start_time').orderBy('id').execute(),
      db.selectFrom('devices').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('id').execute(),
      db.selectFrom('supports').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('start_time').orderBy('id').execute(),
      db.selectFrom('events').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('position').execute(),
      db.selectFrom('anticoagulation_periods').selectAll().where('episode_id', 'in', ids).where('v_to', 'is', null).orderBy('episode_id').orderBy('from_time').orderBy('id').execute(),
    ]);
    const g = { obs: groupBy(obs), inf: groupBy(inf), bol: groupBy(bol), pur: groupBy(pur), dev: groupBy(dev), sup: groupBy(sup), evt: groupBy(evt), ac: groupBy(ac) };
    const page: RegistryRecord[] = [];
    for (const e of episodes) {
      const off = e.utc_offset_min;
      const t = (d: Date | null | undefined) => (d === null || d === undefined ? undefined : isoInOffset(d, off));
      const times = defined({
        admission: t(e.admission_time),
        cicuAdmission: t(e.cicu_admission_time),
        shockOnset: t(e.shock_onset_time),
        pciStart: t(e.pci_start_time),
        discharge: t(e.discharge_time),
      });
      const episode: EpisodeInput = {
        formatVersion: '1',
        id: e.source_id,
        site: e.site,
        anchor: { kind: e.anchor_kind as EpisodeInput['anchor']['kind'], time: t(e.anchor_time)! },
        times,
        demographics: defined({ age_years: e.age_years ?? undefined, sex: e.sex as 'female', weight: e.weight_kg ?? undefined, height: e.height_cm ?? undefined }),
        clinical: e.clinical as EpisodeInput['clinical'],
        observations: (g.obs.get(e.id) ?? []).map((o) =>
          defined({
            time: t(o.time)!, code: o.code, value: o.value, unit: o.unit, censored: o.censored, specimen: o.specimen, method: o.method,
            periodMin: o.period_min, sampleId: o.sample_id, note: o.note,
          }),
        ) as EpisodeInput['observations'],
        infusions: (g.inf.get(e.id) ?? []).map((i) =>
          defined({ drug: i.drug, start: t(i.start_time)!, end: t(i.end_time), rate: i.rate, rateUnit: i.rate_unit, route: i.route, note: i.note }),
        ) as EpisodeInput['infusions'],
        boluses: (g.bol.get(e.id) ?? []).map((b) =>
          defined({ drug: b.drug, time: t(b.time)!, dose: b.dose, doseUnit: b.dose_unit, context: b.context, note: b.note }),
        ) as EpisodeInput['boluses'],
        purge: (g.pur.get(e.id) ?? []).map((p) =>
          defined({
            deviceId: p.device_ref, start: t(p.start_time)!, end: t(p.end_time), solution: p.solution, heparin_IU_mL: p.heparin_iu_ml,
            flow_mL_h: p.flow_ml_h, bicarbonate_meq_L: p.bicarbonate_meq_l, note: p.note,
          }),
        ) as EpisodeInput['purge'],
        devices: (g.dev.get(e.id) ?? []).map((d) =>
          defined({
            ...(d.details as Record<string, unknown>),
            id: d.device_ref, kind: d.kind, insertion: t(d.insertion_time)!, removal: t(d.removal_time), accessSite: d.access_site, side: d.side,
            placement: d.placement, selectionReasons: d.selection_reasons, selectionNote: d.selection_note, removalReason: d.removal_reason,
            settings: (d.settings as { time: string }[]).map((s) => ({ ...s, time: isoInOffset(s.time, off) })),
          }),
        ) as EpisodeInput['devices'],
        supports: (g.sup.get(e.id) ?? []).map((s) => defined({ kind: s.kind, start: t(s.start_time)!, end: t(s.end_time), note: s.note })) as EpisodeInput['supports'],
        events: (g.evt.get(e.id) ?? []).map((ev) => ({ ...(ev.details as Record<string, unknown>), kind: ev.kind, time: t(ev.time)! })) as EpisodeInput['events'],
        anticoagulation: (g.ac.get(e.id) ?? []).map((a) =>
          defined({ from: t(a.from_time)!, protocolId: a.protocol_id, target: a.target ?? undefined, note: a.note }),
        ) as EpisodeInput['anticoagulation'],
        followUp: defined({ lastKnownAlive: t(e.last_known_alive), source: e.follow_up_source, note: e.follow_up_note }) as EpisodeInput['followUp'],
      };
      const patient: PatientIdentity = defined({
        sourceId: e.patient_source_id,
        mrn: e.mrn ?? undefined,
        familyName: e.family_name ?? undefined,
        givenName: e.given_name ?? undefined,
        birthDate: e.birth_date ?? undefined,
        postalCode: e.postal_code ?? undefined,
      });
      page.push({ site: e.site, patient, episode });
    }
    yield page;
  }
}

// ---------------------------------------------------------------- append-only entry of observations

export interface AppendObservationsInput {
  /** The registry's episode id, locked by the caller (SELECT ... FOR UPDATE) in this transaction. */
  readonly episodeId: number;
  /** The episode row's version and digest before the entry. */
  readonly current: { readonly version: number; readonly digest: string };
  /** The parsed episode before the entry and the merged record/episode after it (its observations a superset). */
  readonly before: Episode;
  readonly after: ParsedRecord;
}

function observationKey(o: Episode['observations'][number]): string {
  // An array of primitives: JSON.stringify is stableJson here (no keys to sort), without the copy.
  return JSON.stringify([o.time, o.code, o.value, o.unit, o.originalValue, o.originalUnit, o.censored, o.specimen, o.method, o.periodMin, o.sampleId, o.note]);
}

type Obs = Episode['observations'][number];

function sameObservation(a: Obs, b: Obs): boolean {
  return a.time === b.time && a.code === b.code && a.value === b.value && a.unit === b.unit && a.originalValue === b.originalValue &&
    a.originalUnit === b.originalUnit && a.censored === b.censored && a.specimen === b.specimen && a.method === b.method &&
    a.periodMin === b.periodMin && a.sampleId === b.sampleId && a.note === b.note;
}

/**
 * The observations of `after` that are not in `before` (in the after order), or null when some of `before` is missing
 * from `after`. Both are sorted by time and the sort is stable, so the kept ones appear in `after` in their old order:
 * one walk finds the added ones; when it does not match (not expected), the multiset difference decides.
 */
function addedObservations(before: readonly Obs[], after: readonly Obs[]): Obs[] | null {
  const added: Obs[] = [];
  let i = 0;
  for (const o of after) {
    if (i < before.length && sameObservation(before[i]!, o)) i += 1;
    else added.push(o);
  }
  if (i === before.length) return added;
  const remaining = new Map<string, number>();
  for (const o of before) {
    const k = observationKey(o);
    remaining.set(k, (remaining.get(k) ?? 0) + 1);
  }
  const extra: Obs[] = [];
  for (const o of after) {
    const k = observationKey(o);
    const n = remaining.get(k) ?? 0;
    if (n > 0) remaining.set(k, n - 1);
    else extra.push(o);
  }
  return [...remaining.values()].some((n) => n > 0) ? null : extra;
}

/** An episode's stored form without its observations, and its version header, as stable JSON. */
interface EpisodeRest {
  readonly rest: string;
  readonly header: string;
}

// Per parsed episode (an object is never changed once parsed): the next entry's `before` is this entry's `after`,
// so each episode's rest is serialized once, not twice per entry.
const restMemo = new WeakMap<Episode, EpisodeRest>();

function episodeRest(episode: Episode): EpisodeRest {
  let r = restMemo.get(episode);
  if (r === undefined) {
    const { observations: _o, ...rest } = storedInputOf(episode);
    r = { rest: stableJson(rest), header: stableJson(header(rest)) };
    restMemo.set(episode, r);
  }
  return r;
}

/** What one observations-only entry writes: computed without the database (planObservationAppend). */
export interface ObservationAppendPlan {
  readonly episodeId: number;
  readonly version: number;
  readonly digest: string;
  /** The episode row's new version, digest and time (nothing else changes when only observations are added). */
  readonly updatedAt: Date;
  readonly versionRow: {
    readonly episode_id: number; readonly version: number; readonly digest: string; readonly header: string;
    readonly import_id: number | null; readonly actor: string; readonly reason: string; readonly recorded_at: Date;
  };
  readonly added: readonly Episode['observations'][number][];
  readonly audit: PendingAudit;
}

/**
 * The rows of an entry that only adds observations, or null when the merged episode differs from `before` in
 * anything but added observations (the caller then uses saveRecords). Pure: several plans of one episode can be
 * chained (each one's `current` is the previous plan's version and digest) and written together.
 */
export function planObservationAppend(input: AppendObservationsInput, ctx: SaveContext): ObservationAppendPlan | null {
  const { record, episode } = input.after;
  const before = input.before;
  const restAfter = episodeRest(episode);
  if (episodeRest(before).rest !== restAfter.rest) return null;
  const added = addedObservations(before.observations, episode.observations);
  if (added === null) return null;
  const digest = recordDigest(record.site, record.patient, episode);
  const version = input.current.version + 1;
  return {
    episodeId: input.episodeId,
    version,
    digest,
    updatedAt: ctx.now,
    versionRow: { episode_id: input.episodeId, version, digest, header: restAfter.header, import_id: ctx.importId, actor: ctx.actor, reason: ctx.reason, recorded_at: ctx.now },
    added,
    audit: {
      actor: ctx.actor,
      at: ctx.now,
      entry: {
        action: 'correct',
        entity: 'episode',
        entityKey: `${record.site}/${episode.id}`,
        before: { version: input.current.version, digest: input.current.digest },
        after: { version, digest, rows: counts(episode) },
        reason: ctx.reason,
      },
    },
  };
}

/**
 * Writes planned observation appends (of one or many episodes, locked by the caller in this transaction) with a
 * fixed number of statements: one episode row update per episode (its last plan), one insert each for the versions,
 * the observations and the audit records (in plan order).
 */
export async function writeObservationAppends(trx: Transaction<RegistryDatabase>, plans: readonly ObservationAppendPlan[]): Promise<void> {
  if (plans.length === 0) return;
  const last = new Map<number, ObservationAppendPlan>();
  for (const plan of plans) last.set(plan.episodeId, plan);
  const rows = [...last.values()];
  // One UPDATE for every episode of the batch (its last plan), from arrays of bound values.
  await sql`
    update episodes as e
       set version = v.version, digest = v.digest, updated_at = v.updated_at
      from (select unnest(${rows.map((p) => p.episodeId)}::int4[]) as id,
                   unnest(${rows.map((p) => p.version)}::int4[]) as version,
                   unnest(${rows.map((p) => p.digest)}::text[]) as digest,
                   unnest(${rows.map((p) => p.updatedAt.toISOString())}::text[])::timestamptz as updated_at) as v
     where e.id = v.id`.execute(trx);
  await trx.insertInto('episode_versions').values(plans.map((p) => p.versionRow)).execute();
  const set = newColumnSet();
  for (const plan of plans) {
    for (const o of plan.added) {
      set.observations.row(plan.episodeId, plan.version, o.time, o.code, o.value, o.unit, o.originalValue, o.originalUnit, o.censored, o.specimen, o.method, o.periodMin, o.sampleId, o.note);
    }
  }
  await insertSections(trx, set);
  await appendAuditRecords(trx, plans.map((p) => p.audit));
}

/**
 * Saves an entry that only adds observations as a new version, without rewriting the episode: the added rows get
 * v_from = the new version, the current rows stay current, the episode row and episode_versions get the new version,
 * digest and header, and the audit record is the one saveRecords writes for a correction. loadRecords returns the
 * same record afterwards as after saveRecords of the merged episode (observations read back by time, then id: the
 * kept rows precede the added ones at equal times in both). Returns the new version, or null when the merged episode
 * differs from `before` in anything but added observations (the caller then uses saveRecords).
 */
export async function appendObservations(trx: Transaction<RegistryDatabase>, input: AppendObservationsInput, ctx: SaveContext): Promise<number | null> {
  const plan = planObservationAppend(input, ctx);
  if (plan === null) return null;
  await writeObservationAppends(trx, [plan]);
  return plan.version;
}
