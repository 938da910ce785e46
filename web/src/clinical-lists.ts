// The choice lists of the entry forms, taken from the clinical engine's own tables (src/clinical), never copied:
// observation codes with their accepted input units, infusion drugs with theirs, bleeding sites, device models.
// These modules are pure data (no I/O); the server still checks every value with parseEpisode.
export { OBSERVATION_CODES, OBSERVATION_CODE_NAMES, type ObservationCode } from '../../src/clinical/episode/observation-codes.js';
export { INFUSION_DRUG_DEFS, INFUSION_DRUGS, type InfusionDrug } from '../../src/clinical/episode/infusion-drugs.js';

export { BLEEDING_SITES } from '../../src/clinical/bleeding/bleeding-facts.js';

/** Device choices as in src/clinical/episode/episode-schema.ts (that module pulls the whole episode format in). */

export const DEVICE_KINDS = ['iabp', 'microaxial', 'va_ecmo', 'other'] as const;
export const MICROAXIAL_MODELS = ['Impella 2.5', 'Impella CP', 'Impella 5.0', 'Impella 5.5', 'Impella RP', 'other'] as const;
export const ACCESS_SITES = ['femoral', 'axillary', 'subclavian', 'jugular', 'transaortic', 'central', 'other'] as const;
export const REMOVAL_REASONS = ['recovery', 'escalation', 'complication', 'death', 'transfer', 'other'] as const;
