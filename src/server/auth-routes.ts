// Login, logout, who am I, password change, and API tokens. The work is in src/server/auth; these handlers validate
// input, call it and shape the reply (problem+json on failure).
//
// Each route declares its request and response schemas for the OpenAPI document; zod (parseInput) still validates,
// so that a bad request is answered with our own messages naming the field. Replies are serialized with the declared
// response schemas, which therefore list every property the handler returns (an undeclared one would be dropped).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { appendAudit } from '../registry/db/audit-log.js';
import { passwordSchema } from './auth/accounts.js';
import { clearAuthCache } from './auth/auth-cache.js';
import { newSecret, sha256Hex } from './auth/secrets.js';
import { requireRole, sessionOf } from './auth/auth-hooks.js';
import { attemptLogin } from './auth/login.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { changeOwnPassword } from './auth/password-change.js';
import { clearedSessionCookie, sessionCookie } from './auth/session-cookie.js';
import { jsonSchemaOf, problemResponses } from './openapi.js';
import { ROLES } from './principal.js';
import { ProblemError, parseInput } from './problem.js';
import type { ServerContext } from './server-context.js';

const loginBody = z.object({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

const newTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(365),
});

const tokenParams = z.object({ id: z.coerce.number().int().positive() });

const passwordBody = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: passwordSchema,
  })
  .strict()
  .refine((b) => b.newPassword !== b.currentPassword, { message: 'expected a password different from the current one', path: ['newPassword'] });

const LOGIN_FAILED = 'Unknown username or wrong password.';

const roleDoc = { type: 'string', enum: [...ROLES] } as const;
const sitesDoc = { type: 'array', items: { type: 'string' }, description: "a clinician's sites (empty for the other roles)" } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const noContent = (description: string) => ({ description, type: 'null' }) as const;

const loginReplySchema = {
  type: 'object',
  description: 'Logged in: the session cookie is set; send csrfToken as x-csrf-token on every write.',
  properties: { username: { type: 'string' }, role: roleDoc, sites: sitesDoc, csrfToken: { type: 'string' } },
  required: ['username', 'role', 'sites', 'csrfToken'],
} as const;

const meSchema = {
  type: 'object',
  properties: {
    userId: { type: 'integer' },
    username: { type: 'string' },
    role: roleDoc,
    sites: sitesDoc,
    via: { type: 'string', enum: ['session', 'token'] },
    csrfToken: { type: 'string', nullable: true, description: "the session's CSRF token; null for an API token" },
  },
  required: ['userId', 'username', 'role', 'sites', 'via', 'csrfToken'],
} as const;

const tokenListSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'integer' }, name: { type: 'string' }, createdAt: dateTime, expiresAt: dateTime, revokedAt: { ...dateTime, nullable: true } },
        required: ['id', 'name', 'createdAt', 'expiresAt', 'revokedAt'],
      },
    },
  },
  required: ['items'],
} as const;

const newTokenSchema = {
  type: 'object',
  description: 'The token itself is in this answer only; it is stored as a hash.',
  properties: { id: { type: 'integer' }, name: { type: 'string' }, token: { type: 'string' }, expiresAt: dateTime },
  required: ['id', 'name', 'token', 'expiresAt'],
} as const;

function problem(reply: FastifyReply, p: ProblemError, retryAfter_s?: number): FastifyReply {
  if (retryAfter_s !== undefined) reply.header('retry-after', String(retryAfter_s));
  return reply.code(p.status).type('application/problem+json').send(JSON.stringify(p.body()));
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(async (scope) => routes(scope, ctx));
}

