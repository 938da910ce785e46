// Time zero of the analysis table and the device group a patient is counted in. Time zero is the start of the
// first MCS device (the treatment decision a device comparison emulates), else shock onset, else the episode anchor;
// the device group at time zero counts every device kind inserted within COMBINATION_WINDOW_MIN of it [D]
// (documented in docs/dataset.md).
import { minutesBetween, type Device, type DeviceKind, type Episode, type TMin } from '../../clinical/episode/episode.js';

/**
 * Two or more device kinds inserted within this many minutes of time zero count as a combination (e.g. VA-ECMO
 * with a microaxial pump for LV unloading, "ECPELLA") [D]: 24 h, the horizon over which the SCAI trajectory and the
 * initial support strategy are read. A device added later changes `device_group_ever`, not the time-zero group.
 */
export const COMBINATION_WINDOW_MIN = 24 * 60;

export type TimeZeroSource =
  | 'device_start'
  | 'shock_onset'
  | 'anchor_admission'
  | 'anchor_cicu_admission'
  | 'anchor_index_event'
  | 'anchor_device_start';

export const TIME_ZERO_SOURCES: readonly TimeZeroSource[] = [
  'device_start',
  'shock_onset',
  'anchor_admission',
  'anchor_cicu_admission',
  'anchor_index_event',
  'anchor_device_start',
];

export interface TimeZero {
  /** Minutes since the episode anchor. */
  readonly t_min: TMin;
  readonly source: TimeZeroSource;
}

/** Time zero: first device insertion; else `times.shockOnset`; else the anchor (whose kind is the source). */
export function timeZeroOf(episode: Episode): TimeZero {
  let first: number | undefined;
  for (const d of episode.devices) if (first === undefined || d.t_insertion_min < first) first = d.t_insertion_min;
  if (first !== undefined) return { t_min: first, source: 'device_start' };
  const onset = episode.times.shockOnset;
  if (onset !== undefined) {
    const t = minutesBetween(episode.anchor.time, onset);
    if (Number.isFinite(t)) return { t_min: t, source: 'shock_onset' };
  }
  const kind = episode.anchor.kind;
  return { t_min: 0, source: kind === 'shock_onset' ? 'shock_onset' : `anchor_${kind}` };
}

export type DeviceGroup = 'none' | 'iabp' | 'microaxial' | 'ecmo' | 'other' | 'combination';
export const DEVICE_GROUPS: readonly DeviceGroup[] = ['none', 'iabp', 'microaxial', 'ecmo', 'other', 'combination'];

/** Device kinds in a fixed order, so '+'-joined lists are stable. */
const KIND_ORDER: readonly DeviceKind[] = ['iabp', 'microaxial', 'va_ecmo', 'other'];
const GROUP_OF_KIND: Readonly<Record<DeviceKind, DeviceGroup>> = { iabp: 'iabp', microaxial: 'microaxial', va_ecmo: 'ecmo', other: 'other' };

export interface DeviceSet {
  readonly group: DeviceGroup;
  /** Distinct kinds, '+'-joined in the order iabp, microaxial, va_ecmo, other; '' for none. */
  readonly kinds: string;
}

/** Group of a set of devices: none, the one kind, or combination for two or more different kinds. */
export function deviceSet(devices: readonly Device[]): DeviceSet {
  const present = new Set(devices.map((d) => d.kind));
  const kinds = KIND_ORDER.filter((k) => present.has(k));
  const group: DeviceGroup = kinds.length === 0 ? 'none' : kinds.length === 1 ? GROUP_OF_KIND[kinds[0]] : 'combination';
  return { group, kinds: kinds.join('+') };
}

/** Devices inserted in [t0, t0 + COMBINATION_WINDOW_MIN] (the initial support strategy). */
export function devicesAtTimeZero(episode: Episode, t0: TMin): Device[] {
  return episode.devices.filter((d) => d.t_insertion_min >= t0 && d.t_insertion_min <= t0 + COMBINATION_WINDOW_MIN);
}

/** The device(s) that start time zero: inserted exactly at t0 (several when inserted together). */
export function timeZeroDevices(episode: Episode, t0: TMin): Device[] {
  return episode.devices.filter((d) => d.t_insertion_min === t0);
}
