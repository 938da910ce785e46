// The authoritative list of canonical observation codes: canonical UCUM unit, accepted input units with their
// conversions, LOINC codes and plausibility ranges.
// Sources: clinical reference section 8 (LOINC, UCUM, conversion factors; [R] standard molar masses) and
// section 9 (plausibility ranges, [D] engineering proposals). Ranges for variables absent from section 9 are
// marked "[D] proposed here" and are parameters a site can tune (see PlausibilityRanges in plausibility.ts).

/** Every canonical observation code. The canonical unit is part of the name. */
export const OBSERVATION_CODE_NAMES = [
  // vitals
  'heart_rate_per_min',
  'sbp_mmHg',
  'dbp_mmHg',
  'map_mmHg',
  'spo2_pct',
  'temperature_C',
  'respiratory_rate_per_min',
  'urine_output_mL_h',
  'gcs',
  // invasive hemodynamics (PA catheter)
  'rap_mmHg',
  'pcwp_mmHg',
  'pasp_mmHg',
  'padp_mmHg',
  'mpap_mmHg',
  'cardiac_output_L_min',
  'cardiac_index_L_min_m2',
  'cpo_W',
  'papi',
  'svo2_pct',
  // blood gas and chemistry
  'lactate_mmol_L',
  'ph',
  'pao2_mmHg',
  'fio2_fraction',
  'bicarbonate_mmol_L',
  'creatinine_mg_dL',
  'alt_U_L',
  'ast_U_L',
  'bilirubin_mg_dL',
  'troponin_ng_L',
  'bnp_pg_mL',
  'ntprobnp_pg_mL',
  // hematology and hemolysis
  'hemoglobin_g_dL',
  'hematocrit_pct',
  'platelets_10e9_L',
  'ldh_U_L',
  'haptoglobin_mg_dL',
  'plasma_free_hb_mg_dL',
  // coagulation
  'inr',
  'fibrinogen_mg_dL',
  'antithrombin_pct',
  'anti_xa_IU_mL',
  'aptt_s',
  'act_s',
  // device readings
  'device_flow_L_min',
  'purge_pressure_mmHg',
] as const;

export type ObservationCode = (typeof OBSERVATION_CODE_NAMES)[number];

export type ObservationCategory = 'vital' | 'hemodynamic' | 'lab' | 'neuro' | 'device';

/** An accepted input unit: canonical = value × factor + (offset ?? 0). */
export interface UnitConversion {
  readonly unit: string;
  readonly factor: number;
  readonly offset?: number;
}

/** A closed interval [min, max] in the canonical unit. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface ObservationCodeDef {
  readonly code: ObservationCode;
  readonly label: string;
  readonly category: ObservationCategory;
  /** Canonical UCUM unit. */
  readonly unit: string;
  /** Accepted input units (UCUM first, then common spellings), each with its conversion into the canonical unit. */
  readonly inputUnits: readonly UnitConversion[];
  /** LOINC codes with their verification tag from reference section 8, e.g. '2524-7 [S]'. Empty for bedside values. */
  readonly loinc: readonly string[];
  /** Values outside are rejected (physically impossible or a unit error). */
  readonly reject: Range;
  /** Values outside are accepted with a warning (possible but extreme). Absent: no warn band. */
  readonly warn?: Range;
  /** Only whole numbers are accepted (e.g. GCS). */
  readonly integer?: boolean;
  /** The lab may report "> cap" / "< floor"; such values are stored with `censored`. */
  readonly censorable?: boolean;
  /** Where the ranges come from. */
  readonly rangeSource: string;
}

const same = (unit: string): UnitConversion => ({ unit, factor: 1 });
const MMHG = [same('mm[Hg]'), same('mmHg'), { unit: 'kPa', factor: 1 / 0.133322 }];

