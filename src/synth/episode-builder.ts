// Accumulates one synthetic episode in the canonical input format (src/clinical/episode/episode-schema.ts): times are
// given in minutes since time zero and written as ISO 8601 UTC, whole minutes. Values are rounded to the precision a
// laboratory or monitor reports, so the files look like real exports.
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import type { ObservationCode } from '../clinical/episode/observation-codes.js';

type Item<K extends keyof EpisodeInput> = NonNullable<EpisodeInput[K]> extends readonly (infer T)[] ? T : never;
export type ObservationItem = Item<'observations'>;
export type InfusionItem = Item<'infusions'>;
export type PurgeItem = Item<'purge'>;
export type DeviceItem = Item<'devices'>;
export type SupportItem = Item<'supports'>;
export type EventItem = Item<'events'>;
export type AnticoagulationItem = Item<'anticoagulation'>;

/** ISO 8601 UTC with whole seconds, e.g. '2023-05-01T12:34:00Z'. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = digits === 0 ? 1 : digits === 1 ? 10 : digits === 2 ? 100 : 10 ** digits;
  return Math.round(x * f) / f;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export class EpisodeBuilder {
  readonly observations: ObservationItem[] = [];
  readonly infusions: InfusionItem[] = [];
  readonly purge: PurgeItem[] = [];
  readonly devices: DeviceItem[] = [];
  readonly supports: SupportItem[] = [];
  readonly events: EventItem[] = [];
  readonly anticoagulation: AnticoagulationItem[] = [];

  /** The last time formatted: labs of one panel, a blood gas and paired tests share their time (formatting is slow). */
  private lastMin = NaN;
  private lastIso = '';

  /** `t0Ms`: time zero, epoch milliseconds (a whole minute). */
  constructor(readonly t0Ms: number) {}

  /** ISO time of `tMin` minutes after time zero (rounded to the minute). */
  iso(tMin: number): string {
    const m = Math.round(tMin);
    if (m !== this.lastMin) {
      this.lastMin = m;
      this.lastIso = isoUtc(this.t0Ms + m * 60000);
    }
    return this.lastIso;
  }

  obs(tMin: number, code: ObservationCode, value: number, sampleId?: string): void {
    const o: ObservationItem = { time: this.iso(tMin), code, value };
    if (sampleId !== undefined) o.sampleId = sampleId;
    this.observations.push(o);
  }

  /** One blood-pressure set: SBP, DBP and measured MAP (integers, DBP ≤ MAP ≤ SBP), and heart rate. */
  vitals(tMin: number, map: number, pulsePressure: number, heartRate: number): void {
    // Kept inside the usual ranges of reference 9 (MAP ≥ 40, SBP ≥ 50) so imports carry no review warnings.
    const m = Math.round(clamp(map, 40, 140));
    const pp = Math.max(4, Math.round(pulsePressure));
    const dbp = Math.max(15, m - Math.round(pp / 3));
    const sbp = Math.max(50, m + 1, m + Math.round((2 * pp) / 3));
    const time = this.iso(tMin);
    this.observations.push(
      { time, code: 'sbp_mmHg', value: sbp },
      { time, code: 'dbp_mmHg', value: dbp },
      { time, code: 'map_mmHg', value: m },
      { time, code: 'heart_rate_per_min', value: Math.round(clamp(heartRate, 35, 190)) },
    );
  }

  /** Adds an event and returns its index in `events` (transfusions refer to bleeding events by index). */
  event(e: EventItem): number {
    this.events.push(e);
    return this.events.length - 1;
  }
}
