// Account administration (admin only): list accounts a page at a time, create one, change its role or sites,
// unlock it, disable or re-enable it, set a new password. Every change is audited with the account before and after,
// and clears the auth cache once committed, so a disabled account or a demoted role takes effect on the next request.
//
// As in auth-routes.ts: the declared schemas document the routes and serialize the replies; zod validates.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appendAudit } from '../registry/db/audit-log.js';
import { accountAudit, accountView, createAccount, findAccountById, newAccountSchema, passwordSchema, roleSchema, siteCodeSchema } from './auth/accounts.js';
import { clearAuthCache } from './auth/auth-cache.js';
import { requireRole, sessionOf } from './auth/auth-hooks.js';
import { resetPassword } from './auth/password-change.js';
import { jsonSchemaOf, problemResponses } from './openapi.js';
import { ROLES } from './principal.js';
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

const resetBody = z.object({ newPassword: passwordSchema }).strict();

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** AccountView (src/server/auth/accounts.ts), property for property: never the hash. */
const accountSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    sites: { type: 'array', items: { type: 'string' } },
    failedLogins: { type: 'integer', description: 'consecutive failed logins since the last success' },
    lockedUntil: { type: 'string', format: 'date-time', nullable: true },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'username', 'role', 'sites', 'failedLogins', 'lockedUntil', 'disabled', 'createdAt'],
} as const;

const accountPageSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: accountSchema },
    total: { type: 'integer' },
    nextCursor: { type: 'string', nullable: true, description: 'pass as ?cursor= for the next page; null on the last' },
  },
  required: ['items', 'total', 'nextCursor'],
} as const;

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(async (scope) => routes(scope, ctx));
}

function routes(app: FastifyInstance, ctx: ServerContext): void {
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  const adminOnly = requireRole('admin');

  app.get(
    '/api/admin/users',
    {
      preHandler: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Accounts, a page at a time (?limit, ?cursor or ?offset)',
        querystring: jsonSchemaOf(listQuery),
        response: { 200: accountPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = parseInput(listQuery, request.query, 'query');
      let query = ctx.registry.db.selectFrom('accounts').selectAll().orderBy('id').limit(q.limit + 1);
      if (q.cursor !== undefined) query = query.where('id', '>', q.cursor);
      if (q.offset !== undefined) query = query.offset(q.offset);
      const rows = await query.execute();
      const page = rows.slice(0, q.limit);
      const total = await ctx.registry.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const last = page[page.length - 1];
      return { items: page.map(accountView), total: Number(total.n), nextCursor: rows.length > q.limit && last ? String(last.id) : null };
    },
  );

  app.post(
    '/api/admin/users',
    {
      preHandler: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Create an account',
        // The rules createAccount applies (newUserBody only takes the shape; createAccount names the field at fault).
        body: jsonSchemaOf(newAccountSchema),
        response: { 201: accountSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = parseInput(newUserBody, request.body, 'body');
      const id = await createAccount(ctx, body, `user:${request.principal!.username}`);
      const row = await findAccountById(ctx, id);
      return reply.code(201).send(accountView(row!));
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      preHandler: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Change role or sites, unlock, disable or enable an account',
        params: jsonSchemaOf(idParams),
        body: jsonSchemaOf(patchBody),
        response: { 200: accountSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
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
      clearAuthCache(ctx);
      return accountView(updated);
    },
  );

  app.post(
    '/api/admin/users/:id/password',
    {
      preHandler: adminOnly,
      schema: {
        tags: ['admin'],
        summary: "Set a new password for an account; all of that account's sessions end",
        description:
          'The new password follows the account rules (8 to 256 characters). Every session of the account ends (an admin resetting ' +
          'their own password logs out too); API tokens are not revoked, and a lock stays until PATCH {unlock: true}. ' +
          'Needs a browser session: an API token cannot set a password (403).',
        params: jsonSchemaOf(idParams),
        body: jsonSchemaOf(resetBody),
        response: { 204: { description: 'Password set', type: 'null' }, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      // A leaked admin token must not be able to turn itself into a login (to any account) that outlives its revocation.
      if (p.via !== 'session' || !sessionOf(request)) throw new ProblemError(403, 'Session required', 'A password is set from a logged-in browser session, not with an API token.');
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(resetBody, request.body, 'body');
      const outcome = await resetPassword(ctx, id, body.newPassword, `user:${p.username}`);
      if (outcome.kind === 'not-found') throw new ProblemError(404, 'No such account', `There is no account with id ${id}.`, 'id');
      return reply.code(204).send();
    },
  );
}
