// Local accounts: a lower-case username, an argon2id password hash, one role, the sites a clinician may see, and
// the lockout state (consecutive failed logins, locked until). Every change is audited in the same transaction.
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../../registry/db/audit-log.js';
import type { AccountsTable, RegistryDatabase } from '../../registry/db/schema.js';
import { ROLES, type Role } from '../principal.js';
import { ProblemError, parseInput } from '../problem.js';
import type { ServerContext } from '../server-context.js';
import { hashPassword } from './passwords.js';

export type AccountRow = Selectable<AccountsTable>;

/** Login names: letters, digits and . _ @ -, starting with a letter or digit; compared in lower case. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'expected 1-64 letters, digits or . _ @ -, starting with a letter or digit');
/** NIST SP 800-63B: at least 8 characters; capped so hashing cannot be used to exhaust the server. */
export const passwordSchema = z.string().min(8, 'expected at least 8 characters').max(256, 'expected at most 256 characters');
export const siteCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a site code (letters, digits, . _ -)');
export const roleSchema = z.enum(ROLES);

export const newAccountSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
  sites: z.array(siteCodeSchema).max(1000).default([]),
});

/** An account as the API shows it (never the hash). */
export interface AccountView {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly sites: readonly string[];
  readonly failedLogins: number;
  readonly lockedUntil: string | null;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export function accountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    username: row.username,
    role: row.role as Role,
    sites: row.sites,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until === null ? null : new Date(row.locked_until).toISOString(),
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The account's audit snapshot (no hash). */
export function accountAudit(row: AccountRow): Record<string, unknown> {
  const { id, username, role, sites, failed_logins, locked_until, disabled } = row;
  return { id, username, role, sites, failed_logins, locked_until: locked_until === null ? null : new Date(locked_until).toISOString(), disabled };
}

function uniqueSorted(sites: readonly string[]): string[] {
  return [...new Set(sites)].sort();
}

/**
 * Creates an account (argon2id hash of the password) and audits it as `actor`. Input is validated here, so every
 * caller (admin route, `stratum serve`'s first admin) gets the same rules: a 400 ProblemError naming the field, or
 * 409 when the username is taken. Returns the new account's id.
 */
export async function createAccount(
  ctx: ServerContext,
  input: { username: string; password: string; role: Role; sites: string[] },
  actor: string,
): Promise<number> {
  const valid = parseInput(newAccountSchema, input, 'body');
  const passwordHash = await hashPassword(valid.password);
  const now = ctx.now();
  try {
    return await ctx.registry.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('accounts')
        .values({ username: valid.username, password_hash: passwordHash, role: valid.role, sites: uniqueSorted(valid.sites), created_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAudit(trx, actor, [{ action: 'insert', entity: 'account', entityKey: row.username, before: null, after: accountAudit(row), reason: 'account created' }], now);
      return row.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ProblemError(409, 'Username taken', `An account named "${valid.username}" already exists.`, 'username');
    throw error;
  }
}

export interface FailedPassword {
  /** The account after the count (and the lock, when this attempt locked it). */
  readonly after: AccountRow;
  /** Consecutive wrong passwords, this one included. */
  readonly failures: number;
  /** This attempt reached ctx.config.maxFailedLogins: the account is locked for lockout_min and the count restarts. */
  readonly locked: boolean;
}

/**
 * Counts one wrong password against the account, inside the caller's transaction (the caller audits it). The login
 * and the password change share it, so guessing the password through either one locks the account alike.
 */
export async function countFailedPassword(trx: Kysely<RegistryDatabase>, ctx: ServerContext, accountId: number, now: Date): Promise<FailedPassword> {
  const counted = await trx
    .updateTable('accounts')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', accountId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (counted.failed_logins < ctx.config.maxFailedLogins) return { after: counted, failures: counted.failed_logins, locked: false };
  const after = await trx
    .updateTable('accounts')
    .set({ failed_logins: 0, locked_until: new Date(now.getTime() + ctx.config.lockout_min * 60_000) })
    .where('id', '=', accountId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { after, failures: counted.failed_logins, locked: true };
}

export async function countAccounts(ctx: ServerContext): Promise<number> {
  const row = await ctx.registry.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAccountByUsername(ctx: ServerContext, username: string): Promise<AccountRow | undefined> {
  return ctx.registry.db.selectFrom('accounts').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
}

export async function findAccountById(ctx: ServerContext, id: number): Promise<AccountRow | undefined> {
  return ctx.registry.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** PostgreSQL unique_violation (23505), from node-postgres or PGlite. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}
