// UCUM codes for the unit spellings the episode format accepts. The exporter writes the unit as entered in
// Quantity.unit (so the original unit survives a round trip) and its UCUM form in Quantity.code with the UCUM system
// (hl7.org/fhir/R4/datatypes.html#Quantity). Common non-UCUM spellings from observation-codes.ts and
// infusion-drugs.ts are mapped here; UCUM syntax per unitsofmeasure.org (case-sensitive, 'u' for micro, '[IU]').

const WHOLE: Readonly<Record<string, string>> = {
  bpm: '/min',
  mmHg: 'mm[Hg]',
  '°C': 'Cel',
  C: 'Cel',
  '°F': '[degF]',
  sec: 's',
  'G/L': '10*9/L',
  'L/min/m²': 'L/min/m2',
  lb: '[lb_av]',
  in: '[in_i]',
};

/** The UCUM code of a unit spelling, or undefined when it is not one Stratum knows to be (or map to) UCUM. */
export function ucumCode(unit: string): string | undefined {
  const whole = WHOLE[unit];
  if (whole !== undefined) return whole;
  // Token rewrites: micro sign and 'mcg' -> 'u'/'ug', bare 'IU' -> '[IU]', '[iU]' -> '[IU]', 'mEq' -> 'meq'.
  const code = unit
    .replace(/µ/g, 'u')
    .replace(/mcg/g, 'ug')
    .replace(/\[iU\]/g, '[IU]')
    .replace(/(^|\/)IU(?=\/|$)/g, '$1[IU]')
    .replace(/mEq/g, 'meq');
  // Anything left with a non-ASCII character or whitespace is not UCUM.
  return /^[!-~]+$/.test(code) ? code : undefined;
}
