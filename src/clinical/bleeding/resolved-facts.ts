// Bleeding facts with every unknown filled in, either "as recorded" (an unrecorded fact did not happen; an unknown
// Hb drop fires no Hb criterion) or "worst" (an unrecorded fact is the worst possible value). Every classifier grades
// the recorded completion (its result) and the worst completion (its upper bound), and lists as missing the
// unrecorded facts that alone would raise the class (clinical reference 1.6 [D]: no silent "normal").

import type { Reason, RuleResult } from '../rule-result.js';
import type { BleedingFacts, BleedingSite } from './bleeding-facts.js';
import type { HbDrop } from './hb-drop.js';
import { classRank } from './rule-set.js';

/** Facts a classifier may lack. Each maps to the canonical input names reported in `missing`. */
export const UNKNOWABLE = {
  overt: ['overt'],
  imagingConfirmed: ['imagingConfirmed'],
  autopsyConfirmed: ['autopsyConfirmed'],
  lumbarPunctureConfirmed: ['lumbarPunctureConfirmed'],
  visionCompromised: ['visionCompromised'],
  tamponade: ['tamponade'],
  pericardiocentesis: ['pericardiocentesis'],
  compartmentSyndrome: ['compartmentSyndrome'],
  vasoactiveStartedForBleeding: ['vasoactiveStartedForBleeding'],
  hemodynamicCompromise: ['hemodynamicCompromise'],
  surgicalOrEndovascularControl: ['surgicalOrEndovascularControl'],
  causedHospitalizationOrHigherCare: ['causedHospitalizationOrHigherCare'],
  medicalInterventionByProfessional: ['medicalInterventionByProfessional'],
  promptedEvaluation: ['promptedEvaluation'],
  anticoagulationInterrupted: ['anticoagulationInterrupted'],
  discomfortOrImpairedActivities: ['discomfortOrImpairedActivities'],
  permanentInjury: ['permanentInjury'],
  fatal: ['fatal'],
  cabgRelated: ['cabgRelated'],
  reoperationForBleeding: ['reoperationForBleeding'],
  withinHoursOfCabg: ['withinHoursOfCabg'],
  chestTubeOutputMl24h: ['chestTubeOutputMl24h'],
  hbDrop: ['hbBaseline', 'hbNadir'],
  correctionUnits: ['unitsBetweenBaselineAndNadir'],
  hctDrop: ['hctBaseline', 'hctNadir'],
  unitsWithin48h: ['rbcUnitsWithin48h'],
} as const;
export type UnknowableFact = keyof typeof UNKNOWABLE;

const BOOLEAN_FACTS = [
  'overt',
  'imagingConfirmed',
  'autopsyConfirmed',
  'lumbarPunctureConfirmed',
  'visionCompromised',
  'tamponade',
  'pericardiocentesis',
  'compartmentSyndrome',
  'vasoactiveStartedForBleeding',
  'hemodynamicCompromise',
  'surgicalOrEndovascularControl',
  'causedHospitalizationOrHigherCare',
  'medicalInterventionByProfessional',
  'promptedEvaluation',
  'anticoagulationInterrupted',
  'discomfortOrImpairedActivities',
  'permanentInjury',
  'fatal',
  'cabgRelated',
  'reoperationForBleeding',
] as const;
type BooleanFact = (typeof BOOLEAN_FACTS)[number];

/** Facts with no unknowns left. Numbers are undefined only when unknown in the recorded completion. */
export type ResolvedFacts = { readonly [K in BooleanFact]: boolean } & {
  readonly site: BleedingSite;
  /** Intracranial finding is only microbleeds / hemorrhagic transformation (unrecorded = no). */
  readonly microbleedOrHemorrhagicTransformation: boolean;
  /** Death judged definite by the adjudicator (else derived from overt / confirmation). */
  readonly deathDefinite: boolean;
  readonly withinHoursOfCabg?: number;
  readonly chestTubeOutputMl24h?: number;
  /** Transfusion-corrected Hb drop, g/dL (Infinity in the worst completion when unknown). */
  readonly hbDropCorrected_g_dL?: number;
  readonly hbDropUncorrected_g_dL?: number;
  readonly hctDropCorrected_pct?: number;
  /** Units of RBC + whole blood within 48 h (0 when unrecorded, Infinity in the worst completion). */
  readonly unitsWithin48h: number;
};

