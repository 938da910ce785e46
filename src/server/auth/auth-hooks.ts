// The auth plugin's hooks: who is calling (session cookie or bearer token -> request.principal), CSRF on
// session-authenticated writes, 401 for every anonymous request under /api/ (except the login itself), and
// requireRole for routes. Hooks answer with problem+json directly.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../principal.js';
import { ProblemError } from '../problem.js';
import type { ServerContext } from '../server-context.js';
import { resolveApiToken } from './api-tokens.js';
import { sendProblem, unauthorized } from './problem-reply.js';
import { clearedSessionCookie, readSessionCookie } from './session-cookie.js';
import { resolveSession } from './sessions.js';
import { secretsEqual } from './secrets.js';

export const CSRF_HEADER = 'x-csrf-token';
export const LOGIN_ROUTE = '/api/auth/login';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface SessionInfo {
  readonly id: string;
  readonly csrfToken: string;
}
const sessions = new WeakMap<FastifyRequest, SessionInfo>();

/** The session behind a session-authenticated request (its hashed id and CSRF token), or null. */
export function sessionOf(request: FastifyRequest): SessionInfo | null {
  return sessions.get(request) ?? null;
}

function requiresPrincipal(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]?.toLowerCase() ?? '';
  const route = request.routeOptions.url?.toLowerCase() ?? '';
  return path === '/api' || path.startsWith('/api/') || route.startsWith('/api/');
}

export function registerAuthHooks(app: FastifyInstance, ctx: ServerContext): void {
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.principal = null;
    if (request.method === 'POST' && request.routeOptions.url === LOGIN_ROUTE) return;
    const needed = requiresPrincipal(request);

    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
      const principal = match?.[1] ? await resolveApiToken(ctx, match[1]) : null;
      if (principal) request.principal = principal;
      else if (needed) return sendProblem(reply, new ProblemError(401, 'Not authenticated', 'The API token is unknown, expired or revoked.'));
      return;
    }

    const cookieValue = readSessionCookie(request.headers.cookie);
    const session = cookieValue === null ? null : await resolveSession(ctx, cookieValue);
    if (!session) {
      if (cookieValue !== null) reply.header('set-cookie', clearedSessionCookie(ctx.config.secureCookies));
      if (needed) return sendProblem(reply, cookieValue === null ? unauthorized() : new ProblemError(401, 'Session expired', 'The session has ended; log in again.'));
      return;
    }
    if (UNSAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !secretsEqual(header, session.csrfToken)) {
        return sendProblem(reply, new ProblemError(403, 'CSRF token missing or wrong', `Send the session's CSRF token (from the login or GET /api/auth/me) in the ${CSRF_HEADER} header.`, CSRF_HEADER));
      }
    }
    request.principal = session.principal;
    sessions.set(request, { id: session.id, csrfToken: session.csrfToken });
  });
}

/** preHandler: 401 without a principal, 403 unless its role is one of `roles`. */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async function requireRoleHook(request: FastifyRequest, reply: FastifyReply) {
    const p = request.principal;
    if (!p) return sendProblem(reply, unauthorized());
    if (!roles.includes(p.role)) {
      return sendProblem(reply, new ProblemError(403, 'Forbidden', `This needs the role ${roles.join(' or ')}; you are ${p.role}.`));
    }
  };
}
