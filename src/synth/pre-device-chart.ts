// The chart before time zero: vitals, lactate (and pH), vasoactive infusions and any cardiac arrest, written so that
// the clinical engine's SCAI staging at time zero (src/clinical/scai, rule set scai2022: Jentzer 2019 building blocks
// with the SCAI 2022 descriptors, clinical reference 1.3–1.4) finds the recorded stage:
//   B: SBP < 90 or HR ≥ 100 in the last hour; lactate < 2; no vasoactive, no device.
//   C: lactate ≥ 2 (hypoperfusion), not rising persistently; vasoactives (if any) started in the first hour of the
//      record at a constant dose (no escalation); mean SBP ≥ 80 and MAP ≥ 50 in the last hour; lactate < 8; pH > 7.2.
//   D: as C, plus deterioration: lactate rising and persistently ≥ 2, and a second vasoactive or a dose increase later.
//   E: lactate ≥ 2 plus at least two refractory findings: lactate ≥ 8, three vasoactives, mean SBP < 80 and MAP < 50
//      on vasoactives, pH ≤ 7.2; ECPR patients are in CPR when the device starts.
// Every record is before time zero; nothing is charted at or after 0 here, so the device start itself is not counted.
import type { VasoactiveDrug } from '../clinical/episode/infusion-drugs.js';
import { round, type EpisodeBuilder } from './episode-builder.js';
import type { Presentation } from './presentation.js';
import type { Rng } from './prng.js';

/** A vasoactive infusion running at time zero (or stopped before it). */
export interface VasoactiveRun {
  readonly drug: VasoactiveDrug;
  readonly rateUnit: 'ug/kg/min' | 'U/min';
  /** Rate at time zero. */
  readonly rate: number;
  /** Start of the current-rate segment (minutes, < 0). */
  readonly segmentStart: number;
}

export interface PreDeviceState {
  /** Start of the record (admission), minutes before time zero (negative). */
  readonly obsStart: number;
  readonly lactate: number;
  readonly map: number;
  readonly heartRate: number;
  readonly vasoactives: readonly VasoactiveRun[];
  /** Time of the cardiac arrest (minutes), if any. */
  readonly arrestTime: number | null;
  /** GCS recorded after that arrest (3–8 with coma), if any. */
  readonly arrestGcsAfter: number | null;
  /** Times of the two blood gases (sample ids 'gas-1' after admission, 'gas-2' shortly before time zero). */
  readonly gasTimes: readonly [number, number];
}

type Feature = 'lactate' | 'vaso3' | 'hypotension' | 'ph';

/** Chooses at least two refractory findings for a stage E chart. */
function refractoryFeatures(rng: Rng): Set<Feature> {
  const all: readonly [Feature, number][] = [['lactate', 0.65], ['vaso3', 0.5], ['hypotension', 0.5], ['ph', 0.4]];
  const f = new Set<Feature>();
  for (const [k, p] of all) if (rng.chance(p)) f.add(k);
  while (f.size < 2) f.add(rng.pick(all)[0]);
  return f;
}

