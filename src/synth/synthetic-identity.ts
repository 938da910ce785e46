// Fake identities for synthetic patients: names built from small syllable lists (they look like names but belong to
// nobody), a medical record number, a birth date consistent with the age at device start, and a postal code.
// Everything here is protected health information in form only; de-identification must remove or shift it.
import type { PatientIdentity } from '../registry/record.js';
import type { Rng } from './prng.js';

const GIVEN_FIRST = ['Al', 'Be', 'Ca', 'Da', 'El', 'Fa', 'Ga', 'Ha', 'Io', 'Ja', 'Ka', 'Le', 'Ma', 'No', 'Ol', 'Pa', 'Ra', 'Sa', 'Ta', 'Vi'] as const;
const GIVEN_LAST = ['na', 'ra', 'lo', 'nie', 'ris', 'then', 'ton', 'mi', 'dan', 'ssa'] as const;
const FAMILY_FIRST = ['Ber', 'Cor', 'Dal', 'Fen', 'Gar', 'Hol', 'Kem', 'Lan', 'Mor', 'Nor', 'Pel', 'Ros', 'Sto', 'Tam', 'Val', 'Wes'] as const;
const FAMILY_LAST = ['berg', 'dale', 'field', 'ford', 'grove', 'ham', 'ley', 'mann', 'more', 'ridge', 'ston', 'wick'] as const;

/** A synthetic identity for patient `index` of site `site`, aged `ageYears` at `indexTimeMs` (epoch ms). */
export function syntheticIdentity(rng: Rng, site: string, index: number, ageYears: number, indexTimeMs: number): PatientIdentity {
  const birth = new Date(indexTimeMs);
  const wholeYears = Math.floor(ageYears);
  // Birth date: the age in whole years at the index date, with the birthday somewhere in the preceding year.
  const back = rng.int(1, 364);
  const birthMs = Date.UTC(birth.getUTCFullYear() - wholeYears, birth.getUTCMonth(), birth.getUTCDate()) - back * 86400000;
  return {
    sourceId: `P${String(index + 1).padStart(6, '0')}`,
    mrn: `${site.replace('site-', 'S')}-${String(rng.int(0, 9999999)).padStart(7, '0')}`,
    givenName: rng.pick(GIVEN_FIRST) + rng.pick(GIVEN_LAST),
    familyName: rng.pick(FAMILY_FIRST) + rng.pick(FAMILY_LAST),
    birthDate: new Date(birthMs).toISOString().slice(0, 10),
    postalCode: String(rng.int(10000, 99999)),
  };
}
