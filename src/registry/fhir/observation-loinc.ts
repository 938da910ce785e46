// LOINC codes of the canonical observation codes, both ways. The codes and their verification tags come from
// src/clinical/episode/observation-codes.ts (clinical reference section 8); codes tagged '(unverified)' there are
// neither written nor read. Body weight and height are not observation codes of the episode format (they are
// demographics) but travel as the standard FHIR vital-sign Observations (hl7.org/fhir/R4/vitalsigns.html).
import { OBSERVATION_CODE_NAMES, OBSERVATION_CODES, type ObservationCode } from '../../clinical/episode/observation-codes.js';

/** LOINC 29463-7 Body weight (FHIR R4 vital-signs profile bodyweight). */
export const LOINC_BODY_WEIGHT = '29463-7';
/** LOINC 3141-9 Body weight Measured (accepted on import; common in EHR exports). */
export const LOINC_BODY_WEIGHT_MEASURED = '3141-9';
/** LOINC 8302-2 Body height (FHIR R4 vital-signs profile bodyheight). */
export const LOINC_BODY_HEIGHT = '8302-2';

/** The verified LOINC codes of a table entry, tags stripped ('2524-7 [S]' -> '2524-7'). */
function verifiedLoinc(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    const m = /^(\d+-\d)\s*\[[SRV]\]$/.exec(e.trim());
    if (m) out.push(m[1]);
  }
  return out;
}

const CODE_TO_LOINC = new Map<ObservationCode, string>();
const LOINC_TO_CODE = new Map<string, ObservationCode>();
for (const code of OBSERVATION_CODE_NAMES) {
  const loinc = verifiedLoinc(OBSERVATION_CODES[code].loinc);
  if (loinc.length > 0) CODE_TO_LOINC.set(code, loinc[0]);
  for (const l of loinc) if (!LOINC_TO_CODE.has(l)) LOINC_TO_CODE.set(l, code);
}

/** The LOINC code written for an observation code, or undefined when LOINC has none verified (Stratum code only). */
export function loincForObservationCode(code: ObservationCode): string | undefined {
  return CODE_TO_LOINC.get(code);
}

/** The observation code a LOINC code maps to, or undefined when Stratum does not know it. */
export function observationCodeForLoinc(loinc: string): ObservationCode | undefined {
  return LOINC_TO_CODE.get(loinc);
}