// Conversion factors, reference section 8 [R — standard molar masses].
/** Lactate molar mass 90.08 g/mol: mmol/L = mg/dL × 10 / 90.08 (≈ × 0.111). */
export const LACTATE_MG_DL_TO_MMOL_L = 10 / 90.08;
/** Creatinine: µmol/L = mg/dL × 88.4. */
export const CREATININE_MG_DL_TO_UMOL_L = 88.4;
/** Hemoglobin (monomer): mmol/L = g/dL × 0.6206. */
export const HEMOGLOBIN_G_DL_TO_MMOL_L = 0.6206;
/** Bilirubin: µmol/L = mg/dL × 17.1. */
export const BILIRUBIN_MG_DL_TO_UMOL_L = 17.1;
/** Enzymes: U/L = µkat/L × 60. */
export const UKAT_L_TO_U_L = 60;

const defs: readonly ObservationCodeDef[] = [
  // ---- vitals
  {
    code: 'heart_rate_per_min', label: 'Heart rate', category: 'vital', unit: '/min',
    inputUnits: [same('/min'), same('{beats}/min'), same('bpm')], loinc: ['8867-4 [R]'],
    reject: { min: 0, max: 350 }, warn: { min: 30, max: 180 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'sbp_mmHg', label: 'Systolic blood pressure', category: 'vital', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: ['8480-6 [R]'], reject: { min: 0, max: 300 }, warn: { min: 50, max: 220 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'dbp_mmHg', label: 'Diastolic blood pressure', category: 'vital', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: ['8462-4 [R]'], reject: { min: 0, max: 200 }, rangeSource: 'reference 9 [D] (no warn band given)',
  },
  {
    code: 'map_mmHg', label: 'Mean arterial pressure (measured)', category: 'vital', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: ['8478-0 [R]'], reject: { min: 0, max: 250 }, warn: { min: 40, max: 150 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'spo2_pct', label: 'Peripheral oxygen saturation', category: 'vital', unit: '%',
    inputUnits: [same('%'), { unit: '1', factor: 100 }], loinc: ['59408-5 [R]'],
    reject: { min: 0, max: 100 }, warn: { min: 70, max: 100 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'temperature_C', label: 'Body temperature', category: 'vital', unit: 'Cel',
    inputUnits: [same('Cel'), same('°C'), same('C'), { unit: '[degF]', factor: 5 / 9, offset: -32 * 5 / 9 }, { unit: '°F', factor: 5 / 9, offset: -32 * 5 / 9 }],
    loinc: ['8310-5 [R]'], reject: { min: 20, max: 45 }, warn: { min: 33, max: 41 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'respiratory_rate_per_min', label: 'Respiratory rate', category: 'vital', unit: '/min',
    inputUnits: [same('/min'), same('{breaths}/min')], loinc: ['9279-1 [R]'],
    reject: { min: 0, max: 100 }, warn: { min: 6, max: 45 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'urine_output_mL_h', label: 'Urine output (mean rate over the period ending at the time)', category: 'vital',
    unit: 'mL/h', inputUnits: [same('mL/h'), same('ml/h')], loinc: [],
    reject: { min: 0, max: 2000 }, warn: { min: 0, max: 500 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'gcs', label: 'Glasgow Coma Scale', category: 'neuro', unit: '{score}', inputUnits: [same('{score}'), same('1')],
    loinc: ['9269-2 [R]'], reject: { min: 3, max: 15 }, integer: true, rangeSource: 'reference 9 [D]',
  },
  // ---- invasive hemodynamics
  {
    code: 'rap_mmHg', label: 'Right atrial pressure / CVP', category: 'hemodynamic', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: [], reject: { min: -10, max: 50 }, warn: { min: 0, max: 25 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'pcwp_mmHg', label: 'Pulmonary capillary wedge pressure', category: 'hemodynamic', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: [], reject: { min: 0, max: 60 }, warn: { min: 3, max: 40 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'pasp_mmHg', label: 'Pulmonary artery systolic pressure', category: 'hemodynamic', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: [], reject: { min: 0, max: 150 }, warn: { min: 10, max: 90 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'padp_mmHg', label: 'Pulmonary artery diastolic pressure', category: 'hemodynamic', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: [], reject: { min: 0, max: 80 }, warn: { min: 3, max: 50 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'mpap_mmHg', label: 'Mean pulmonary artery pressure', category: 'hemodynamic', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: [], reject: { min: 0, max: 120 }, warn: { min: 5, max: 70 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'cardiac_output_L_min', label: 'Cardiac output', category: 'hemodynamic', unit: 'L/min',
    inputUnits: [same('L/min'), same('l/min')], loinc: [], reject: { min: 0, max: 20 }, warn: { min: 1, max: 10 },
    rangeSource: 'reference 9 [D]',
  },
  {
    code: 'cardiac_index_L_min_m2', label: 'Cardiac index', category: 'hemodynamic', unit: 'L/min/m2',
    inputUnits: [same('L/min/m2'), same('L/min/m²')], loinc: [], reject: { min: 0, max: 10 }, warn: { min: 0.8, max: 5.5 },
    rangeSource: 'reference 9 [D]',
  },
  {
    code: 'cpo_W', label: 'Cardiac power output (as recorded)', category: 'hemodynamic', unit: 'W', inputUnits: [same('W')],
    loinc: [], reject: { min: 0, max: 4 }, warn: { min: 0.2, max: 2 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'papi', label: 'Pulmonary artery pulsatility index (as recorded)', category: 'hemodynamic', unit: '1',
    inputUnits: [same('1')], loinc: [], reject: { min: 0, max: 50 }, warn: { min: 0.3, max: 10 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'svo2_pct', label: 'Mixed venous (PA) oxygen saturation', category: 'hemodynamic', unit: '%',
    inputUnits: [same('%'), { unit: '1', factor: 100 }], loinc: [], reject: { min: 0, max: 100 }, warn: { min: 30, max: 90 },
    rangeSource: 'reference 9 [D]',
  },
  // ---- blood gas and chemistry
  {
    code: 'lactate_mmol_L', label: 'Lactate', category: 'lab', unit: 'mmol/L',
    inputUnits: [same('mmol/L'), same('mmol/l'), { unit: 'mg/dL', factor: LACTATE_MG_DL_TO_MMOL_L }],
    loinc: ['32693-4 [S]', '2524-7 [S]'], reject: { min: 0, max: 35 }, warn: { min: 0.3, max: 20 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'ph', label: 'pH', category: 'lab', unit: '[pH]', inputUnits: [same('[pH]'), same('1')],
    loinc: ['11558-4 [S]', '2744-1 [R]'], reject: { min: 6.5, max: 8 }, warn: { min: 6.8, max: 7.65 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'pao2_mmHg', label: 'Arterial partial pressure of oxygen', category: 'lab', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: ['2703-7 [R]'], reject: { min: 10, max: 800 }, warn: { min: 40, max: 600 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'fio2_fraction', label: 'Fraction of inspired oxygen', category: 'vital', unit: '1',
    inputUnits: [same('1'), { unit: '%', factor: 0.01 }], loinc: ['3150-0 [R]'], reject: { min: 0.15, max: 1 },
    rangeSource: '[D] proposed here',
  },
  {
    code: 'bicarbonate_mmol_L', label: 'Bicarbonate', category: 'lab', unit: 'mmol/L',
    inputUnits: [same('mmol/L'), same('meq/L'), same('mEq/L')], loinc: ['1963-8 [R]'],
    reject: { min: 0, max: 80 }, warn: { min: 10, max: 45 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'creatinine_mg_dL', label: 'Creatinine', category: 'lab', unit: 'mg/dL',
    inputUnits: [same('mg/dL'), { unit: 'umol/L', factor: 1 / CREATININE_MG_DL_TO_UMOL_L }, { unit: 'µmol/L', factor: 1 / CREATININE_MG_DL_TO_UMOL_L }],
    loinc: ['2160-0 [S]', '14682-9 [R]'], reject: { min: 0.05, max: 30 }, warn: { min: 0.3, max: 15 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'alt_U_L', label: 'Alanine aminotransferase', category: 'lab', unit: 'U/L',
    inputUnits: [same('U/L'), same('[IU]/L'), { unit: 'ukat/L', factor: UKAT_L_TO_U_L }, { unit: 'µkat/L', factor: UKAT_L_TO_U_L }],
    loinc: ['1742-6 [S]'], reject: { min: 0, max: 30000 }, warn: { min: 5, max: 10000 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'ast_U_L', label: 'Aspartate aminotransferase', category: 'lab', unit: 'U/L',
    inputUnits: [same('U/L'), same('[IU]/L'), { unit: 'ukat/L', factor: UKAT_L_TO_U_L }, { unit: 'µkat/L', factor: UKAT_L_TO_U_L }],
    loinc: ['1920-8 [V]'], reject: { min: 0, max: 30000 }, warn: { min: 5, max: 10000 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'bilirubin_mg_dL', label: 'Bilirubin, total', category: 'lab', unit: 'mg/dL',
    inputUnits: [same('mg/dL'), { unit: 'umol/L', factor: 1 / BILIRUBIN_MG_DL_TO_UMOL_L }, { unit: 'µmol/L', factor: 1 / BILIRUBIN_MG_DL_TO_UMOL_L }],
    loinc: ['1975-2 [V]', '14631-6 [V]'], reject: { min: 0, max: 60 }, warn: { min: 0.1, max: 30 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'troponin_ng_L', label: 'Troponin (high-sensitivity, I or T)', category: 'lab', unit: 'ng/L',
    inputUnits: [same('ng/L'), same('pg/mL'), { unit: 'ng/mL', factor: 1000 }, { unit: 'ug/L', factor: 1000 }],
    loinc: ['67151-1 [R]', '89579-7 [R]', '10839-9 [S]', '6598-7 [S]'], reject: { min: 0, max: 1_000_000 },
    rangeSource: '[D] proposed here', censorable: true,
  },
  {
    code: 'bnp_pg_mL', label: 'B-type natriuretic peptide', category: 'lab', unit: 'pg/mL', inputUnits: [same('pg/mL'), same('ng/L')],
    loinc: ['30934-4 [V]'], reject: { min: 0, max: 100_000 }, censorable: true, rangeSource: '[D] proposed here',
  },
  {
    code: 'ntprobnp_pg_mL', label: 'NT-proBNP', category: 'lab', unit: 'pg/mL', inputUnits: [same('pg/mL'), same('ng/L')],
    loinc: ['33762-6 [S]'], reject: { min: 0, max: 500_000 }, censorable: true, rangeSource: '[D] proposed here',
  },
  // ---- hematology and hemolysis
  {
    code: 'hemoglobin_g_dL', label: 'Hemoglobin', category: 'lab', unit: 'g/dL',
    inputUnits: [same('g/dL'), { unit: 'g/L', factor: 0.1 }, { unit: 'mmol/L', factor: 1 / HEMOGLOBIN_G_DL_TO_MMOL_L }],
    loinc: ['718-7 [S]'], reject: { min: 1, max: 25 }, warn: { min: 5, max: 20 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'hematocrit_pct', label: 'Hematocrit', category: 'lab', unit: '%', inputUnits: [same('%'), { unit: '1', factor: 100 }, { unit: 'L/L', factor: 100 }],
    loinc: ['4544-3 [R]'], reject: { min: 3, max: 75 }, warn: { min: 15, max: 60 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'platelets_10e9_L', label: 'Platelets', category: 'lab', unit: '10*9/L',
    inputUnits: [same('10*9/L'), same('10*3/uL'), same('10*3/µL'), same('/nL'), same('G/L')],
    loinc: ['777-3 [S]'], reject: { min: 0, max: 2000 }, warn: { min: 10, max: 1000 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'ldh_U_L', label: 'Lactate dehydrogenase', category: 'lab', unit: 'U/L',
    inputUnits: [same('U/L'), same('[IU]/L'), { unit: 'ukat/L', factor: UKAT_L_TO_U_L }, { unit: 'µkat/L', factor: UKAT_L_TO_U_L }],
    loinc: ['2532-0 [S]', '14804-9 [S]'], reject: { min: 20, max: 60000 }, warn: { min: 100, max: 10000 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'haptoglobin_mg_dL', label: 'Haptoglobin', category: 'lab', unit: 'mg/dL',
    inputUnits: [same('mg/dL'), { unit: 'g/L', factor: 100 }], loinc: ['4542-7 [S]'],
    reject: { min: 0, max: 1000 }, warn: { min: 5, max: 400 }, censorable: true, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'plasma_free_hb_mg_dL', label: 'Plasma free hemoglobin', category: 'lab', unit: 'mg/dL',
    inputUnits: [same('mg/dL'), { unit: 'mg/L', factor: 0.1 }, { unit: 'g/L', factor: 100 }], loinc: ['721-1 [S]'],
    reject: { min: 0, max: 1500 }, warn: { min: 0, max: 200 }, censorable: true, rangeSource: 'reference 9 [D]',
  },
  // ---- coagulation
  {
    code: 'inr', label: 'INR', category: 'lab', unit: '{INR}', inputUnits: [same('{INR}'), same('1')],
    loinc: ['6301-6 [R]', '5895-7 [S]'], reject: { min: 0.5, max: 20 }, warn: { min: 0.8, max: 8 }, censorable: true,
    rangeSource: 'reference 9 [D]',
  },
  {
    code: 'fibrinogen_mg_dL', label: 'Fibrinogen', category: 'lab', unit: 'mg/dL',
    inputUnits: [same('mg/dL'), { unit: 'g/L', factor: 100 }], loinc: ['3255-7 [S]'],
    reject: { min: 0, max: 2000 }, warn: { min: 80, max: 900 }, censorable: true, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'antithrombin_pct', label: 'Antithrombin activity', category: 'lab', unit: '%',
    inputUnits: [same('%'), { unit: '1', factor: 100 }, { unit: '[IU]/mL', factor: 100 }], loinc: ['27811-9 [S]'],
    reject: { min: 0, max: 200 }, warn: { min: 20, max: 150 }, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'anti_xa_IU_mL', label: 'Anti-Xa activity (UFH-calibrated)', category: 'lab', unit: '[IU]/mL',
    inputUnits: [same('[IU]/mL'), same('[iU]/mL'), same('IU/mL'), same('U/mL')],
    loinc: ['3274-8 (unverified)', '13055-9 (unverified)'], reject: { min: 0, max: 3 }, warn: { min: 0, max: 1.2 },
    censorable: true, rangeSource: 'reference 9 [D]',
  },
  {
    code: 'aptt_s', label: 'Activated partial thromboplastin time', category: 'lab', unit: 's', inputUnits: [same('s'), same('sec')],
    loinc: ['3173-2 [S]', '14979-9 [R]'], reject: { min: 10, max: 300 }, warn: { min: 20, max: 150 }, censorable: true,
    rangeSource: 'reference 9 [D]',
  },
  {
    code: 'act_s', label: 'Activated clotting time', category: 'lab', unit: 's', inputUnits: [same('s'), same('sec')],
    loinc: ['96681-2 [V]', '3184-9 [R]'], reject: { min: 50, max: 1000 }, warn: { min: 80, max: 400 }, censorable: true,
    rangeSource: 'reference 9 [D]',
  },
  // ---- device readings
  {
    code: 'device_flow_L_min', label: 'Device flow (pump or ECMO)', category: 'device', unit: 'L/min',
    inputUnits: [same('L/min'), same('l/min')], loinc: [], reject: { min: 0, max: 10 }, rangeSource: '[D] proposed here',
  },
  {
    code: 'purge_pressure_mmHg', label: 'Microaxial pump purge pressure', category: 'device', unit: 'mm[Hg]', inputUnits: MMHG,
    loinc: [], reject: { min: 0, max: 1500 }, warn: { min: 300, max: 1100 }, rangeSource: '[D] proposed here',
  },
];

/** The table keyed by code: `OBSERVATION_CODES.lactate_mmol_L.unit === 'mmol/L'`. */
export const OBSERVATION_CODES: Readonly<Record<ObservationCode, ObservationCodeDef>> = Object.fromEntries(
  defs.map((d) => [d.code, d]),
) as Record<ObservationCode, ObservationCodeDef>;

export function isObservationCode(code: string): code is ObservationCode {
  return Object.prototype.hasOwnProperty.call(OBSERVATION_CODES, code);
}
