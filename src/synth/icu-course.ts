// The ICU course after time zero: vasoactives weaned in survivors and escalated in patients dying early, vitals every
// 2 h over the first 12 h and every 4 h to 24 h, lactate every 6 h, daily laboratory panels (creatinine, ALT, bilirubin, hemoglobin,
// platelets, LDH, INR; plasma free hemoglobin while a pump or ECMO runs), respiratory and kidney support, and
// device-related hemolysis. Nothing here feeds back into death: these series only describe the course the outcome
// model already fixed (an early death shows a deteriorating course).
import { clamp, round, type EpisodeBuilder } from './episode-builder.js';
import type { VasoactiveRun } from './pre-device-chart.js';
import type { Rng } from './prng.js';
import type { DeviceGroup } from './synth-parameters.js';

const DAY = 1440;
/** A death within this many minutes counts as "early": its series deteriorate instead of recovering. */
const EARLY_DEATH_MIN = 3 * DAY;

export interface CourseFrame {
  readonly obsStart: number;
  readonly deathMin: number;
  /** End of the ICU stay (death or transfer), minutes. */
  readonly icuEnd: number;
  readonly deviceGroup: DeviceGroup;
  /** Intervals with a pump or ECMO in place (hemolysis markers are drawn then). */
  /** Removal of the last device (0 without a device), minutes. */
  readonly deviceEnd: number;
  readonly shearDevices: readonly { readonly kind: 'microaxial' | 'va_ecmo'; readonly id: string; readonly from: number; readonly to: number }[];
  readonly severity: number;
}

/** Continues each vasoactive running at time zero: weaned (survivors) or escalated (early deaths). */
export function continueVasoactives(b: EpisodeBuilder, runs: readonly VasoactiveRun[], f: CourseFrame, rng: Rng): void {
  const early = f.deathMin < EARLY_DEATH_MIN;
  for (const r of runs) {
    const digits = r.drug === 'vasopressin' ? 3 : 2;
    const cap = r.drug === 'vasopressin' ? 0.06 : r.drug === 'dobutamine' || r.drug === 'dopamine' ? 15 : 0.9;
    const push = (from: number, to: number, rate: number): void => {
      b.infusions.push({ drug: r.drug, start: b.iso(from), end: b.iso(to), rate: round(Math.min(cap, rate), digits), rateUnit: r.rateUnit });
    };
    const t1 = early ? Math.round(rng.uniform(60, 480)) : Math.round(rng.uniform(360, DAY));
    if (t1 >= f.deathMin - 10) {
      push(r.segmentStart, f.deathMin, r.rate);
      continue;
    }
    push(r.segmentStart, t1, r.rate);
    if (early) push(t1, f.deathMin, r.rate * 1.6);
    else push(t1, Math.min(f.deathMin, t1 + Math.round(rng.uniform(360, 1800))), r.rate * 0.5);
  }
}

/** Pulse pressure by device, mmHg [D]: continuous-flow support narrows it (pump, ECMO), the IABP widens it. */
function pulsePressure(group: DeviceGroup, rng: Rng): number {
  switch (group) {
    case 'iabp': return rng.normal(42, 6);
    case 'microaxial': return rng.normal(22, 5);
    case 'va_ecmo': return rng.normal(12, 4);
    case 'combination': return rng.normal(10, 3);
    case 'none': return rng.normal(35, 6);
  }
}

/** Vitals every 2 h over the first 12 h and every 4 h to 24 h, and lactate every 6 h, after time zero. */
export function chartVitalsAndLactate(b: EpisodeBuilder, f: CourseFrame, pre: { map: number; heartRate: number; lactate: number }, rng: Rng): void {
  const early = f.deathMin < EARLY_DEATH_MIN;
  const targetMap = rng.normal(72, 4);
  const targetHr = rng.normal(84, 8);
  // Every 2 h for the first 12 h, then every 4 h to 24 h (keeps about 80 observations per patient).
  for (let t = 60; t <= DAY - 60 && t < f.deathMin - 5; t += t < 720 ? 120 : 240) {
    const map = early ? pre.map - 15 * (t / f.deathMin) + rng.normal(0, 3) : targetMap + (pre.map - targetMap) * Math.exp(-t / 300) + rng.normal(0, 3);
    const hr = early ? pre.heartRate + 15 * (t / f.deathMin) + rng.normal(0, 5) : targetHr + (pre.heartRate - targetHr) * Math.exp(-t / 360) + rng.normal(0, 5);
    b.vitals(t, map, Math.max(5, pulsePressure(f.deviceGroup, rng)), hr);
  }
  for (let t = 180; t < DAY && t < f.deathMin - 5; t += 360) {
    const l = early ? pre.lactate * (1 + 1.5 * (t / f.deathMin)) : 1 + Math.max(0, pre.lactate - 1) * Math.exp(-t / 480);
    b.obs(t, 'lactate_mmol_L', round(clamp(l * rng.logNormal(1, 0.08), 0.5, 19.5), 1));
  }
}

