// For tests: an app with the auth hooks, auth and admin routes and two probe routes, on a given registry, with a
// clock the test moves. Errors are written as problem+json the way the real server does (build-server.ts).
import Fastify, { type FastifyError, type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { Registry } from '../../registry/db/registry-connection.js';
import { registerAdminRoutes } from '../admin-routes.js';
import { registerAuthRoutes } from '../auth-routes.js';
import { PROBLEM_SCHEMA } from '../openapi.js';
import type { Role } from '../principal.js';
import { ProblemError } from '../problem.js';
import { DEFAULT_SERVER_CONFIG, type ServerConfig, type ServerContext } from '../server-context.js';
import { createAccount } from './accounts.js';
import { registerAuthHooks } from './auth-hooks.js';
import { SESSION_COOKIE } from './session-cookie.js';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  /** Moves the clock forward. */
  advance(minutes: number): void;
  close(): Promise<void>;
}

export const T0 = new Date('2030-01-01T08:00:00Z');

export async function buildTestApp(registry: Registry, config: Partial<ServerConfig> = {}): Promise<TestApp> {
  let now = T0.getTime();
  const ctx: ServerContext = { registry, config: { ...DEFAULT_SERVER_CONFIG, ...config }, now: () => new Date(now) };
  const app = Fastify({ logger: false });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const body = error instanceof ProblemError
      ? error.body()
      : { type: 'about:blank', title: 'Error', status: typeof error.statusCode === 'number' ? error.statusCode : 500, detail: error.message };
    return reply.code(body.status).type('application/problem+json').send(JSON.stringify(body));
  });
  // The routes' error responses reference the shared Problem schema, as on the real server (registerOpenApi).
  app.addSchema(PROBLEM_SCHEMA);
  registerAuthHooks(app, ctx);
  registerAuthRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  app.get('/api/probe', async (request) => ({ user: request.principal?.username ?? null, via: request.principal?.via ?? null }));
  app.post('/api/probe', async (request) => ({ user: request.principal?.username ?? null, via: request.principal?.via ?? null }));
  app.get('/public', async (request) => ({ user: request.principal?.username ?? null }));
  await app.ready();
  return {
    app,
    ctx,
    advance: (minutes) => {
      now += minutes * 60_000;
    },
    close: () => app.close(),
  };
}

export interface LoggedIn {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly response: LightMyRequestResponse;
}

export async function addUser(t: TestApp, username: string, role: Role, sites: string[] = [], password = `${username}-password-1`): Promise<string> {
  await createAccount(t.ctx, { username, password, role, sites }, 'test');
  return password;
}

export function login(t: TestApp, username: string, password: string, remoteAddress = '127.0.0.1'): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
}

/** Logs in and returns the `name=value` cookie pair and CSRF token; throws if the login fails. */
export async function loginOk(t: TestApp, username: string, password: string): Promise<LoggedIn> {
  const response = await login(t, username, password);
  if (response.statusCode !== 200) throw new Error(`login of ${username} failed: ${response.statusCode} ${response.body}`);
  const setCookie = String(response.headers['set-cookie']);
  const pair = setCookie.split(';')[0]!;
  if (!pair.startsWith(`${SESSION_COOKIE}=`)) throw new Error(`no session cookie: ${setCookie}`);
  return { cookie: pair, csrfToken: (response.json() as { csrfToken: string }).csrfToken, response };
}
