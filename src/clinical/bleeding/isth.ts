// ISTH major bleeding in non-surgical patients: Schulman S, Kearon C. J Thromb Haemost 2005;3:692–694.
// Clinically relevant non-major (CRNM): Kaatz S, et al. J Thromb Haemost 2015;13:2119–2126. Reference 5.5 [R].
// ISTH uses the UNcorrected Hb fall and counts transfusion as its own trigger (no BARC correction).

import type { Reason } from '../rule-result.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { HbDrop } from './hb-drop.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';
import type { BleedingClassResult, Graded, ResolvedFacts, UnknowableFact } from './resolved-facts.js';
import { gradeWithBounds } from './resolved-facts.js';
import type { BleedingRuleSet, IsthClass } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET, ISTH_ORDER } from './rule-set.js';
import { formatValue } from '../format-value.js';

const ISTH_USES: readonly UnknowableFact[] = [
  'fatal',
  'compartmentSyndrome',
  'hbDrop',
  'unitsWithin48h',
  'overt',
  'imagingConfirmed',
  'medicalInterventionByProfessional',
  'causedHospitalizationOrHigherCare',
  'promptedEvaluation',
  'anticoagulationInterrupted',
  'discomfortOrImpairedActivities',
  'surgicalOrEndovascularControl',
  'vasoactiveStartedForBleeding',
];

/** Grade completed facts under ISTH (major, CRNM, or minor). */
export function gradeIsth(f: ResolvedFacts, rs: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET): Graded<IsthClass> {
  const major: Reason[] = [];
  if (f.fatal) major.push({ criterion: 'isth_major_fatal', text: 'fatal bleeding' });
  if (rs.isthCriticalSites.includes(f.site) && (f.site !== 'intramuscular' || f.compartmentSyndrome)) {
    major.push({
      criterion: 'isth_major_critical_site',
      text: `bleeding in a critical area or organ (${f.site}${f.site === 'intramuscular' ? ' with compartment syndrome' : ''})`,
      value: f.site,
    });
  }
  const fall = f.hbDropUncorrected_g_dL;
  if (fall !== undefined && fall >= rs.isthHbFall_g_dL) {
    major.push({
      criterion: 'isth_major_hb_fall',
      text: `uncorrected Hb fall ${formatValue(fall)} g/dL ≥ ${rs.isthHbFall_g_dL}`,
      value: fall,
      unit: 'g/dL',
    });
  }
  if (f.unitsWithin48h >= rs.isthUnits) {
    major.push({
      criterion: 'isth_major_transfusion',
      text: `${f.unitsWithin48h} units whole blood/RBC ≥ ${rs.isthUnits}`,
      value: f.unitsWithin48h,
      unit: '{unit}',
    });
  }
  if (major.length > 0) return { cls: 'major', reasons: major };

  const overt = f.overt || f.imagingConfirmed;
  if (overt) {
    const crnm = [
      f.medicalInterventionByProfessional || f.surgicalOrEndovascularControl || f.vasoactiveStartedForBleeding ||
      f.unitsWithin48h > 0
        ? 'medical intervention'
        : '',
      f.causedHospitalizationOrHigherCare ? 'hospitalization or higher level of care' : '',
      f.promptedEvaluation ? 'unscheduled evaluation/contact' : '',
      f.anticoagulationInterrupted ? 'temporary cessation of antithrombotic therapy' : '',
      f.discomfortOrImpairedActivities ? 'discomfort or impaired daily activities' : '',
    ].filter(Boolean);
    if (crnm.length > 0) {
      return {
        cls: 'crnm',
        reasons: [{ criterion: 'isth_crnm', text: `overt, non-major bleeding with ${crnm.join(', ')}` }],
      };
    }
  }
  return { cls: 'minor', reasons: [{ criterion: 'isth_minor', text: 'neither major nor clinically relevant non-major' }] };
}

/** Classify one bleeding event under ISTH. */
export function classifyIsth(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
  hb: HbDrop = transfusionCorrectedHbDrop(facts, ruleSet).result,
): BleedingClassResult<IsthClass> {
  return gradeWithBounds('ISTH', ISTH_ORDER, (f) => gradeIsth(f, ruleSet), facts, hb, ISTH_USES);
}
