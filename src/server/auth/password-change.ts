// Changing a password: by the account holder (who proves the current one) or by an admin (a reset). Either way the
// new password is stored as a fresh argon2id hash, sessions that knew the old password end, the change is audited
// (no hash in the record), and the auth cache is cleared once committed, so an ended session fails on its next request.
//
// A wrong current password counts as a failed login (countFailedPassword): a stolen session cannot be used to guess
// the password faster than the login form allows, and the guesses lock the account alike. The new password's rules
// are the route's (passwordSchema, as for a new account); this file takes it already valid.
import { appendAudit } from '../../registry/db/audit-log.js';
import type { ServerContext } from '../server-context.js';
import { accountAudit, countFailedPassword, findAccountById } from './accounts.js';
import { clearAuthCache } from './auth-cache.js';
import { hashPassword, verifyPassword } from './passwords.js';

export type PasswordChangeOutcome =
  | { readonly kind: 'changed'; readonly endedSessions: number }
  | { readonly kind: 'wrong-current' }
  | { readonly kind: 'locked'; readonly retryAfter_s: number }
  /** The password changed (or the account went) between the check and the write: nothing was changed. */
  | { readonly kind: 'conflict' };

export interface OwnPasswordChange {
  readonly accountId: number;
  /** The session the change is made from: it stays; every other session of the account ends. */
  readonly keepSessionId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
}

function lockedSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** The account holder changes their own password, proving the current one. */
export async function changeOwnPassword(ctx: ServerContext, change: OwnPasswordChange): Promise<PasswordChangeOutcome> {
  const now = ctx.now();
  const account = await findAccountById(ctx, change.accountId);
  if (!account || account.disabled) return { kind: 'conflict' };
  const actor = `user:${account.username}`;
  if (account.locked_until !== null && new Date(account.locked_until).getTime() > now.getTime()) {
    return { kind: 'locked', retryAfter_s: lockedSeconds(new Date(account.locked_until), now) };
  }

  if (!(await verifyPassword(account.password_hash, change.currentPassword))) {
    return ctx.registry.db.transaction().execute(async (trx): Promise<PasswordChangeOutcome> => {
      const { after, failures, locked } = await countFailedPassword(trx, ctx, account.id, now);
      const reason = locked
        ? `account locked for ${ctx.config.lockout_min} min after ${failures} consecutive failed logins (the last a password change)`
        : 'failed password change: wrong current password';
      await appendAudit(trx, actor, [{ action: 'update', entity: 'account', entityKey: account.username, before: accountAudit(account), after: accountAudit(after), reason }], now);
      return locked ? { kind: 'locked', retryAfter_s: ctx.config.lockout_min * 60 } : { kind: 'wrong-current' };
    });
  }

  // Hashing is slow on purpose; it happens before the transaction so no row stays locked meanwhile.
  const newHash = await hashPassword(change.newPassword);
  const outcome = await ctx.registry.db.transaction().execute(async (trx): Promise<PasswordChangeOutcome> => {
    const before = await trx.selectFrom('accounts').selectAll().where('id', '=', account.id).forUpdate().executeTakeFirst();
    // Another request changed the password after we checked the current one: that one wins, this one changes nothing.
    if (!before || before.disabled || before.password_hash !== account.password_hash) return { kind: 'conflict' };
    const after = await trx
      .updateTable('accounts')
      .set({ password_hash: newHash, failed_logins: 0, locked_until: null })
      .where('id', '=', account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', account.id).where('id', '!=', change.keepSessionId).executeTakeFirst();
    const endedSessions = Number(ended.numDeletedRows);
    await appendAudit(trx, actor, [
      { action: 'update', entity: 'account', entityKey: account.username, before: accountAudit(before), after: accountAudit(after), reason: `password changed by the account holder; ${endedSessions} other session(s) ended` },
    ], now);
    return { kind: 'changed', endedSessions };
  });
  if (outcome.kind === 'changed') clearAuthCache(ctx);
  return outcome;
}

export type PasswordResetOutcome = { readonly kind: 'reset'; readonly endedSessions: number } | { readonly kind: 'not-found' };

/**
 * An admin sets a new password for an account: every session of that account ends (the holder logs in again with
 * the new password). The lockout state is left as it is: unlocking is its own, audited, change (PATCH unlock).
 */
export async function resetPassword(ctx: ServerContext, accountId: number, newPassword: string, actor: string): Promise<PasswordResetOutcome> {
  const now = ctx.now();
  const newHash = await hashPassword(newPassword);
  const outcome = await ctx.registry.db.transaction().execute(async (trx): Promise<PasswordResetOutcome> => {
    const before = await trx.selectFrom('accounts').selectAll().where('id', '=', accountId).forUpdate().executeTakeFirst();
    if (!before) return { kind: 'not-found' };
    const after = await trx.updateTable('accounts').set({ password_hash: newHash }).where('id', '=', accountId).returningAll().executeTakeFirstOrThrow();
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
    const endedSessions = Number(ended.numDeletedRows);
    await appendAudit(trx, actor, [
      { action: 'update', entity: 'account', entityKey: before.username, before: accountAudit(before), after: accountAudit(after), reason: `password reset by an admin; ${endedSessions} session(s) ended` },
    ], now);
    return { kind: 'reset', endedSessions };
  });
  if (outcome.kind === 'reset') clearAuthCache(ctx);
  return outcome;
}
