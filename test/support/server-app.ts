// A server app over a registry for route tests (fastify.inject, no port), and a logged-in caller of a given role:
// the account is created through createAccount and logs in through the real login route, so the returned headers
// (session cookie and CSRF token) are what a browser would send.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Registry } from '../../src/registry/db/registry-connection.js';
import { createAccount } from '../../src/server/auth/accounts.js';
import { buildServer } from '../../src/server/build-server.js';
import type { Role } from '../../src/server/principal.js';
import { DEFAULT_SERVER_CONFIG, type ServerContext } from '../../src/server/server-context.js';

export const TEST_PASSWORD = 'synthetic-test-password-1';

export async function withServerApp(registry: Registry, body: (app: FastifyInstance, ctx: ServerContext) => Promise<void>): Promise<void> {
  const ctx: ServerContext = { registry, config: DEFAULT_SERVER_CONFIG, now: () => new Date() };
  const app = await buildServer(ctx, { logger: false });
  try {
    await body(app, ctx);
  } finally {
    await app.close();
  }
}

/** Creates an account of `role` (with `sites` for a clinician), logs it in, and returns the headers of its session. */
export async function loginAs(app: FastifyInstance, ctx: ServerContext, role: Role, sites: string[] = []): Promise<Record<string, string>> {
  const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
  await createAccount(ctx, { username, password: TEST_PASSWORD, role, sites }, 'test');
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  assert.ok(cookie, 'a session cookie');
  return { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
}