function routes(app: FastifyInstance, ctx: ServerContext): void {
  // zod validates (parseInput) with our messages; the declared JSON schemas are for the document and the serializer.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  const throttle = new LoginThrottle(ctx.config.maxFailedLogins, ctx.config.lockout_min);
  const anyRole = requireRole(...ROLES);

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with a username and password; sets the session cookie',
        security: [],
        body: jsonSchemaOf(loginBody),
        response: { 200: loginReplySchema, ...problemResponses(400, 401, 423, 429) },
      },
    },
    async (request, reply) => {
      const body = parseInput(loginBody, request.body, 'body');
      reply.header('cache-control', 'no-store');
      const outcome = await attemptLogin(ctx, throttle, { username: body.username, password: body.password, ip: request.ip });
      switch (outcome.kind) {
        case 'ok':
          reply.header('set-cookie', sessionCookie(outcome.cookieValue, ctx.config.secureCookies));
          return { username: outcome.account.username, role: outcome.account.role, sites: outcome.account.sites, csrfToken: outcome.csrfToken };
        case 'invalid':
          return problem(reply, new ProblemError(401, 'Login failed', LOGIN_FAILED));
        case 'locked':
          return problem(
            reply,
            new ProblemError(423, 'Account locked', `Too many failed logins: try again in ${Math.ceil(outcome.retryAfter_s / 60)} min, or ask an administrator to unlock the account.`),
            outcome.retryAfter_s,
          );
        case 'throttled':
          return problem(reply, new ProblemError(429, 'Too many login attempts', `Too many failed logins from this address: try again in ${Math.ceil(outcome.retryAfter_s / 60)} min.`), outcome.retryAfter_s);
      }
    },
  );

  app.get(
    '/api/auth/me',
    {
      preHandler: anyRole,
      schema: {
        tags: ['auth'],
        summary: 'The caller: username, role, sites, and the CSRF token of a browser session',
        response: { 200: meSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const p = request.principal!;
      const session = sessionOf(request);
      return { userId: p.userId, username: p.username, role: p.role, sites: p.sites, via: p.via, csrfToken: session?.csrfToken ?? null };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      preHandler: anyRole,
      schema: {
        tags: ['auth'],
        summary: 'End the browser session',
        response: { 204: noContent('Logged out; the session cookie is cleared'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      const session = sessionOf(request);
      if (!session) throw new ProblemError(400, 'Not a session', 'Logout ends a browser session; revoke an API token with DELETE /api/auth/tokens/:id.');
      const now = ctx.now();
      await ctx.registry.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sessions').where('id', '=', session.id).execute();
        await appendAudit(trx, `user:${p.username}`, [{ action: 'delete', entity: 'session', entityKey: session.id.slice(0, 16), before: { account: p.username }, after: null, reason: 'logout' }], now);
      });
      clearAuthCache(ctx);
      reply.header('set-cookie', clearedSessionCookie(ctx.config.secureCookies));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/auth/password',
    {
      preHandler: anyRole,
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (from a browser session); your other sessions end',
        description:
          'The current password is checked like a login (a wrong one counts toward the lockout: 423 when it locks); the new one follows the ' +
          'account rules (8 to 256 characters) and must differ from the current one. This session stays logged in; every other session of ' +
          'the account ends. API tokens are not revoked. An API token cannot change a password (403).',
        body: jsonSchemaOf(passwordBody),
        response: { 204: noContent('Password changed'), ...problemResponses(400, 401, 403, 409, 423) },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      const session = sessionOf(request);
      // Like minting a token: a leaked API token must not be able to take over the account's password.
      if (p.via !== 'session' || !session) throw new ProblemError(403, 'Session required', 'A password is changed from a logged-in browser session, not with an API token.');
      const body = parseInput(passwordBody, request.body, 'body');
      const outcome = await changeOwnPassword(ctx, { accountId: p.userId, keepSessionId: session.id, currentPassword: body.currentPassword, newPassword: body.newPassword });
      switch (outcome.kind) {
        case 'changed':
          return reply.code(204).send();
        case 'wrong-current':
          throw new ProblemError(400, 'Wrong password', 'The current password is wrong.', 'currentPassword');
        case 'locked':
          return problem(
            reply,
            new ProblemError(423, 'Account locked', `Too many wrong passwords: try again in ${Math.ceil(outcome.retryAfter_s / 60)} min, or ask an administrator to unlock the account.`, 'currentPassword'),
            outcome.retryAfter_s,
          );
        case 'conflict':
          throw new ProblemError(409, 'Password changed meanwhile', 'The password was changed by another request while this one was checked; nothing was changed. Log in again if needed.');
      }
    },
  );

  app.get(
    '/api/auth/tokens',
    {
      preHandler: anyRole,
      schema: { tags: ['auth'], summary: "The caller's API tokens (never the token itself)", response: { 200: tokenListSchema, ...problemResponses(401) } },
    },
    async (request) => {
      const rows = await ctx.registry.db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'expires_at', 'revoked_at', 'created_at'])
        .where('account_id', '=', request.principal!.userId)
        .orderBy('id')
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          createdAt: new Date(r.created_at).toISOString(),
          expiresAt: new Date(r.expires_at).toISOString(),
          revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/auth/tokens',
    {
      preHandler: anyRole,
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once)',
        body: jsonSchemaOf(newTokenBody),
        response: { 201: newTokenSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      // A token cannot mint tokens: a leaked token must not be able to outlive its own revocation.
      if (p.via !== 'session') throw new ProblemError(403, 'Session required', 'API tokens are created from a logged-in browser session.');
      const body = parseInput(newTokenBody, request.body, 'body');
      const now = ctx.now();
      const token = newSecret();
      const expiresAt = new Date(now.getTime() + body.expiresInDays * 86_400_000);
      const row = await ctx.registry.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('api_tokens')
          .values({ account_id: p.userId, name: body.name, token_sha256: sha256Hex(token), expires_at: expiresAt, created_at: now })
          .returning(['id'])
          .executeTakeFirstOrThrow();
        await appendAudit(trx, `user:${p.username}`, [
          { action: 'insert', entity: 'api_token', entityKey: String(inserted.id), before: null, after: { account: p.username, name: body.name, expiresAt: expiresAt.toISOString() }, reason: 'API token created' },
        ], now);
        return inserted;
      });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ id: row.id, name: body.name, token, expiresAt: expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/auth/tokens/:id',
    {
      preHandler: anyRole,
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (own tokens; admins any)',
        params: jsonSchemaOf(tokenParams),
        response: { 204: noContent('Revoked: the token stops working at once'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      const { id } = parseInput(tokenParams, request.params, 'params');
      const now = ctx.now();
      const found = await ctx.registry.db.transaction().execute(async (trx) => {
        let q = trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null);
        if (p.role !== 'admin') q = q.where('account_id', '=', p.userId);
        const row = await q.returning(['id', 'name', 'account_id']).executeTakeFirst();
        if (!row) return false;
        await appendAudit(trx, `user:${p.username}`, [
          { action: 'update', entity: 'api_token', entityKey: String(row.id), before: { revokedAt: null }, after: { revokedAt: now.toISOString(), name: row.name, accountId: row.account_id }, reason: 'API token revoked' },
        ], now);
        return true;
      });
      if (!found) throw new ProblemError(404, 'No such token', `You have no active API token with id ${id}.`, 'id');
      clearAuthCache(ctx);
      return reply.code(204).send();
    },
  );
}
