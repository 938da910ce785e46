// Local adapter for vasoactive doses over time, used by the SCAI deterioration and refractory blocks until
// engineer A's src/clinical/hemodynamics vasoactive functions exist. Formulas as clinical reference 2.1 / 2.2:
// VIS — Gaies et al., Pediatr Crit Care Med 2010 [R] (adult CICU variant adds 10 × phenylephrine [S]);
// NEE — equivalences used by Jentzer (Mayo) [S]. Infusions run over [t_start_min, t_end_min).

import { VASOACTIVE_DRUGS } from '../episode/infusion-drugs.js';
import type { VisVersion } from './rule-set.js';
import type { ScaiInfusion } from './scai-input.js';

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

/** A dose score at one instant; null when an input it needs (weight) is missing. */
export interface DoseAt {
  readonly value: number | null;
  readonly missing: readonly string[];
}

function ratesAt(infusions: readonly ScaiInfusion[], x: number): Map<string, number> {
  const rates = new Map<string, number>();
  for (const inf of infusions) {
    if (!isVasoactiveInfusion(inf) || !runningAt(inf, x)) continue;
    rates.set(inf.drug, (rates.get(inf.drug) ?? 0) + inf.rate);
  }
  return rates;
}

/** Vasoactive-inotropic score at instant x (catecholamines ug/kg/min; vasopressin U/min ÷ weight → U/kg/min). */
export function visAt(infusions: readonly ScaiInfusion[], x: number, weight_kg: number | undefined, version: VisVersion): DoseAt {
  const r = ratesAt(infusions, x);
  const g = (d: string): number => r.get(d) ?? 0;
  let vis = g('dopamine') + g('dobutamine') + 100 * g('epinephrine') + 100 * g('norepinephrine') + 10 * g('milrinone');
  if (version === 'gaies2010+phenylephrine') vis += 10 * g('phenylephrine');
  const vaso = g('vasopressin');
  if (vaso > 0) {
    if (weight_kg === undefined || !(weight_kg > 0)) return { value: null, missing: ['weight_kg'] };
    vis += 10000 * (vaso / weight_kg);
  }
  return { value: vis, missing: [] };
}

/** Norepinephrine-equivalent dose at instant x, ug/kg/min (vasopressin as fixed dose: 2.5 × U/min). */
export function neeAt(infusions: readonly ScaiInfusion[], x: number): DoseAt {
  const r = ratesAt(infusions, x);
  const g = (d: string): number => r.get(d) ?? 0;
  const nee = g('norepinephrine') + g('epinephrine') + g('dopamine') / 150 + g('phenylephrine') / 10 + 2.5 * g('vasopressin');
  return { value: nee, missing: [] };
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
