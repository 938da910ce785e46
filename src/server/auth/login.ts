// One login attempt, start to end: throttling, password check, lockout bookkeeping, the new session, and the audit
// record of whatever happened. The route (auth-routes.ts) only turns the outcome into a reply.
//
// Lockout answers 423 Locked (RFC 4918), not 429: the state belongs to the account, is stored in the database, and
// ends at `locked_until` or when an admin unlocks it, whatever the client does; 429 is kept for the per-IP limit,
// which is about the client's rate. Unknown usernames "lock" the same way (login-throttle.ts), and every path
// spends one argon2id verification, so neither the status nor the time tells whether a username exists.
import { appendAudit } from '../../registry/db/audit-log.js';
import type { Role } from '../principal.js';
import type { ServerContext } from '../server-context.js';
import { accountAudit, countFailedPassword, findAccountByUsername } from './accounts.js';
import type { LoginThrottle } from './login-throttle.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { insertSession } from './sessions.js';

export type LoginOutcome =
  | {
      readonly kind: 'ok';
      readonly account: { readonly id: number; readonly username: string; readonly role: Role; readonly sites: readonly string[] };
      readonly cookieValue: string;
      readonly csrfToken: string;
    }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'locked'; readonly retryAfter_s: number }
  | { readonly kind: 'throttled'; readonly retryAfter_s: number };

export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  readonly ip: string;
}

function lockedSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

export async function attemptLogin(ctx: ServerContext, throttle: LoginThrottle, attempt: LoginAttempt): Promise<LoginOutcome> {
  const now = ctx.now();
  const ipWait = throttle.ipRetryAfter_s(attempt.ip, now);
  if (ipWait !== null) return { kind: 'throttled', retryAfter_s: ipWait };

  const username = attempt.username.trim().toLowerCase();
  const anonymous = `anonymous@${attempt.ip}`;
  const audit = (actor: string, action: 'insert' | 'update' | 'read', entity: string, key: string, reason: string, before: unknown = null, after: unknown = null) =>
    ctx.registry.db.transaction().execute((trx) => appendAudit(trx, actor, [{ action, entity, entityKey: key, before, after, reason }], now));

  const account = await findAccountByUsername(ctx, username);
  if (!account) {
    await verifyAgainstDummy(attempt.password);
    const wait = throttle.unknownRetryAfter_s(username, now);
    if (wait !== null) {
      await audit(anonymous, 'read', 'login', username, 'login refused: locked');
      return { kind: 'locked', retryAfter_s: wait };
    }
    throttle.recordIpFailure(attempt.ip, now);
    const locks = throttle.recordUnknownFailure(username, now);
    await audit(anonymous, 'read', 'login', username, 'failed login: unknown username or wrong password');
    return locks ? { kind: 'locked', retryAfter_s: ctx.config.lockout_min * 60 } : { kind: 'invalid' };
  }

  const passwordOk = await verifyPassword(account.password_hash, attempt.password);
  const actor = `user:${account.username}`;
  if (account.locked_until !== null && new Date(account.locked_until).getTime() > now.getTime()) {
    await audit(actor, 'read', 'login', account.username, 'login refused: locked');
    return { kind: 'locked', retryAfter_s: lockedSeconds(new Date(account.locked_until), now) };
  }
  if (!passwordOk || account.disabled) {
    throttle.recordIpFailure(attempt.ip, now);
    return ctx.registry.db.transaction().execute(async (trx) => {
      const before = accountAudit(account);
      const { after, failures, locked } = await countFailedPassword(trx, ctx, account.id, now);
      const reason = account.disabled
        ? 'failed login: account disabled'
        : locked
          ? `account locked for ${ctx.config.lockout_min} min after ${failures} consecutive failed logins`
          : 'failed login: wrong password';
      await appendAudit(trx, anonymous, [{ action: 'update', entity: 'account', entityKey: account.username, before, after: accountAudit(after), reason }], now);
      return locked ? { kind: 'locked', retryAfter_s: ctx.config.lockout_min * 60 } : { kind: 'invalid' };
    });
  }

  return ctx.registry.db.transaction().execute(async (trx) => {
    if (account.failed_logins !== 0 || account.locked_until !== null) {
      await trx.updateTable('accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
    }
    const session = await insertSession(trx, ctx, account.id, now);
    await appendAudit(trx, actor, [
      { action: 'insert', entity: 'session', entityKey: session.id.slice(0, 16), before: null, after: { account: account.username, ip: attempt.ip }, reason: 'login' },
    ], now);
    return {
      kind: 'ok',
      account: { id: account.id, username: account.username, role: account.role as Role, sites: account.role === 'clinician' ? account.sites : [] },
      cookieValue: session.cookieValue,
      csrfToken: session.csrfToken,
    };
  });
}
