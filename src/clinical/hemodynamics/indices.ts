// Hemodynamic indices (clinical reference section 2): MAP, shock index, BSA, cardiac index, cardiac power output
// and index, PAPi, RAP/PCWP and SVR. Each is a pure function of measured values returning the index, the reasons
// (formula with the values and times used, reference points crossed) and the inputs it lacked.
import type { Reason, RuleResult } from '../rule-result.js';
import { formatValue } from '../format-value.js';

/** A measured value, optionally with the ISO time it was taken (an episode Observation fits). */
export type Measured = number | { readonly value: number; readonly time?: string };

const val = (m: Measured | undefined): number | undefined => (m === undefined ? undefined : typeof m === 'number' ? m : m.value);
const timeOf = (m: Measured | undefined): string | undefined => (m !== undefined && typeof m !== 'number' ? m.time : undefined);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function reason(criterion: string, text: string, value?: number, unit?: string, time?: string): Reason {
  return { criterion, text, ...(value !== undefined ? { value } : {}), ...(unit ? { unit } : {}), ...(time ? { time } : {}) };
}

function lacking<T>(missing: string[]): RuleResult<T | null> {
  return { result: null, reasons: [], missing };
}

function missingOf(inputs: Record<string, Measured | undefined>): string[] {
  return Object.entries(inputs).filter(([, v]) => v === undefined).map(([k]) => k);
}

// ---------------------------------------------------------------- reference points (section 2)

/** Shock index > 1.0 markedly abnormal (Allgöwer 1967) [R]. */
export const SHOCK_INDEX_ABNORMAL = 1.0;
/** SCAI stage C: CI < 2.2 L/min/m² (Naidu 2022) [S]. */
export const CI_SCAI_C_L_MIN_M2 = 2.2;
/** SCAI stage C: CPO ≤ 0.6 W (Naidu 2022) [S]; the "≥ 0.6" of one reprint is a misprint (reference 1.3). */
export const CPO_SCAI_C_W = 0.6;
/** CPO ≤ 0.53 W strongest predictor of in-hospital death in CS (Fincke, J Am Coll Cardiol 2004) [R]. */
export const CPO_FINCKE_W = 0.53;
/** SCAI RV involvement: PAPi < 1.85 (Kang 2016) [R]. */
export const PAPI_SCAI_C = 1.85;
/** PAPi < 0.9 predicted RV failure in acute inferior MI (Korabathina 2012) [R]. */
export const PAPI_INFERIOR_MI_RV_FAILURE = 0.9;
/** SCAI stage C: RAP/PCWP ≥ 0.8 (Naidu 2022) [S]. */
export const RAP_PCWP_SCAI_C = 0.8;
/** RAP/PCWP > 0.63 associated with RV failure after LVAD (Kormos 2010) [R]. */
export const RAP_PCWP_RV_FAILURE_LVAD = 0.63;
/** 1 mmHg·L/min = 133.322 Pa × 1/60,000 m³/s = 1/450.0 W; the literature rounds to 451 (Fincke 2004) [R]. */
export const CPO_DIVISOR = 451;
/** SVR = 80 × (MAP − RAP) / CO: 80 converts mmHg·min/L to dyn·s·cm⁻⁵ (convention). */
export const SVR_FACTOR = 80;

// ---------------------------------------------------------------- MAP

/** MAP: the measured arterial mean if available, else DBP + (SBP − DBP)/3 (reference 2, convention). */
export function meanArterialPressure(input: { sbp_mmHg?: Measured; dbp_mmHg?: Measured; map_mmHg?: Measured }): RuleResult<number | null> {
  const measured = val(input.map_mmHg);
  if (measured !== undefined) {
    return { result: measured, reasons: [reason('map_measured', `MAP ${formatValue(measured)} mmHg measured`, measured, 'mm[Hg]', timeOf(input.map_mmHg))], missing: [] };
  }
  const sbp = val(input.sbp_mmHg);
  const dbp = val(input.dbp_mmHg);
  if (sbp === undefined || dbp === undefined) return lacking(['map_mmHg', ...missingOf({ sbp_mmHg: input.sbp_mmHg, dbp_mmHg: input.dbp_mmHg })]);
  const map = r3(dbp + (sbp - dbp) / 3);
  return {
    result: map,
    reasons: [reason('map_calculated', `MAP ${formatValue(map)} mmHg = DBP ${formatValue(dbp)} + (SBP ${formatValue(sbp)} − DBP ${formatValue(dbp)}) / 3`, map, 'mm[Hg]', timeOf(input.sbp_mmHg))],
    missing: [],
  };
}

