// Vasoactive-inotropic score (Gaies et al., Pediatr Crit Care Med 2010) [R] and norepinephrine-equivalent dose
// (equivalences used by Jentzer/Mayo, J Am Coll Cardiol 2019) [S], from infusion records (clinical reference 2.1, 2.2).
// No single universal VIS or NEE table exists: both are data (VIS_VERSIONS, NEE_TABLES) and the id is stored.
import type { Reason, RuleResult } from '../rule-result.js';
import type { VasoactiveDrug } from '../episode/infusion-drugs.js';
import { formatValue } from '../format-value.js';

/** One running vasoactive infusion in canonical units (an episode Infusion fits). */
export interface VasoactiveDose {
  readonly drug: VasoactiveDrug | string;
  /** ug/kg/min for catecholamines, milrinone, phenylephrine; U/min for vasopressin (reference 2.1). */
  readonly rate: number;
  readonly rateUnit: string;
}

/**
 * VIS factors per drug, applied to ug/kg/min (vasopressin: U/kg/min). A drug absent from a version does not count.
 * - gaies2010: dopamine + dobutamine + 100·epinephrine + 100·norepinephrine + 10·milrinone + 10,000·vasopressin [R].
 * - gaies2010_phenylephrine: the adult CICU variant (Jentzer/Mayo) adding 10·phenylephrine [S].
 */
export const VIS_VERSIONS = {
  gaies2010: { dopamine: 1, dobutamine: 1, epinephrine: 100, norepinephrine: 100, milrinone: 10, vasopressin: 10000 },
  gaies2010_phenylephrine: { dopamine: 1, dobutamine: 1, epinephrine: 100, norepinephrine: 100, milrinone: 10, vasopressin: 10000, phenylephrine: 10 },
} as const satisfies Record<string, Partial<Record<VasoactiveDrug, number>>>;
export type VisVersion = keyof typeof VIS_VERSIONS;
/** Default VIS version: the adult CICU variant used by Jentzer, whose SCAI building blocks use VIS (reference 1.4). */
export const DEFAULT_VIS_VERSION: VisVersion = 'gaies2010_phenylephrine';

/**
 * NEE factors: ug/kg/min norepinephrine per unit of each drug. Vasopressin is a fixed-dose equivalence per U/min
 * (not per kg). Inotropes without pressor effect (dobutamine, milrinone) are not part of NEE (reference 2.2).
 * - jentzer_mayo: 0.1 NE = 0.1 epinephrine = 15 dopamine = 1 phenylephrine = 0.04 U/min vasopressin [S].
 * - dopamine_100: same with the common dopamine/100 equivalence [S].
 */
export const NEE_TABLES = {
  jentzer_mayo: { norepinephrine: 1, epinephrine: 1, dopamine: 1 / 150, phenylephrine: 1 / 10, vasopressin: 2.5 },
  dopamine_100: { norepinephrine: 1, epinephrine: 1, dopamine: 1 / 100, phenylephrine: 1 / 10, vasopressin: 2.5 },
} as const satisfies Record<string, Partial<Record<VasoactiveDrug, number>>>;
export type NeeTable = keyof typeof NEE_TABLES;
export const DEFAULT_NEE_TABLE: NeeTable = 'jentzer_mayo';

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

/** A drug's dose in the unit its VIS factor applies to (vasopressin U/min → U/kg/min needs weight). */
function visDose(d: VasoactiveDose, weight_kg: number | undefined): { dose: number; unit: string } | 'needs_weight' | 'bad_unit' {
  if (d.drug === 'vasopressin') {
    if (d.rateUnit === 'U/kg/min') return { dose: d.rate, unit: 'U/kg/min' };
    if (d.rateUnit !== 'U/min') return 'bad_unit';
    if (weight_kg === undefined || !(weight_kg > 0)) return 'needs_weight';
    return { dose: d.rate / weight_kg, unit: 'U/kg/min' };
  }
  if (d.rateUnit !== 'ug/kg/min') return 'bad_unit';
  return { dose: d.rate, unit: 'ug/kg/min' };
}

/**
 * Vasoactive-inotropic score of the infusions running at one moment (Gaies 2010) [R].
 * Result null when a dose that counts cannot be expressed in the needed unit (e.g. vasopressin without weight).
 */
export function vasoactiveInotropicScore(
  doses: readonly VasoactiveDose[],
  options: { weight_kg?: number; version?: VisVersion; time?: string } = {},
): RuleResult<number | null> {
  const version = options.version ?? DEFAULT_VIS_VERSION;
  const factors: Partial<Record<string, number>> = VIS_VERSIONS[version];
  const reasons: Reason[] = [];
  const missing: string[] = [];
  let vis = 0;
  for (const d of doses) {
    if (d.rate <= 0) continue;
    const f = factors[d.drug];
    if (f === undefined) {
      reasons.push({ criterion: `vis_excluded_${d.drug}`, text: `${d.drug} ${formatValue(d.rate)} ${d.rateUnit} is not part of VIS (${version})`, value: d.rate, unit: d.rateUnit, ...(options.time ? { time: options.time } : {}) });
      continue;
    }
    const dose = visDose(d, options.weight_kg);
    if (dose === 'needs_weight') {
      missing.push('weight_kg');
      continue;
    }
    if (dose === 'bad_unit') {
      missing.push(`${d.drug}_rate_in_canonical_unit`);
      continue;
    }
    const points = r4(f * dose.dose);
    vis += f * dose.dose;
    reasons.push({
      criterion: `vis_${d.drug}`,
      text: `${d.drug} ${formatValue(dose.dose)} ${dose.unit} × ${f} = ${points} points`,
      value: points,
      unit: '{score}',
      ...(options.time ? { time: options.time } : {}),
    });
  }
  if (missing.length > 0) return { result: null, reasons, missing: [...new Set(missing)] };
  return { result: r4(vis), reasons, missing: [] };
}

/** Norepinephrine-equivalent dose, ug/kg/min, of the infusions running at one moment (reference 2.2) [S]. */
export function norepinephrineEquivalent(
  doses: readonly VasoactiveDose[],
  options: { table?: NeeTable; time?: string } = {},
): RuleResult<number | null> {
  const table = options.table ?? DEFAULT_NEE_TABLE;
  const factors: Partial<Record<string, number>> = NEE_TABLES[table];
  const reasons: Reason[] = [];
  const missing: string[] = [];
  let nee = 0;
  for (const d of doses) {
    if (d.rate <= 0) continue;
    const f = factors[d.drug];
    if (f === undefined) {
      reasons.push({ criterion: `nee_excluded_${d.drug}`, text: `${d.drug} is not a vasopressor in NEE table ${table}`, value: d.rate, unit: d.rateUnit });
      continue;
    }
    const expectedUnit = d.drug === 'vasopressin' ? 'U/min' : 'ug/kg/min';
    if (d.rateUnit !== expectedUnit) {
      missing.push(`${d.drug}_rate_in_${expectedUnit}`);
      continue;
    }
    const eq = f * d.rate;
    nee += eq;
    reasons.push({
      criterion: `nee_${d.drug}`,
      text: `${d.drug} ${formatValue(d.rate)} ${d.rateUnit} × ${r4(f)} = ${r4(eq)} ug/kg/min norepinephrine-equivalent`,
      value: r4(eq),
      unit: 'ug/kg/min',
      ...(options.time ? { time: options.time } : {}),
    });
  }
  if (missing.length > 0) return { result: null, reasons, missing: [...new Set(missing)] };
  return { result: r4(nee), reasons, missing: [] };
}
