// Organ function charted before time zero, so that SOFA at time zero (assessSofa: Vincent et al., Intensive Care Med
// 1996, the 24 h up to time zero) has its respiratory, neurological and urine inputs: arterial PaO2 with FiO2 on both
// blood gases, GCS after admission and shortly before time zero, and urine output from the bladder catheter placed on
// admission. Values follow the charted stage and the latent severity (sicker: lower PaO2/FiO2, more oliguria) [D].
//
// Draws come from the patient's own organ-chart sub-stream (prng.ts PATIENT_SUBSTREAM.organChart), never from the main
// stream, and nothing here is read back by the generator: death, device and every earlier variable are unchanged.
// Two constraints keep the engine's SCAI stage at time zero equal to the charted stage:
//   - SCAI reads urine output < 30 mL/h as hypoperfusion (Jentzer 2019); a stage B chart (no hypoperfusion) therefore
//     keeps every urine value ≥ 31 mL/h. Stages C–E already show hypoperfusion by lactate, so oliguria adds nothing.
//   - The coma modifier reads the arrest event's gcsAfter, not GCS observations; the charted GCS agrees with it
//     (< 9 after an arrest with coma, ≥ 9 otherwise).
// Sedation: assessSofa has no notion of it; by the SOFA convention for sedated patients (Vincent 1996: assume the
// GCS the patient would have without sedation) the charted GCS of a ventilated patient is that estimate.
import { clamp, round, type EpisodeBuilder } from './episode-builder.js';
import type { PreDeviceState } from './pre-device-chart.js';
import type { Presentation } from './presentation.js';
import type { Rng } from './prng.js';
import type { TrueStage } from './synth-parameters.js';

/** Median PaO2/FiO2 (mmHg) by charted stage [D]: congestion worsens oxygenation with shock severity. */
const PF_MEDIAN_MMHG: Readonly<Record<TrueStage, number>> = { B: 340, C: 270, D: 210, E: 160 };
/** Median urine output (mL/kg/h) by charted stage, before the kidney-injury term [D]. */
const URINE_MEDIAN_ML_KG_H: Readonly<Record<TrueStage, number>> = { B: 1.1, C: 0.75, D: 0.5, E: 0.3 };
/** GCS without arrest (or before it) by charted stage: probabilities of 15, 14, 13 and 10–12 [D]. */
const GCS_WEIGHTS: Readonly<Record<TrueStage, readonly [number, number, number, number]>> = {
  B: [0.8, 0.2, 0, 0],
  C: [0.65, 0.22, 0.1, 0.03],
  D: [0.5, 0.25, 0.13, 0.12],
  E: [0.35, 0.25, 0.15, 0.25],
};
/** SCAI hypoperfusion threshold is urine output < 30 mL/h; stage B charts stay above it. */
const STAGE_B_MIN_URINE_ML_H = 31;
/** Oxygen is titrated to a PaO2 of about 70–120 mmHg; FiO2 limits without and with invasive ventilation [D]. */
const FIO2_ROOM_AIR = 0.21;
const FIO2_MAX_WITHOUT_VENTILATION = 0.6;
/** Below this PaO2/FiO2 a patient is ventilated in practice; a non-ventilated chart stays above it [D]. */
const PF_MIN_WITHOUT_VENTILATION = 110;

export interface OrganChartInput {
  readonly pres: Presentation;
  /** Position of the latent severity within its stage, 0..1. */
  readonly sevPos: number;
  readonly pre: PreDeviceState;
  /** Acute kidney injury score of the lab model (fractional creatinine rise over two days). */
  readonly aki: number;
  /** Invasive ventilation (minutes), or null. */
  readonly ventilation: { readonly from: number; readonly to: number } | null;
}

function baselineGcs(stage: TrueStage, rng: Rng): number {
  const w = GCS_WEIGHTS[stage];
  const u = rng.next();
  if (u < w[0]) return 15;
  if (u < w[0] + w[1]) return 14;
  if (u < w[0] + w[1] + w[2]) return 13;
  return rng.int(10, 12);
}

