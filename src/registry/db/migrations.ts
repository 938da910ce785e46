// The registry's migrations: one list, run by Kysely's Migrator on the embedded database and on a PostgreSQL server
// alike. A migration, once released, is never edited: a change is a new migration appended to the list.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

type AnyDb = Kysely<unknown>;

/** Columns every versioned section table starts with. */
function versioned(db: AnyDb, table: string) {
  return db.schema
    .createTable(table)
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('episode_id', 'integer', (c) => c.notNull().references('episodes.id'))
    .addColumn('v_from', 'integer', (c) => c.notNull())
    .addColumn('v_to', 'integer');
}

const initial: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('imports')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull().unique())
      .addColumn('files', 'jsonb', (c) => c.notNull())
      .addColumn('site', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
      .addColumn('rows_read', 'integer', (c) => c.notNull())
      .addColumn('episodes_inserted', 'integer', (c) => c.notNull())
      .addColumn('episodes_unchanged', 'integer', (c) => c.notNull())
      .addColumn('episodes_corrected', 'integer', (c) => c.notNull())
      .addColumn('rows_rejected', 'integer', (c) => c.notNull())
      .addColumn('options', 'jsonb', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('import_rejections')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('import_id', 'integer', (c) => c.notNull().references('imports.id'))
      .addColumn('file', 'text', (c) => c.notNull())
      .addColumn('row', 'integer')
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('patients')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('site_id', 'integer', (c) => c.notNull().references('sites.id'))
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('mrn', 'text')
      .addColumn('family_name', 'text')
      .addColumn('given_name', 'text')
      .addColumn('birth_date', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addUniqueConstraint('patients_site_source', ['site_id', 'source_id'])
      .execute();

    await db.schema
      .createTable('episodes')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('site_id', 'integer', (c) => c.notNull().references('sites.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('format_version', 'text', (c) => c.notNull())
      .addColumn('anchor_kind', 'text', (c) => c.notNull())
      .addColumn('anchor_time', 'timestamptz', (c) => c.notNull())
      .addColumn('utc_offset_min', 'integer', (c) => c.notNull())
      .addColumn('admission_time', 'timestamptz')
      .addColumn('cicu_admission_time', 'timestamptz')
      .addColumn('shock_onset_time', 'timestamptz')
      .addColumn('pci_start_time', 'timestamptz')
      .addColumn('discharge_time', 'timestamptz')
      .addColumn('age_years', 'double precision')
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('weight_kg', 'double precision')
      .addColumn('height_cm', 'double precision')
      .addColumn('clinical', 'jsonb', (c) => c.notNull())
      .addColumn('last_known_alive', 'timestamptz')
      .addColumn('follow_up_source', 'text')
      .addColumn('follow_up_note', 'text')
      .addColumn('death_time', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('episodes_site_source', ['site_id', 'source_id'])
      .execute();

    await db.schema
      .createTable('episode_versions')
      .addColumn('episode_id', 'integer', (c) => c.notNull().references('episodes.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('header', 'jsonb', (c) => c.notNull())
      .addColumn('import_id', 'integer', (c) => c.references('imports.id'))
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('episode_versions_pk', ['episode_id', 'version'])
      .execute();

    await versioned(db, 'observations')
      .addColumn('time', 'timestamptz', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('original_value', 'double precision')
      .addColumn('original_unit', 'text')
      .addColumn('censored', 'text')
      .addColumn('specimen', 'text')
      .addColumn('method', 'text')
      .addColumn('period_min', 'double precision')
      .addColumn('sample_id', 'text')
      .addColumn('note', 'text')
      .execute();

    await versioned(db, 'infusions')
      .addColumn('drug', 'text', (c) => c.notNull())
      .addColumn('start_time', 'timestamptz', (c) => c.notNull())
      .addColumn('end_time', 'timestamptz')
      .addColumn('rate', 'double precision', (c) => c.notNull())
      .addColumn('rate_unit', 'text', (c) => c.notNull())
      .addColumn('route', 'text')
      .addColumn('note', 'text')
      .execute();

    await versioned(db, 'boluses')
      .addColumn('drug', 'text', (c) => c.notNull())
      .addColumn('time', 'timestamptz', (c) => c.notNull())
      .addColumn('dose', 'double precision', (c) => c.notNull())
      .addColumn('dose_unit', 'text', (c) => c.notNull())
      .addColumn('context', 'text')
      .addColumn('note', 'text')
      .execute();

    await versioned(db, 'purge_records')
      .addColumn('device_ref', 'text')
      .addColumn('start_time', 'timestamptz', (c) => c.notNull())
      .addColumn('end_time', 'timestamptz')
      .addColumn('solution', 'text', (c) => c.notNull())
      .addColumn('heparin_iu_ml', 'double precision', (c) => c.notNull())
      .addColumn('flow_ml_h', 'double precision', (c) => c.notNull())
      .addColumn('bicarbonate_meq_l', 'double precision')
      .addColumn('note', 'text')
      .execute();

    await versioned(db, 'devices')
      .addColumn('device_ref', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('insertion_time', 'timestamptz', (c) => c.notNull())
      .addColumn('removal_time', 'timestamptz')
      .addColumn('access_site', 'text')
      .addColumn('side', 'text')
      .addColumn('placement', 'text')
      .addColumn('selection_reasons', sql`text[]`, (c) => c.notNull())
      .addColumn('selection_note', 'text')
      .addColumn('removal_reason', 'text')
      .addColumn('details', 'jsonb', (c) => c.notNull())
      .addColumn('settings', 'jsonb', (c) => c.notNull())
      .execute();

    await versioned(db, 'supports')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('start_time', 'timestamptz', (c) => c.notNull())
      .addColumn('end_time', 'timestamptz')
      .addColumn('note', 'text')
      .execute();

    await versioned(db, 'events')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('time', 'timestamptz', (c) => c.notNull())
      .addColumn('details', 'jsonb', (c) => c.notNull())
      .execute();

    await versioned(db, 'anticoagulation_periods')
      .addColumn('from_time', 'timestamptz', (c) => c.notNull())
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('target', 'jsonb')
      .addColumn('note', 'text')
      .execute();

    for (const table of ['observations', 'infusions', 'boluses', 'purge_records', 'devices', 'supports', 'events', 'anticoagulation_periods']) {
      await db.schema.createIndex(`${table}_episode`).on(table).columns(['episode_id', 'v_to']).execute();
    }

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_key', 'text', (c) => c.notNull())
      .addColumn('before', 'jsonb')
      .addColumn('after', 'jsonb')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();

    // The chain's head: one row, locked FOR UPDATE by every writing transaction so audit records are appended
    // strictly one after another even with concurrent writers on a PostgreSQL server.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_head (id, last_seq, last_hash) values (1, 0, ${GENESIS_HASH})`.execute(db);

    // Append-only: the database itself refuses to change or remove an audit record (a superuser can still drop
    // the trigger, which is why the records are also hash-chained and `stratum audit verify` checks the chain).
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only: % refused', tg_op; end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  },
};

/** Accounts, browser sessions and API tokens of the HTTP server (src/server/auth). */
const accounts: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('sites', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'timestamptz')
      .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      // The roles as released with this migration (src/server/principal.ts ROLES); a new role is a new migration.
      .addCheckConstraint('accounts_role', sql`role in ('admin', 'clinician', 'researcher', 'auditor')`)
      .execute();

    await db.schema
      .createTable('sessions')
      // sha256 (hex) of the random cookie value: the database never holds a usable session id.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('api_tokens_account').on('api_tokens').column('account_id').execute();
  },
};

/**
 * The server's study workspace (src/server/study-routes.ts): specs saved by researchers, and study runs with their
 * progress, outcome, report and results.json, so both outlive the server process that made them.
 */
const studies: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('study_specs')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      // The spec's title and description, kept beside its text so listing specs does not re-parse every spec.
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('study_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      // The spec as submitted (YAML or JSON text); the worker parses it again, so a run is reproducible from its row.
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('steps', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('error', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('finished_at', 'timestamptz')
      .addColumn('results_json', 'text')
      .addColumn('report_html', 'text')
      .addCheckConstraint('study_runs_status', sql`status in ('queued', 'running', 'succeeded', 'failed')`)
      .execute();
    await db.schema.createIndex('study_runs_created').on('study_runs').column('created_at').execute();
  },
};

/**
 * A change counter per site, moved by every statement that inserts, updates or deletes episodes of that site (one
 * upsert per statement, from its transition table, so a bulk import costs one more statement, not one per row). The
 * server's patient board keeps each site's episode list and reads it again only when the site's counter has moved
 * (src/server/bedside-episodes.ts), whichever process made the change.
 */
const siteGeneration: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('site_generation')
      .addColumn('site_id', 'integer', (c) => c.primaryKey().references('sites.id'))
      .addColumn('n', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into site_generation (site_id, n) select distinct site_id, 1 from episodes`.execute(db);
    for (const [event, table] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql.raw(`create function episodes_site_generation_${event}() returns trigger language plpgsql as $$
        begin
          insert into site_generation (site_id, n) select distinct site_id, 1 from changed_rows
            on conflict (site_id) do update set n = site_generation.n + 1;
          return null;
        end $$`).execute(db);
      await sql.raw(`create trigger episodes_site_generation_${event} after ${event} on episodes
        referencing ${table} table as changed_rows for each statement execute function episodes_site_generation_${event}()`).execute(db);
    }
  },
};

/** The hash the first audit record chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-accounts': accounts,
  '0003-studies': studies,
  '0004-site-generation': siteGeneration,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...MIGRATIONS };
  },
};
