// Pairing of anti-Xa and aPTT samples (Vandenbriele et al., J Am Coll Cardiol 2022; reference 7.3 step 1:
// "every heparin lab draw = a pair {anti-Xa, aPTT} with the same timestamp (±15 min)").
import type { LabSample } from './inputs.js';
import { DEFAULT_ANTICOAG_RULESET } from './parameters.js';
import type { Reason, RuleResult } from '../rule-result.js';

export interface SamplePair {
  readonly antiXa: LabSample;
  readonly aptt: LabSample;
  /** aPTT time − anti-Xa time, minutes. */
  readonly delta_min: number;
  /** The pair's time: the anti-Xa sample's (the titrated test under the parallel strategy). */
  readonly t_min: number;
  readonly time: string;
}

export interface Pairing {
  readonly pairs: readonly SamplePair[];
  readonly unpairedAntiXa: readonly LabSample[];
  readonly unpairedAptt: readonly LabSample[];
  readonly pairingWindow_min: number;
}

/**
 * Pair each anti-Xa with at most one aPTT (and vice versa) when |Δt| ≤ pairingWindow_min (inclusive).
 * Candidates are matched greedily by smallest |Δt| (ties: earlier anti-Xa first, then earlier aPTT), so every sample
 * is used once and the closest draws pair first. Pairs are returned in time order.
 */
export function pairAntiXaAptt(
  samples: readonly LabSample[],
  pairingWindow_min: number = DEFAULT_ANTICOAG_RULESET.pairingWindow_min,
): RuleResult<Pairing> {
  const xa = samples.filter((s) => s.code === 'anti_xa_IU_mL').slice().sort((a, b) => a.t_min - b.t_min);
  const pt = samples.filter((s) => s.code === 'aptt_s').slice().sort((a, b) => a.t_min - b.t_min);
  const candidates: { i: number; j: number; d: number }[] = [];
  for (let i = 0; i < xa.length; i++) {
    for (let j = 0; j < pt.length; j++) {
      const d = Math.abs(pt[j].t_min - xa[i].t_min);
      if (d <= pairingWindow_min) candidates.push({ i, j, d });
    }
  }
  candidates.sort((a, b) => a.d - b.d || a.i - b.i || a.j - b.j);
  const usedXa = new Set<number>();
  const usedPt = new Set<number>();
  const pairs: SamplePair[] = [];
  for (const c of candidates) {
    if (usedXa.has(c.i) || usedPt.has(c.j)) continue;
    usedXa.add(c.i);
    usedPt.add(c.j);
    pairs.push({
      antiXa: xa[c.i],
      aptt: pt[c.j],
      delta_min: pt[c.j].t_min - xa[c.i].t_min,
      t_min: xa[c.i].t_min,
      time: xa[c.i].time,
    });
  }
  pairs.sort((a, b) => a.t_min - b.t_min);
  const unpairedAntiXa = xa.filter((_, i) => !usedXa.has(i));
  const unpairedAptt = pt.filter((_, j) => !usedPt.has(j));
  const reasons: Reason[] = [
    {
      criterion: 'pairing_window',
      text: `${pairs.length} anti-Xa/aPTT pair(s) within ±${pairingWindow_min} min; ${unpairedAntiXa.length} anti-Xa and ${unpairedAptt.length} aPTT unpaired`,
      value: pairingWindow_min,
      unit: 'min',
    },
  ];
  const missing: string[] = [];
  if (xa.length === 0) missing.push('anti_xa_IU_mL');
  if (pt.length === 0) missing.push('aptt_s');
  return { result: { pairs, unpairedAntiXa, unpairedAptt, pairingWindow_min }, reasons, missing };
}
