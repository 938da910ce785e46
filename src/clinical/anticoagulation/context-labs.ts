// The labs that explain a heparin-test pair (reference 7.3 step 1: "plus latest INR, fibrinogen, platelets, bilirubin,
// PFHb, antithrombin if available").
import type { LabSample } from './inputs.js';

/** Codes of the context labs, canonical units in the names. */
export const CONTEXT_LAB_CODES = [
  'inr',
  'fibrinogen_mg_dL',
  'platelets_10e9_L',
  'bilirubin_mg_dL',
  'plasma_free_hb_mg_dL',
  'antithrombin_pct',
] as const;
export type ContextLabCode = (typeof CONTEXT_LAB_CODES)[number];

export type ContextLabs = Partial<Record<ContextLabCode, LabSample>>;

/**
 * The latest sample of each context lab drawn in [t − lookback_min, t + lookahead_min] (lookahead = labs drawn with
 * the pair). Codes with no sample in the window are absent.
 */
export function selectContextLabs(
  labs: readonly LabSample[],
  t_min: number,
  lookback_min: number,
  lookahead_min: number,
): ContextLabs {
  const out: ContextLabs = {};
  for (const code of CONTEXT_LAB_CODES) {
    let best: LabSample | undefined;
    for (const s of labs) {
      if (s.code !== code) continue;
      if (s.t_min < t_min - lookback_min || s.t_min > t_min + lookahead_min) continue;
      if (!best || s.t_min >= best.t_min) best = s;
    }
    if (best) out[code] = best;
  }
  return out;
}
