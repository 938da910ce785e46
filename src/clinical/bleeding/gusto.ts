// GUSTO bleeding. The GUSTO Investigators. An international randomized trial comparing four thrombolytic
// strategies for acute myocardial infarction. N Engl J Med 1993;329:673–682. Clinical reference 5.3 [R].
// Rule: ICH || (hemodynamic compromise && intervention required) → severe; else any transfusion → moderate;
// else mild.

import type { Reason } from '../rule-result.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { HbDrop } from './hb-drop.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';
import type { BleedingClassResult, Graded, ResolvedFacts, UnknowableFact } from './resolved-facts.js';
import { gradeWithBounds } from './resolved-facts.js';
import type { BleedingRuleSet, GustoClass } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET, GUSTO_ORDER } from './rule-set.js';

const GUSTO_USES: readonly UnknowableFact[] = [
  'fatal',
  'hemodynamicCompromise',
  'vasoactiveStartedForBleeding',
  'surgicalOrEndovascularControl',
  'pericardiocentesis',
  'medicalInterventionByProfessional',
  'unitsWithin48h',
];

/** Grade completed facts under GUSTO. "Intervention" = vasoactives, surgery, pericardiocentesis, medical
 * intervention or transfusion for the bleed [D — GUSTO does not list them]. */
export function gradeGusto(f: ResolvedFacts, rs: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET): Graded<GustoClass> {
  const severe: Reason[] = [];
  if (f.site === 'intracranial') severe.push({ criterion: 'gusto_severe_ich', text: 'intracranial hemorrhage' });
  const interventions = [
    f.vasoactiveStartedForBleeding ? 'vasoactive drugs' : '',
    f.surgicalOrEndovascularControl ? 'surgical/endovascular control' : '',
    f.pericardiocentesis ? 'pericardiocentesis' : '',
    f.medicalInterventionByProfessional ? 'medical intervention' : '',
    f.unitsWithin48h > 0 ? 'transfusion' : '',
  ].filter(Boolean);
  if (f.hemodynamicCompromise && interventions.length > 0) {
    severe.push({
      criterion: 'gusto_severe_compromise',
      text: `hemodynamic compromise requiring intervention (${interventions.join(', ')})`,
    });
  }
  if (f.fatal && rs.gustoFatalIsSevere) {
    severe.push({ criterion: 'gusto_severe_fatal', text: 'fatal bleeding counted as severe (rule-set choice)' });
  }
  if (severe.length > 0) return { cls: 'severe', reasons: severe };
  if (f.unitsWithin48h > 0) {
    return {
      cls: 'moderate',
      reasons: [
        {
          criterion: 'gusto_moderate_transfusion',
          text: `transfusion (${f.unitsWithin48h} unit(s)) without hemodynamic compromise`,
          value: f.unitsWithin48h,
          unit: '{unit}',
        },
      ],
    };
  }
  return { cls: 'mild', reasons: [{ criterion: 'gusto_mild', text: 'bleeding without transfusion or compromise' }] };
}

/** Classify one bleeding event under GUSTO. */
export function classifyGusto(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
  hb: HbDrop = transfusionCorrectedHbDrop(facts, ruleSet).result,
): BleedingClassResult<GustoClass> {
  return gradeWithBounds('GUSTO', GUSTO_ORDER, (f) => gradeGusto(f, ruleSet), facts, hb, GUSTO_USES);
}
