// `stratum serve [--port P] [--host H] [--tls-cert F --tls-key F] [--allow-insecure-remote] [--web-root DIR] [--demo]`:
// opens the registry for as long as the server runs, creates a first admin account when there is none (its random
// password printed once), optionally loads the synthetic demo registry into an empty registry, and serves the HTTP
// API and the web app (src/server/build-server.ts) until SIGINT or SIGTERM.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { locationFromEnv, openRegistry, type Registry } from '../registry/db/registry-connection.js';
import type { RegistryRecord } from '../registry/record.js';
import { assertSafeListen, ServeConfigError, serveConfig } from '../server/serve-config.js';
import type { ServerConfig, ServerContext } from '../server/server-context.js';
import { demoCensus } from '../synth/census.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { saveSynthetic } from './demo-command.js';
import { packageRoot } from '../package-root.js';
import { actorName } from './registry-options.js';
import { synthParametersFromFlags } from './synth-flags.js';
import { UsageError } from './usage-error.js';

export const FIRST_ADMIN = 'admin';
/** Synthetic patients on the unit per site with --demo (12 sites: 24 patients on the board). */
export const DEMO_CENSUS_PER_SITE = 2;

export function serveUsage(): string {
  return [
    'usage: stratum serve [--port P] [--host H] [--tls-cert FILE --tls-key FILE] [--allow-insecure-remote] [--web-root DIR] [--demo]',
    '',
    '  Serves the HTTP API (OpenAPI at /api/openapi.json) and the web app on the registry ($STRATUM_DATA_DIR or',
    '  $STRATUM_DATABASE_URL) until Ctrl-C. On first start it creates the account "admin" and prints its password once.',
    '',
    '  --port P                 TCP port (default 8080, $STRATUM_PORT; 0 picks a free one)',
    '  --host H                 address to listen on (default 127.0.0.1, $STRATUM_HOST)',
    '  --tls-cert F --tls-key F serve HTTPS with this PEM certificate and key (session cookies become Secure)',
    '  --allow-insecure-remote  plain HTTP on a non-loopback address, for a TLS-terminating proxy in front',
    '  --web-root DIR           the built web app (default web/dist of the package when built, $STRATUM_WEB_ROOT)',
    '  --demo                   load the synthetic demo registry (2000 patients, 12 sites, seed 1) and 24 patients on',
    '                           support now (2 per site) if the registry is empty',
    '',
    '  Sessions: $STRATUM_SESSION_TTL_MIN (30), lockout: $STRATUM_MAX_FAILED_LOGINS (5) for $STRATUM_LOCKOUT_MIN (15).',
    '  Plain HTTP is refused on a non-loopback --host without --tls-cert/--tls-key or --allow-insecure-remote.',
  ].join('\n');
}

/** A server that is listening; `stop` closes it and the registry. */
export interface RunningServer {
  readonly url: string;
  readonly config: ServerConfig;
  /** The first admin's password when this start created the account (printed once), else null. */
  readonly adminPassword: string | null;
  stop(): Promise<void>;
}

function parseServeFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'allow-insecure-remote': { type: 'boolean', default: false },
      'web-root': { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
}

