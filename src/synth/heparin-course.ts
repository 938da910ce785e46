// Heparin on support: purge heparin for microaxial pumps (reference 7.1), the IV infusion started and titrated by the
// site's bundled protocol (src/clinical/anticoagulation/protocols.ts: its band, titration rows and recheck intervals),
// and the monitoring samples (aPTT alone, or anti-Xa with aPTT drawn in parallel, reference 7.3).
//
// Simulation model [D], documented in docs/synthetic-data.md:
// - true anti-Xa (IU/mL) = sensitivity × total heparin (IU/kg/h, IV + purge); sensitivity is log-normal around
//   0.022 per IU/kg/h (18 IU/kg/h → about 0.40 IU/mL, the Raschke dose in the usual 0.3–0.7 range), lower in sicker
//   patients (antithrombin consumption, reference 7.4);
// - measured anti-Xa = true × log-normal(0, 0.10);
// - aPTT (s) = baseline aPTT × (1 + 1.9 × true anti-Xa) × log-normal(0, 0.13); the baseline rises with the INR, so
//   coagulopathic patients show "aPTT high, anti-Xa in range" discordance (Van Edom 2025: r ≈ 0.5 between the tests);
// - a site that does not count the purge heparin sets the IV rate as if there were no purge, so the pump patient gets
//   purge heparin on top: the mechanism by which the pump raises heparin exposure and bleeding in this model.
// Holds of the titration rows are not simulated (the rate change is applied at the result); boluses are omitted on
// MCS (reference 7.5: most MCS protocols omit or reduce boluses).
import { findTitrationRow, classifyAgainstBand } from '../clinical/anticoagulation/band.js';
import type { AnticoagProtocol } from '../clinical/anticoagulation/protocol.js';
import { clamp, round, type EpisodeBuilder } from './episode-builder.js';
import type { Rng } from './prng.js';

/** Starting rate when the protocol gives none (monitoring-only protocols), IU/kg/h [D]: Michigan ACS starting rate. */
const DEFAULT_START_IU_KG_H = 12;
/** Rate step of a monitoring-only protocol when the value is out of band, IU/kg/h [D]. */
const MONITOR_STEP_IU_KG_H = 2;
/** Upper cap of the IV rate, IU/kg/h (the reference 9 usual range ends at 30). */
const MAX_IV_IU_KG_H = 30;
/** Minutes from the draw to the rate change (turn-around of the result) [D]. */
const RESULT_DELAY_MIN = 30;

export interface PurgeSegment {
  readonly from: number;
  readonly to: number;
  /** Heparin delivered by the purge, IU/kg/h. */
  readonly heparin_IU_kg_h: number;
}

export interface HeparinPlan {
  readonly protocol: AnticoagProtocol;
  /** Heparin runs over [start, end] (minutes since time zero). */
  readonly start: number;
  readonly end: number;
  readonly weight_kg: number;
  /** True-anti-Xa per IU/kg/h of total heparin. */
  readonly sensitivity: number;
  /** aPTT without heparin, s. */
  readonly baselineAptt_s: number;
  readonly purge: readonly PurgeSegment[];
  /** False: the IV rate ignores the purge heparin. */
  readonly purgeCounted: boolean;
  /** Draw aPTT with every anti-Xa (parallel protocol), or only the titration test. */
  readonly parallel: boolean;
}

export interface HeparinResult {
  /** Time-weighted mean of the true anti-Xa over [start, end]. */
  readonly meanTrueAntiXa: number;
  /** Every monitoring draw: time, measured anti-Xa and aPTT (whether or not the site charted both). */
  readonly samples: readonly { readonly t: number; readonly antiXa: number; readonly aptt: number }[];
}

function purgeAt(purge: readonly PurgeSegment[], t: number): number {
  for (const p of purge) if (t >= p.from && t < p.to) return p.heparin_IU_kg_h;
  return 0;
}

