// Liveness and readiness, outside /api/ and without authentication, for load balancers and process supervisors:
// GET /health says the process answers; GET /ready says it can also reach the registry (a `select 1`).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { problemResponses } from './openapi.js';
import { ProblemError } from './problem.js';
import type { ServerContext } from './server-context.js';

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok'] }, registry: { type: 'string', enum: ['embedded', 'server'] } },
  required: ['status'],
} as const;

export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/health',
    { schema: { summary: 'Liveness: the process answers', tags: ['health'], security: [], response: { 200: statusSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the registry answers a query',
        tags: ['health'],
        security: [],
        response: { 200: statusSchema, ...problemResponses(503) },
      },
    },
    async (request) => {
      try {
        await sql`select 1`.execute(ctx.registry.db);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check: the registry did not answer');
        throw new ProblemError(503, 'Service Unavailable', 'the registry database does not answer; try again shortly');
      }
      return { status: 'ok' as const, registry: ctx.registry.kind };
    },
  );
}
