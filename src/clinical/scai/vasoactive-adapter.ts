// Vasoactive doses over time for the SCAI deterioration and refractory blocks. This adapter owns only the SCAI time
// logic: an infusion runs over [t_start_min, t_end_min), which vasoactives run at an instant or during a window,
// and the maximum of a piecewise-constant score over a window. Every score is computed by
// src/clinical/hemodynamics/vasoactive-score.ts (clinical reference 2.1 / 2.2), so the rules have one implementation:
// VIS — Gaies et al., Pediatr Crit Care Med 2010 [R], or the adult CICU variant adding 10 × phenylephrine [S];
// NEE — the equivalences used by Jentzer (Mayo) [S], NEE_TABLES.jentzer_mayo.

import { VASOACTIVE_DRUGS } from '../episode/infusion-drugs.js';
import {
  norepinephrineEquivalent,
  vasoactiveInotropicScore,
  type NeeTable,
  type VasoactiveDose,
  type VisVersion as HemodynamicsVisVersion,
} from '../hemodynamics/vasoactive-score.js';
import type { VisVersion } from './rule-set.js';
import type { ScaiInfusion } from './scai-input.js';

/**
 * The rule set's VIS version as the hemodynamics module names it; the two mean the same factors:
 * 'gaies2010' is Gaies 2010, '+phenylephrine' the adult variant with 10 × phenylephrine (VIS_VERSIONS).
 */
const HEMODYNAMICS_VIS_VERSION: Record<VisVersion, HemodynamicsVisVersion> = {
  gaies2010: 'gaies2010',
  'gaies2010+phenylephrine': 'gaies2010_phenylephrine',
};

/** Jentzer's building blocks use the Jentzer/Mayo NEE equivalences (reference 1.4, 2.2). */
const NEE_TABLE: NeeTable = 'jentzer_mayo';

const VASOACTIVE_SET: ReadonlySet<string> = new Set(VASOACTIVE_DRUGS);

export function isVasoactiveInfusion(inf: ScaiInfusion): boolean {
  return VASOACTIVE_SET.has(inf.drug) && inf.rate > 0;
}

/** Running at the instant x. */
export function runningAt(inf: ScaiInfusion, x: number): boolean {
  return inf.t_start_min <= x && (inf.t_end_min === undefined || x < inf.t_end_min);
}

/** Running at some instant of the closed interval [from, to]. */
export function runningDuring(inf: ScaiInfusion, from: number, to: number): boolean {
  return inf.t_start_min <= to && (inf.t_end_min === undefined || inf.t_end_min > from);
}

/** Distinct vasoactive drugs running at some time in [from, to]. */
export function vasoactivesDuring(infusions: readonly ScaiInfusion[], from: number, to: number): string[] {
  const drugs = new Set<string>();
  for (const inf of infusions) if (isVasoactiveInfusion(inf) && runningDuring(inf, from, to)) drugs.add(inf.drug);
  return [...drugs].sort();
}

/** A dose score at one instant; null when an input it needs (the weight, a rate in its canonical unit) is missing. */
export interface DoseAt {
  readonly value: number | null;
  readonly missing: readonly string[];
}

/** The vasoactive infusions running at instant x, as doses for the hemodynamics scores. */
function dosesAt(infusions: readonly ScaiInfusion[], x: number): VasoactiveDose[] {
  return infusions
    .filter((inf) => isVasoactiveInfusion(inf) && runningAt(inf, x))
    .map((inf) => ({ drug: inf.drug, rate: inf.rate, rateUnit: inf.rateUnit }));
}

/** Vasoactive-inotropic score at instant x (vasopressin U/min needs the weight; see vasoactiveInotropicScore). */
export function visAt(infusions: readonly ScaiInfusion[], x: number, weight_kg: number | undefined, version: VisVersion): DoseAt {
  const vis = vasoactiveInotropicScore(dosesAt(infusions, x), {
    version: HEMODYNAMICS_VIS_VERSION[version],
    ...(weight_kg !== undefined ? { weight_kg } : {}),
  });
  return { value: vis.result, missing: vis.missing };
}

/** Norepinephrine-equivalent dose at instant x, ug/kg/min (see norepinephrineEquivalent). */
export function neeAt(infusions: readonly ScaiInfusion[], x: number): DoseAt {
  const nee = norepinephrineEquivalent(dosesAt(infusions, x), { table: NEE_TABLE });
  return { value: nee.result, missing: nee.missing };
}

/** Maximum of a piecewise-constant dose score over [from, to], with the instant it is reached. */
export function maxDoseDuring(
  infusions: readonly ScaiInfusion[],
  from: number,
  to: number,
  at: (x: number) => DoseAt,
): { value: number | null; t_min: number; missing: readonly string[] } {
  const points = new Set<number>([from, to]);
  for (const inf of infusions) {
    if (inf.t_start_min >= from && inf.t_start_min <= to) points.add(inf.t_start_min);
  }
  let best: { value: number; t_min: number } | null = null;
  for (const x of [...points].sort((a, b) => a - b)) {
    const d = at(x);
    if (d.value === null) return { value: null, t_min: x, missing: d.missing };
    if (best === null || d.value > best.value) best = { value: d.value, t_min: x };
  }
  return best === null ? { value: 0, t_min: from, missing: [] } : { ...best, missing: [] };
}
