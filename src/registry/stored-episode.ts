// The canonical episode written back as episode-format input: what the registry stores and what its exporters and
// loaders produce. Values are in each code's canonical unit, times as given or as the caller formats them (in the
// episode's own offset when read back, as epoch instants for digests). parseEpisode(storedInputOf(parseEpisode(x))) has the same
// canonical content as parseEpisode(x): that is the registry's "nothing lost" property, tested in stored-episode.test.ts.
import { createHash } from 'node:crypto';
import type { HbMeasurement } from '../clinical/bleeding/bleeding-facts.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import type { Episode, EpisodeEvent } from '../clinical/episode/episode.js';
import type { PatientIdentity } from './record.js';
import { stableJson } from './db/stable-json.js';

type TimeFormat = (iso: string) => string;

/** A time as its instant in epoch milliseconds (as text): the form times take in digests, cheaper than re-formatting. */
function instantText(iso: string): string {
  return String(Date.parse(iso));
}

/** Offset of an ISO 8601 time in minutes east of UTC ('Z' = 0, '+01:00' = 60, '-05:30' = -330). */
export function utcOffsetMinutes(iso: string): number {
  const m = /(Z|[+-]\d{2}:?\d{2})$/i.exec(iso.trim());
  if (!m || m[1] === undefined || m[1].toUpperCase() === 'Z') return 0;
  const sign = m[1].startsWith('-') ? -1 : 1;
  const digits = m[1].slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** Formats an instant as ISO 8601 in a fixed offset, e.g. 2026-01-01T05:00:00+01:00 (seconds always, ms when non-zero). */
export function isoInOffset(instant: Date | string | number, offsetMin: number): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  const local = new Date(ms + offsetMin * 60000).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const body = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  if (offsetMin === 0) return `${body}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${body}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function hbInput(m: HbMeasurement | undefined, time: TimeFormat): { value: number; unit: 'g/dL' | 'g/L' | 'mmol/L'; time?: string } | undefined {
  if (!m) return undefined;
  return { value: m.originalValue, unit: m.originalUnit, ...opt('time', m.time === undefined ? undefined : time(m.time)) };
}

/** An event without its computed t_min, times formatted, bleeding facts back in their input form. */
export function eventInputOf(event: EpisodeEvent, time: TimeFormat): Record<string, unknown> {
  const { t_min: _t, ...rest } = event;
  const out: Record<string, unknown> = { ...rest, time: time(event.time) };
  if (event.kind === 'bleeding') {
    const f = event.facts;
    const facts: Record<string, unknown> = { ...f };
    for (const key of ['hbBaseline', 'hbNadir'] as const) {
      const m = hbInput(f[key], time);
      if (m) facts[key] = m;
      else delete facts[key];
    }
    for (const key of ['hctBaseline', 'hctNadir', 'onAnticoagulation'] as const) {
      const m = f[key];
      if (m && m.time !== undefined) facts[key] = { ...m, time: time(m.time) };
    }
    out['facts'] = facts;
  }
  return out;
}

/** The episode as format input, in canonical units, every time formatted by `time`. */
export function storedInputOf(episode: Episode, time: TimeFormat = (x) => x): EpisodeInput {
  const t = (x: string | undefined) => (x === undefined ? undefined : time(x));
  const times: Record<string, string> = {};
  for (const [k, v] of Object.entries(episode.times)) if (typeof v === 'string') times[k] = time(v);
  const { baselineCreatinine, ...clinical } = episode.clinical;
  const d = episode.demographics;
  return {
    formatVersion: '1',
    id: episode.id,
    ...opt('site', episode.site),
    anchor: { kind: episode.anchor.kind, time: time(episode.anchor.time) },
    times,
    demographics: {
      ...opt('age_years', d.age_years),
      sex: d.sex,
      ...opt('weight', d.weight_kg),
      ...opt('height', d.height_cm),
    },
    clinical: {
      ...clinical,
      ...(baselineCreatinine
        ? {
            baselineCreatinine: {
              value: baselineCreatinine.value_mg_dL,
              unit: 'mg/dL',
              ...opt('time', t(baselineCreatinine.time)),
              ...opt('source', baselineCreatinine.source),
            },
          }
        : {}),
    },
    observations: episode.observations.map((o) => ({
      time: time(o.time),
      code: o.code,
      value: o.value,
      unit: o.unit,
      ...opt('censored', o.censored),
      ...opt('specimen', o.specimen),
      ...opt('method', o.method),
      ...opt('periodMin', o.periodMin),
      ...opt('sampleId', o.sampleId),
      ...opt('note', o.note),
    })),
    infusions: episode.infusions.map((i) => ({
      drug: i.drug,
      start: time(i.start),
      ...opt('end', t(i.end)),
      rate: i.rate,
      rateUnit: i.rateUnit,
      ...opt('route', i.route),
      ...opt('note', i.note),
    })),
    boluses: episode.boluses.map((b) => ({
      drug: b.drug,
      time: time(b.time),
      dose: b.dose,
      doseUnit: b.doseUnit,
      ...opt('context', b.context),
      ...opt('note', b.note),
    })),
    purge: episode.purge.map((p) => ({
      ...opt('deviceId', p.deviceId),
      start: time(p.start),
      ...opt('end', t(p.end)),
      solution: p.solution,
      heparin_IU_mL: p.heparin_IU_mL,
      flow_mL_h: p.flow_mL_h,
      ...opt('bicarbonate_meq_L', p.bicarbonate_meq_L),
      ...opt('note', p.note),
    })),
    devices: episode.devices.map((dev) => {
      const { t_insertion_min: _a, t_removal_min: _b, insertion, removal, settings, ...rest } = dev;
      return {
        ...rest,
        insertion: time(insertion),
        ...opt('removal', t(removal)),
        settings: settings.map(({ t_min: _c, time: st, ...s }) => ({ time: time(st), ...s })),
      };
    }) as EpisodeInput['devices'],
    supports: episode.supports.map(({ t_start_min: _a, t_end_min: _b, start, end, ...s }) => ({ ...s, start: time(start), ...opt('end', t(end)) })),
    events: episode.events.map((e) => eventInputOf(e, time)) as EpisodeInput['events'],
    anticoagulation: episode.anticoagulation.map((a) => ({
      from: time(a.from),
      protocolId: a.protocolId,
      ...opt('target', a.target),
      ...opt('note', a.note),
    })),
    followUp: {
      ...opt('lastKnownAlive', t(episode.followUp.lastKnownAlive)),
      ...opt('source', episode.followUp.source),
      ...opt('note', episode.followUp.note),
    },
  };
}

/**
 * sha256 of a record's canonical content: the patient's identity and the episode in stored form with every time in
 * UTC. Equal for two files that say the same thing in different units, offsets or key orders, so a re-import of the
 * same content is recognised as unchanged and a real change as a correction.
 */
export function recordDigest(site: string, patient: PatientIdentity, episode: Episode): string {
  // The record's site is the one that counts (importers may set it with --site); the episode's own copy is ignored.
  const { site: _ignored, ...stored } = storedInputOf(episode, instantText);
  return createHash('sha256').update(stableJson({ site, patient, episode: stored })).digest('hex');
}
