// What every route and plugin of the server is given: the registry, the validated configuration, and the clock
// (injectable, so session expiry and lockout can be tested without waiting).
import type { Registry } from '../registry/db/registry-connection.js';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** TLS certificate and key (PEM file paths); the session cookie is Secure when set. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  /** Serve plain HTTP on a non-loopback address anyway (behind a TLS-terminating proxy): `--allow-insecure-remote`. */
  readonly allowInsecureRemote: boolean;
  /** Mark the session cookie Secure (true with TLS or behind a TLS proxy). */
  readonly secureCookies: boolean;
  /** Idle session lifetime. */
  readonly sessionTtl_min: number;
  /** Failed logins allowed before the account is locked, and for how long. */
  readonly maxFailedLogins: number;
  readonly lockout_min: number;
  /** Folder of the built web app (served at /), or null to serve the API only. */
  readonly webRoot: string | null;
}

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  tls: null,
  allowInsecureRemote: false,
  secureCookies: false,
  sessionTtl_min: 30,
  maxFailedLogins: 5,
  lockout_min: 15,
  webRoot: null,
};

export interface ServerContext {
  readonly registry: Registry;
  readonly config: ServerConfig;
  readonly now: () => Date;
}
