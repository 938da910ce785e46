// Unit conversion into (and back out of) each observation code's canonical unit. Conversion happens once, on the way
// in (DESIGN.md conventions); factors are those of clinical reference section 8 [R — standard molar masses].
import { OBSERVATION_CODES, type ObservationCode, type UnitConversion } from './observation-codes.js';

/** The accepted input unit of a code matching `unit` exactly, or undefined if the unit is not accepted. */
export function findUnit(code: ObservationCode, unit: string): UnitConversion | undefined {
  return OBSERVATION_CODES[code].inputUnits.find((u) => u.unit === unit);
}

/** Accepted input units of a code, for error messages. */
export function acceptedUnits(code: ObservationCode): string[] {
  return OBSERVATION_CODES[code].inputUnits.map((u) => u.unit);
}

/** Converts `value` in `unit` into the canonical unit of `code`. Throws on an unaccepted unit (callers validate first). */
export function toCanonical(code: ObservationCode, value: number, unit: string): number {
  const u = findUnit(code, unit);
  if (!u) throw new RangeError(`unit '${unit}' is not accepted for ${code}; expected one of ${acceptedUnits(code).join(', ')}`);
  return tidy(value * u.factor + (u.offset ?? 0));
}

/** Converts a canonical value of `code` back into `unit` (for display or export). */
export function fromCanonical(code: ObservationCode, value: number, unit: string): number {
  const u = findUnit(code, unit);
  if (!u) throw new RangeError(`unit '${unit}' is not accepted for ${code}; expected one of ${acceptedUnits(code).join(', ')}`);
  return tidy((value - (u.offset ?? 0)) / u.factor);
}

/** Rounds away binary floating-point noise (12 significant digits), so 1.2 g/dL never prints as 1.2000000000000002. */
export function tidy(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // An integer of at most 12 digits (most minute offsets) is its own 12-digit rounding: skip the string round trip.
  if (Number.isInteger(x) && x < 1e12 && x > -1e12) return x;
  return Number(x.toPrecision(12));
}
