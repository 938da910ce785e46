// SCAI cardiac-arrest (CA) modifier. 2019: suffix "A" whenever cardiac arrest occurred (Baran et al., Catheter
// Cardiovasc Interv 2019) [S]. 2022: only cardiac arrest with coma — cannot respond to verbal stimuli, usually
// GCS < 9 (Naidu et al., J Am Coll Cardiol 2022) [V]. Data model of clinical reference 1.2 [D].

import type { Reason, Tri } from '../rule-result.js';
import type { ScaiVersion } from './rule-set.js';
import type { ScaiArrest } from './scai-input.js';
import { meets, thr, type Threshold } from './threshold.js';

/** 2022 coma criterion: GCS < 9 after the arrest [V]. */
export const COMA_GCS_2022: Threshold = thr('<', 9, '{score}');

export interface CaModifierResult {
  readonly value: Tri;
  readonly reasons: readonly Reason[];
  readonly missing: readonly string[];
}

/** caModifier2019 = cardiacArrest (reference 1.2). */
export function caModifier2019(arrests: readonly ScaiArrest[]): CaModifierResult {
  const a = arrests[0];
  if (a === undefined) return { value: false, reasons: [], missing: [] };
  return {
    value: true,
    reasons: [{ criterion: 'ca_modifier_2019', text: `cardiac arrest at t=${a.t_min} min (SCAI 2019 modifier: any arrest)`, value: true, ...(a.time ? { time: a.time } : {}) }],
    missing: [],
  };
}

/** Coma after one arrest: recorded coma, or GCS below the threshold; unknown when neither is recorded. */
export function comaAfterArrest(a: ScaiArrest, comaGcs: Threshold = COMA_GCS_2022): Tri {
  if (a.comaAfterArrest === true) return true;
  if (a.gcsAfter !== undefined) return meets(a.gcsAfter, comaGcs);
  if (a.comaAfterArrest === false) return false;
  return 'unknown';
}

/** caModifier2022 = cardiacArrest && (comaAfterArrest || gcs < 9) (reference 1.2). */
export function caModifier2022(arrests: readonly ScaiArrest[], comaGcs: Threshold = COMA_GCS_2022): CaModifierResult {
  let unknown: ScaiArrest | undefined;
  for (const a of arrests) {
    const coma = comaAfterArrest(a, comaGcs);
    if (coma === true) {
      const how = a.gcsAfter !== undefined && meets(a.gcsAfter, comaGcs) ? `GCS ${a.gcsAfter} < ${comaGcs.value}` : 'coma recorded';
      return {
        value: true,
        reasons: [{ criterion: 'ca_modifier_2022', text: `cardiac arrest with coma at t=${a.t_min} min (${how})`, value: true, ...(a.gcsAfter !== undefined ? { unit: '{score}' } : {}), ...(a.time ? { time: a.time } : {}) }],
        missing: [],
      };
    }
    if (coma === 'unknown') unknown ??= a;
  }
  if (unknown !== undefined) return { value: 'unknown', reasons: [], missing: ['cardiac_arrest.gcsAfter'] };
  return { value: false, reasons: [], missing: [] };
}

/** The modifier of a SCAI version for the arrests up to (and including) `atMin`. */
export function cardiacArrestModifier(
  arrests: readonly ScaiArrest[],
  version: ScaiVersion,
  atMin: number = Number.POSITIVE_INFINITY,
  comaGcs: Threshold = COMA_GCS_2022,
): CaModifierResult {
  const before = arrests.filter((a) => a.t_min <= atMin).sort((a, b) => a.t_min - b.t_min);
  return version === '2019' ? caModifier2019(before) : caModifier2022(before, comaGcs);
}
