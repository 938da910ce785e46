// The assembled server: health and readiness, problem+json for every error, the OpenAPI document covering every
// route, 401 on every /api/ data route without a session, the web app's static files. Runs on each registry target.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openRegistry, type Registry } from '../registry/db/registry-connection.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { createAccount } from './auth/accounts.js';
import { buildServer, WEB_APP_CSP } from './build-server.js';
import type { Role } from './principal.js';
import { DEFAULT_SERVER_CONFIG, type ServerConfig, type ServerContext } from './server-context.js';

const PASSWORD = 'synthetic-test-password-1';

async function withServer<T>(registry: Registry, body: (app: FastifyInstance, ctx: ServerContext) => Promise<T>, config: Partial<ServerConfig> = {}): Promise<T> {
  const ctx: ServerContext = { registry, config: { ...DEFAULT_SERVER_CONFIG, ...config }, now: () => new Date() };
  const app = await buildServer(ctx, { logger: false });
  try {
    return await body(app, ctx);
  } finally {
    await app.close();
  }
}

/** Creates an account with `role` and logs it in; returns the headers a browser would send (cookie + CSRF). */
export async function loginAs(app: FastifyInstance, ctx: ServerContext, role: Role, sites: string[] = []): Promise<Record<string, string>> {
  const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
  await createAccount(ctx, { username, password: PASSWORD, role, sites }, 'test');
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  assert.ok(cookie, 'login sets a session cookie');
  return { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
}

/** "METHOD /path" of every route the app holds, from Fastify's route tree (one segment per line, indented by depth). */
function routesOf(app: FastifyInstance): string[] {
  const out: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (depth === 0 ? '' : (prefixes[depth - 1] ?? '')) + m[2]!;
    prefixes[depth] = path;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method !== '' && method !== 'HEAD' && method !== 'OPTIONS') out.push(`${method} ${path}`);
    }
  }
  return out.sort();
}

function isProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number): Record<string, unknown> {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  assert.equal(body['status'], status);
  assert.equal(typeof body['title'], 'string');
  assert.equal(typeof body['detail'], 'string');
  assert.equal(typeof body['type'], 'string');
  return body;
}

