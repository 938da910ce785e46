// Plausibility validation of canonical values: "reject" = physically impossible or a unit/entry error, "warn" =
// possible but extreme (clinical reference section 9 [D]; engineering proposals, tunable by a site).
import { OBSERVATION_CODES, type ObservationCode, type Range } from './observation-codes.js';
import type { InputProblem, InputWarning } from './problems.js';

/** Site overrides of the per-code ranges (canonical units). Absent codes use OBSERVATION_CODES. */
export type PlausibilityRanges = Partial<Record<ObservationCode, { readonly reject?: Range; readonly warn?: Range | null }>>;

/** Weight, kg (reference 9) [D]. */
export const WEIGHT_REJECT_KG: Range = { min: 20, max: 400 };
export const WEIGHT_WARN_KG: Range = { min: 40, max: 200 };
/** Height, cm (reference 9) [D]. */
export const HEIGHT_REJECT_CM: Range = { min: 100, max: 250 };
export const HEIGHT_WARN_CM: Range = { min: 140, max: 210 };
/** Impella purge flow, mL/h (reference 9) [D]; warn band = controller range 2–30. */
export const PURGE_FLOW_REJECT_ML_H: Range = { min: 0, max: 60 };
export const PURGE_FLOW_WARN_ML_H: Range = { min: 2, max: 30 };
/** Purge heparin concentration, IU/mL (reference 9) [D]; values other than the expected ones pass with a warning. */
export const PURGE_HEPARIN_REJECT_IU_ML: Range = { min: 0, max: 100 };
export const PURGE_HEPARIN_EXPECTED_IU_ML: readonly number[] = [0, 12.5, 25, 50];
/** Same-gas lactate and pH more than this apart are flagged (reference 9 cross-field checks) [D]. */
export const SAME_GAS_MAX_APART_MIN = 15;
/** PCWP normally < PA diastolic + 5 mmHg (reference 9 cross-field checks) [D]: flagged, not rejected. */
export const PCWP_OVER_PAD_WARN_MMHG = 5;

export interface RangeCheck {
  readonly problems: InputProblem[];
  readonly warnings: InputWarning[];
}

export function rangeText(r: Range, unit: string): string {
  return `${r.min}–${r.max} ${unit}`;
}

/** Effective ranges of a code after site overrides. */
export function rangesFor(code: ObservationCode, overrides?: PlausibilityRanges): { reject: Range; warn?: Range } {
  const def = OBSERVATION_CODES[code];
  const o = overrides?.[code];
  const warn = o?.warn === null ? undefined : (o?.warn ?? def.warn);
  return { reject: o?.reject ?? def.reject, ...(warn ? { warn } : {}) };
}

/**
 * Checks one canonical value against reject and warn ranges (both closed: a value equal to a bound is inside).
 * `shown` is how the value was entered (e.g. '18 mg/dL') so the message names what the user typed.
 */
export function checkRange(
  out: RangeCheck,
  path: string,
  label: string,
  value: number,
  unit: string,
  reject: Range,
  warn: Range | undefined,
  shown?: string,
): boolean {
  const entered = shown ?? `${value} ${unit}`;
  const canonical = shown ? ` (= ${value} ${unit})` : '';
  if (value < reject.min || value > reject.max) {
    out.problems.push({
      path,
      value,
      expected: rangeText(reject, unit),
      message: `${path}: ${label} ${entered}${canonical} is outside the accepted range ${rangeText(reject, unit)} (check the unit)`,
    });
    return false;
  }
  if (warn && (value < warn.min || value > warn.max)) {
    out.warnings.push({
      path,
      value,
      expected: rangeText(warn, unit),
      message: `${path}: ${label} ${entered}${canonical} is outside the usual range ${rangeText(warn, unit)}; accepted, please review`,
    });
  }
  return true;
}

/** Checks an observation value (canonical unit) for its code, including the integer rule (GCS). */
export function checkObservationValue(
  out: RangeCheck,
  path: string,
  code: ObservationCode,
  value: number,
  shown: string | undefined,
  overrides?: PlausibilityRanges,
): boolean {
  const def = OBSERVATION_CODES[code];
  if (def.integer && !Number.isInteger(value)) {
    out.problems.push({ path, value, expected: 'an integer', message: `${path}: ${def.label} ${value} must be a whole number` });
    return false;
  }
  const r = rangesFor(code, overrides);
  return checkRange(out, path, def.label, value, def.unit, r.reject, r.warn, shown);
}
