// Resolved sessions and API tokens, kept for a moment so that a busy client does not cost a database query per
// request. An entry holds what the database said (the account's role, sites, the session's CSRF token and expiry)
// and is trusted for at most AUTH_CACHE_TTL_MS, by the server's clock (ctx.now, so tests with an injected clock see
// expiry exactly as before). Every change of accounts, sessions or tokens made by this server process clears the
// cache (clearAuthCache), so logout, revocation, disabling and role changes take effect at once here; a change made
// by another process (the CLI, a second server on the same PostgreSQL) takes effect within AUTH_CACHE_TTL_MS.
import type { ServerContext } from '../server-context.js';

/** How long a resolved session or token is trusted without asking the database again [D: revocation by another process visible within 1 s]. */
export const AUTH_CACHE_TTL_MS = 1000;

/** Entries kept at most (oldest dropped first) [D: far more than the concurrent clients of one server]. */
export const AUTH_CACHE_MAX_ENTRIES = 10_000;

interface Entry<T> {
  readonly value: T;
  /** ctx.now() in ms when the database was asked. */
  readonly resolvedAt_ms: number;
}

/** A small TTL map keyed by the secret's sha256 (never the secret itself). */
export class AuthCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** The value resolved for `key` less than AUTH_CACHE_TTL_MS before `now_ms`, or undefined. */
  get(key: string, now_ms: number): T | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (now_ms < e.resolvedAt_ms || now_ms - e.resolvedAt_ms >= AUTH_CACHE_TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, now_ms: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, resolvedAt_ms: now_ms });
    while (this.entries.size > AUTH_CACHE_MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches = new WeakMap<ServerContext, Map<string, AuthCache<unknown>>>();

/** The server's cache called `name` ('sessions', 'tokens'), made on first use; clearAuthCache(ctx) reaches it. */
export function authCacheOf<T>(ctx: ServerContext, name: string): AuthCache<T> {
  let byName = caches.get(ctx);
  if (byName === undefined) {
    byName = new Map();
    caches.set(ctx, byName);
  }
  let cache = byName.get(name);
  if (cache === undefined) {
    cache = new AuthCache<unknown>();
    byName.set(name, cache);
  }
  return cache as AuthCache<T>;
}

/**
 * Forget every resolved session and token of this server. Call it after any change to accounts (role, sites,
 * disabled, password), sessions (logout) or API tokens (revocation), once the change is committed.
 */
export function clearAuthCache(ctx: ServerContext): void {
  for (const c of caches.get(ctx)?.values() ?? []) c.clear();
}
