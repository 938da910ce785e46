// The cohort and an adjusted sample drawn from it: the hand-off between the adjustment step (propensity
// score, matching or weighting) and the outcome models. Arrays are aligned with `rows`.
import type { AdjustmentSet, BalanceDiagnostics, PropensityDiagnostics } from './study-results.js';

/** The study cohort after inclusion, exclusion and the treatment filter. */
export interface Cohort {
  /** 0-based rows of the analysis table, ascending. */
  readonly rows: Int32Array;
  /** 1 = target (e.g. microaxial pump), 0 = comparator (e.g. IABP), aligned with rows. */
  readonly treated: Uint8Array;
}

export interface AdjustedSample {
  readonly set: AdjustmentSet;
  /** 0-based table rows of the sample: the cohort rows kept after missing-data handling and trimming (unmatched rows stay, with weight 0). */
  readonly rows: Int32Array;
  readonly treated: Uint8Array;
  /** Analysis weight per row: 1 for a crude analysis, matching weights (0 = unmatched), or IPTW/overlap/subclass weights. */
  readonly weights: Float64Array;
  /** Matched-set (or subclass) id per row for cluster-robust variance; -1 for unmatched rows; null when not matched. */
  readonly cluster: Int32Array | null;
  /** Propensity score per row; null for a crude sample. */
  readonly score: Float64Array | null;
  /** null for a crude sample. */
  readonly propensity: PropensityDiagnostics | null;
  readonly balance: BalanceDiagnostics | null;
}