/** The configuration, checked before anything is opened: bad flags and unsafe listening are usage errors. */
function checkedConfig(values: ReturnType<typeof parseServeFlags>, env: NodeJS.ProcessEnv): ServerConfig {
  const builtWeb = join(packageRoot(), 'web', 'dist');
  try {
    const config = serveConfig(values, env, existsSync(join(builtWeb, 'index.html')) ? builtWeb : null);
    assertSafeListen(config);
    if (config.tls) {
      for (const [flag, file] of [['--tls-cert', config.tls.certFile], ['--tls-key', config.tls.keyFile]] as const) {
        try {
          readFileSync(file);
        } catch (error) {
          throw new ServeConfigError(flag, `${flag}: cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
        }
      }
    }
    if (config.webRoot !== null && !existsSync(join(config.webRoot, 'index.html'))) {
      throw new ServeConfigError('--web-root', `--web-root: no index.html in '${config.webRoot}' (build the web app first)`);
    }
    return config;
  } catch (error) {
    if (error instanceof ServeConfigError) throw new UsageError(`serve: ${error.message}`);
    throw error;
  }
}

/**
 * Loads the demo's synthetic registry (as `stratum demo` saves it) when the registry holds no episode, plus an active
 * census (src/synth/census.ts): synthetic patients still on support at `now`, at every site.
 */
async function loadDemoIfEmpty(registry: Registry, actor: string, now: Date, write: (line: string) => void): Promise<void> {
  const row = await registry.db.selectFrom('episodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(row.n) > 0) {
    write(`--demo: the registry already holds ${row.n} episode(s); nothing loaded`);
    return;
  }
  const params = synthParametersFromFlags('serve', {});
  write(`--demo: loading a synthetic registry (${params.patients} patients, ${params.sites} sites, seed ${params.seed}; synthetic data only) ...`);
  const records: RegistryRecord[] = [];
  for (const p of generateRegistry(params)) records.push(p.record);
  const saved = await saveSynthetic(registry, records, params, actor);
  write(`--demo: saved ${saved} synthetic episode(s)`);
  // The registry's patients all left the unit long ago; a seeded census of patients on support now fills the board.
  const census = demoCensus(params, now, DEMO_CENSUS_PER_SITE);
  const onUnit = await saveSynthetic(registry, census, { ...params, patients: census.length }, actor);
  write(`--demo: saved ${onUnit} synthetic patient(s) on the unit now (${DEMO_CENSUS_PER_SITE} per site, 6-60 h on support)`);
}

function urlOf(config: ServerConfig, address: AddressInfo | string | null): string {
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
}

/**
 * Starts the server: configuration, registry (migrated on open), optional demo data, first admin, listen. Lines
 * for the operator go to `write`; the server's structured logs go to stdout as JSON unless `logger` is false.
 */
export async function startServer(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
  options: { logger?: boolean } = {},
): Promise<RunningServer> {
  const values = parseServeFlags(argv);
  const config = checkedConfig(values, env);
  const actor = actorName(undefined, env);
  // Loaded here, not at the top: every other command starts without Fastify, argon2 and the routes.
  const [{ countAccounts, createAccount }, { buildServer }] = await Promise.all([import('../server/auth/accounts.js'), import('../server/build-server.js')]);
  const registry = await openRegistry(locationFromEnv(env));
  try {
    if (values.demo) await loadDemoIfEmpty(registry, actor, new Date(), write);
    const ctx: ServerContext = { registry, config, now: () => new Date() };
    let adminPassword: string | null = null;
    if ((await countAccounts(ctx)) === 0) {
      adminPassword = randomBytes(18).toString('base64url');
      await createAccount(ctx, { username: FIRST_ADMIN, password: adminPassword, role: 'admin', sites: [] }, actor);
    }
    const app = await buildServer(ctx, { logger: options.logger !== false });
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      await app.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new UsageError(`serve: cannot listen on ${config.host}:${config.port} (${code}); choose another --port or --host`);
      }
      throw error;
    }
    const url = urlOf(config, app.server.address());
    write(`Stratum listening on ${url}`);
    write(`registry: ${registry.kind} (${registry.where})${config.webRoot ? `; web app from ${config.webRoot}` : '; API only (no built web app found)'}`);
    if (adminPassword !== null) {
      write(`first admin account created: username ${FIRST_ADMIN}, password ${adminPassword}`);
      write('(the password is shown only this once: log in and change it, or create named accounts and disable this one)');
    }
    let stopped = false;
    return {
      url,
      config,
      adminPassword,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await app.close();
        } finally {
          await registry.close();
        }
      },
    };
  } catch (error) {
    await registry.close();
    throw error;
  }
}

/** Serves until SIGINT or SIGTERM, then closes the server and the registry and returns. */
export async function runServeCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; exitCode: number }> {
  if (parseServeFlags(argv).help) return { stdout: serveUsage(), exitCode: 0 };
  const server = await startServer(argv, env, (line) => process.stdout.write(line + '\n'));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stdout.write(`${signal}: stopping ...\n`);
  await server.stop();
  return { stdout: 'Stratum stopped', exitCode: 0 };
}