// ---------------------------------------------------------------- shock index

/** Shock index = HR / SBP (Allgöwer 1967) [R]; ≈ 0.5–0.7 normal, > 1.0 markedly abnormal. */
export function shockIndex(input: { heart_rate_per_min?: Measured; sbp_mmHg?: Measured }): RuleResult<number | null> {
  const hr = val(input.heart_rate_per_min);
  const sbp = val(input.sbp_mmHg);
  if (hr === undefined || sbp === undefined || sbp <= 0) {
    const missing = missingOf({ heart_rate_per_min: input.heart_rate_per_min, sbp_mmHg: input.sbp_mmHg });
    return { result: null, reasons: sbp !== undefined && sbp <= 0 ? [reason('sbp_zero', `SBP ${formatValue(sbp)} mmHg: shock index undefined`, sbp, 'mm[Hg]')] : [], missing };
  }
  const si = r3(hr / sbp);
  const reasons = [reason('shock_index', `shock index ${si} = HR ${formatValue(hr)} / SBP ${formatValue(sbp)}`, si, '1', timeOf(input.sbp_mmHg))];
  if (si > SHOCK_INDEX_ABNORMAL) reasons.push(reason('shock_index_gt_1', `shock index ${si} > ${SHOCK_INDEX_ABNORMAL} (markedly abnormal)`, si, '1'));
  return { result: si, reasons, missing: [] };
}

// ---------------------------------------------------------------- BSA

export type BsaFormula = 'mosteller' | 'dubois';

/** BSA, m²: Mosteller √(H·W/3600) (Mosteller 1987) [R] or DuBois 0.007184·W^0.425·H^0.725 (DuBois 1916) [R]. */
export function bodySurfaceArea(input: { weight_kg?: number; height_cm?: number }, formula: BsaFormula = 'mosteller'): RuleResult<number | null> {
  const { weight_kg: w, height_cm: h } = input;
  if (w === undefined || h === undefined) return lacking(missingOf({ weight_kg: w, height_cm: h }));
  const bsa = formula === 'mosteller' ? Math.sqrt((h * w) / 3600) : 0.007184 * w ** 0.425 * h ** 0.725;
  const b = r3(bsa);
  const text =
    formula === 'mosteller'
      ? `BSA ${b} m² = √(${formatValue(h)} cm × ${formatValue(w)} kg / 3600) (Mosteller)`
      : `BSA ${b} m² = 0.007184 × ${formatValue(w)}^0.425 × ${formatValue(h)}^0.725 (DuBois)`;
  return { result: b, reasons: [reason(`bsa_${formula}`, text, b, 'm2')], missing: [] };
}

// ---------------------------------------------------------------- CI

/** Cardiac index = CO / BSA, L/min/m² (Naidu 2022 [S]: SCAI C < 2.2). A measured CI is used as is. */
export function cardiacIndex(input: { cardiac_output_L_min?: Measured; bsa_m2?: number; cardiac_index_L_min_m2?: Measured }): RuleResult<number | null> {
  const measured = val(input.cardiac_index_L_min_m2);
  let ci: number;
  const reasons: Reason[] = [];
  if (measured !== undefined) {
    ci = measured;
    reasons.push(reason('ci_measured', `CI ${ci} L/min/m² as recorded`, ci, 'L/min/m2', timeOf(input.cardiac_index_L_min_m2)));
  } else {
    const co = val(input.cardiac_output_L_min);
    if (co === undefined || input.bsa_m2 === undefined) return lacking(missingOf({ cardiac_output_L_min: input.cardiac_output_L_min, bsa_m2: input.bsa_m2 }));
    ci = r3(co / input.bsa_m2);
    reasons.push(reason('ci_calculated', `CI ${ci} L/min/m² = CO ${formatValue(co)} L/min / BSA ${formatValue(input.bsa_m2)} m²`, ci, 'L/min/m2', timeOf(input.cardiac_output_L_min)));
  }
  if (ci < CI_SCAI_C_L_MIN_M2) reasons.push(reason('ci_lt_2_2', `CI ${ci} < ${CI_SCAI_C_L_MIN_M2} L/min/m² (SCAI C hemodynamics)`, ci, 'L/min/m2'));
  return { result: ci, reasons, missing: [] };
}

