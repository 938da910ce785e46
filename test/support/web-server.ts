// A real Stratum server for browser tests of the web app: a fresh embedded registry seeded with a small synthetic
// registry (synthetic data only; a few patients of site-01 kept on the unit so the board has active rows), one
// account per role plus one whose password a test changes, the built web app (web/dist), listening on 127.0.0.1 on a
// free port.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { EpisodeInput } from '../../src/clinical/episode/episode-schema.js';
import { saveSynthetic } from '../../src/cli/demo-command.js';
import type { RegistryRecord } from '../../src/registry/record.js';
import { createAccount } from '../../src/server/auth/accounts.js';
import { buildServer } from '../../src/server/build-server.js';
import type { Role } from '../../src/server/principal.js';
import { DEFAULT_SERVER_CONFIG, type ServerContext } from '../../src/server/server-context.js';
import { generateRegistry } from '../../src/synth/generate-registry.js';
import { synthParameters } from '../../src/synth/synth-parameters.js';
import { repoRoot } from './paths.js';
import { registryTargets } from './registry.js';
import { openRegistry } from '../../src/registry/db/registry-connection.js';

export const WEB_DIST = join(repoRoot, 'web', 'dist');
export const WEB_PASSWORD = 'synthetic-web-password-1';
/** The clinician's site; the other sites' patients must not appear on the clinician's board. */
export const CLINICIAN_SITE = 'site-01';
export const ACCOUNTS: Readonly<Record<Role, { username: string; sites: string[] }>> = {
  admin: { username: 'web-admin', sites: [] },
  clinician: { username: 'web-clinician', sites: [CLINICIAN_SITE] },
  researcher: { username: 'web-researcher', sites: [] },
  auditor: { username: 'web-auditor', sites: [] },
};
/** An account of its own for the password-change test, so no other test depends on the order the tests run in. */
export const PASSWORD_ACCOUNT: { readonly username: string; readonly role: Role; readonly sites: string[] } = { username: 'web-password', role: 'researcher', sites: [] };

/** Still on the unit: no discharge, no death, the first device in place (as src/server/patient-routes.test.ts). */
function keepOnUnit(record: RegistryRecord): RegistryRecord {
  const events = record.episode.events ?? [];
  const [first, ...rest] = record.episode.devices ?? [];
  if (!first) return record;
  const { removal: _r, removalReason: _rr, ...inPlace } = first;
  const { discharge: _d, ...times } = record.episode.times ?? {};
  const episode: EpisodeInput = { ...record.episode, times, events: events.filter((e) => e.kind !== 'death'), devices: [inPlace as typeof first, ...rest], followUp: {} };
  return { ...record, episode };
}

export interface WebServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the server; fails with a clear message when the web app is not built. */
export async function startWebServer(patients = 240): Promise<WebServer> {
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web/dist/index.html is missing: build the web app first (npm run build, or npm run build:web)`);
  const target = registryTargets()[0]!; // the embedded registry
  const { location, dispose } = await target.fresh();
  const registry = await openRegistry(location);
  try {
    const params = synthParameters({ patients, sites: 3, seed: 3 });
    let kept = 0;
    const records = [...generateRegistry(params)].map((p) => {
      if (p.record.site === CLINICIAN_SITE && kept < 6) {
        kept++;
        return keepOnUnit(p.record);
      }
      return p.record;
    });
    await saveSynthetic(registry, records, params, 'web-test');
    const ctx: ServerContext = { registry, config: { ...DEFAULT_SERVER_CONFIG, host: '127.0.0.1', port: 0, webRoot: WEB_DIST }, now: () => new Date() };
    for (const [role, a] of Object.entries(ACCOUNTS) as [Role, { username: string; sites: string[] }][]) {
      await createAccount(ctx, { username: a.username, password: WEB_PASSWORD, role, sites: a.sites }, 'web-test');
    }
    await createAccount(ctx, { username: PASSWORD_ACCOUNT.username, password: WEB_PASSWORD, role: PASSWORD_ACCOUNT.role, sites: PASSWORD_ACCOUNT.sites }, 'web-test');
    const app = await buildServer(ctx, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    return {
      url: `http://127.0.0.1:${port}`,
      async stop() {
        try {
          await app.close();
        } finally {
          await registry.close();
          await dispose();
        }
      },
    };
  } catch (error) {
    await registry.close();
    await dispose();
    throw error;
  }
}
