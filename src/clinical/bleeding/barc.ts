// BARC bleeding type 0–5b. Mehran R, et al. Standardized bleeding definitions for cardiovascular clinical trials
// (BARC). Circulation 2011;123:2736–2747. Clinical reference 5.2 [R]: evaluated top-down, first match wins.

import type { Reason } from '../rule-result.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { HbDrop } from './hb-drop.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';
import type { BleedingClassResult, Graded, ResolvedFacts, UnknowableFact } from './resolved-facts.js';
import { gradeWithBounds } from './resolved-facts.js';
import type { BarcClass, BleedingRuleSet } from './rule-set.js';
import { BARC_ORDER, DEFAULT_BLEEDING_RULE_SET, classRank } from './rule-set.js';
import { formatValue } from '../format-value.js';

/** Facts BARC reads (for the upper bound and the missing list). */
const BARC_USES: readonly UnknowableFact[] = [
  'fatal',
  'overt',
  'imagingConfirmed',
  'autopsyConfirmed',
  'cabgRelated',
  'withinHoursOfCabg',
  'reoperationForBleeding',
  'chestTubeOutputMl24h',
  'unitsWithin48h',
  'visionCompromised',
  'hbDrop',
  'correctionUnits',
  'tamponade',
  'surgicalOrEndovascularControl',
  'vasoactiveStartedForBleeding',
  'medicalInterventionByProfessional',
  'causedHospitalizationOrHigherCare',
  'promptedEvaluation',
];

const fmt = (x: number | undefined): string => (x === undefined ? 'unknown' : formatValue(x));

/** Grade completed facts under BARC, top-down (reference 5.2 steps 1–7). */
export function gradeBarc(f: ResolvedFacts, rs: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET): Graded<BarcClass> {
  const overt = f.overt || f.imagingConfirmed;
  const drop = f.hbDropCorrected_g_dL;

  // Step 1: death judged due to bleeding → 5b (definite: overt, or autopsy/imaging confirmed) or 5a (probable).
  if (f.fatal) {
    const definite = overt || f.autopsyConfirmed || f.deathDefinite;
    return definite
      ? {
          cls: '5b',
          reasons: [
            {
              criterion: 'barc_5b_definite_fatal',
              text: 'fatal bleeding, definite (overt, or confirmed by autopsy/imaging, or adjudicated definite)',
            },
          ],
        }
      : {
          cls: '5a',
          reasons: [
            { criterion: 'barc_5a_probable_fatal', text: 'fatal bleeding, probable (clinically suspected, not confirmed)' },
          ],
        };
  }

  // Step 2: CABG-related → 4 if any of the type-4 criteria.
  if (f.cabgRelated) {
    const r: Reason[] = [];
    if (f.site === 'intracranial' && f.withinHoursOfCabg !== undefined && f.withinHoursOfCabg <= rs.barc4IchWindow_h) {
      r.push({
        criterion: 'barc_4_perioperative_ich',
        text: `perioperative intracranial bleeding ${f.withinHoursOfCabg} h after CABG ≤ ${rs.barc4IchWindow_h} h`,
        value: f.withinHoursOfCabg,
        unit: 'h',
      });
    }
    if (f.reoperationForBleeding) {
      r.push({ criterion: 'barc_4_reoperation', text: 'reoperation after sternotomy closure to control bleeding' });
    }
    if (f.unitsWithin48h >= rs.barc4Units48h) {
      r.push({
        criterion: 'barc_4_units_48h',
        text: `${f.unitsWithin48h} units whole blood/RBC within 48 h ≥ ${rs.barc4Units48h}`,
        value: f.unitsWithin48h,
        unit: '{unit}',
      });
    }
    if (f.chestTubeOutputMl24h !== undefined && f.chestTubeOutputMl24h >= rs.barc4ChestTube_mL_24h) {
      r.push({
        criterion: 'barc_4_chest_tube',
        text: `chest-tube output ${f.chestTubeOutputMl24h} mL in 24 h ≥ ${rs.barc4ChestTube_mL_24h} mL`,
        value: f.chestTubeOutputMl24h,
        unit: 'mL',
      });
    }
    if (r.length > 0) return { cls: '4', reasons: r };
    const below = gradeBarcNonCabg(f, rs, overt, drop);
    const note: Reason = {
      criterion: 'barc_cabg_not_type_4',
      text: 'CABG-related bleeding meeting no type-4 criterion is not a BARC 4 event',
    };
    if (rs.barcCabgNonQualifying === 'not_a_bleed' && classRank(BARC_ORDER, below.cls) < classRank(BARC_ORDER, '3a')) {
      return {
        cls: '0',
        reasons: [
          note,
          { criterion: 'barc_cabg_not_a_bleed', text: 'CABG-related bleeding below type 3 is not counted (rule-set choice)' },
        ],
      };
    }
    return { cls: below.cls, reasons: [note, ...below.reasons] };
  }
  return gradeBarcNonCabg(f, rs, overt, drop);
}

