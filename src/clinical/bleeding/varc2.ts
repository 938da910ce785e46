// VARC-2 bleeding. Kappetein AP, et al. Updated standardized endpoint definitions for transcatheter aortic valve
// implantation (VARC-2). J Am Coll Cardiol 2012;60:1438–1454 (reprinted table). Clinical reference 5.6 [S].

import type { Reason } from '../rule-result.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { HbDrop } from './hb-drop.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';
import type { BleedingClassResult, Graded, ResolvedFacts, UnknowableFact } from './resolved-facts.js';
import { gradeWithBounds } from './resolved-facts.js';
import type { BleedingRuleSet, Varc2Class } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET, VARC2_ORDER } from './rule-set.js';
import { formatValue } from '../format-value.js';

const VARC2_USES: readonly UnknowableFact[] = [
  'fatal',
  'pericardiocentesis',
  'compartmentSyndrome',
  'hemodynamicCompromise',
  'vasoactiveStartedForBleeding',
  'surgicalOrEndovascularControl',
  'overt',
  'imagingConfirmed',
  'hbDrop',
  'correctionUnits',
  'unitsWithin48h',
  'causedHospitalizationOrHigherCare',
  'permanentInjury',
];

/** Grade completed facts under VARC-2 (life-threatening/disabling, major, minor). */
export function gradeVarc2(f: ResolvedFacts, rs: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET): Graded<Varc2Class> {
  const overt = f.overt || f.imagingConfirmed;
  const drop = rs.varc2HbDrop === 'corrected' ? f.hbDropCorrected_g_dL : f.hbDropUncorrected_g_dL;
  const dropLabel = rs.varc2HbDrop === 'corrected' ? 'corrected' : 'uncorrected';

  const lt: Reason[] = [];
  if (f.fatal) lt.push({ criterion: 'varc2_lt_fatal', text: 'fatal bleeding' });
  const critical =
    f.site === 'intracranial' ||
    f.site === 'intraspinal' ||
    f.site === 'intraocular' ||
    (f.site === 'pericardial' && f.pericardiocentesis) ||
    (f.site === 'intramuscular' && f.compartmentSyndrome);
  if (critical) {
    lt.push({ criterion: 'varc2_lt_critical_organ', text: `bleeding in a critical organ (${f.site})`, value: f.site });
  }
  if (f.hemodynamicCompromise && (f.vasoactiveStartedForBleeding || f.surgicalOrEndovascularControl)) {
    lt.push({
      criterion: 'varc2_lt_shock',
      text: 'hypovolemic shock or severe hypotension requiring vasopressors or surgery',
    });
  }
  if (overt && drop !== undefined && drop >= rs.varc2LtHbDrop_g_dL) {
    lt.push({
      criterion: 'varc2_lt_hb_drop',
      text: `overt bleeding, ${dropLabel} Hb drop ${formatValue(drop)} g/dL ≥ ${rs.varc2LtHbDrop_g_dL}`,
      value: drop,
      unit: 'g/dL',
    });
  }
  if (overt && f.unitsWithin48h >= rs.varc2LtUnits) {
    lt.push({
      criterion: 'varc2_lt_transfusion',
      text: `overt bleeding, ${f.unitsWithin48h} units whole blood/RBC ≥ ${rs.varc2LtUnits}`,
      value: f.unitsWithin48h,
      unit: '{unit}',
    });
  }
  if (lt.length > 0) return { cls: 'life_threatening', reasons: lt };

  if (overt) {
    const major: Reason[] = [];
    const hbFires =
      drop !== undefined &&
      (rs.varc2MajorHbDropComparison === '>=' ? drop >= rs.varc2MajorHbDrop_g_dL : drop > rs.varc2MajorHbDrop_g_dL);
    if (hbFires) {
      major.push({
        criterion: 'varc2_major_hb_drop',
        text: `overt bleeding, ${dropLabel} Hb drop ${formatValue(drop)} g/dL ${rs.varc2MajorHbDropComparison === '>=' ? '≥' : '>'} ${rs.varc2MajorHbDrop_g_dL}`,
        value: drop,
        unit: 'g/dL',
      });
    }
    if (f.unitsWithin48h >= rs.varc2MajorUnits) {
      major.push({
        criterion: 'varc2_major_transfusion',
        text: `overt bleeding, ${f.unitsWithin48h} units whole blood/RBC (${rs.varc2MajorUnits}–${rs.varc2LtUnits - 1})`,
        value: f.unitsWithin48h,
        unit: '{unit}',
      });
    }
    if (f.causedHospitalizationOrHigherCare) {
      major.push({ criterion: 'varc2_major_hospitalization', text: 'caused hospitalization or a higher level of care' });
    }
    if (f.permanentInjury) major.push({ criterion: 'varc2_major_permanent_injury', text: 'caused permanent injury' });
    if (f.surgicalOrEndovascularControl) {
      major.push({ criterion: 'varc2_major_surgery', text: 'required surgery/endovascular control' });
    }
    if (major.length > 0) return { cls: 'major', reasons: major };
  }
  return { cls: 'minor', reasons: [{ criterion: 'varc2_minor', text: 'bleeding not meeting major or life-threatening' }] };
}

/** Classify one bleeding event under VARC-2. */
export function classifyVarc2(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
  hb: HbDrop = transfusionCorrectedHbDrop(facts, ruleSet).result,
): BleedingClassResult<Varc2Class> {
  return gradeWithBounds('VARC-2', VARC2_ORDER, (f) => gradeVarc2(f, ruleSet), facts, hb, VARC2_USES);
}