// ---------------------------------------------------------------- CPO / CPI

/** Which pressure drives CPO: MAP (Fincke 2004) or MAP − RAP (some authors); store which (reference 2) [D]. */
export type CpoVariant = 'map' | 'map_minus_rap';

/** Cardiac power output = MAP × CO / 451, W (Fincke, J Am Coll Cardiol 2004) [R]. */
export function cardiacPowerOutput(
  input: { map_mmHg?: Measured; cardiac_output_L_min?: Measured; rap_mmHg?: Measured },
  variant: CpoVariant = 'map',
): RuleResult<number | null> {
  const map = val(input.map_mmHg);
  const co = val(input.cardiac_output_L_min);
  const rap = val(input.rap_mmHg);
  const need: Record<string, Measured | undefined> = { map_mmHg: input.map_mmHg, cardiac_output_L_min: input.cardiac_output_L_min };
  if (variant === 'map_minus_rap') need['rap_mmHg'] = input.rap_mmHg;
  const missing = missingOf(need);
  if (missing.length > 0 || map === undefined || co === undefined) return lacking(missing);
  const pressure = variant === 'map' ? map : map - (rap ?? 0);
  const cpo = r3((pressure * co) / CPO_DIVISOR);
  const pText = variant === 'map' ? `MAP ${formatValue(map)}` : `(MAP ${formatValue(map)} − RAP ${formatValue(rap ?? 0)})`;
  const reasons = [reason(`cpo_${variant}`, `CPO ${cpo} W = ${pText} mmHg × CO ${formatValue(co)} L/min / ${CPO_DIVISOR}`, cpo, 'W', timeOf(input.cardiac_output_L_min))];
  if (cpo <= CPO_SCAI_C_W) reasons.push(reason('cpo_le_0_6', `CPO ${cpo} ≤ ${CPO_SCAI_C_W} W (SCAI C hemodynamics)`, cpo, 'W'));
  if (cpo <= CPO_FINCKE_W) reasons.push(reason('cpo_le_0_53', `CPO ${cpo} ≤ ${CPO_FINCKE_W} W (strongest predictor of death, Fincke 2004)`, cpo, 'W'));
  return { result: cpo, reasons, missing: [] };
}

/** Cardiac power index = CPO / BSA, W/m² (threshold not verified, reference 11). */
export function cardiacPowerIndex(input: { cpo_W?: number; bsa_m2?: number }): RuleResult<number | null> {
  if (input.cpo_W === undefined || input.bsa_m2 === undefined) return lacking(missingOf({ cpo_W: input.cpo_W, bsa_m2: input.bsa_m2 }));
  const cpi = r3(input.cpo_W / input.bsa_m2);
  return { result: cpi, reasons: [reason('cpi', `CPI ${cpi} W/m² = CPO ${input.cpo_W} W / BSA ${formatValue(input.bsa_m2)} m²`, cpi, 'W/m2')], missing: [] };
}

// ---------------------------------------------------------------- PAPi

