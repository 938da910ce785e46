// Liver injury markers, clinical reference 4.4: worst ALT > 200 U/L is a CCCTN hypoperfusion marker (Patel, Berg et
// al., Circ Heart Fail 2023) [V]; hypoxic hepatitis is commonly an aminotransferase rise > 20 × ULN [R].
import type { Reason } from '../rule-result.js';
import type { Episode, TMin } from '../episode/episode.js';
import { maxInWindow } from '../episode/series.js';
import type { Tri } from '../rule-result.js';
import { formatValue } from '../format-value.js';

/** CCCTN stage C hypoperfusion marker: worst ALT > 200 U/L [V]. */
export const ALT_CCCTN_U_L = 200;
/** Hypoxic hepatitis: aminotransferase > 20 × upper limit of normal [R]. */
export const HYPOXIC_HEPATITIS_FOLD_ULN = 20;

export interface LiverInjury {
  readonly worstAlt_U_L: number | null;
  readonly worstAst_U_L: number | null;
  /** Worst ALT / ULN (needs clinical.altUpperLimitOfNormal_U_L). */
  readonly altFoldULN: number | null;
  readonly altAbove200: Tri;
  /** ALT > 20 × ULN; 'unknown' without an ULN or values. Other causes must be excluded clinically. */
  readonly hypoxicHepatitisPattern: Tri;
  readonly reasons: readonly Reason[];
  readonly missing: readonly string[];
}

export function assessLiverInjury(episode: Episode, fromMin: TMin, toMin: TMin): LiverInjury {
  const alt = maxInWindow(episode, 'alt_U_L', fromMin, toMin);
  const ast = maxInWindow(episode, 'ast_U_L', fromMin, toMin);
  const uln = episode.clinical.altUpperLimitOfNormal_U_L;
  const reasons: Reason[] = [];
  const missing: string[] = [];
  if (!alt) missing.push('alt_U_L');
  if (uln === undefined) missing.push('altUpperLimitOfNormal_U_L');
  const altAbove200: Tri = alt ? alt.value > ALT_CCCTN_U_L : 'unknown';
  if (alt && alt.value > ALT_CCCTN_U_L) reasons.push({ criterion: 'alt_gt_200', text: `worst ALT ${formatValue(alt.value)} U/L > ${ALT_CCCTN_U_L} U/L (CCCTN hypoperfusion marker)`, value: alt.value, unit: 'U/L', time: alt.time });
  const fold = alt && uln ? Math.round((alt.value / uln) * 10) / 10 : null;
  // Only ALT is compared with the recorded ULN (the ULN recorded is the ALT assay's).
  const hh: Tri = alt && uln ? alt.value / uln > HYPOXIC_HEPATITIS_FOLD_ULN : 'unknown';
  if (hh === true && alt && uln !== undefined) {
    reasons.push({ criterion: 'alt_gt_20x_uln', text: `ALT ${formatValue(alt.value)} U/L = ${fold} × ULN ${formatValue(uln)} U/L > ${HYPOXIC_HEPATITIS_FOLD_ULN} × (hypoxic hepatitis pattern, if other causes excluded)`, value: fold ?? undefined, time: alt.time });
  }
  return {
    worstAlt_U_L: alt?.value ?? null,
    worstAst_U_L: ast?.value ?? null,
    altFoldULN: fold,
    altAbove200,
    hypoxicHepatitisPattern: hh,
    reasons,
    missing,
  };
}