/** Writes the pre-device chart for the presentation's recorded stage; `sevPos` (0..1) places it within the stage. */
export function chartBeforeTimeZero(b: EpisodeBuilder, pres: Presentation, sevPos: number, rng: Rng): PreDeviceState {
  const stage = pres.recordedStage;
  const obsStart = -10 * Math.round(rng.uniform(240, 480) / 10);
  const features = stage === 'E' ? refractoryFeatures(rng) : new Set<Feature>();
  const runs: VasoactiveRun[] = [];
  const infusion = (drug: VasoactiveDrug, rate: number, start: number, end: number | undefined): void => {
    const rateUnit = drug === 'vasopressin' ? 'U/min' : 'ug/kg/min';
    const r = round(rate, drug === 'vasopressin' ? 3 : 2);
    if (end === undefined) runs.push({ drug, rateUnit, rate: r, segmentStart: start });
    else b.infusions.push({ drug, start: b.iso(start), end: b.iso(end), rate: r, rateUnit });
  };
  const early = (): number => obsStart + Math.round(rng.uniform(10, 40));

  // ---- vasoactives
  if (stage === 'C' && rng.chance(0.8)) {
    infusion('norepinephrine', rng.uniform(0.04, 0.15), early(), undefined);
    if (rng.chance(0.25)) infusion('dobutamine', rng.uniform(2.5, 5), early(), undefined);
  } else if (stage === 'D') {
    const start = early();
    const r0 = rng.uniform(0.05, 0.15);
    const te = Math.round(rng.uniform(obsStart + 100, -70));
    if (rng.chance(0.65)) {
      infusion('norepinephrine', r0, start, undefined);
      if (rng.chance(0.5)) infusion('dobutamine', rng.uniform(3, 7), te, undefined);
      else infusion('epinephrine', rng.uniform(0.03, 0.08), te, undefined);
    } else {
      infusion('norepinephrine', r0, start, te);
      infusion('norepinephrine', r0 + rng.uniform(0.08, 0.2), te, undefined);
    }
  } else if (stage === 'E') {
    infusion('norepinephrine', rng.uniform(0.2, 0.5), early(), undefined);
    infusion('epinephrine', rng.uniform(0.05, 0.2), early(), undefined);
    if (features.has('vaso3')) infusion('vasopressin', rng.uniform(0.03, 0.04), early(), undefined);
  }

  // ---- vitals: admission, then two sets in the last hour (the SCAI status window)
  const stageIdx = stage === 'B' ? 0 : stage === 'C' ? 1 : stage === 'D' ? 2 : 3;
  b.vitals(obsStart, rng.uniform(64, 76) - 3 * stageIdx, rng.uniform(30, 42), rng.uniform(85, 100) + 5 * stageIdx);
  let map = 0;
  let hr = 0;
  for (const t of [-45, -15]) {
    let pp = rng.uniform(30, 38);
    if (stage === 'B') {
      // Hypotension (SBP = MAP + 2/3 × 30 < 90) or tachycardia (≥ 100), or both.
      const mode = rng.next();
      const hypo = mode < 0.6;
      pp = 30;
      map = hypo ? rng.uniform(62, 67.4) : rng.uniform(72, 80);
      hr = mode >= 0.4 ? rng.uniform(102, 125) : rng.uniform(80, 98);
    } else if (stage === 'C') {
      map = rng.uniform(62, 70);
      hr = rng.uniform(88, 115);
    } else if (stage === 'D') {
      map = rng.uniform(61, 66);
      hr = rng.uniform(95, 120);
    } else if (features.has('hypotension')) {
      map = rng.uniform(42, 48);
      pp = rng.uniform(26, 30);
      hr = rng.uniform(100, 135);
    } else {
      map = rng.uniform(52, 60);
      hr = rng.uniform(100, 135);
    }
    b.vitals(t, map, pp, hr);
  }

  // ---- lactate (first value soon after admission, latest shortly before time zero), pH with it for some
  let l1: number;
  let l2: number;
  if (stage === 'B') {
    l1 = rng.uniform(0.8, 1.9);
    l2 = rng.uniform(0.7, 1.9);
  } else if (stage === 'C') {
    l2 = 2.2 + 2.5 * sevPos + rng.uniform(0, 0.5);
    l1 = rng.chance(0.5) ? l2 + rng.uniform(0.2, 1.5) : rng.uniform(1.0, 1.9);
  } else if (stage === 'D') {
    l1 = rng.uniform(2.2, 3.8);
    l2 = Math.min(7.5, l1 + rng.uniform(0.6, 2.5) + 1.5 * sevPos);
  } else {
    l1 = rng.uniform(3, 8);
    l2 = features.has('lactate') ? rng.uniform(8.5, 12) + 4 * sevPos : rng.uniform(4, 7.5);
  }
  const tL1 = obsStart + Math.round(rng.uniform(5, 30));
  const tL2 = -Math.round(rng.uniform(10, 40));
  b.obs(tL1, 'lactate_mmol_L', round(l1, 1), 'gas-1');
  b.obs(tL2, 'lactate_mmol_L', round(l2, 1), 'gas-2');
  if (stage === 'E' && features.has('ph')) b.obs(tL2, 'ph', round(rng.uniform(7.02, 7.18), 2), 'gas-2');
  else if (stage !== 'B' && rng.chance(0.3)) b.obs(tL2, 'ph', round(rng.uniform(7.24, 7.4), 2), 'gas-2');

  // ---- cardiac arrest: ECPR = CPR ongoing until the device starts; otherwise ROSC more than an hour before time zero
  let arrestTime: number | null = null;
  let arrestGcsAfter: number | null = null;
  if (pres.arrest) {
    const a = pres.arrest;
    if (a.ecpr) {
      const t = -Math.round(rng.uniform(25, 55));
      arrestTime = t;
      arrestGcsAfter = a.coma ? rng.int(3, 8) : rng.int(9, 15);
      b.event({ kind: 'cardiac_arrest', time: b.iso(t), setting: a.setting, rhythm: a.rhythm, rosc: false, durationMin: -t, ecpr: true, comaAfterArrest: a.coma, gcsAfter: arrestGcsAfter });
    } else {
      const duration = rng.int(3, 25);
      const t = a.setting === 'OHCA' ? obsStart : Math.round(rng.uniform(obsStart, -90 - duration));
      arrestTime = t;
      arrestGcsAfter = a.coma ? rng.int(3, 8) : rng.int(9, 15);
      b.event({ kind: 'cardiac_arrest', time: b.iso(t), setting: a.setting, rhythm: a.rhythm, rosc: true, durationMin: duration, ecpr: false, comaAfterArrest: a.coma, gcsAfter: arrestGcsAfter });
    }
  }
  return { obsStart, lactate: l2, map, heartRate: hr, vasoactives: runs, arrestTime, arrestGcsAfter, gasTimes: [tL1, tL2] };
}
