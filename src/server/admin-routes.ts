// Account administration (admin only): list accounts a page at a time, create one, change its role or sites,
// unlock it, disable or re-enable it. Every change is audited with the account before and after.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appendAudit } from '../registry/db/audit-log.js';
import { accountAudit, accountView, createAccount, findAccountById, roleSchema, siteCodeSchema } from './auth/accounts.js';
import { requireRole } from './auth/auth-hooks.js';
import { ProblemError, parseInput } from './problem.js';
import type { ServerContext } from './server-context.js';

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** The last id of the previous page (keyset pagination; stable while accounts are added). */
    cursor: z.coerce.number().int().min(0).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .refine((q) => q.cursor === undefined || q.offset === undefined, { message: 'give cursor or offset, not both', path: ['cursor'] });

const newUserBody = z.object({
  username: z.string(),
  password: z.string(),
  role: roleSchema,
  sites: z.array(z.string()).default([]),
});

const patchBody = z
  .object({
    role: roleSchema.optional(),
    sites: z.array(siteCodeSchema).max(1000).optional(),
    unlock: z.literal(true).optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'expected at least one of role, sites, unlock, disabled' });

const idParams = z.object({ id: z.coerce.number().int().positive() });

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const adminOnly = requireRole('admin');

  app.get('/api/admin/users', { preHandler: adminOnly, schema: { tags: ['admin'], summary: 'Accounts, a page at a time (?limit, ?cursor or ?offset)' } }, async (request) => {
    const q = parseInput(listQuery, request.query, 'query');
    let query = ctx.registry.db.selectFrom('accounts').selectAll().orderBy('id').limit(q.limit + 1);
    if (q.cursor !== undefined) query = query.where('id', '>', q.cursor);
    if (q.offset !== undefined) query = query.offset(q.offset);
    const rows = await query.execute();
    const page = rows.slice(0, q.limit);
    const total = await ctx.registry.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const last = page[page.length - 1];
    return { items: page.map(accountView), total: Number(total.n), nextCursor: rows.length > q.limit && last ? String(last.id) : null };
  });

  app.post('/api/admin/users', { preHandler: adminOnly, schema: { tags: ['admin'], summary: 'Create an account' } }, async (request, reply) => {
    const body = parseInput(newUserBody, request.body, 'body');
    const id = await createAccount(ctx, body, `user:${request.principal!.username}`);
    const row = await findAccountById(ctx, id);
    return reply.code(201).send(accountView(row!));
  });

  app.patch('/api/admin/users/:id', { preHandler: adminOnly, schema: { tags: ['admin'], summary: 'Change role or sites, unlock, disable or enable an account' } }, async (request) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(patchBody, request.body, 'body');
    const actor = `user:${request.principal!.username}`;
    const now = ctx.now();
    const updated = await ctx.registry.db.transaction().execute(async (trx) => {
      // Lock the account rows so two admins cannot both remove the last active admin.
      const admins = await trx.selectFrom('accounts').select(['id']).where('role', '=', 'admin').where('disabled', '=', false).forUpdate().execute();
      const before = await trx.selectFrom('accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new ProblemError(404, 'No such account', `There is no account with id ${id}.`, 'id');
      const losesAdmin = before.role === 'admin' && !before.disabled && ((body.role !== undefined && body.role !== 'admin') || body.disabled === true);
      if (losesAdmin && admins.length <= 1) {
        throw new ProblemError(409, 'Last administrator', 'This is the only active admin account; make another admin first.', body.disabled === true ? 'disabled' : 'role');
      }
      const after = await trx
        .updateTable('accounts')
        .set({
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.sites !== undefined ? { sites: [...new Set(body.sites)].sort() } : {}),
          ...(body.unlock ? { failed_logins: 0, locked_until: null } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // A disabled account's browser sessions end now (its tokens stop working because the account is disabled).
      if (body.disabled === true) await trx.deleteFrom('sessions').where('account_id', '=', id).execute();
      const changes = Object.keys(body).join(', ');
      await appendAudit(trx, actor, [{ action: 'update', entity: 'account', entityKey: after.username, before: accountAudit(before), after: accountAudit(after), reason: `account changed by an admin: ${changes}` }], now);
      return after;
    });
    return accountView(updated);
  });
}
