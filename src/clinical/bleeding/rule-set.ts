// Parameters of the bleeding rule set. Every threshold of the bleeding definitions is tagged [R] or [S] in the
// clinical reference (section 5), so each one is a named, documented parameter a site can change; the defaults are
// the exported constants below, which carry the reference's evidence tag.

import type { BleedingSite } from './bleeding-facts.js';

// --- Transfusion-corrected Hb drop (reference 5.1) ---
/** Hb rise per unit of packed RBC or whole blood, g/dL (BARC and TIMI convention) [R]. */
export const HB_PER_UNIT_G_DL = 1.0;
/** Hematocrit rise per unit of packed RBC or whole blood, percentage points (TIMI convention) [R]. */
export const HCT_PER_UNIT_PCT = 3;
/** Baseline Hb = last value at or before onset, looked back at most this far, h [D]. */
export const HB_BASELINE_LOOKBACK_H = 72;
/** Nadir Hb = lowest value after onset within this window, h (reference 5.1: "nadir within 72 h") [D]. */
export const HB_NADIR_WINDOW_H = 72;
/** Window after onset in which transfusions count for the event, h (BARC 4 counts units "within 48 h") [R]. */
export const TRANSFUSION_WINDOW_H = 48;

// --- BARC, Mehran et al., Circulation 2011 (reference 5.2) [R] ---
export const BARC_3A_HB_DROP_G_DL = 3; // 3a: overt + Hb drop 3 to < 5 g/dL [R]
export const BARC_3B_HB_DROP_G_DL = 5; // 3b: overt + Hb drop ≥ 5 g/dL [R]
export const BARC_4_ICH_WINDOW_H = 48; // 4: perioperative intracranial bleeding ≤ 48 h after CABG [R]
export const BARC_4_UNITS_48H = 5; // 4: ≥ 5 units whole blood/RBC within 48 h [R]
export const BARC_4_CHEST_TUBE_ML_24H = 2000; // 4: chest-tube output ≥ 2 L in 24 h [R]

// --- TIMI, Rao / Chesebro as tabulated in Mehran 2011 (reference 5.4) [R] ---
export const TIMI_MAJOR_HB_DROP_G_DL = 5; // major: overt + Hb drop ≥ 5 g/dL [R]
export const TIMI_MINOR_HB_DROP_G_DL = 3; // minor: overt + Hb drop 3 to < 5 g/dL [R]
export const TIMI_MAJOR_HCT_DROP_PCT = 15; // major: Hct drop ≥ 15 % points [R]
export const TIMI_MINOR_HCT_DROP_PCT = 9; // minor: Hct drop 9 to < 15 % points [R]

// --- ISTH major, Schulman & Kearon, J Thromb Haemost 2005 (reference 5.5) [R] ---
export const ISTH_HB_FALL_G_DL = 2; // fall in Hb ≥ 2 g/dL (uncorrected) [R]
export const ISTH_UNITS = 2; // transfusion of ≥ 2 units whole blood/RBC [R]
/** Critical areas or organs (reference 5.5) [R]; intramuscular counts only with compartment syndrome. */
export const ISTH_CRITICAL_SITES: readonly BleedingSite[] = [
  'intracranial',
  'intraspinal',
  'intraocular',
  'retroperitoneal',
  'intra_articular',
  'pericardial',
  'intramuscular',
];

// --- VARC-2, Kappetein et al., J Am Coll Cardiol 2012 (reference 5.6, reprinted table) [S] ---
export const VARC2_LT_HB_DROP_G_DL = 5; // life-threatening: overt + Hb drop ≥ 5 g/dL [S]
export const VARC2_LT_UNITS = 4; // life-threatening: ≥ 4 units whole blood/RBC [S]
export const VARC2_MAJOR_HB_DROP_G_DL = 3; // major: overt + Hb drop ≥ 3 g/dL (reprint prints "> 3.0") [S]
export const VARC2_MAJOR_UNITS = 2; // major: 2–3 units whole blood/RBC [S]

export type BarcClass = '0' | '1' | '2' | '3a' | '3b' | '3c' | '4' | '5a' | '5b';
export type GustoClass = 'none' | 'mild' | 'moderate' | 'severe';
export type TimiClass = 'none' | 'minimal' | 'minor' | 'major' | 'fatal';
export type IsthClass = 'none' | 'minor' | 'crnm' | 'major';
export type Varc2Class = 'none' | 'minor' | 'major' | 'life_threatening';

/** Class orders, lowest first: every summary and the monotonicity property use these. */
export const BARC_ORDER: readonly BarcClass[] = ['0', '1', '2', '3a', '3b', '3c', '4', '5a', '5b'];
export const GUSTO_ORDER: readonly GustoClass[] = ['none', 'mild', 'moderate', 'severe'];
export const TIMI_ORDER: readonly TimiClass[] = ['none', 'minimal', 'minor', 'major', 'fatal'];
export const ISTH_ORDER: readonly IsthClass[] = ['none', 'minor', 'crnm', 'major'];
export const VARC2_ORDER: readonly Varc2Class[] = ['none', 'minor', 'major', 'life_threatening'];

/** The parameters of the bleeding rule set; `DEFAULT_BLEEDING_RULE_SET` holds the reference values. */
export interface BleedingRuleSet {
  readonly name: string;
  readonly version: string;

