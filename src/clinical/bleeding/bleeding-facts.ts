// Raw facts captured once per bleeding event; every bleeding scale (BARC, GUSTO, TIMI, ISTH, VARC-2) is a pure
// function of these facts. Clinical reference 5.1 [D] (design proposal for this project).
//
// Conventions:
// - The event's onset time is the `time` of the episode event that carries these facts (not repeated here).
// - Every yes/no fact is optional: absent means "not recorded" (unknown), never "no". The classifiers report an
//   absent fact in `missing` and give the class it would have if the fact were the worst possible (`upperBound`).
// - Hemoglobin may be entered in g/dL, g/L or mmol/L; it is converted to g/dL once, here, on the way in
//   (reference 8: g/L ÷ 10; mmol/L ÷ 0.6206) and the original value and unit are kept.

import { z } from 'zod';

/** Anatomical site of the bleed (reference 5.1). */
export const BLEEDING_SITES = [
  'access_site', // vascular access site of a device or procedure (femoral, axillary, radial: see accessVessel)
  'retroperitoneal',
  'gastrointestinal',
  'genitourinary',
  'pulmonary',
  'intracranial',
  'intraspinal',
  'intraocular',
  'pericardial', // pericardial bleeding; set `tamponade` when it caused cardiac tamponade
  'intramuscular', // set `compartmentSyndrome` when it caused a compartment syndrome
  'intra_articular',
  'surgical_site',
  'cannula_site', // ECMO / surgical cannula site
  'other',
] as const;
export type BleedingSite = (typeof BLEEDING_SITES)[number];

export const ACCESS_VESSELS = ['femoral', 'axillary', 'subclavian', 'radial', 'jugular', 'other'] as const;
export type AccessVessel = (typeof ACCESS_VESSELS)[number];

/** Device the bleed is attributed to, using the episode's device kinds. */
export const BLEEDING_RELATED_DEVICES = ['iabp', 'microaxial', 'va_ecmo', 'other', 'none'] as const;
export type BleedingRelatedDevice = (typeof BLEEDING_RELATED_DEVICES)[number];

/** Hemoglobin units accepted on input and their factor to g/dL (reference 8) [R — standard molar mass]. */
export const HB_UNIT_TO_G_DL = {
  'g/dL': 1,
  'g/L': 1 / 10,
  'mmol/L': 1 / 0.6206,
} as const;
export type HbUnit = keyof typeof HB_UNIT_TO_G_DL;

/** Plausibility range for hemoglobin, g/dL (reference 9) [D]: reject outside, warn outside the warn range. */
export const HB_REJECT_RANGE_G_DL = { min: 1, max: 25 } as const;
export const HB_WARN_RANGE_G_DL = { min: 5, max: 20 } as const;

const isoTime = z.iso.datetime({ offset: true });

/** Hemoglobin value in the unit it was measured, converted to g/dL on parse. */
export const hbMeasurementSchema = z
  .object({
    value: z.number().finite(),
    unit: z.enum(['g/dL', 'g/L', 'mmol/L']).default('g/dL'),
    /** ISO 8601 time with offset of the sample. */
    time: isoTime.optional(),
  })
  .transform((m) => ({
    value_g_dL: Math.round(m.value * HB_UNIT_TO_G_DL[m.unit] * 1e6) / 1e6,
    time: m.time,
    originalValue: m.value,
    originalUnit: m.unit,
  }))
  .check((ctx) => {
    const v = ctx.value.value_g_dL;
    if (v < HB_REJECT_RANGE_G_DL.min || v > HB_REJECT_RANGE_G_DL.max) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.originalValue,
        path: ['value'],
        message:
          `hemoglobin ${ctx.value.originalValue} ${ctx.value.originalUnit} (= ${v} g/dL) is outside the accepted range ` +
          `${HB_REJECT_RANGE_G_DL.min}–${HB_REJECT_RANGE_G_DL.max} g/dL`,
      });
    }
  });
export type HbMeasurement = z.output<typeof hbMeasurementSchema>;

/** Hematocrit in percent (TIMI fallback when hemoglobin is missing, reference 5.4). */
export const hctMeasurementSchema = z.object({
  value_pct: z.number().min(3).max(75),
  time: isoTime.optional(),
});
export type HctMeasurement = z.output<typeof hctMeasurementSchema>;

const units = z.number().int().min(0).max(200);

/** Anticoagulation snapshot at the time of the bleed (reference 5.1). Descriptive only; no scale uses it. */
export const anticoagulationSnapshotSchema = z.object({
  drug: z.string().min(1).optional(),
  aptt_s: z.number().min(0).optional(),
  antiXa_IU_mL: z.number().min(0).optional(),
  act_s: z.number().min(0).optional(),
  time: isoTime.optional(),
});

