// Transfusion-corrected hemoglobin drop of one bleeding event.
// Source: BARC (Mehran et al., Circulation 2011) and TIMI convention, 1 unit RBC/whole blood ≈ 1 g/dL Hb
// (clinical reference 5.1) [R].
//
//   uncorrected = hbBaseline − hbNadir                                   (g/dL; used by ISTH)
//   corrected   = hbBaseline − hbNadir + unitsBetweenBaselineAndNadir × hbPerUnit_g_dL   (BARC, TIMI, VARC-2)
//
// Which units count: `unitsBetweenBaselineAndNadir` when recorded (the episode-level entry point fills it from the
// transfusion events between the two samples). When it is not recorded but no unit was given within 48 h, it is 0.
// Otherwise it is unknown: the corrected drop "as recorded" counts no units (a lower bound) and the classifiers'
// upper bound counts every unit given within 48 h.
// Hematocrit (TIMI fallback when Hb is missing): corrected = hctBaseline − hctNadir + units × hctPerUnit_pct.

import type { Reason, RuleResult } from '../rule-result.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { BleedingRuleSet } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';
import { formatValue } from '../format-value.js';

export interface HbDrop {
  readonly baseline_g_dL?: number;
  readonly baselineTime?: string;
  readonly nadir_g_dL?: number;
  readonly nadirTime?: string;
  /** hbBaseline − hbNadir, g/dL; undefined when either is missing. */
  readonly uncorrected_g_dL?: number;
  /** Units added for the correction (known count, or 0 when unknown: see `unitsKnown`). */
  readonly correctionUnits: number;
  /** Whether `correctionUnits` is a recorded count (false = unknown, counted as 0). */
  readonly unitsKnown: boolean;
  /** Upper bound of the correction units when unknown (units within 48 h, or undefined if also unknown). */
  readonly correctionUnitsMax?: number;
  /** uncorrected + correctionUnits × hbPerUnit_g_dL, g/dL; undefined when Hb is missing. */
  readonly corrected_g_dL?: number;
  /** Hematocrit drop hctBaseline − hctNadir, percentage points (TIMI fallback). */
  readonly hctUncorrected_pct?: number;
  /** Transfusion-corrected hematocrit drop, percentage points (TIMI fallback). */
  readonly hctCorrected_pct?: number;
  /** Units of RBC + whole blood within 48 h of onset; undefined when neither was recorded. */
  readonly unitsWithin48h?: number;
  readonly hemodilutionSuspected: boolean;
  /** Rule-set parameters used for the correction. */
  readonly hbPerUnit_g_dL: number;
  readonly hctPerUnit_pct: number;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Units of RBC plus whole blood within 48 h, or undefined when neither is recorded. */
export function unitsWithin48h(facts: BleedingFacts): number | undefined {
  if (facts.rbcUnitsWithin48h === undefined && facts.wholeBloodUnits === undefined) return undefined;
  return (facts.rbcUnitsWithin48h ?? 0) + (facts.wholeBloodUnits ?? 0);
}

/** Transfusion-corrected Hb drop of one event, with reasons and the facts it lacked (reference 5.1). */
export function transfusionCorrectedHbDrop(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
): RuleResult<HbDrop> {
  const reasons: Reason[] = [];
  const missing: string[] = [];
  const total48 = unitsWithin48h(facts);

  let correctionUnits = 0;
  let unitsKnown = false;
  let correctionUnitsMax: number | undefined;
  if (facts.unitsBetweenBaselineAndNadir !== undefined) {
    correctionUnits = facts.unitsBetweenBaselineAndNadir;
    unitsKnown = true;
  } else if (total48 === 0) {
    unitsKnown = true;
  } else {
    correctionUnitsMax = total48;
  }

  const b = facts.hbBaseline;
  const n = facts.hbNadir;
  if (!b) missing.push('hbBaseline');
  if (!n) missing.push('hbNadir');

  let uncorrected: number | undefined;
  let corrected: number | undefined;
  if (b && n) {
    uncorrected = round(b.value_g_dL - n.value_g_dL);
    corrected = round(uncorrected + correctionUnits * ruleSet.hbPerUnit_g_dL);
    reasons.push({
      criterion: 'hb_drop_uncorrected',
      text: `Hb ${formatValue(b.value_g_dL)} → ${formatValue(n.value_g_dL)} g/dL: uncorrected drop ${formatValue(uncorrected)} g/dL`,
      value: uncorrected,
      unit: 'g/dL',
      ...(n.time ? { time: n.time } : {}),
    });
    if (!unitsKnown) missing.push('unitsBetweenBaselineAndNadir');
    reasons.push({
      criterion: 'hb_drop_corrected',
      text: unitsKnown
        ? `transfusion-corrected drop ${formatValue(uncorrected)} + ${correctionUnits} unit(s) × ${ruleSet.hbPerUnit_g_dL} g/dL = ${formatValue(corrected)} g/dL`
        : `transfusion-corrected drop ≥ ${formatValue(corrected)} g/dL (units between baseline and nadir not recorded` +
          (correctionUnitsMax !== undefined ? `; at most ${correctionUnitsMax} given within 48 h)` : ')'),
      value: corrected,
      unit: 'g/dL',
    });
  }

  let hctUncorrected: number | undefined;
  let hctCorrected: number | undefined;
  if (facts.hctBaseline && facts.hctNadir) {
    hctUncorrected = round(facts.hctBaseline.value_pct - facts.hctNadir.value_pct);
    hctCorrected = round(hctUncorrected + correctionUnits * ruleSet.hctPerUnit_pct);
    reasons.push({
      criterion: 'hct_drop_corrected',
      text: `transfusion-corrected hematocrit drop ${formatValue(hctCorrected)} % points`,
      value: hctCorrected,
      unit: '%',
    });
  }

  const hemodilutionSuspected = facts.hemodilutionSuspected === true;
  if (hemodilutionSuspected) {
    reasons.push({
      criterion: 'hemodilution_suspected',
      text: 'hemodilution suspected: part of the Hb drop may reflect dilution, not blood loss (review)',
    });
  }

  const result: HbDrop = {
    ...(b ? { baseline_g_dL: b.value_g_dL, ...(b.time ? { baselineTime: b.time } : {}) } : {}),
    ...(n ? { nadir_g_dL: n.value_g_dL, ...(n.time ? { nadirTime: n.time } : {}) } : {}),
    ...(uncorrected !== undefined ? { uncorrected_g_dL: uncorrected } : {}),
    correctionUnits,
    unitsKnown,
    ...(correctionUnitsMax !== undefined ? { correctionUnitsMax } : {}),
    ...(corrected !== undefined ? { corrected_g_dL: corrected } : {}),
    ...(hctUncorrected !== undefined ? { hctUncorrected_pct: hctUncorrected } : {}),
    ...(hctCorrected !== undefined ? { hctCorrected_pct: hctCorrected } : {}),
    ...(total48 !== undefined ? { unitsWithin48h: total48 } : {}),
    hemodilutionSuspected,
    hbPerUnit_g_dL: ruleSet.hbPerUnit_g_dL,
    hctPerUnit_pct: ruleSet.hctPerUnit_pct,
  };
  return { result, reasons, missing };
}
