// SCAI SHOCK stages A to E as an ordered scale (Baran et al., Catheter Cardiovasc Interv 2019; Naidu et al.,
// J Am Coll Cardiol 2022). Clinical reference 1.1 [V].

export const SCAI_STAGES = ['A', 'B', 'C', 'D', 'E'] as const;

/** A: at risk, B: beginning, C: classic, D: deteriorating, E: extremis. */
export type ScaiStage = (typeof SCAI_STAGES)[number];

/**
 * Numeric score of a stage for means and comparisons: A = 1 ... E = 5 (the scale used for the
 * time-weighted "mean SCAI stage" of the serial 4-hour-block study, J Am Heart Assoc 2023, reference 1.1). [D]
 */
export function stageScore(stage: ScaiStage): number {
  return SCAI_STAGES.indexOf(stage) + 1;
}

/** The stage of a score 1..5 (rounded down, clamped). */
export function stageFromScore(score: number): ScaiStage {
  const i = Math.min(4, Math.max(0, Math.floor(score) - 1));
  return SCAI_STAGES[i];
}

/** The higher of two stages. */
export function maxStage(a: ScaiStage, b: ScaiStage): ScaiStage {
  return stageScore(a) >= stageScore(b) ? a : b;
}

/** Stages C, D and E mean shock (hypoperfusion), reference 1.1. */
export function isShockStage(stage: ScaiStage): boolean {
  return stageScore(stage) >= 3;
}