/** PAPi = (PA systolic − PA diastolic) / RAP (Kang 2016; Korabathina 2012) [R]; undefined when RAP ≤ 0 (reference 9). */
export function pulmonaryArteryPulsatilityIndex(input: { pasp_mmHg?: Measured; padp_mmHg?: Measured; rap_mmHg?: Measured }): RuleResult<number | null> {
  const pas = val(input.pasp_mmHg);
  const pad = val(input.padp_mmHg);
  const rap = val(input.rap_mmHg);
  if (pas === undefined || pad === undefined || rap === undefined) return lacking(missingOf({ pasp_mmHg: input.pasp_mmHg, padp_mmHg: input.padp_mmHg, rap_mmHg: input.rap_mmHg }));
  if (rap <= 0) return { result: null, reasons: [reason('papi_undefined_rap_le_0', `PAPi undefined: RAP ${formatValue(rap)} mmHg ≤ 0`, rap, 'mm[Hg]', timeOf(input.rap_mmHg))], missing: [] };
  const papi = r3((pas - pad) / rap);
  const reasons = [reason('papi', `PAPi ${papi} = (PAS ${formatValue(pas)} − PAD ${formatValue(pad)}) / RAP ${formatValue(rap)}`, papi, '1', timeOf(input.rap_mmHg))];
  if (papi < PAPI_SCAI_C) reasons.push(reason('papi_lt_1_85', `PAPi ${papi} < ${PAPI_SCAI_C} (SCAI RV involvement)`, papi, '1'));
  if (papi < PAPI_INFERIOR_MI_RV_FAILURE) reasons.push(reason('papi_lt_0_9', `PAPi ${papi} < ${PAPI_INFERIOR_MI_RV_FAILURE} (RV failure in inferior MI, Korabathina 2012)`, papi, '1'));
  return { result: papi, reasons, missing: [] };
}

// ---------------------------------------------------------------- RAP/PCWP

/** RAP/PCWP ratio (Naidu 2022 [S]: SCAI C ≥ 0.8; Kormos 2010 [R]: > 0.63 RV failure after LVAD). Undefined when PCWP ≤ 0. */
export function rapPcwpRatio(input: { rap_mmHg?: Measured; pcwp_mmHg?: Measured }): RuleResult<number | null> {
  const rap = val(input.rap_mmHg);
  const pcwp = val(input.pcwp_mmHg);
  if (rap === undefined || pcwp === undefined) return lacking(missingOf({ rap_mmHg: input.rap_mmHg, pcwp_mmHg: input.pcwp_mmHg }));
  if (pcwp <= 0) return { result: null, reasons: [reason('rap_pcwp_undefined', `RAP/PCWP undefined: PCWP ${pcwp} mmHg ≤ 0`, pcwp, 'mm[Hg]')], missing: [] };
  const ratio = r3(rap / pcwp);
  const reasons = [reason('rap_pcwp', `RAP/PCWP ${ratio} = RAP ${formatValue(rap)} / PCWP ${formatValue(pcwp)}`, ratio, '1', timeOf(input.pcwp_mmHg))];
  if (ratio >= RAP_PCWP_SCAI_C) reasons.push(reason('rap_pcwp_ge_0_8', `RAP/PCWP ${ratio} ≥ ${RAP_PCWP_SCAI_C} (SCAI C, RV involvement)`, ratio, '1'));
  if (ratio > RAP_PCWP_RV_FAILURE_LVAD) reasons.push(reason('rap_pcwp_gt_0_63', `RAP/PCWP ${ratio} > ${RAP_PCWP_RV_FAILURE_LVAD} (RV failure after LVAD, Kormos 2010)`, ratio, '1'));
  return { result: ratio, reasons, missing: [] };
}

// ---------------------------------------------------------------- SVR

/** SVR = 80 × (MAP − RAP) / CO, dyn·s·cm⁻⁵ (convention; ≈ 800–1200 normal). */
export function systemicVascularResistance(input: { map_mmHg?: Measured; rap_mmHg?: Measured; cardiac_output_L_min?: Measured }): RuleResult<number | null> {
  const map = val(input.map_mmHg);
  const rap = val(input.rap_mmHg);
  const co = val(input.cardiac_output_L_min);
  if (map === undefined || rap === undefined || co === undefined) return lacking(missingOf({ map_mmHg: input.map_mmHg, rap_mmHg: input.rap_mmHg, cardiac_output_L_min: input.cardiac_output_L_min }));
  if (co <= 0) return { result: null, reasons: [reason('svr_undefined', `SVR undefined: CO ${formatValue(co)} L/min ≤ 0`, co, 'L/min')], missing: [] };
  const svr = Math.round((SVR_FACTOR * (map - rap)) / co);
  return { result: svr, reasons: [reason('svr', `SVR ${svr} dyn·s·cm⁻⁵ = 80 × (MAP ${formatValue(map)} − RAP ${formatValue(rap)}) / CO ${formatValue(co)}`, svr, 'dyn.s.cm-5', timeOf(input.cardiac_output_L_min))], missing: [] };
}