export interface LabModel {
  readonly creatinine0: number;
  /** Acute kidney injury: fractional creatinine rise over the first two days. */
  readonly aki: number;
  readonly alt0: number;
  readonly bilirubin0: number;
  readonly platelets0: number;
  readonly ldh0: number;
  readonly inr: number;
  /** Hemoglobin at time t (bleeds and transfusions included), g/dL. */
  readonly hbAt: (t: number) => number;
  /** Hemolysis-prone on a shear device: PFHb runs high. */
  readonly hemolysisProne: boolean;
}

/** Daily laboratory panels: before time zero, then days 1..4 while in the ICU (a smaller panel from day 2). */
export function chartLabs(b: EpisodeBuilder, f: CourseFrame, m: LabModel, rng: Rng): { firstHighPfhb: number | null } {
  const shearAt = (t: number): { kind: 'microaxial' | 'va_ecmo'; id: string } | undefined => f.shearDevices.find((d) => t >= d.from && t <= d.to);
  const daysOnShear = (t: number): number => f.shearDevices.reduce((s, d) => s + Math.max(0, Math.min(t, d.to) - d.from), 0) / DAY;
  let firstHighPfhb: number | null = null;
  const pfhb = (t: number): void => {
    const d = shearAt(t);
    if (!d) return;
    const v = m.hemolysisProne ? rng.logNormal(55, 0.25) : rng.logNormal(d.kind === 'microaxial' ? 8 : 12, 0.5);
    const value = round(clamp(v, 1, 190), 0);
    if (value > 40 && firstHighPfhb === null) firstHighPfhb = t;
    b.obs(t, 'plasma_free_hb_mg_dL', value);
  };
  const panel = (t: number, full: boolean): void => {
    const days = clamp((t - f.obsStart) / DAY, 0, 2);
    b.obs(t, 'creatinine_mg_dL', round(clamp(m.creatinine0 * (1 + m.aki * days / 2) * rng.logNormal(1, 0.04), 0.3, 14), 2));
    b.obs(t, 'hemoglobin_g_dL', round(clamp(m.hbAt(t) + rng.normal(0, 0.15), 5, 19), 1));
    b.obs(t, 'platelets_10e9_L', Math.round(clamp(m.platelets0 * Math.max(0.45, 1 - 0.12 * daysOnShear(t)) * rng.logNormal(1, 0.06), 12, 900)));
    b.obs(t, 'ldh_U_L', Math.round(clamp(m.ldh0 * (m.hemolysisProne && shearAt(t) ? 3 : 1) * rng.logNormal(1, 0.08), 110, 9000)));
    if (full) {
      b.obs(t, 'alt_U_L', Math.round(clamp(m.alt0 * (t > 0 ? 1.4 : 1) * rng.logNormal(1, 0.08), 6, 9000)));
      b.obs(t, 'bilirubin_mg_dL', round(clamp(m.bilirubin0 * (1 + 0.15 * days), 0.2, 25), 1));
      b.obs(t, 'inr', round(clamp(m.inr * rng.logNormal(1, 0.03), 0.8, 7), 2));
    }
    pfhb(t);
  };
  panel(-Math.round(rng.uniform(20, 60)), true);
  pfhb(360);
  for (let day = 1; day <= 4; day++) {
    const t = day * DAY + Math.round(rng.uniform(-60, 60));
    if (t >= f.deathMin - 5 || t >= f.icuEnd) break;
    // From day 3 on, only while a device is still in place.
    if (day >= 3 && t > f.deviceEnd) break;
    panel(t, day === 1);
  }
  return { firstHighPfhb };
}

/** Mechanical ventilation (arrest, or by stage) and kidney replacement (severe AKI); returns the ventilation interval. */
export function chartSupports(b: EpisodeBuilder, f: CourseFrame, stage: 'B' | 'C' | 'D' | 'E', arrestTime: number | null, aki: number, rng: Rng): { ventilation: { readonly from: number; readonly to: number } | null } {
  const pVent = { B: 0.05, C: 0.15, D: 0.4, E: 0.8 }[stage];
  let ventilation: { from: number; to: number } | null = null;
  if (arrestTime !== null || rng.chance(pVent)) {
    const start = arrestTime ?? f.obsStart + Math.round(rng.uniform(0, 60));
    const end = Math.min(f.deathMin, Math.max(start + 360, f.icuEnd - Math.round(rng.uniform(360, DAY))));
    ventilation = { from: start, to: end };
    b.supports.push({ kind: 'invasive_ventilation', start: b.iso(start), end: b.iso(end) });
  }
  if (aki > 1.2 && rng.chance(0.5)) {
    const start = Math.round(rng.uniform(720, 2160));
    if (start < Math.min(f.deathMin, f.icuEnd) - 60) b.supports.push({ kind: 'kidney_replacement', start: b.iso(start), end: b.iso(Math.min(f.deathMin, f.icuEnd)) });
  }
  return { ventilation };
}
