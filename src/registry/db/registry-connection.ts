// Opens the registry: the embedded PostgreSQL (PGlite) in a data folder by default, or a PostgreSQL server when
// STRATUM_DATABASE_URL is set. Both run the same migrations and the same Kysely queries.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import { migrationProvider } from './migrations.js';
import type { RegistryDatabase } from './schema.js';

export interface RegistryLocation {
  /** PostgreSQL connection string; when set, the server is used. */
  readonly databaseUrl?: string;
  /** Data folder of the embedded database (created on first use). */
  readonly dataDir?: string;
}

export interface Registry {
  readonly db: Kysely<RegistryDatabase>;
  readonly kind: 'embedded' | 'server';
  /** Where the data is: the data folder, or the server URL without its password. */
  readonly where: string;
  close(): Promise<void>;
}

/** The default data folder: $STRATUM_DATA_DIR, else $XDG_DATA_HOME/stratum, else ~/.local/share/stratum. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['STRATUM_DATA_DIR']) return resolve(env['STRATUM_DATA_DIR']);
  const base = env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share');
  return join(base, 'stratum');
}

/** Where the registry is, from the environment: STRATUM_DATABASE_URL, else the data folder. */
export function locationFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryLocation {
  const url = env['STRATUM_DATABASE_URL'];
  return url ? { databaseUrl: url } : { dataDir: defaultDataDir(env) };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

// node-postgres returns int8 and numeric as strings; the registry stores neither as data, but count(*) is int8.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** Opens the registry and brings its schema up to date. */
export async function openRegistry(location: RegistryLocation = locationFromEnv()): Promise<Registry> {
  let db: Kysely<RegistryDatabase>;
  let kind: Registry['kind'];
  let where: string;
  if (location.databaseUrl) {
    // A connection that breaks while idle (the server restarted) is dropped by the pool, which then emits 'error':
    // without a listener that would end the process. A query waits at most 5 s for a connection, so requests during
    // an outage fail fast (503, see isRegistryUnavailable) instead of hanging; the pool reconnects when the server is back.
    const pool = new pg.Pool({ connectionString: location.databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
    pool.on('error', () => {});
    // The same for a connection that breaks while checked out (between a transaction's queries): its next query fails
    // (the request answers 503) and the pool drops it on release, as it is no longer queryable.
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely<RegistryDatabase>({ dialect: new PostgresDialect({ pool }) });
    kind = 'server';
    where = redactUrl(location.databaseUrl);
  } else {
    const dir = location.dataDir ?? defaultDataDir();
    mkdirSync(dir, { recursive: true });
    const pglite = await PGlite.create(dir);
    db = new Kysely<RegistryDatabase>({ dialect: new PGliteDialect(pglite) });
    kind = 'embedded';
    where = dir;
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind, where, close: () => db.destroy() };
}

async function migrate(db: Kysely<RegistryDatabase>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'stratum_migrations', migrationLockTableName: 'stratum_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`registry migration ${failed?.migrationName ?? ''} failed: ${message}`);
  }
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/**
 * True when an error says the registry's server cannot be reached right now (refused, restarting, shutting down, the
 * connection broke, no connection within the pool's timeout): the request may be retried, an HTTP 503.
 */
export function isRegistryUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}
