// Registry test targets: every registry test runs against the embedded database (PGlite in a fresh temporary folder)
// and, when STRATUM_TEST_DATABASE_URL names a PostgreSQL server (CI sets it; see .ci/run), against a fresh database
// created on that server for the test. Under CI=true the server target is mandatory, so a missing server fails the
// run instead of silently testing only one database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openRegistry, type Registry, type RegistryLocation } from '../../src/registry/db/registry-connection.js';

export interface RegistryTarget {
  readonly name: 'embedded' | 'server';
  /** A fresh, empty registry location; `dispose` removes it. */
  fresh(): Promise<{ location: RegistryLocation; env: Record<string, string>; dispose: () => Promise<void> }>;
}

export function serverAdminUrl(): string | undefined {
  const url = process.env['STRATUM_TEST_DATABASE_URL'];
  if (!url && process.env['CI'] === 'true') {
    throw new Error('CI=true but STRATUM_TEST_DATABASE_URL is not set: registry tests must also run against a PostgreSQL server');
  }
  return url || undefined;
}

const embedded: RegistryTarget = {
  name: 'embedded',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'stratum-registry-'));
    return {
      location: { dataDir: dir },
      env: { STRATUM_DATA_DIR: dir },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** A target that creates a fresh database on the PostgreSQL server behind `adminUrl` (also used by bench/server.ts). */
export function serverTarget(adminUrl: string): RegistryTarget {
  return {
    name: 'server',
    async fresh() {
      const name = `stratum_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`); // name is generated above from hex digits only
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        location: { databaseUrl: url.toString() },
        env: { STRATUM_DATABASE_URL: url.toString() },
        dispose: async () => {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  };
}

/** The databases registry tests run against here. */
export function registryTargets(): RegistryTarget[] {
  const url = serverAdminUrl();
  return url ? [embedded, serverTarget(url)] : [embedded];
}

/** Opens a fresh registry on the target; the returned dispose closes and removes it. */
export async function withFreshRegistry<T>(target: RegistryTarget, body: (registry: Registry, env: Record<string, string>) => Promise<T>): Promise<T> {
  const { location, env, dispose } = await target.fresh();
  const registry = await openRegistry(location);
  try {
    return await body(registry, env);
  } finally {
    await registry.close();
    await dispose();
  }
}
