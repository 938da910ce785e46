// The registry's tables as Kysely sees them (the migrations in migrations.ts create them). Clinical rows are never
// overwritten: every row of an episode's sections carries the episode version that added it (`v_from`) and the one
// that retired it (`v_to`, null while current), so every past version of an episode can be read back.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface SitesTable {
  id: Generated<number>;
  code: string;
  created_at: Timestamp;
}

export interface ImportsTable {
  id: Generated<number>;
  kind: string;
  /** sha256 over the files of the import (each file's sha256, in order). Unique among committed imports. */
  sha256: string;
  files: Json<ImportedFile[]>;
  site: string | null;
  actor: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  rows_read: number;
  episodes_inserted: number;
  episodes_unchanged: number;
  episodes_corrected: number;
  rows_rejected: number;
  options: Json<Record<string, unknown>>;
}

export interface ImportedFile {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ImportRejectionsTable {
  id: Generated<number>;
  import_id: number;
  file: string;
  row: number | null;
  field: string;
  value: string;
  reason: string;
}

export interface PatientsTable {
  id: Generated<number>;
  site_id: number;
  source_id: string;
  mrn: string | null;
  family_name: string | null;
  given_name: string | null;
  birth_date: string | null;
  postal_code: string | null;
  version: number;
}

export interface EpisodesTable {
  id: Generated<number>;
  site_id: number;
  patient_id: number;
  source_id: string;
  version: number;
  /** sha256 of the episode's canonical content at `version` (see episode-digest.ts). */
  digest: string;
  format_version: string;
  anchor_kind: string;
  anchor_time: Timestamp;
  /** The anchor's UTC offset in minutes, so times read back in the episode's own offset. */
  utc_offset_min: number;
  admission_time: Timestamp | null;
  cicu_admission_time: Timestamp | null;
  shock_onset_time: Timestamp | null;
  pci_start_time: Timestamp | null;
  discharge_time: Timestamp | null;
  age_years: number | null;
  sex: string;
  weight_kg: number | null;
  height_cm: number | null;
  clinical: Json<Record<string, unknown>>;
  last_known_alive: Timestamp | null;
  follow_up_source: string | null;
  follow_up_note: string | null;
  death_time: Timestamp | null;
  updated_at: Timestamp;
}

export interface EpisodeVersionsTable {
  episode_id: number;
  version: number;
  digest: string;
  /** Episode-level fields (anchor, times, demographics, clinical, follow-up) as of this version. */
  header: Json<Record<string, unknown>>;
  import_id: number | null;
  actor: string;
  reason: string;
  recorded_at: Timestamp;
}

interface Versioned {
  id: Generated<number>;
  episode_id: number;
  v_from: number;
  v_to: number | null;
}

export interface ObservationsTable extends Versioned {
  time: Timestamp;
  code: string;
  value: number;
  unit: string;
  original_value: number | null;
  original_unit: string | null;
  censored: string | null;
  specimen: string | null;
  method: string | null;
  period_min: number | null;
  sample_id: string | null;
  note: string | null;
}

export interface InfusionsTable extends Versioned {
  drug: string;
  start_time: Timestamp;
  end_time: Timestamp | null;
  rate: number;
  rate_unit: string;
  route: string | null;
  note: string | null;
}

export interface BolusesTable extends Versioned {
  drug: string;
  time: Timestamp;
  dose: number;
  dose_unit: string;
  context: string | null;
  note: string | null;
}

export interface PurgeRecordsTable extends Versioned {
  device_ref: string | null;
  start_time: Timestamp;
  end_time: Timestamp | null;
  solution: string;
  heparin_iu_ml: number;
  flow_ml_h: number;
  bicarbonate_meq_l: number | null;
  note: string | null;
}

export interface DevicesTable extends Versioned {
  device_ref: string;
  kind: string;
  insertion_time: Timestamp;
  removal_time: Timestamp | null;
  access_site: string | null;
  side: string | null;
  placement: string | null;
  selection_reasons: string[];
  selection_note: string | null;
  removal_reason: string | null;
  /** Kind-specific fields (model, size_mL, cannulation, ...), closure and note. */
  details: Json<Record<string, unknown>>;
  settings: Json<Record<string, unknown>[]>;
}

export interface SupportsTable extends Versioned {
  kind: string;
  start_time: Timestamp;
  end_time: Timestamp | null;
  note: string | null;
}

export interface EventsTable extends Versioned {
  /** Position in the episode's event list (transfusions refer to bleeding events by it). */
  position: number;
  kind: string;
  time: Timestamp;
  /** The event's fields other than kind and time, as entered (bleeding facts included). */
  details: Json<Record<string, unknown>>;
}

export interface AnticoagulationPeriodsTable extends Versioned {
  from_time: Timestamp;
  protocol_id: string;
  target: Json<unknown> | null;
  note: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  entity_key: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  reason: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface AccountsTable {
  id: Generated<number>;
  /** Lower-case login name, unique. */
  username: string;
  /** argon2id PHC string ($argon2id$v=19$m=19456,t=2,p=1$...). */
  password_hash: string;
  role: string;
  /** Site codes a clinician may see. */
  sites: string[];
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
}

export interface SessionsTable {
  /** sha256 (hex) of the cookie value. */
  id: string;
  account_id: number;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  /** sha256 (hex) of the token; the token itself is shown once and never stored. */
  token_sha256: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: Timestamp;
}

export interface StudySpecsTable {
  id: Generated<number>;
  /** Unique among saved specs. */
  name: string;
  title: string;
  description: string | null;
  /** The spec's text as saved (YAML or JSON). */
  spec: string;
  /** Username of the researcher or admin who saved it. */
  created_by: string;
  created_at: Timestamp;
}

export interface StudyRunStep {
  readonly step: string;
  readonly at: string;
  readonly elapsed_s: number;
}

export interface StudyRunsTable {
  /** A UUID. */
  id: string;
  title: string;
  /** The spec as submitted (YAML or JSON text). */
  spec: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  steps: Json<StudyRunStep[]>;
  error: string | null;
  /** Username of the researcher or admin who started it. */
  created_by: string;
  created_at: Timestamp;
  finished_at: Timestamp | null;
  results_json: string | null;
  report_html: string | null;
}

export interface RegistryDatabase {
  sites: SitesTable;
  imports: ImportsTable;
  import_rejections: ImportRejectionsTable;
  patients: PatientsTable;
  episodes: EpisodesTable;
  episode_versions: EpisodeVersionsTable;
  observations: ObservationsTable;
  infusions: InfusionsTable;
  boluses: BolusesTable;
  purge_records: PurgeRecordsTable;
  devices: DevicesTable;
  supports: SupportsTable;
  events: EventsTable;
  anticoagulation_periods: AnticoagulationPeriodsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  study_specs: StudySpecsTable;
  study_runs: StudyRunsTable;
  site_generation: SiteGenerationTable;
}

/** Per site, a counter moved by every statement that changes its episodes (migration 0004). */
export interface SiteGenerationTable {
  site_id: number;
  n: number;
}

export type EpisodeRow = Selectable<EpisodesTable>;
export type NewEpisode = Insertable<EpisodesTable>;