/** Steps 3–7 of the BARC procedure. */
function gradeBarcNonCabg(
  f: ResolvedFacts,
  rs: BleedingRuleSet,
  overt: boolean,
  drop: number | undefined,
): Graded<BarcClass> {
  // Step 3: intracranial hemorrhage (includes intraspinal; excludes microbleeds and hemorrhagic transformation) or
  // intraocular bleeding compromising vision → 3c. Confirmation by imaging, autopsy or lumbar puncture is the
  // subcategory (Mehran 2011 table: "subcategories: confirmed by autopsy or imaging or lumbar puncture"), reported
  // in the reason's value, not a condition.
  const r3c: Reason[] = [];
  if ((f.site === 'intracranial' || f.site === 'intraspinal') && !f.microbleedOrHemorrhagicTransformation) {
    const by = [
      f.imagingConfirmed ? 'imaging' : '',
      f.autopsyConfirmed ? 'autopsy' : '',
      f.lumbarPunctureConfirmed ? 'lumbar_puncture' : '',
    ].filter(Boolean);
    r3c.push({
      criterion: 'barc_3c_intracranial',
      text: `${f.site} hemorrhage (confirmation: ${by.length > 0 ? by.join(', ') : 'not recorded'})`,
      value: by.length > 0 ? by.join(',') : 'unconfirmed',
    });
  }
  if (f.site === 'intraocular' && f.visionCompromised) {
    r3c.push({ criterion: 'barc_3c_intraocular', text: 'intraocular bleeding compromising vision' });
  }
  if (r3c.length > 0) return { cls: '3c', reasons: r3c };

  // Step 4: overt bleeding with Hb drop ≥ 5 g/dL, tamponade, surgical control, or IV vasoactive drugs → 3b.
  if (overt) {
    const r3b: Reason[] = [];
    if (drop !== undefined && drop >= rs.barc3bHbDrop_g_dL) {
      r3b.push({
        criterion: 'barc_3b_hb_drop',
        text: `overt bleeding, corrected Hb drop ${fmt(drop)} g/dL ≥ ${rs.barc3bHbDrop_g_dL}`,
        value: drop,
        unit: 'g/dL',
      });
    }
    if (f.tamponade) r3b.push({ criterion: 'barc_3b_tamponade', text: 'cardiac tamponade' });
    if (f.surgicalOrEndovascularControl) {
      r3b.push({ criterion: 'barc_3b_surgical_control', text: 'surgical/endovascular intervention needed for control' });
    }
    if (f.vasoactiveStartedForBleeding) {
      r3b.push({ criterion: 'barc_3b_vasoactive', text: 'IV vasoactive drugs needed because of the bleed' });
    }
    if (r3b.length > 0) return { cls: '3b', reasons: r3b };

    // Step 5: overt bleeding with Hb drop 3 to < 5 g/dL, or any transfusion → 3a.
    const r3a: Reason[] = [];
    if (drop !== undefined && drop >= rs.barc3aHbDrop_g_dL) {
      r3a.push({
        criterion: 'barc_3a_hb_drop',
        text: `overt bleeding, corrected Hb drop ${fmt(drop)} g/dL in [${rs.barc3aHbDrop_g_dL}, ${rs.barc3bHbDrop_g_dL})`,
        value: drop,
        unit: 'g/dL',
      });
    }
    if (f.unitsWithin48h > 0) {
      r3a.push({
        criterion: 'barc_3a_transfusion',
        text: `overt bleeding with transfusion (${f.unitsWithin48h} unit(s))`,
        value: f.unitsWithin48h,
        unit: '{unit}',
      });
    }
    if (r3a.length > 0) return { cls: '3a', reasons: r3a };

    // Step 6: overt, actionable → 2.
    const r2: Reason[] = [];
    if (f.medicalInterventionByProfessional) {
      r2.push({ criterion: 'barc_2_medical_intervention', text: 'non-surgical medical intervention by a professional' });
    }
    if (f.causedHospitalizationOrHigherCare) {
      r2.push({ criterion: 'barc_2_hospitalization', text: 'led to hospitalization or a higher level of care' });
    }
    if (f.promptedEvaluation) r2.push({ criterion: 'barc_2_evaluation', text: 'prompted evaluation' });
    if (r2.length > 0) return { cls: '2', reasons: r2 };
  }

  // Step 7: bleeding that is not actionable → 1.
  return {
    cls: '1',
    reasons: [
      {
        criterion: 'barc_1_not_actionable',
        text: overt
          ? 'overt bleeding, no actionable criterion recorded'
          : 'bleeding not recorded as overt: graded as not actionable',
      },
    ],
  };
}

/** Classify one bleeding event under BARC, from its facts (and a precomputed Hb drop, if any). */
export function classifyBarc(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
  hb: HbDrop = transfusionCorrectedHbDrop(facts, ruleSet).result,
): BleedingClassResult<BarcClass> {
  return gradeWithBounds('BARC', BARC_ORDER, (f) => gradeBarc(f, ruleSet), facts, hb, BARC_USES);
}
