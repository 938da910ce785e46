// The audit trail over HTTP, read-only, for auditors and admins: GET /api/audit pages through the records newest
// first (?limit <= 500, ?before=<seq> for the next page); GET /api/audit/verify recomputes the hash chain, as
// `stratum audit verify` does. Audit records can hold identities (a corrected patient identity keeps its before and
// after), so each page read is itself recorded in the trail.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { appendAudit, verifyAuditChain } from '../registry/db/audit-log.js';
import { requireRole } from './auth/auth-hooks.js';
import { jsonSchemaOf, problemResponses } from './openapi.js';
import type { Principal, Role } from './principal.js';
import { parseInput, ProblemError } from './problem.js';
import type { ServerContext } from './server-context.js';

const AUDIT_ROLES: readonly Role[] = ['auditor', 'admin'];
export const AUDIT_PAGE_MAX = 500;

const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

const anyJson = { description: 'JSON value (null when absent)', nullable: true } as const;

const auditRecordSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'string' },
    action: { type: 'string' },
    entity: { type: 'string' },
    entityKey: { type: 'string' },
    before: anyJson,
    after: anyJson,
    reason: { type: 'string' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
  required: ['seq', 'at', 'actor', 'action', 'entity', 'entityKey', 'before', 'after', 'reason', 'prevHash', 'hash'],
} as const;

const auditPageSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: auditRecordSchema },
    limit: { type: 'integer' },
    nextBefore: { type: 'integer', nullable: true, description: 'Pass as ?before= for the next (older) page; null on the last page.' },
  },
  required: ['items', 'limit', 'nextBefore'],
} as const;

const verificationSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    records: { type: 'integer' },
    lastHash: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', properties: { seq: { type: 'integer' }, problem: { type: 'string' } }, required: ['seq', 'problem'] } },
  },
  required: ['ok', 'records', 'lastHash', 'problems'],
} as const;

/** Defence in depth beside requireRole: the handler itself refuses a missing or wrong principal. */
function auditor(request: FastifyRequest): Principal {
  const p = request.principal;
  if (!p) throw new ProblemError(401, 'Unauthorized', 'log in or give an API token');
  if (!AUDIT_ROLES.includes(p.role)) throw new ProblemError(403, 'Forbidden', 'the audit trail is for auditors and admins');
  return p;
}

function parseStored(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const guard = requireRole(...AUDIT_ROLES);

  app.get(
    '/api/audit',
    {
      preHandler: guard,
      schema: {
        summary: 'Audit records, newest first',
        tags: ['audit'],
        querystring: jsonSchemaOf(auditQuerySchema),
        response: { 200: auditPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = auditor(request);
      const query = parseInput(auditQuerySchema, request.query, 'query');
      let q = ctx.registry.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(query.limit);
      if (query.before !== undefined) q = q.where('seq', '<', query.before);
      const rows = await q.execute();
      const items = rows.map((r) => ({
        seq: r.seq,
        at: (r.at instanceof Date ? r.at : new Date(r.at)).toISOString(),
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityKey: r.entity_key,
        before: parseStored(r.before),
        after: parseStored(r.after),
        reason: r.reason,
        prevHash: r.prev_hash,
        hash: r.hash,
      }));
      const last = items[items.length - 1];
      await ctx.registry.db.transaction().execute((trx) =>
        appendAudit(
          trx,
          `user:${principal.username}`,
          [{ action: 'read', entity: 'audit_log', entityKey: query.before === undefined ? 'newest' : `before ${query.before}`, before: null, after: { limit: query.limit, returned: items.length }, reason: 'GET /api/audit' }],
          ctx.now(),
        ),
      );
      return { items, limit: query.limit, nextBefore: items.length === query.limit && last !== undefined && last.seq > 1 ? last.seq : null };
    },
  );

  app.get(
    '/api/audit/verify',
    {
      preHandler: guard,
      schema: {
        summary: 'Recompute the audit trail hash chain',
        tags: ['audit'],
        response: { 200: verificationSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      auditor(request);
      const v = await verifyAuditChain(ctx.registry.db);
      return { ok: v.ok, records: v.records, lastHash: v.lastHash, problems: v.problems.map((p) => ({ seq: p.seq, problem: p.problem })) };
    },
  );
}
