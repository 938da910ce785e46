// The HTTP server, assembled in one visible place: logging, problem+json errors, the auth hook, the OpenAPI
// document, every route module, and the built web app. Each route module is a thin layer over src/registry,
// src/clinical and src/study; this file only wires them together.
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { packageRoot } from '../package-root.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerAuthHooks } from './auth/auth-hooks.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerImportRoutes } from './import-routes.js';
import { OPENAPI_PATH, registerOpenApi } from './openapi.js';
import { registerPatientRoutes } from './patient-routes.js';
import { ProblemError, type ProblemBody } from './problem.js';
import type { ServerContext } from './server-context.js';
import { registerStudyRoutes } from './study-routes.js';
import { isRegistryUnavailable } from '../registry/db/registry-connection.js';

export interface BuildServerOptions {
  /** Structured JSON logs (pino) on stdout; false for none (tests). Default true. */
  readonly logger?: boolean;
}

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** "body.observations.0.value" from Fastify's (ajv's) validation error: the instance path or the missing property. */
function validationField(error: FastifyError): string {
  const first = error.validation?.[0];
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  if (!first) return where;
  const path = first.instancePath.replace(/^\//, '').split('/').filter((s) => s !== '');
  const params = first.params as Record<string, unknown>;
  if (typeof params['missingProperty'] === 'string') path.push(params['missingProperty']);
  if (typeof params['additionalProperty'] === 'string') path.push(params['additionalProperty']);
  return path.length === 0 ? where : path.join('.');
}

/** Every error as problem+json: a ProblemError as thrown, validation as 400 with the field, anything else 500 without internals. */
function problemOf(error: FastifyError | Error): ProblemBody {
  if (error instanceof ProblemError) return error.body();
  const fe = error as FastifyError;
  if (fe.validation) {
    const field = validationField(fe);
    const errors = fe.validation.map((v) => ({ field: validationField({ ...fe, validation: [v] } as FastifyError), detail: v.message ?? 'is invalid' }));
    return { type: 'about:blank', title: 'Invalid request', status: 400, detail: fe.message, field, errors };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, unsupported media type, body too large): their messages are safe.
    return { type: 'about:blank', title: titleOf(status), status, detail: fe.message };
  }
  // The database is restarting or unreachable: any route (not only the bedside ones) says so, and the client may retry.
  if (isRegistryUnavailable(error)) return { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the registry database does not answer; try again shortly' };
  return { type: 'about:blank', title: 'Internal Server Error', status: status >= 500 && status < 600 ? status : 500, detail: 'an unexpected error occurred; it has been logged' };
}

function titleOf(status: number): string {
  const titles: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests' };
  return titles[status] ?? 'Client Error';
}

/**
 * The web app's CSP: everything from this origin only, no inline script, no external request of any kind; frames
 * only from this origin (the study report). React sets styles through the DOM (allowed); Vite emits CSS files.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The file under `root` a URL path names, or null (outside the root, a dotfile, not a file). */
function webFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.') && part !== '')) return null;
  const file = resolve(root, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
  if (!file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built web app (Vite's output folder) at /: its files with the strict CSP above, and index.html for any
 * other path a browser navigates to (the single-page app routes on the client). Never under /api/.
 */
function registerWebApp(app: FastifyInstance, webRoot: string): void {
  const root = resolve(webRoot);
  const index = join(root, 'index.html');
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path === '/api' || path.startsWith('/api/')) {
      throw new ProblemError(404, 'Not Found', `no route ${request.method} ${path}`);
    }
    let file = webFile(root, path);
    if (file === null) {
      const wantsPage = extname(path) === '' || (request.headers.accept ?? '').includes('text/html');
      if (!wantsPage) throw new ProblemError(404, 'Not Found', `no file ${path}`);
      file = index;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      throw new ProblemError(404, 'Not Found', `the web app is not built (no ${file === index ? 'index.html' : path} in the web root)`);
    }
    const immutable = file !== index && path.startsWith('/assets/');
    return reply
      .type(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
      .header('content-security-policy', WEB_APP_CSP)
      .header('x-frame-options', 'DENY')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(body);
  });
}

function loggerOptions(enabled: boolean): FastifyServerOptions['logger'] {
  if (!enabled) return false;
  return {
    level: 'info',
    // Credentials never reach the log, whatever a serializer or a handler logs.
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', 'headers.cookie', 'headers.authorization', 'password', '*.password'],
      censor: '[redacted]',
    },
  };
}

/**
 * The Fastify 5 app: pino logs (cookies and authorization redacted) unless `options.logger` is false; errors and
 * unknown routes as problem+json; the auth hook (src/server/auth) before every route; health, auth, admin, patients,
 * audit, study and import routes; the OpenAPI document at GET /api/openapi.json (public); the web app from ctx.config.webRoot.
 * Over TLS when ctx.config.tls is set. The caller listens (`app.listen`) or injects, and closes it.
 */
export async function buildServer(ctx: ServerContext, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const tls = ctx.config.tls;
  const app = Fastify({
    logger: loggerOptions(options.logger !== false),
    // Behind a TLS-terminating proxy (--allow-insecure-remote) the client's address comes from X-Forwarded-For.
    trustProxy: ctx.config.allowInsecureRemote,
    ...(tls ? { https: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } } : {}),
  }) as unknown as FastifyInstance;

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = problemOf(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(body.status).type(PROBLEM_TYPE).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ProblemBody = { type: 'about:blank', title: 'Not Found', status: 404, detail: `no route ${request.method} ${request.url.split('?')[0]}` };
    return reply.code(404).type(PROBLEM_TYPE).send(body);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  await registerOpenApi(app, packageVersion());
  // The API description is public: it is not data (the 401 rule is for data routes). Answered here, before
  // the auth hook, which would otherwise refuse every anonymous request under /api/.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && request.routeOptions.url === OPENAPI_PATH) {
      return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(app.swagger());
    }
  });
  registerAuthHooks(app, ctx);
  registerHealthRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerPatientRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerStudyRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  if (ctx.config.webRoot !== null) registerWebApp(app, ctx.config.webRoot);
  return app;
}
