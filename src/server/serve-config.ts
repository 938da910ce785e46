// The server's configuration, read once from the `stratum serve` flags and the STRATUM_ environment variables,
// validated, and passed down as a typed ServerConfig (src/server/server-context.ts). `assertSafeListen` is the
// guard that keeps plain HTTP on loopback unless the operator says otherwise.
import { isIP } from 'node:net';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from './server-context.js';

/** The flags of `stratum serve` that shape the configuration (as node:util parseArgs returns them). */
export interface ServeFlags {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly 'tls-cert'?: string | undefined;
  readonly 'tls-key'?: string | undefined;
  readonly 'allow-insecure-remote'?: boolean | undefined;
  readonly 'web-root'?: string | undefined;
}

/** A flag or variable with a value the server cannot use; `setting` names it (e.g. "--port"). */
export class ServeConfigError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.name = 'ServeConfigError';
    this.setting = setting;
  }
}

function integer(setting: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ServeConfigError(setting, `${setting} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

function flagOrEnv(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): { text: string | undefined; setting: string } {
  if (flag !== undefined) return { text: flag, setting: '' };
  return { text: env[name], setting: name };
}

function bool(setting: string, text: string | undefined): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(text.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(text.toLowerCase())) return false;
  throw new ServeConfigError(setting, `${setting} must be 1 or 0 (true or false), got '${text}'`);
}

/**
 * The server configuration from flags (which win) and the environment:
 *  --port / STRATUM_PORT (default 8080; 0 picks a free port), --host / STRATUM_HOST (default 127.0.0.1),
 *  --tls-cert and --tls-key (PEM files, both or neither), --allow-insecure-remote, --web-root / STRATUM_WEB_ROOT,
 *  STRATUM_SESSION_TTL_MIN (30), STRATUM_MAX_FAILED_LOGINS (5), STRATUM_LOCKOUT_MIN (15),
 *  STRATUM_SECURE_COOKIES (default: on with TLS or --allow-insecure-remote, which means "behind a TLS proxy").
 * `defaultWebRoot` is the built web app's folder when one was found (the caller looks; this function does no I/O).
 */
export function serveConfig(flags: ServeFlags, env: NodeJS.ProcessEnv, defaultWebRoot: string | null = null): ServerConfig {
  const port = flagOrEnv(flags.port, env, 'STRATUM_PORT');
  const host = flagOrEnv(flags.host, env, 'STRATUM_HOST');
  const hostText = (host.text ?? DEFAULT_SERVER_CONFIG.host).trim();
  if (hostText === '') throw new ServeConfigError(host.setting || '--host', `${host.setting || '--host'} must not be empty`);
  const certFile = flags['tls-cert'];
  const keyFile = flags['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const missing = certFile === undefined ? '--tls-cert' : '--tls-key';
    throw new ServeConfigError(missing, `--tls-cert and --tls-key go together: ${missing} is missing`);
  }
  const tls = certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : null;
  const allowInsecureRemote = flags['allow-insecure-remote'] === true;
  const secureCookies = bool('STRATUM_SECURE_COOKIES', env['STRATUM_SECURE_COOKIES']) ?? (tls !== null || allowInsecureRemote);
  const webRootText = flags['web-root'] ?? env['STRATUM_WEB_ROOT'];
  return {
    host: hostText,
    port: integer(port.setting || '--port', port.text, DEFAULT_SERVER_CONFIG.port, 0, 65535),
    tls,
    allowInsecureRemote,
    secureCookies,
    sessionTtl_min: integer('STRATUM_SESSION_TTL_MIN', env['STRATUM_SESSION_TTL_MIN'], DEFAULT_SERVER_CONFIG.sessionTtl_min, 1, 7 * 24 * 60),
    maxFailedLogins: integer('STRATUM_MAX_FAILED_LOGINS', env['STRATUM_MAX_FAILED_LOGINS'], DEFAULT_SERVER_CONFIG.maxFailedLogins, 1, 100),
    lockout_min: integer('STRATUM_LOCKOUT_MIN', env['STRATUM_LOCKOUT_MIN'], DEFAULT_SERVER_CONFIG.lockout_min, 1, 7 * 24 * 60),
    webRoot: webRootText !== undefined && webRootText !== '' ? webRootText : defaultWebRoot,
  };
}

/** True for addresses only this machine can reach: localhost, ::1 and 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice('::ffff:'.length));
  return isIP(h) === 4 && h.split('.')[0] === '127';
}

/**
 * Refuses plain HTTP on an address other machines can reach: a non-loopback host needs --tls-cert/--tls-key, or
 * --allow-insecure-remote when a TLS-terminating proxy sits in front. Passwords and session cookies must not cross
 * a network in clear text.
 */
export function assertSafeListen(config: ServerConfig): void {
  if (isLoopbackHost(config.host) || config.tls !== null || config.allowInsecureRemote) return;
  throw new ServeConfigError(
    '--host',
    `refusing to serve plain HTTP on --host ${config.host}, which is not a loopback address (127.0.0.1, ::1, localhost): ` +
      'give --tls-cert FILE --tls-key FILE, or --allow-insecure-remote when a TLS-terminating proxy is in front',
  );
}