/** Unrecorded facts of this event. */
export function unknownFacts(facts: BleedingFacts, hb: HbDrop): UnknowableFact[] {
  const out: UnknowableFact[] = [];
  for (const k of BOOLEAN_FACTS) if (facts[k] === undefined) out.push(k);
  if (facts.withinHoursOfCabg === undefined) out.push('withinHoursOfCabg');
  if (facts.chestTubeOutputMl24h === undefined) out.push('chestTubeOutputMl24h');
  if (hb.uncorrected_g_dL === undefined) out.push('hbDrop');
  if (!hb.unitsKnown) out.push('correctionUnits');
  if (hb.hctCorrected_pct === undefined) out.push('hctDrop');
  if (hb.unitsWithin48h === undefined) out.push('unitsWithin48h');
  return out;
}

/** Complete the facts: unknowns in `worst` take their worst value, other unknowns their recorded default. */
export function resolveFacts(facts: BleedingFacts, hb: HbDrop, worst: ReadonlySet<UnknowableFact>): ResolvedFacts {
  const bool = (k: BooleanFact): boolean => facts[k] ?? worst.has(k);
  const units48 = hb.unitsWithin48h ?? (worst.has('unitsWithin48h') ? Infinity : 0);
  // Correction units: recorded count; else 0 as recorded, or at most the 48-h units in the worst completion.
  const corrUnits = hb.unitsKnown
    ? hb.correctionUnits
    : worst.has('correctionUnits')
      ? (hb.correctionUnitsMax ?? (hb.unitsWithin48h === undefined ? Infinity : hb.unitsWithin48h))
      : 0;
  const hbUnknownWorst = hb.uncorrected_g_dL === undefined && worst.has('hbDrop');
  const hbDropUncorrected = hbUnknownWorst ? Infinity : hb.uncorrected_g_dL;
  const hbDropCorrected =
    hbDropUncorrected === undefined
      ? undefined
      : corrUnits === Infinity
        ? Infinity
        : hbDropUncorrected + corrUnits * hb.hbPerUnit_g_dL;
  const hctUnknownWorst = hb.hctCorrected_pct === undefined && worst.has('hctDrop');
  const resolved: { -readonly [K in keyof ResolvedFacts]: ResolvedFacts[K] } = {
    site: facts.site,
    overt: bool('overt'),
    imagingConfirmed: bool('imagingConfirmed'),
    autopsyConfirmed: bool('autopsyConfirmed'),
    lumbarPunctureConfirmed: bool('lumbarPunctureConfirmed'),
    visionCompromised: bool('visionCompromised'),
    tamponade: bool('tamponade'),
    pericardiocentesis: bool('pericardiocentesis'),
    compartmentSyndrome: bool('compartmentSyndrome'),
    vasoactiveStartedForBleeding: bool('vasoactiveStartedForBleeding'),
    hemodynamicCompromise: bool('hemodynamicCompromise'),
    surgicalOrEndovascularControl: bool('surgicalOrEndovascularControl'),
    causedHospitalizationOrHigherCare: bool('causedHospitalizationOrHigherCare'),
    medicalInterventionByProfessional: bool('medicalInterventionByProfessional'),
    promptedEvaluation: bool('promptedEvaluation'),
    anticoagulationInterrupted: bool('anticoagulationInterrupted'),
    discomfortOrImpairedActivities: bool('discomfortOrImpairedActivities'),
    permanentInjury: bool('permanentInjury'),
    fatal: bool('fatal'),
    cabgRelated: bool('cabgRelated'),
    reoperationForBleeding: bool('reoperationForBleeding'),
    microbleedOrHemorrhagicTransformation: facts.microbleedOrHemorrhagicTransformation === true,
    deathDefinite: facts.deathCertainty === 'definite',
    unitsWithin48h: units48,
  };
  const hours = facts.withinHoursOfCabg ?? (worst.has('withinHoursOfCabg') ? 0 : undefined);
  if (hours !== undefined) resolved.withinHoursOfCabg = hours;
  const tube = facts.chestTubeOutputMl24h ?? (worst.has('chestTubeOutputMl24h') ? Infinity : undefined);
  if (tube !== undefined) resolved.chestTubeOutputMl24h = tube;
  if (hbDropUncorrected !== undefined) resolved.hbDropUncorrected_g_dL = hbDropUncorrected;
  if (hbDropCorrected !== undefined) resolved.hbDropCorrected_g_dL = hbDropCorrected;
  if (hctUnknownWorst) resolved.hctDropCorrected_pct = Infinity;
  else if (hb.hctUncorrected_pct !== undefined) {
    resolved.hctDropCorrected_pct =
      corrUnits === Infinity ? Infinity : hb.hctUncorrected_pct + corrUnits * hb.hctPerUnit_pct;
  }
  return resolved;
}

