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
    const pool = new pg.Pool({ connectionString: location.databaseUrl, max: 4 });
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
