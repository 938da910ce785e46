// The unit of exchange between the registry's importers, exporters, the database and the synthetic generator:
// one patient's identity (protected health information, kept apart from the clinical record) plus one shock
// episode in the canonical episode format of the clinical engine (src/clinical/episode/episode-schema.ts).
// Importers turn files into records plus rejections; exporters turn records into files; the database stores records.
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';

/**
 * Who the patient is. Everything here is a direct identifier or a date under HIPAA Safe Harbor
 * (45 CFR 164.514(b)(2)) and is removed or shifted by de-identification; the clinical engine never reads it.
 */
export interface PatientIdentity {
  /** The patient's id in the source system (FHIR Patient.id, REDCap record_id, CSV patient_id). Unique per site. */
  readonly sourceId: string;
  /** Medical record number. */
  readonly mrn?: string;
  readonly familyName?: string;
  readonly givenName?: string;
  /** Date of birth, YYYY-MM-DD. */
  readonly birthDate?: string;
  /** Postal code (Safe Harbor keeps only the first 3 digits, and only for populous areas: we drop it). */
  readonly postalCode?: string;
}

/**
 * One patient's shock episode as the registry holds it. `episode.id` is the episode's id in the source system
 * (FHIR Encounter.id, REDCap record_id + event, CSV episode_id): unique per site together with `site`.
 */
export interface RegistryRecord {
  /** Site code, e.g. 'site-01'. Also written to episode.site. */
  readonly site: string;
  readonly patient: PatientIdentity;
  /** The episode in the canonical input format (times ISO 8601 with offset, values with units). */
  readonly episode: EpisodeInput;
  /**
   * Where each part of the episode came from in the source file, for rejection reports: keys are episode paths
   * as parseEpisode reports them ('observations[3]', 'devices[0]', 'demographics', '' for the episode as a
   * whole), values are 1-based row numbers (CSV: physical line number of the record, header = 1; FHIR: 1-based
   * index of the Bundle entry). Optional; a path missing here is reported against the episode's first row.
   */
  readonly sourceRows?: Readonly<Record<string, number>>;
}

/** A row (or Bundle entry) of an input file that failed validation. Nothing is dropped without one of these. */
export interface Rejection {
  /** File name as given on the command line. */
  readonly file: string;
  /** 1-based row number in the file (CSV: physical line, header = 1), or Bundle entry index; null for the file as a whole. */
  readonly row: number | null;
  /** The field at fault: a column name, a FHIR element path ('entry[4].resource.valueQuantity.unit') or an episode path. */
  readonly field: string;
  /** The offending value as text (truncated to 200 characters). */
  readonly value: string;
  /** What was expected, in words. */
  readonly reason: string;
}

/** What an importer's pure conversion step returns for one file. */
export interface ConversionResult {
  readonly records: RegistryRecord[];
  readonly rejections: Rejection[];
  /** Number of data rows (CSV) or Bundle entries (FHIR) read, for the import summary. */
  readonly rowsRead: number;
}

/** Raised when a whole file cannot be read (truncated CSV, wrong encoding, not a FHIR Bundle, dictionary mismatch). */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${file}: ${field}: got ${value}; expected ${expected}`);
    this.name = 'ImportFileError';
  }
}

/** Shortens a value for a rejection report. */
export function rejectionValue(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '(missing)' : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