/** Writes PaO2/FiO2, GCS and urine output before time zero. */
export function chartOrganFunction(b: EpisodeBuilder, m: OrganChartInput, rng: Rng): void {
  const stage = m.pres.recordedStage;
  const { obsStart, gasTimes, arrestTime, arrestGcsAfter } = m.pre;

  // ---- oxygenation on both blood gases (same sampleId as their lactate)
  let pf = PF_MEDIAN_MMHG[stage] * Math.exp(-0.3 * m.sevPos) * rng.logNormal(1, 0.3);
  for (let g = 0; g < 2; g++) {
    const t = gasTimes[g];
    if (g === 1) pf *= rng.logNormal(0.92, 0.12);
    const ventilated = m.ventilation !== null && t >= m.ventilation.from && t <= m.ventilation.to;
    const ratio = ventilated ? clamp(pf, 55, 480) : clamp(pf, PF_MIN_WITHOUT_VENTILATION, 480);
    const targetPao2 = rng.uniform(70, 120);
    let fio2 = clamp(targetPao2 / ratio, ventilated ? 0.3 : FIO2_ROOM_AIR, ventilated ? 1 : FIO2_MAX_WITHOUT_VENTILATION);
    fio2 = fio2 < 0.24 ? FIO2_ROOM_AIR : round(Math.round(fio2 * 20) / 20, 2);
    const sample = g === 0 ? 'gas-1' : 'gas-2';
    b.obs(t, 'pao2_mmHg', Math.round(clamp(ratio * fio2, 45, 550)), sample);
    b.obs(t, 'fio2_fraction', fio2, sample);
  }

  // ---- GCS after admission and shortly before time zero; after an arrest, the post-arrest GCS
  const coma = m.pres.arrest?.coma === true;
  const ecpr = m.pres.arrest?.ecpr === true;
  const before = baselineGcs(stage, rng);
  let afterArrest = arrestGcsAfter ?? 15;
  const times = [obsStart + Math.round(rng.uniform(10, 40)), -Math.round(rng.uniform(15, 60))];
  for (let i = 0; i < 2; i++) {
    let t = times[i];
    const drift = rng.int(-1, 1);
    let gcs = before;
    if (arrestTime !== null && arrestGcsAfter !== null && t >= arrestTime) {
      if (ecpr && !coma) {
        // CPR is ongoing at time zero: chart the last GCS before the arrest instead of one during CPR.
        t = Math.max(obsStart + 5, arrestTime - Math.round(rng.uniform(5, 20)));
      } else {
        gcs = afterArrest;
        afterArrest = coma ? clamp(afterArrest + drift, 3, 8) : clamp(afterArrest + Math.abs(drift), 9, 15);
      }
    }
    b.obs(t, 'gcs', gcs);
  }

  // ---- urine output: the bladder catheter placed soon after admission drains what was made since admission (first
  // value, its period from admission), then hourly charting summed in periods of about 2 h up to time zero. The record
  // thus covers the whole stay before time zero (but not the part of the 24-h SOFA window before admission).
  const catheter = obsStart + Math.round(rng.uniform(10, 40));
  const end = -Math.round(rng.uniform(5, 20));
  const n = Math.max(1, Math.round((end - catheter) / 120));
  const perKg = URINE_MEDIAN_ML_KG_H[stage] * Math.exp(-0.6 * (m.aki - 0.3)) * rng.logNormal(1, 0.3);
  let from = obsStart;
  for (let k = 0; k <= n; k++) {
    const to = k === 0 ? catheter : k === n ? end : catheter + Math.round(((end - catheter) * k) / n);
    let rate = Math.round(clamp(perKg * m.pres.weight_kg * rng.logNormal(1, 0.2), 0, 400));
    if (stage === 'B') rate = Math.max(STAGE_B_MIN_URINE_ML_H, rate);
    b.observations.push({ time: b.iso(to), code: 'urine_output_mL_h', value: rate, periodMin: to - from });
    from = to;
  }
}