/** The facts of one bleeding event (reference 5.1 [D]). Absent optional facts mean "not recorded". */
export const bleedingFactsSchema = z.object({
  site: z.enum(BLEEDING_SITES),
  accessVessel: z.enum(ACCESS_VESSELS).optional(),
  relatedDevice: z.enum(BLEEDING_RELATED_DEVICES).optional(),
  description: z.string().optional(),

  /** Clinically overt bleeding (visible, or seen on imaging). */
  overt: z.boolean().optional(),
  imagingConfirmed: z.boolean().optional(),
  autopsyConfirmed: z.boolean().optional(),
  lumbarPunctureConfirmed: z.boolean().optional(),
  /** Intracranial finding is only microbleeds or hemorrhagic transformation of an infarct (excluded from BARC 3c). */
  microbleedOrHemorrhagicTransformation: z.boolean().optional(),
  visionCompromised: z.boolean().optional(),
  tamponade: z.boolean().optional(),
  pericardiocentesis: z.boolean().optional(),
  compartmentSyndrome: z.boolean().optional(),

  hbBaseline: hbMeasurementSchema.optional(),
  hbNadir: hbMeasurementSchema.optional(),
  hctBaseline: hctMeasurementSchema.optional(),
  hctNadir: hctMeasurementSchema.optional(),
  /** Large-volume hemodilution (ECMO priming, fluids) may mimic a Hb drop (reference 5.1). */
  hemodilutionSuspected: z.boolean().optional(),

  /** Packed red cell units transfused within 48 h of onset. */
  rbcUnitsWithin48h: units.optional(),
  /** Whole blood units transfused within 48 h of onset. */
  wholeBloodUnits: units.optional(),
  /** RBC + whole blood units given between the baseline and nadir Hb samples (for the BARC/TIMI correction). */
  unitsBetweenBaselineAndNadir: units.optional(),

  /** IV vasoactive drug started or increased because of the bleed. */
  vasoactiveStartedForBleeding: z.boolean().optional(),
  /** Bleeding causing hemodynamic compromise (hypovolemic shock / severe hypotension). */
  hemodynamicCompromise: z.boolean().optional(),
  /** Surgical or endovascular control needed (excluding dental, nasal, skin, hemorrhoid). */
  surgicalOrEndovascularControl: z.boolean().optional(),
  /** Led to hospitalization or an increased level of care. */
  causedHospitalizationOrHigherCare: z.boolean().optional(),
  /** Non-surgical medical intervention by a health-care professional (e.g. compression, reversal, endoscopy). */
  medicalInterventionByProfessional: z.boolean().optional(),
  /** Prompted an unscheduled evaluation (lab, imaging, consult). */
  promptedEvaluation: z.boolean().optional(),
  /** Anticoagulation or antiplatelet therapy temporarily stopped because of the bleed (ISTH CRNM). */
  anticoagulationInterrupted: z.boolean().optional(),
  /** Caused discomfort or impaired daily activities (ISTH CRNM). */
  discomfortOrImpairedActivities: z.boolean().optional(),
  /** Permanent injury caused by the bleed (VARC-2 major). */
  permanentInjury: z.boolean().optional(),

  /** Death judged due to this bleed. */
  fatal: z.boolean().optional(),
  deathCertainty: z.enum(['definite', 'probable']).optional(),

  /** Bleed related to coronary artery bypass surgery. */
  cabgRelated: z.boolean().optional(),
  /** Hours from the end of CABG to the bleed (for perioperative intracranial bleeding ≤ 48 h). */
  withinHoursOfCabg: z.number().min(0).optional(),
  chestTubeOutputMl24h: z.number().min(0).max(50000).optional(),
  /** Reoperation after closure of sternotomy to control bleeding. */
  reoperationForBleeding: z.boolean().optional(),

  onAnticoagulation: anticoagulationSnapshotSchema.optional(),
});

/** Parsed (canonical-unit) bleeding facts. */
export type BleedingFacts = z.output<typeof bleedingFactsSchema>;
/** Bleeding facts as entered (hemoglobin in any accepted unit). */
export type BleedingFactsInput = z.input<typeof bleedingFactsSchema>;

/** A merely extreme (but accepted) value in the facts, for the caller's warning list (reference 9). */
export interface BleedingFactsWarning {
  readonly path: string;
  readonly value: number;
  readonly text: string;
}

/** Warnings for extreme but plausible values in parsed facts (reference 9 warn ranges) [D]. */
export function bleedingFactsWarnings(facts: BleedingFacts): BleedingFactsWarning[] {
  const out: BleedingFactsWarning[] = [];
  for (const key of ['hbBaseline', 'hbNadir'] as const) {
    const m = facts[key];
    if (m && (m.value_g_dL < HB_WARN_RANGE_G_DL.min || m.value_g_dL > HB_WARN_RANGE_G_DL.max)) {
      out.push({
        path: `${key}.value`,
        value: m.originalValue,
        text: `hemoglobin ${m.value_g_dL} g/dL is outside the usual range ${HB_WARN_RANGE_G_DL.min}–${HB_WARN_RANGE_G_DL.max} g/dL`,
      });
    }
  }
  if (facts.chestTubeOutputMl24h !== undefined && facts.chestTubeOutputMl24h > 10000) {
    out.push({
      path: 'chestTubeOutputMl24h',
      value: facts.chestTubeOutputMl24h,
      text: `chest-tube output ${facts.chestTubeOutputMl24h} mL in 24 h is extreme`,
    });
  }
  return out;
}
