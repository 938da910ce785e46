// Browser sessions: the cookie holds 32 random bytes; the database holds only their sha256, the account, the CSRF
// token and an idle expiry that slides forward (sessionTtl_min) on every authenticated request, by ctx.now().
import type { Kysely } from 'kysely';
import type { RegistryDatabase } from '../../registry/db/schema.js';
import type { Principal } from '../principal.js';
import type { ServerContext } from '../server-context.js';
import { authCacheOf } from './auth-cache.js';
import { principalOf } from './principal-of.js';
import { SECRET_PATTERN, newSecret, sha256Hex } from './secrets.js';

/** The expiry is written back at most once a minute, so a busy session does not write on every request. */
const SLIDE_GRANULARITY_MS = 60_000;

export interface NewSession {
  /** The cookie value (shown to the browser only). */
  readonly cookieValue: string;
  /** sha256 of the cookie value: the row id. */
  readonly id: string;
  readonly csrfToken: string;
}

export interface ActiveSession {
  readonly id: string;
  readonly csrfToken: string;
  readonly principal: Principal;
}

function expiryFrom(ctx: ServerContext, now: Date): Date {
  return new Date(now.getTime() + ctx.config.sessionTtl_min * 60_000);
}

/** Inserts a session for the account (inside the caller's transaction). */
export async function insertSession(db: Kysely<RegistryDatabase>, ctx: ServerContext, accountId: number, now: Date): Promise<NewSession> {
  const cookieValue = newSecret();
  const session = { cookieValue, id: sha256Hex(cookieValue), csrfToken: newSecret() };
  await db
    .insertInto('sessions')
    .values({ id: session.id, account_id: accountId, csrf_token: session.csrfToken, expires_at: expiryFrom(ctx, now), created_at: now })
    .execute();
  return session;
}

interface SessionRow {
  readonly csrfToken: string;
  readonly expires_ms: number;
  readonly disabled: boolean;
  readonly principal: Principal;
}

/**
 * The live session a cookie value names, with its account's current role and sites, or null when unknown, expired
 * (the row is then removed) or the account is disabled. Extends the idle expiry. The row is read from the database at
 * most once a second per session (auth-cache.ts); expiry is checked against ctx.now() on every request.
 */
export async function resolveSession(ctx: ServerContext, cookieValue: string): Promise<ActiveSession | null> {
  if (!SECRET_PATTERN.test(cookieValue)) return null;
  const id = sha256Hex(cookieValue);
  const now = ctx.now();
  const cache = authCacheOf<SessionRow | null>(ctx, 'sessions');
  let row = cache.get(id, now.getTime());
  if (row === undefined) {
    row = await readSession(ctx, id);
    cache.set(id, row, now.getTime());
  }
  if (row === null) return null;
  if (row.expires_ms <= now.getTime()) {
    cache.delete(id);
    await ctx.registry.db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (row.disabled) return null;
  const next = expiryFrom(ctx, now);
  if (next.getTime() - row.expires_ms >= SLIDE_GRANULARITY_MS) {
    await ctx.registry.db.updateTable('sessions').set({ expires_at: next }).where('id', '=', id).execute();
    cache.set(id, { ...row, expires_ms: next.getTime() }, now.getTime());
  }
  return { id, csrfToken: row.csrfToken, principal: row.principal };
}

async function readSession(ctx: ServerContext, id: string): Promise<SessionRow | null> {
  const row = await ctx.registry.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['sessions.id', 'sessions.csrf_token', 'sessions.expires_at', 'accounts.id as account_id', 'accounts.username', 'accounts.role', 'accounts.sites', 'accounts.disabled'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    csrfToken: row.csrf_token,
    expires_ms: new Date(row.expires_at).getTime(),
    disabled: row.disabled,
    principal: principalOf({ id: row.account_id, username: row.username, role: row.role, sites: row.sites }, 'session'),
  };
}