  readonly hbPerUnit_g_dL: number;
  readonly hctPerUnit_pct: number;
  readonly hbBaselineLookback_h: number;
  readonly hbNadirWindow_h: number;
  readonly transfusionWindow_h: number;

  readonly barc3aHbDrop_g_dL: number;
  readonly barc3bHbDrop_g_dL: number;
  readonly barc4IchWindow_h: number;
  readonly barc4Units48h: number;
  readonly barc4ChestTube_mL_24h: number;
  /**
   * CABG-related bleeding that meets no type-4 criterion: 'fall_through' grades it by the remaining steps (3c..1) as
   * the reference's top-down procedure reads; 'not_a_bleed' makes it type 0 unless it reaches type 3 (the BARC
   * table's footnote as commonly reprinted) [D — open choice].
   */
  readonly barcCabgNonQualifying: 'fall_through' | 'not_a_bleed';

  readonly timiMajorHbDrop_g_dL: number;
  readonly timiMinorHbDrop_g_dL: number;
  readonly timiMajorHctDrop_pct: number;
  readonly timiMinorHctDrop_pct: number;
  /** Later TIMI versions report fatal bleeding as its own class above major (reference 5.4) [R]. */
  readonly timiSeparateFatalClass: boolean;

  /** GUSTO does not name fatal bleeding; count it as severe [D]. */
  readonly gustoFatalIsSevere: boolean;

  readonly isthHbFall_g_dL: number;
  readonly isthUnits: number;
  readonly isthCriticalSites: readonly BleedingSite[];

  readonly varc2LtHbDrop_g_dL: number;
  readonly varc2LtUnits: number;
  readonly varc2MajorHbDrop_g_dL: number;
  /** '≥' (VARC-2 text "at least 3.0") or '>' (the 2021 reprint's "> 3.0") [S — ambiguous]. */
  readonly varc2MajorHbDropComparison: '>=' | '>';
  readonly varc2MajorUnits: number;
  /**
   * Which Hb drop VARC-2 uses. VARC-2 estimates the drop counting 1 g/dL per unit transfused (a footnote of the
   * original table, not re-checked here) → 'corrected' by default [R]; 'uncorrected' uses the raw fall.
   */
  readonly varc2HbDrop: 'corrected' | 'uncorrected';

  /** Lowest class counted as a "major" bleed per definition, for time-to-first-major-bleed [D]. */
  readonly majorFrom: {
    readonly barc: BarcClass;
    readonly gusto: GustoClass;
    readonly timi: TimiClass;
    readonly isth: IsthClass;
    readonly varc2: Varc2Class;
  };
}

export const DEFAULT_BLEEDING_RULE_SET: BleedingRuleSet = {
  name: 'stratum-bleeding',
  version: '1.0.0',
  hbPerUnit_g_dL: HB_PER_UNIT_G_DL,
  hctPerUnit_pct: HCT_PER_UNIT_PCT,
  hbBaselineLookback_h: HB_BASELINE_LOOKBACK_H,
  hbNadirWindow_h: HB_NADIR_WINDOW_H,
  transfusionWindow_h: TRANSFUSION_WINDOW_H,
  barc3aHbDrop_g_dL: BARC_3A_HB_DROP_G_DL,
  barc3bHbDrop_g_dL: BARC_3B_HB_DROP_G_DL,
  barc4IchWindow_h: BARC_4_ICH_WINDOW_H,
  barc4Units48h: BARC_4_UNITS_48H,
  barc4ChestTube_mL_24h: BARC_4_CHEST_TUBE_ML_24H,
  barcCabgNonQualifying: 'fall_through',
  timiMajorHbDrop_g_dL: TIMI_MAJOR_HB_DROP_G_DL,
  timiMinorHbDrop_g_dL: TIMI_MINOR_HB_DROP_G_DL,
  timiMajorHctDrop_pct: TIMI_MAJOR_HCT_DROP_PCT,
  timiMinorHctDrop_pct: TIMI_MINOR_HCT_DROP_PCT,
  timiSeparateFatalClass: false,
  gustoFatalIsSevere: true,
  isthHbFall_g_dL: ISTH_HB_FALL_G_DL,
  isthUnits: ISTH_UNITS,
  isthCriticalSites: ISTH_CRITICAL_SITES,
  varc2LtHbDrop_g_dL: VARC2_LT_HB_DROP_G_DL,
  varc2LtUnits: VARC2_LT_UNITS,
  varc2MajorHbDrop_g_dL: VARC2_MAJOR_HB_DROP_G_DL,
  varc2MajorHbDropComparison: '>=',
  varc2MajorUnits: VARC2_MAJOR_UNITS,
  varc2HbDrop: 'corrected',
  majorFrom: { barc: '3a', gusto: 'moderate', timi: 'major', isth: 'major', varc2: 'major' },
};

/** Rank of a class in its order (higher = worse). */
export function classRank<C extends string>(order: readonly C[], c: C): number {
  return order.indexOf(c);
}

/** The worse of two classes in the given order. */
export function worseClass<C extends string>(order: readonly C[], a: C, b: C): C {
  return classRank(order, a) >= classRank(order, b) ? a : b;
}
