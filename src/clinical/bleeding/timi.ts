// TIMI bleeding (Rao / Chesebro, as tabulated in Mehran R, et al. Circulation 2011;123:2736–2747).
// Clinical reference 5.4 [R]: uses the transfusion-corrected Hb drop; hematocrit drop when Hb is missing.

import type { Reason } from '../rule-result.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { HbDrop } from './hb-drop.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';
import type { BleedingClassResult, Graded, ResolvedFacts, UnknowableFact } from './resolved-facts.js';
import { gradeWithBounds } from './resolved-facts.js';
import type { BleedingRuleSet, TimiClass } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET, TIMI_ORDER } from './rule-set.js';
import { formatValue } from '../format-value.js';

const TIMI_USES: readonly UnknowableFact[] = [
  'fatal',
  'overt',
  'imagingConfirmed',
  'hbDrop',
  'correctionUnits',
  'hctDrop',
];

/** Grade completed facts under TIMI. */
export function gradeTimi(f: ResolvedFacts, rs: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET): Graded<TimiClass> {
  if (f.fatal) {
    return rs.timiSeparateFatalClass
      ? { cls: 'fatal', reasons: [{ criterion: 'timi_fatal', text: 'fatal bleeding (separate class)' }] }
      : { cls: 'major', reasons: [{ criterion: 'timi_major_fatal', text: 'fatal bleeding counted as major' }] };
  }
  if (f.site === 'intracranial') {
    return { cls: 'major', reasons: [{ criterion: 'timi_major_ich', text: 'intracranial hemorrhage' }] };
  }
  const overt = f.overt || f.imagingConfirmed;
  if (!overt) {
    return {
      cls: 'none',
      reasons: [{ criterion: 'timi_not_overt', text: 'not recorded as overt: TIMI grades only overt bleeding' }],
    };
  }
  const hb = f.hbDropCorrected_g_dL;
  const hct = hb === undefined ? f.hctDropCorrected_pct : undefined;
  const byHb = (t: number, label: string): Reason => ({
    criterion: `timi_${label}_hb_drop`,
    text: `overt bleeding, corrected Hb drop ${hb === undefined ? 'unknown' : formatValue(hb)} g/dL ≥ ${t}`,
    value: hb,
    unit: 'g/dL',
  });
  const byHct = (t: number, label: string): Reason => ({
    criterion: `timi_${label}_hct_drop`,
    text: `overt bleeding, Hb missing; corrected hematocrit drop ${hct === undefined ? 'unknown' : formatValue(hct)} % ≥ ${t}`,
    value: hct,
    unit: '%',
  });
  if (hb !== undefined && hb >= rs.timiMajorHbDrop_g_dL) {
    return { cls: 'major', reasons: [byHb(rs.timiMajorHbDrop_g_dL, 'major')] };
  }
  if (hct !== undefined && hct >= rs.timiMajorHctDrop_pct) {
    return { cls: 'major', reasons: [byHct(rs.timiMajorHctDrop_pct, 'major')] };
  }
  if (hb !== undefined && hb >= rs.timiMinorHbDrop_g_dL) {
    return { cls: 'minor', reasons: [byHb(rs.timiMinorHbDrop_g_dL, 'minor')] };
  }
  if (hct !== undefined && hct >= rs.timiMinorHctDrop_pct) {
    return { cls: 'minor', reasons: [byHct(rs.timiMinorHctDrop_pct, 'minor')] };
  }
  return {
    cls: 'minimal',
    reasons: [
      {
        criterion: 'timi_minimal',
        text:
          hb !== undefined
            ? `overt bleeding, corrected Hb drop ${hb === undefined ? 'unknown' : formatValue(hb)} g/dL < ${rs.timiMinorHbDrop_g_dL}`
            : hct !== undefined
              ? `overt bleeding, corrected hematocrit drop ${hct === undefined ? 'unknown' : formatValue(hct)} % < ${rs.timiMinorHctDrop_pct}`
              : 'overt bleeding, Hb drop unknown',
      },
    ],
  };
}

/**
 * Later TIMI versions: bleeding "requiring medical attention" (non-major bleeding that needed intervention or
 * evaluation), reported as a separate flag (reference 5.4) [R].
 */
export function timiRequiringMedicalAttention(f: ResolvedFacts): boolean {
  return (
    f.medicalInterventionByProfessional ||
    f.promptedEvaluation ||
    f.causedHospitalizationOrHigherCare ||
    f.surgicalOrEndovascularControl ||
    f.vasoactiveStartedForBleeding ||
    f.unitsWithin48h > 0
  );
}

/** Classify one bleeding event under TIMI. */
export function classifyTimi(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
  hb: HbDrop = transfusionCorrectedHbDrop(facts, ruleSet).result,
): BleedingClassResult<TimiClass> {
  return gradeWithBounds('TIMI', TIMI_ORDER, (f) => gradeTimi(f, ruleSet), facts, hb, TIMI_USES);
}
