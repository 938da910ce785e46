// API tokens for scripts: 32 random bytes, base64url, shown once at creation; stored as sha256 with a name, an
// expiry and a revocation time. A token acts as its account (current role and sites) and needs no CSRF header.
import type { Principal } from '../principal.js';
import type { ServerContext } from '../server-context.js';
import { authCacheOf } from './auth-cache.js';
import { principalOf } from './principal-of.js';
import { SECRET_PATTERN, sha256Hex } from './secrets.js';

/** The account a bearer token stands for, or null (unknown, expired, revoked, or account disabled). */
export async function resolveApiToken(ctx: ServerContext, token: string): Promise<Principal | null> {
  if (!SECRET_PATTERN.test(token)) return null;
  const key = sha256Hex(token);
  const now_ms = ctx.now().getTime();
  // A token resolved less than a second ago (auth-cache.ts); its own expiry is still checked on every request.
  const cache = authCacheOf<{ principal: Principal; expires_ms: number } | null>(ctx, 'tokens');
  const cached = cache.get(key, now_ms);
  if (cached !== undefined) return cached !== null && cached.expires_ms > now_ms ? cached.principal : null;
  const resolved = await lookupToken(ctx, key);
  cache.set(key, resolved, now_ms);
  return resolved !== null && resolved.expires_ms > now_ms ? resolved.principal : null;
}

async function lookupToken(ctx: ServerContext, tokenSha256: string): Promise<{ principal: Principal; expires_ms: number } | null> {
  const row = await ctx.registry.db
    .selectFrom('api_tokens')
    .innerJoin('accounts', 'accounts.id', 'api_tokens.account_id')
    .select(['api_tokens.expires_at', 'api_tokens.revoked_at', 'accounts.id as account_id', 'accounts.username', 'accounts.role', 'accounts.sites', 'accounts.disabled'])
    .where('api_tokens.token_sha256', '=', tokenSha256)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled) return null;
  return { principal: principalOf({ id: row.account_id, username: row.username, role: row.role, sites: row.sites }, 'token'), expires_ms: new Date(row.expires_at).getTime() };
}
