// Normotensive vs hypotensive cardiogenic shock (clinical reference 3.2; SHOCK registry, Menon et al., Am J Med 2000
// [R]; CCCTN [V]). Rule [D]: normotensiveCS = hypoperfusion ∧ ¬hypotension ∧ ¬vasoactiveOrMCSForBP;
// isolated hypotension (pre-shock, ≈ SCAI B) = hypotension ∧ ¬hypoperfusion. Three-valued throughout (reference 1.6).
// Hypoperfusion is absent only when a measured lactate is below the limit and no other marker fired [D].
import type { Reason, RuleResult, Tri } from '../rule-result.js';
import { triOr } from '../rule-result.js';
import type { Episode, TMin } from '../episode/episode.js';
import { devicesActiveAt, isoAt, maxInWindow, minInWindow } from '../episode/series.js';
import { vasoactivesAt } from '../hemodynamics/vasoactive-course.js';
import { formatValue } from '../format-value.js';

/** Hypotension: SBP < 90 mmHg [V] or MAP < 60 mmHg (reference 3.2 gives 60–65: a parameter). */
export const HYPOTENSION_SBP_MMHG = 90;
export const HYPOTENSION_MAP_MMHG = 60;
/** Hypoperfusion markers [D], taken from SCAI C (Naidu 2022 [S]): lactate ≥ 2 mmol/L, urine output < 30 mL/h; CCCTN ALT > 200 U/L [V]. */
export const HYPOPERFUSION_LACTATE_MMOL_L = 2;
export const HYPOPERFUSION_URINE_ML_H = 30;
export const HYPOPERFUSION_ALT_U_L = 200;

export interface BloodPressurePhenotypeParameters {
  readonly sbpBelow_mmHg: number;
  readonly mapBelow_mmHg: number;
  readonly lactateAtLeast_mmol_L: number;
  readonly urineBelow_mL_h: number;
  readonly altAbove_U_L: number;
  /** Window before the assessment time in which BP and markers are looked for, minutes. Default 360 [D]. */
  readonly lookbackMin: number;
  /** Count inotropes (dobutamine, milrinone, levosimendan) as "drugs to hold BP" too. Default true [D]. */
  readonly inotropesCountAsSupport: boolean;
}

export const DEFAULT_BP_PHENOTYPE_PARAMETERS: BloodPressurePhenotypeParameters = {
  sbpBelow_mmHg: HYPOTENSION_SBP_MMHG,
  mapBelow_mmHg: HYPOTENSION_MAP_MMHG,
  lactateAtLeast_mmol_L: HYPOPERFUSION_LACTATE_MMOL_L,
  urineBelow_mL_h: HYPOPERFUSION_URINE_ML_H,
  altAbove_U_L: HYPOPERFUSION_ALT_U_L,
  lookbackMin: 360,
  inotropesCountAsSupport: true,
};

export type BloodPressurePhenotype = 'hypotensive_cs' | 'normotensive_cs' | 'isolated_hypotension' | 'no_shock_criteria' | 'indeterminate';

export interface BloodPressurePhenotypeResult {
  readonly phenotype: BloodPressurePhenotype;
  readonly hypotension: Tri;
  readonly hypoperfusion: Tri;
  readonly vasoactiveOrMCS: boolean;
  /** Phenotypes still possible when some predicate is unknown. */
  readonly possible: readonly BloodPressurePhenotype[];
}

const INOTROPES = ['dobutamine', 'milrinone', 'levosimendan'];

function classify(hypotension: boolean, hypoperfusion: boolean, support: boolean): BloodPressurePhenotype {
  if (hypoperfusion) return hypotension || support ? 'hypotensive_cs' : 'normotensive_cs';
  return hypotension || support ? 'isolated_hypotension' : 'no_shock_criteria';
}

