// What the generator knows about each synthetic patient and a study can only estimate: the latent severity, the
// true SCAI stage at device start, the device group and the true outcomes before censoring. Written next to the data
// as the ground truth (summarizeTruth in ground-truth.ts aggregates it).
import type { RegistryRecord } from '../registry/record.js';
import type { AnticoagulationPractice, DeviceGroup, TrueStage } from './synth-parameters.js';

/** Generator's grade of a bleeding event (before any definition is applied). */
export type BleedingGrade = 'minor' | 'moderate' | 'major' | 'life_threatening';

export interface PatientTruth {
  readonly index: number;
  readonly site: string;
  readonly episodeId: string;
  /** Latent shock severity (standard-normal scale plus the site's case-mix shift). */
  readonly severity: number;
  /** The true SCAI stage at time zero. */
  readonly trueStage: TrueStage;
  /** The stage the data charted before time zero describe (differs from trueStage for misrecorded patients). */
  readonly recordedStage: TrueStage;
  readonly deviceGroup: DeviceGroup;
  readonly ageYears: number;
  /** Coagulopathy score (SD units; INR, platelets, fibrinogen and the aPTT baseline follow it). */
  readonly coagulopathy: number;
  readonly cardiacArrest: boolean;
  readonly comaAfterArrest: boolean;
  readonly anticoagulationPractice: AnticoagulationPractice;
  /** Protocol in force for this patient, or null when no heparin was given. */
  readonly protocolId: string | null;
  readonly purgeHeparinCounted: boolean;
  /** Time-weighted mean of the true (not measured) anti-Xa level while on heparin, IU/mL; null without heparin. */
  readonly meanTrueAntiXa_IU_mL: number | null;
  /** Largest access bore, French (0 without a device). */
  readonly maxAccessFrench: number;
  /** Expected number of bleeding events under the model (the Poisson mean). */
  readonly bleedingRate: number;
  readonly bleedingEvents: readonly { readonly day: number; readonly grade: BleedingGrade; readonly site: string }[];
  /** Day of limb ischemia requiring intervention after time zero, or null (in hospital, before death; 30-day risk by device). */
  readonly limbIschemiaDay: number | null;
  /** Day and type of a stroke after time zero, or null (in hospital, before death; 30-day risk by device). */
  readonly strokeDay: number | null;
  readonly strokeType: 'ischemic' | 'hemorrhagic' | null;
  /** Days from time zero to death as generated, before any censoring (may exceed 365). */
  readonly deathDay: number;
  /** Death within 365 days of time zero (true, whether or not follow-up saw it). */
  readonly diedWithin1Year: boolean;
  /** Observed follow-up: days to death or censoring (≤ 365), and whether the death was observed. */
  readonly observedDay: number;
  readonly observedDeath: boolean;
  /** Time zero (device start, or shock onset without a device), ISO 8601 UTC. */
  readonly timeZero: string;
}

/** One generated patient: the registry record (what the data show) and the truth (what generated it). */
export interface SyntheticPatient {
  readonly record: RegistryRecord;
  readonly truth: PatientTruth;
}
