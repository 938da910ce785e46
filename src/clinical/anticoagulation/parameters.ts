// The anticoagulation rule set: every threshold the reference marks [R] or [D], or leaves open (reference 11), as a
// named parameter a site can change. Defaults cite the reference section and its evidence tag.
import type { TargetBand } from './protocol.js';

export interface AnticoagRuleSet {
  readonly name: string;
  readonly version: string;
  /** Max |Δt| between an anti-Xa and an aPTT sample to form one pair (reference 7.3 step 1: "same timestamp (±15 min)") [D]. */
  readonly pairingWindow_min: number;
  /** How far back a context lab (INR, fibrinogen, platelets, bilirubin, free Hb, antithrombin) may lie before a pair
   * and still be used; Van Edom 2025 used same-day values [V], 24 h here [D]. Labs up to pairingWindow_min after the
   * pair (drawn with it) are used too. */
  readonly contextLabLookback_min: number;
  /** INR at or above which a prolonged aPTT signals coagulopathy (Van Edom 2025: INR ≥ 1.5) [V]. */
  readonly inrCoagulopathy: number;
  /** Fibrinogen below which a prolonged aPTT signals coagulopathy (Van Edom 2025: < 1.5 g/L = 150 mg/dL) [V]. */
  readonly fibrinogenLow_mg_dL: number;
  /** Fibrinogen above which a short aPTT suggests an acute-phase reaction (normal upper limit ≈ 400 mg/dL) [D]. */
  readonly fibrinogenHigh_mg_dL: number;
  /** Platelets below which thrombocytopenia is named as an associated finding (ESC Heart Fail 2024 gives no cut-off) [D]. */
  readonly plateletsLow_10e9_L: number;
  /** Total bilirubin above which the chromogenic anti-Xa may under-read / liver dysfunction is named (reference 7.4
   * gives no cut-off; check the assay's package insert) [D]. */
  readonly bilirubinHigh_mg_dL: number;
  /** Plasma free Hb above which hemolysis is named (interference with anti-Xa; hemolysis/device obstruction). Uses the
   * device-hemolysis threshold > 40 mg/dL of reference 6 [D]. */
  readonly plasmaFreeHbHigh_mg_dL: number;
  /** Antithrombin activity below which antithrombin deficiency is named (reference 7.4 names no cut-off) [D]. */
  readonly antithrombinLow_pct: number;
  /** anti-Xa at or above which a normal/short aPTT should prompt a check for sampling from a heparinized line
   * (reference 7.4: "very high anti-Xa with normal aPTT") [D]. */
  readonly antiXaVeryHigh_IU_mL: number;
  /** Heparin resistance: total UFH (IV + purge + boluses) over the 24 h before a low anti-Xa above this
   * (reference 7.3 step 4: "> 35,000 U/24 h") [R]. */
  readonly heparinResistance_IU_24h: number;
  /** Window over which the resistance dose is summed [R]. */
  readonly heparinResistanceWindow_min: number;
  /** TTR: do not interpolate across gaps longer than this (reference 7.7 step 4: suggest 24 h for heparin) [D]. */
  readonly ttrMaxGap_min: number;
  /** Bands used to classify a pair when the protocol in force gives no band for one of the two tests (or no protocol
   * is recorded): the standard Vandenbriele pair 0.31–0.50 IU/mL ↔ 56–80 s (reference 7.2) [D choice]. */
  readonly defaultPairedBands: readonly TargetBand[];
}

/** Default rule set (reference section 7). */
export const DEFAULT_ANTICOAG_RULESET: AnticoagRuleSet = {
  name: 'stratum-anticoagulation',
  version: '1.0.0',
  pairingWindow_min: 15,
  contextLabLookback_min: 1440,
  inrCoagulopathy: 1.5,
  fibrinogenLow_mg_dL: 150,
  fibrinogenHigh_mg_dL: 400,
  plateletsLow_10e9_L: 100,
  bilirubinHigh_mg_dL: 5,
  plasmaFreeHbHigh_mg_dL: 40,
  antithrombinLow_pct: 60,
  antiXaVeryHigh_IU_mL: 1.0,
  heparinResistance_IU_24h: 35000,
  heparinResistanceWindow_min: 1440,
  ttrMaxGap_min: 1440,
  defaultPairedBands: [
    { test: 'anti_xa_IU_mL', low: 0.31, high: 0.5 },
    { test: 'aptt_s', low: 56, high: 80 },
  ],
};

/** The label every suggested action carries. */
export const DECISION_SUPPORT_LABEL =
  'Decision support for a clinician, not an order: the treating clinician decides every dose change.';