/** The class a definition assigns to completed facts, with the criteria that fired. */
export interface Graded<C extends string> {
  readonly cls: C;
  readonly reasons: readonly Reason[];
}

/** Result of one bleeding definition for one event: class as recorded, upper bound, reasons, missing facts. */
export interface BleedingClassResult<C extends string> extends RuleResult<C> {
  readonly definition: string;
  /** Worst class the event could have if every unrecorded fact were the worst possible. */
  readonly upperBound: C;
  /** True when the recorded facts fix the class (result === upperBound). */
  readonly determinate: boolean;
}

/**
 * Grade an event under one definition: the recorded completion gives the result, the worst completion the upper
 * bound; an unrecorded fact is listed as missing when making it alone the worst value raises the class.
 */
export function gradeWithBounds<C extends string>(
  definition: string,
  order: readonly C[],
  grade: (f: ResolvedFacts) => Graded<C>,
  facts: BleedingFacts,
  hb: HbDrop,
  uses: readonly UnknowableFact[],
): BleedingClassResult<C> {
  const unknown = unknownFacts(facts, hb).filter((k) => uses.includes(k));
  const recorded = grade(resolveFacts(facts, hb, new Set()));
  // The worst completion: every unknown at its worst, except cabgRelated, which is not monotone (under the
  // 'not_a_bleed' BARC option a CABG-related bleed can grade lower), so both of its values are tried.
  let upper = grade(resolveFacts(facts, hb, new Set(unknown))).cls;
  if (unknown.includes('cabgRelated')) {
    const alt = grade(resolveFacts(facts, hb, new Set(unknown.filter((k) => k !== 'cabgRelated')))).cls;
    if (classRank(order, alt) > classRank(order, upper)) upper = alt;
  }
  const base = classRank(order, recorded.cls);
  const raising = unknown.filter((k) => classRank(order, grade(resolveFacts(facts, hb, new Set([k]))).cls) > base);
  const lacking = raising.length > 0 || classRank(order, upper) <= base ? raising : unknown;
  const missing = [...new Set(lacking.flatMap((k) => UNKNOWABLE[k]))];
  const reasons: Reason[] = [...recorded.reasons];
  if (classRank(order, upper) > base) {
    reasons.push({
      criterion: 'upper_bound',
      text: `${definition} class could be up to ${upper} if the unrecorded facts (${missing.join(', ')}) were the worst`,
      value: upper,
    });
  }
  return { definition, result: recorded.cls, upperBound: upper, determinate: upper === recorded.cls, reasons, missing };
}
