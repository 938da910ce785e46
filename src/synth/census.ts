// An active census: synthetic patients made still on the unit at a given moment, so the bedside board of a demo
// server shows patients. Each patient's whole record is shifted in time so that `now` falls inside its device run
// (6 to 60 h after time zero, seeded), and everything recorded after `now` is dropped: observations, doses, device
// removals, discharge, death and other events, follow-up. Pure: no I/O, no clock (the caller passes `now`).
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import type { RegistryRecord } from '../registry/record.js';
import { generatePatient } from './generate-registry.js';
import type { SyntheticPatient } from './patient-truth.js';
import { patientRng, Rng } from './prng.js';
import { siteProfiles } from './site-profiles.js';
import type { SynthParameters } from './synth-parameters.js';

const MIN = 60_000;
/** Where `now` falls in the device run: hours after time zero [D]. */
export const CENSUS_HOURS_ON_SUPPORT = { min: 6, max: 60 } as const;
/** `now` stays at least this long before the run's last device removal (so a device is still in place) [D]. */
const BEFORE_REMOVAL_MIN = 30;

type EventIn = NonNullable<EpisodeInput['events']>[number];

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface CensusOptions {
  /** Seeds where in its run each patient is at `now`. */
  readonly seed: number;
}

const isoOf = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** Every ISO time in a JSON value moved by `shiftMs` (a fresh copy; other values as they are). */
function shiftTimes<T>(value: T, shiftMs: number): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return ISO_TIME.test(v) ? isoOf(Date.parse(v) + shiftMs) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Every ISO time in a JSON value, in ms. */
function timesIn(value: unknown): number[] {
  if (typeof value === 'string') return ISO_TIME.test(value) ? [Date.parse(value)] : [];
  if (Array.isArray(value)) return value.flatMap(timesIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(timesIn);
  return [];
}

/** The episode as charted up to `nowMs`: later items dropped, later ends and removals left open. */
function truncateAt(e: EpisodeInput, nowMs: number): EpisodeInput {
  const by = (iso: string | undefined) => iso !== undefined && Date.parse(iso) <= nowMs;
  const open = <T extends { end?: string }>(x: T): T => {
    if (x.end === undefined || by(x.end)) return x;
    const { end: _end, ...rest } = x;
    return rest as T;
  };
  const times = Object.fromEntries(Object.entries(e.times ?? {}).filter(([, t]) => by(t)));

  // Events: kept when everything in them (the onset, a bleed's lab samples) was known by now; a transfusion's
  // reference to a bleeding event follows that event's new index.
  const kept: EventIn[] = [];
  const newIndex = new Map<number, number>();
  (e.events ?? []).forEach((ev, i) => {
    if (timesIn(ev).every((t) => t <= nowMs)) {
      newIndex.set(i, kept.length);
      kept.push(ev);
    }
  });
  const events = kept.map((ev) => {
    if (ev.kind !== 'transfusion' || ev.forBleedingEvent === undefined) return ev;
    const to = newIndex.get(ev.forBleedingEvent);
    if (to !== undefined) return { ...ev, forBleedingEvent: to };
    const { forBleedingEvent: _f, ...rest } = ev;
    return rest;
  });

  const devices = (e.devices ?? [])
    .filter((d) => by(d.insertion))
    .map((d) => {
      const settings = (d.settings ?? []).filter((s) => by(s.time));
      if (d.removal === undefined || by(d.removal)) return { ...d, settings };
      const { removal: _r, removalReason: _rr, ...inPlace } = d;
      return { ...inPlace, settings };
    });

  return {
    ...e,
    times,
    observations: (e.observations ?? []).filter((o) => by(o.time)),
    infusions: (e.infusions ?? []).filter((x) => by(x.start)).map(open),
    boluses: (e.boluses ?? []).filter((b) => by(b.time)),
    purge: (e.purge ?? []).filter((p) => by(p.start)).map(open),
    devices,
    supports: (e.supports ?? []).filter((s) => by(s.start)).map(open),
    events,
    anticoagulation: (e.anticoagulation ?? []).filter((a) => by(a.from)),
    followUp: {},
  };
}

/** YYYY-MM-DD moved by whole days. */
function shiftDate(date: string, shiftMs: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(shiftMs / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The patients still on the unit at `now`: each record shifted so that `now` is 6 to 60 h (seeded) after its time
 * zero and at least 30 min before its last device removal, then cut at `now`. Patients without a device, or whose
 * device run is too short to hold `now`, are left out (the result may be shorter than the input). The identity's
 * birth date moves by the same whole days, so the age stays as charted.
 */
export function activeCensus(patients: readonly SyntheticPatient[], now: Date, options: CensusOptions): RegistryRecord[] {
  const nowMs = Math.floor(now.getTime() / MIN) * MIN;
  const out: RegistryRecord[] = [];
  patients.forEach(({ record, truth }, i) => {
    const devices = record.episode.devices ?? [];
    if (devices.length === 0) return;
    const t0 = Date.parse(truth.timeZero);
    const removals = devices.map((d) => (d.removal === undefined ? Infinity : Date.parse(d.removal)));
    const runMin = (Math.max(...removals) - t0) / MIN - BEFORE_REMOVAL_MIN;
    const hi = Math.min(CENSUS_HOURS_ON_SUPPORT.max * 60, runMin);
    if (!(hi > 0)) return;
    const lo = Math.min(CENSUS_HOURS_ON_SUPPORT.min * 60, hi / 2);
    const elapsedMin = Math.round(lo + new Rng(options.seed, i).next() * (hi - lo));
    const shiftMs = nowMs - elapsedMin * MIN - t0;
    const episode = truncateAt(shiftTimes(record.episode, shiftMs), nowMs);
    const patient = record.patient.birthDate !== undefined ? { ...record.patient, birthDate: shiftDate(record.patient.birthDate, shiftMs) } : record.patient;
    out.push({ site: record.site, patient, episode });
  });
  return out;
}

/**
 * A seeded census for a demo registry: synthetic patients generated after the registry's own (indexes from
 * `params.patients` on, so ids never collide with it), `perSite` patients with a device at each site, made active at
 * `now`. Gives up on a site after `maxCandidates` patients were drawn (a very small site may get fewer).
 */
export function demoCensus(params: SynthParameters, now: Date, perSite: number, maxCandidates = 5000): RegistryRecord[] {
  const sites = siteProfiles(params);
  const wanted = new Map(sites.map((s) => [s.code, perSite]));
  const chosen: SyntheticPatient[] = [];
  for (let i = params.patients; i < params.patients + maxCandidates && [...wanted.values()].some((n) => n > 0); i++) {
    const p = generatePatient(params, i, patientRng(params.seed, i), sites);
    const left = wanted.get(p.record.site) ?? 0;
    if (left === 0 || (p.record.episode.devices ?? []).length === 0) continue;
    const [record] = activeCensus([p], now, { seed: params.seed ^ 0x5eed });
    if (!record) continue;
    wanted.set(p.record.site, left - 1);
    chosen.push(p);
  }
  return activeCensus(chosen, now, { seed: params.seed ^ 0x5eed });
}