export function classifyBloodPressurePhenotype(
  episode: Episode,
  options: { atMin: TMin; parameters?: Partial<BloodPressurePhenotypeParameters> },
): RuleResult<BloodPressurePhenotypeResult> {
  const p = { ...DEFAULT_BP_PHENOTYPE_PARAMETERS, ...options.parameters };
  const to = options.atMin;
  const from = to - p.lookbackMin;
  const reasons: Reason[] = [];
  const missing: string[] = [];

  const sbp = minInWindow(episode, 'sbp_mmHg', from, to);
  const map = minInWindow(episode, 'map_mmHg', from, to);
  const sbpLow: Tri = sbp ? sbp.value < p.sbpBelow_mmHg : 'unknown';
  const mapLow: Tri = map ? map.value < p.mapBelow_mmHg : 'unknown';
  if (sbp && sbpLow) reasons.push({ criterion: 'sbp_lt_90', text: `SBP ${formatValue(sbp.value)} < ${p.sbpBelow_mmHg} mmHg`, value: sbp.value, unit: 'mm[Hg]', time: sbp.time });
  if (map && mapLow) reasons.push({ criterion: 'map_lt_60', text: `MAP ${formatValue(map.value)} < ${p.mapBelow_mmHg} mmHg`, value: map.value, unit: 'mm[Hg]', time: map.time });
  if (!sbp && !map) missing.push('sbp_mmHg');
  // Either measurement below its limit proves hypotension; a normal SBP alone is enough to call it absent.
  const hypotension: Tri = sbpLow === true || mapLow === true ? true : sbp || map ? false : 'unknown';

  const drugs = vasoactivesAt(episode, to).filter((d) => p.inotropesCountAsSupport || !INOTROPES.includes(d.drug));
  const mcs = devicesActiveAt(episode, to);
  const support = drugs.length > 0 || mcs.length > 0;
  if (drugs.length > 0) reasons.push({ criterion: 'vasoactive_support', text: `on ${drugs.map((d) => d.drug).join(', ')} at ${isoAt(episode, to)}` });
  if (mcs.length > 0) reasons.push({ criterion: 'mcs_support', text: `on ${mcs.map((d) => d.kind).join(', ')}` });

  const lac = maxInWindow(episode, 'lactate_mmol_L', from, to);
  const uo = minInWindow(episode, 'urine_output_mL_h', from, to);
  const alt = maxInWindow(episode, 'alt_U_L', from, to);
  const lacHigh: Tri = lac ? lac.value >= p.lactateAtLeast_mmol_L : 'unknown';
  const uoLow: Tri = uo ? uo.value < p.urineBelow_mL_h : 'unknown';
  const altHigh: Tri = alt ? alt.value > p.altAbove_U_L : 'unknown';
  if (lac && lacHigh) reasons.push({ criterion: 'lactate_ge_2', text: `lactate ${formatValue(lac.value)} ≥ ${p.lactateAtLeast_mmol_L} mmol/L`, value: lac.value, unit: 'mmol/L', time: lac.time });
  if (uo && uoLow) reasons.push({ criterion: 'urine_lt_30', text: `urine output ${formatValue(uo.value)} < ${p.urineBelow_mL_h} mL/h`, value: uo.value, unit: 'mL/h', time: uo.time });
  if (alt && altHigh) reasons.push({ criterion: 'alt_gt_200', text: `ALT ${formatValue(alt.value)} > ${p.altAbove_U_L} U/L`, value: alt.value, unit: 'U/L', time: alt.time });
  if (!lac) missing.push('lactate_mmol_L');
  if (!uo) missing.push('urine_output_mL_h');
  // Any marker proves hypoperfusion; its absence needs a measured normal lactate (urine output and ALT are often
  // missing or confounded, so they can prove presence but their absence is not required) [D].
  const anyMarker = triOr(lacHigh, uoLow, altHigh);
  const hypoperfusion: Tri = anyMarker === true ? true : lacHigh === false ? false : 'unknown';

  const possible = new Set<BloodPressurePhenotype>();
  for (const h of hypotension === 'unknown' ? [true, false] : [hypotension]) {
    for (const q of hypoperfusion === 'unknown' ? [true, false] : [hypoperfusion]) possible.add(classify(h, q, support));
  }
  const list = [...possible];
  const phenotype: BloodPressurePhenotype = list.length === 1 ? (list[0] as BloodPressurePhenotype) : 'indeterminate';
  reasons.push({ criterion: `bp_phenotype_${phenotype}`, text: `hypotension ${String(hypotension)}, hypoperfusion ${String(hypoperfusion)}, vasoactive/MCS ${String(support)} → ${phenotype}` });
  return { result: { phenotype, hypotension, hypoperfusion, vasoactiveOrMCS: support, possible: list }, reasons, missing };
}