for (const target of registryTargets()) {
  describe(`buildServer (${target.name} registry)`, () => {
    it('answers /health and /ready', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app) => {
          const health = await app.inject({ method: 'GET', url: '/health' });
          assert.equal(health.statusCode, 200);
          assert.deepEqual(health.json(), { status: 'ok' });
          assert.equal(health.headers['x-content-type-options'], 'nosniff');
          const ready = await app.inject({ method: 'GET', url: '/ready' });
          assert.equal(ready.statusCode, 200);
          assert.deepEqual(ready.json(), { status: 'ok', registry: target.name });
        }),
      );
    });

    it('is not ready (503 problem) when the registry is closed, and still alive', async () => {
      const { location, dispose } = await target.fresh();
      const registry = await openRegistry(location);
      try {
        await withServer(registry, async (app) => {
          await registry.close();
          isProblem(await app.inject({ method: 'GET', url: '/ready' }), 503);
          assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
        });
      } finally {
        await dispose();
      }
    });

    it('answers unknown routes, invalid input and unexpected errors with problem+json (500 without internals)', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app, ctx) => {
          app.get('/boom', async () => {
            throw new Error('secret internals: password=hunter2');
          });
          app.get('/outage', async () => {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          });
          isProblem(await app.inject({ method: 'GET', url: '/no-such-page' }), 404);
          const boom = isProblem(await app.inject({ method: 'GET', url: '/boom' }), 500);
          assert.doesNotMatch(JSON.stringify(boom), /secret|hunter2/);
          // A database outage on any route is a 503 the client may retry, not a 500.
          const outage = isProblem(await app.inject({ method: 'GET', url: '/outage' }), 503);
          assert.doesNotMatch(JSON.stringify(outage), /5432/);
          const headers = await loginAs(app, ctx, 'auditor');
          isProblem(await app.inject({ method: 'GET', url: '/api/no-such-route', headers }), 404);
          const bad = isProblem(await app.inject({ method: 'GET', url: '/api/audit?limit=5000', headers }), 400);
          assert.equal(bad['field'], 'limit');
          const malformed = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": ' });
          isProblem(malformed, 400);
        }),
      );
    });

    it('publishes an OpenAPI 3 document that describes every route, without a session (it describes, holds no data)', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app) => {
          const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
          assert.equal(res.statusCode, 200, res.body);
          const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas?: Record<string, unknown> } };
          assert.match(doc.openapi, /^3\./);
          const documented = new Set(
            Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)),
          );
          const routes = routesOf(app);
          assert.ok(routes.includes('GET /api/audit/verify') && routes.includes('GET /api/studies/runs/:id/report'), `the route list is read: ${routes.join(', ')}`);
          const undocumented = routes.filter((r) => !documented.has(r) && r !== 'GET /api/openapi.json');
          assert.deepEqual(undocumented, [], 'every route is in the OpenAPI document');
          for (const r of ['GET /health', 'GET /ready', 'POST /api/auth/login', 'GET /api/patients', 'GET /api/audit', 'GET /api/audit/verify', 'GET /api/studies', 'POST /api/studies/runs', 'GET /api/studies/runs/:id/report', 'POST /api/imports']) {
            assert.ok(documented.has(r), `${r} is documented`);
          }
          assert.ok(doc.components.schemas?.['Problem'], 'the Problem schema is a component');
        }),
      );
    });

    it('answers 401 problem+json on every /api/ data route without a session or token', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app) => {
          // The document itself is public; every path it lists under /api/ (but the login) is data and needs a session.
          const docRes = await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { cookie: 'stratum_session=forged' } });
          assert.equal(docRes.statusCode, 200, 'the API description is public, even with a stale cookie');
          const doc = docRes.json() as { paths: Record<string, Record<string, unknown>> };
          assert.ok(!('/api/openapi.json' in doc.paths), 'the document does not list itself, so every listed /api/ path is a data route');
          let checked = 0;
          for (const [path, ops] of Object.entries(doc.paths)) {
            if (!path.startsWith('/api/')) continue;
            for (const method of Object.keys(ops)) {
              if (method === 'post' && path === '/api/auth/login') continue;
              const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? '00000000-0000-4000-8000-000000000001' : '1'));
              const res = await app.inject({ method: method.toUpperCase() as 'GET', url, payload: method === 'get' || method === 'delete' ? undefined : {} });
              assert.equal(res.statusCode, 401, `${method.toUpperCase()} ${path} without a session: ${res.statusCode} ${res.body}`);
              isProblem(res, 401);
              const forged = await app.inject({ method: method.toUpperCase() as 'GET', url, headers: { cookie: 'stratum_session=forged', authorization: 'Bearer forged' } });
              assert.equal(forged.statusCode, 401, `${method.toUpperCase()} ${path} with a forged token`);
              checked += 1;
            }
          }
          assert.ok(checked >= 10, `checked ${checked} routes`);
        }),
      );
    });
  });
}

describe('buildServer: the web app', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'stratum-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Stratum</title><script type="module" src="/assets/app-1.js"></script>');
    writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(root, '.secret'), 'no');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('serves the built files with a strict CSP, falls back to index.html for app routes, and never leaves the root', async () => {
    const [target] = registryTargets();
    await withFreshRegistry(target!, (registry) =>
      withServer(
        registry,
        async (app) => {
          const index = await app.inject({ method: 'GET', url: '/' });
          assert.equal(index.statusCode, 200);
          assert.match(String(index.headers['content-type']), /^text\/html/);
          assert.equal(index.headers['content-security-policy'], WEB_APP_CSP);
          assert.match(WEB_APP_CSP, /default-src 'self'/);
          assert.doesNotMatch(WEB_APP_CSP, /unsafe-inline|unsafe-eval|https?:/);
          const js = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
          assert.equal(js.statusCode, 200);
          assert.match(String(js.headers['content-type']), /^text\/javascript/);
          assert.match(String(js.headers['cache-control']), /immutable/);
          const route = await app.inject({ method: 'GET', url: '/patients/site-01/E1', headers: { accept: 'text/html' } });
          assert.equal(route.statusCode, 200);
          assert.match(route.body, /<title>Stratum<\/title>/);
          for (const url of ['/.secret', '/assets/missing.js', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd.txt']) {
            const res = await app.inject({ method: 'GET', url });
            assert.notEqual(res.body.includes('root:'), true, url);
            assert.ok(res.statusCode === 404 || (res.statusCode === 200 && res.body.includes('<title>Stratum')), `${url}: ${res.statusCode}`);
            assert.notEqual(res.body, 'no', url);
          }
          isProblem(await app.inject({ method: 'GET', url: '/assets/missing.js' }), 404);
        },
        { webRoot: root },
      ),
    );
  });
});
