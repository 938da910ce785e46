// Time helpers over a parsed episode: observations of a code in a window, the last value at or before a time,
// infusions and devices active at a time. All times are minutes since the episode anchor (t_min). Pure.
import type { Device, DeviceKind, Episode, Infusion, Observation, PurgeRecord, Support, TMin } from './episode.js';
import type { ObservationCode } from './observation-codes.js';
import { minutesBetween } from './episode.js';
import { addMinutesIso } from './iso-time.js';

/** Anything with a list of observations (an Episode, or a narrow test input). */
export interface HasObservations {
  readonly observations: readonly Observation[];
}

/** All observations of `code`, in time order. */
export function observationsOf(src: HasObservations, code: ObservationCode): Observation[] {
  return src.observations.filter((o) => o.code === code).sort((a, b) => a.t_min - b.t_min);
}

/** Observations of `code` with fromMin ≤ t_min ≤ toMin (both ends inclusive), in time order. */
export function observationsInWindow(src: HasObservations, code: ObservationCode, fromMin: TMin, toMin: TMin): Observation[] {
  return observationsOf(src, code).filter((o) => o.t_min >= fromMin && o.t_min <= toMin);
}

/**
 * The last observation of `code` at or before `atMin`; with `maxAgeMin`, only if taken within that many minutes
 * (atMin − maxAgeMin ≤ t_min ≤ atMin). Undefined when none: the caller reports the input as missing.
 */
export function lastAtOrBefore(src: HasObservations, code: ObservationCode, atMin: TMin, maxAgeMin?: number): Observation | undefined {
  let best: Observation | undefined;
  for (const o of src.observations) {
    if (o.code !== code || o.t_min > atMin) continue;
    if (maxAgeMin !== undefined && o.t_min < atMin - maxAgeMin) continue;
    if (!best || o.t_min >= best.t_min) best = o;
  }
  return best;
}

/** The first observation of `code` at or after `atMin` (within `maxAfterMin` if given). */
export function firstAtOrAfter(src: HasObservations, code: ObservationCode, atMin: TMin, maxAfterMin?: number): Observation | undefined {
  let best: Observation | undefined;
  for (const o of src.observations) {
    if (o.code !== code || o.t_min < atMin) continue;
    if (maxAfterMin !== undefined && o.t_min > atMin + maxAfterMin) continue;
    if (!best || o.t_min < best.t_min) best = o;
  }
  return best;
}

/** The observation of `code` nearest to `atMin` within ±toleranceMin (ties: the earlier one). */
export function nearestTo(src: HasObservations, code: ObservationCode, atMin: TMin, toleranceMin: number): Observation | undefined {
  let best: Observation | undefined;
  for (const o of src.observations) {
    if (o.code !== code) continue;
    const d = Math.abs(o.t_min - atMin);
    if (d > toleranceMin) continue;
    if (!best) best = o;
    else {
      const bd = Math.abs(best.t_min - atMin);
      if (d < bd || (d === bd && o.t_min < best.t_min)) best = o;
    }
  }
  return best;
}

/** The observation with the highest value in the window (first such if tied), or undefined. */
export function maxInWindow(src: HasObservations, code: ObservationCode, fromMin: TMin, toMin: TMin): Observation | undefined {
  let best: Observation | undefined;
  for (const o of observationsInWindow(src, code, fromMin, toMin)) if (!best || o.value > best.value) best = o;
  return best;
}

/** The observation with the lowest value in the window (first such if tied), or undefined. */
export function minInWindow(src: HasObservations, code: ObservationCode, fromMin: TMin, toMin: TMin): Observation | undefined {
  let best: Observation | undefined;
  for (const o of observationsInWindow(src, code, fromMin, toMin)) if (!best || o.value < best.value) best = o;
  return best;
}

/** True when an interval [start, end) contains atMin; an open end means still running. */
export function activeAt(startMin: TMin, endMin: TMin | undefined, atMin: TMin): boolean {
  return startMin <= atMin && (endMin === undefined || atMin < endMin);
}

/** Infusions running at `atMin` (t_start_min ≤ atMin < t_end_min), optionally of one kind. */
export function infusionsActiveAt(
  src: { readonly infusions: readonly Infusion[] },
  atMin: TMin,
  kind?: Infusion['kind'],
): Infusion[] {
  return src.infusions.filter((i) => activeAt(i.t_start_min, i.t_end_min, atMin) && (kind === undefined || i.kind === kind));
}

/** Devices in place at `atMin` (inserted at or before, not yet removed), optionally of one kind. */
export function devicesActiveAt(src: { readonly devices: readonly Device[] }, atMin: TMin, kind?: DeviceKind): Device[] {
  return src.devices.filter((d) => activeAt(d.t_insertion_min, d.t_removal_min, atMin) && (kind === undefined || d.kind === kind));
}

/** Purge records running at `atMin`. */
export function purgeActiveAt(src: { readonly purge: readonly PurgeRecord[] }, atMin: TMin): PurgeRecord[] {
  return src.purge.filter((p) => activeAt(p.t_start_min, p.t_end_min, atMin));
}

/** Organ-support intervals of a kind running at `atMin`. */
export function supportsActiveAt(src: { readonly supports: readonly Support[] }, atMin: TMin, kind?: Support['kind']): Support[] {
  return src.supports.filter((s) => activeAt(s.t_start_min, s.t_end_min, atMin) && (kind === undefined || s.kind === kind));
}

/** Minutes since the episode's anchor of an ISO 8601 time (e.g. a CLI `--at`). */
export function tMinOf(episode: Pick<Episode, 'anchor'>, iso: string): TMin {
  return minutesBetween(episode.anchor.time, iso);
}

/**
 * ISO 8601 time of a t_min, in the anchor's UTC offset (as the input gave its times), for messages about times that
 * are not an observation's own (e.g. window ends).
 */
export function isoAt(episode: Pick<Episode, 'anchor'>, tMin: TMin): string {
  // parseEpisode validates the anchor; the fallback only keeps a hand-built episode with a bad anchor from throwing.
  return addMinutesIso(episode.anchor.time, tMin) ?? `${episode.anchor.time} + ${tMin} min`;
}

/** The last time (t_min) anything was recorded in the episode; 0 for an empty episode. Useful as a default "now". */
export function lastRecordedMin(episode: Episode): TMin {
  let t = 0;
  for (const o of episode.observations) t = Math.max(t, o.t_min);
  for (const i of episode.infusions) t = Math.max(t, i.t_start_min, i.t_end_min ?? -Infinity);
  for (const d of episode.devices) t = Math.max(t, d.t_insertion_min, d.t_removal_min ?? -Infinity);
  for (const e of episode.events) t = Math.max(t, e.t_min);
  return t;
}