/** Simulates the heparin course, writing infusion records and monitoring observations into the builder. */
export function simulateHeparin(b: EpisodeBuilder, plan: HeparinPlan, rng: Rng): HeparinResult {
  const { protocol } = plan;
  const test = protocol.titrationTest;
  const band = protocol.targets.find((t) => t.test === test) ?? protocol.targets[0];
  const purge0 = purgeAt(plan.purge, plan.start);
  const startTotal = protocol.initial?.rate_IU_kg_h ?? DEFAULT_START_IU_KG_H;
  let iv = clamp(round(plan.purgeCounted ? startTotal - purge0 : startTotal, 1), 0, MAX_IV_IU_KG_H);
  let segStart = plan.start;
  const samples: { t: number; antiXa: number; aptt: number }[] = [];

  // Integrate the true anti-Xa piecewise (IV constant per segment; purge changes at its own boundaries).
  let area = 0;
  const accumulate = (from: number, to: number): void => {
    const cuts = [from, ...plan.purge.flatMap((p) => [p.from, p.to]).filter((x) => x > from && x < to), to].sort((x, y) => x - y);
    for (let i = 0; i + 1 < cuts.length; i++) area += plan.sensitivity * (iv + purgeAt(plan.purge, cuts[i])) * (cuts[i + 1] - cuts[i]);
  };
  const closeSegment = (to: number): void => {
    if (to <= segStart) return;
    accumulate(segStart, to);
    b.infusions.push({ drug: 'ufh', start: b.iso(segStart), end: b.iso(to), rate: iv, rateUnit: '[IU]/kg/h', route: 'iv' });
    segStart = to;
  };

  let next = plan.start + protocol.recheck.afterChange_min;
  let inRangeRun = 0;
  let k = 0;
  while (next + RESULT_DELAY_MIN < plan.end) {
    const t = next;
    const trueXa = plan.sensitivity * (iv + purgeAt(plan.purge, t));
    const antiXa = round(clamp(trueXa * rng.logNormal(1, 0.1), 0.05, 2.5), 2);
    const aptt = Math.round(clamp(plan.baselineAptt_s * (1 + 1.9 * trueXa) * rng.logNormal(1, 0.13), 20, 150));
    samples.push({ t, antiXa, aptt });
    const id = `hep-${++k}`;
    if (test === 'anti_xa_IU_mL' || plan.parallel) b.obs(t, 'anti_xa_IU_mL', antiXa, id);
    if (test === 'aptt_s' || plan.parallel) b.obs(t, 'aptt_s', aptt, id);
    // ACT rises by about 150 s per IU/mL of anti-Xa from a baseline of 120 s [D].
    const act = test === 'act_s' ? Math.round(clamp(120 + 150 * trueXa * rng.logNormal(1, 0.1), 90, 400)) : 0;
    if (test === 'act_s') b.obs(t, 'act_s', act, id);
    const value = test === 'anti_xa_IU_mL' ? antiXa : test === 'aptt_s' ? aptt : act;
    const status = classifyAgainstBand(value, band);
    let change = 0;
    if (protocol.titration.length > 0) change = findTitrationRow(protocol.titration, value)?.rateChange_IU_kg_h ?? 0;
    else if (status === 'low') change = MONITOR_STEP_IU_KG_H;
    else if (status === 'high') change = -MONITOR_STEP_IU_KG_H;
    const newIv = clamp(round(iv + change, 1), 0, MAX_IV_IU_KG_H);
    if (newIv !== iv) {
      closeSegment(t + RESULT_DELAY_MIN);
      iv = newIv;
      inRangeRun = 0;
      next = t + RESULT_DELAY_MIN + protocol.recheck.afterChange_min;
    } else if (status === 'in') {
      inRangeRun++;
      next = t + (inRangeRun >= protocol.recheck.consecutiveInRangeForStable ? protocol.recheck.stable_min : protocol.recheck.inRange_min);
    } else {
      inRangeRun = 0;
      next = t + protocol.recheck.afterChange_min;
    }
  }
  closeSegment(plan.end);
  const duration = plan.end - plan.start;
  return { meanTrueAntiXa: duration > 0 ? area / duration : 0, samples };
}
