// The OMOP standard concept ids Stratum writes. Only ids we are sure of, each with its concept name from the OMOP
// vocabulary (Athena, https://athena.ohdsi.org). Everything else is exported as concept 0 ("No matching concept")
// with the source value kept in the *_source_value column: mapping LOINC codes, drugs, devices, procedures and
// conditions to standard concepts needs the OMOP vocabulary tables, which are licensed per site and not shipped.

/** 0 = "No matching concept": the OMOP convention for a source value that is not mapped. */
export const NO_MATCHING_CONCEPT = 0;

/** Gender (vocabulary 'Gender'): 8507 MALE, 8532 FEMALE. Other or unknown sex is 0. */
export const GENDER_CONCEPT = { male: 8507, female: 8532 } as const;

/** Visit (vocabulary 'Visit'): 9201 Inpatient Visit. */
export const INPATIENT_VISIT = 9201;

/** Type concept (vocabulary 'Type Concept'): 32817 EHR. Used as the provenance of every exported row. */
export const TYPE_EHR = 32817;

/** Meas Value Operator: 4172704 '>' and 4171756 '<', for values reported above or below an assay's limit. */
export const OPERATOR_CONCEPT = { gt: 4172704, lt: 4171756 } as const;

/**
 * UCUM units (vocabulary 'UCUM') of the canonical units of src/clinical/episode/observation-codes.ts:
 * 8753 millimole per liter, 8840 milligram per deciliter, 8713 gram per deciliter, 8645 unit per liter,
 * 8554 percent, 8876 millimeter mercury column, 8555 second. Other canonical units are 0 (unit_source_value kept).
 */
export const UNIT_CONCEPT: Readonly<Record<string, number>> = {
  'mmol/L': 8753,
  'mg/dL': 8840,
  'g/dL': 8713,
  'U/L': 8645,
  '%': 8554,
  'mm[Hg]': 8876,
  s: 8555,
};
