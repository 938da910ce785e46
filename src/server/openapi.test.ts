// The OpenAPI document describes every operation fully enough to write a client from it: a summary, the success
// response's schema, the request body of every write that takes one, every path parameter, and problem+json for
// every 4xx. Read from the assembled server (buildServer), so a route that declares only a summary fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { withServerApp } from '../../test/support/server-app.js';
import { PROBLEM_SCHEMA } from './openapi.js';

interface Schema {
  readonly type?: unknown;
  readonly $ref?: string;
  readonly allOf?: readonly Schema[];
  readonly properties?: Record<string, unknown>;
  readonly required?: readonly string[];
}
interface Media {
  readonly schema?: Schema;
}
interface Operation {
  readonly summary?: string;
  readonly parameters?: ReadonlyArray<{ readonly in: string; readonly name: string; readonly required?: boolean; readonly schema?: Schema }>;
  readonly requestBody?: { readonly content?: Record<string, Media> };
  readonly responses?: Record<string, { readonly content?: Record<string, Media> }>;
}
interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
}

/** Writes that take no body at all (the document cannot say so otherwise); every other write must declare one. */
const BODYLESS_WRITES = new Set(['POST /api/auth/logout', 'DELETE /api/auth/tokens/{id}']);
const PROBLEM_REF = '#/components/schemas/Problem';

function hasTypeOrRef(schema: Schema | undefined): boolean {
  return schema !== undefined && (schema.type !== undefined || typeof schema.$ref === 'string');
}

/** The Problem schema itself, or one that extends it (all of its properties and required fields, e.g. an import's rejections). */
function isProblem(schema: Schema | undefined): boolean {
  if (schema === undefined) return false;
  if (schema.$ref === PROBLEM_REF) return true;
  if (schema.allOf?.some((s) => s.$ref === PROBLEM_REF)) return true;
  const props = Object.keys(schema.properties ?? {});
  return Object.keys(PROBLEM_SCHEMA.properties).every((p) => props.includes(p)) && PROBLEM_SCHEMA.required.every((r) => schema.required?.includes(r) === true);
}

/** Every shortcoming of one operation, as "METHOD /path: what is missing". */
function shortcomings(method: string, path: string, op: Operation): string[] {
  const name = `${method.toUpperCase()} ${path}`;
  const out: string[] = [];
  if (typeof op.summary !== 'string' || op.summary.trim() === '') out.push(`${name}: no summary`);

  const responses = Object.entries(op.responses ?? {});
  const success = responses.filter(([status]) => /^2\d\d$/.test(status));
  if (success.length === 0) out.push(`${name}: no 2xx response`);
  for (const [status, response] of success) {
    const media = Object.values(response.content ?? {});
    // 204 No Content has no body to describe; any other success must describe what it sends.
    if (status === '204') {
      if (media.length > 0) out.push(`${name}: 204 declares a body`);
    } else if (media.length === 0 || !media.every((m) => hasTypeOrRef(m.schema))) {
      out.push(`${name}: ${status} has no schema with a type or $ref`);
    }
  }
  for (const [status, response] of responses.filter(([s]) => /^4\d\d$/.test(s))) {
    const media = Object.values(response.content ?? {});
    if (media.length === 0 || !media.every((m) => isProblem(m.schema))) out.push(`${name}: ${status} is not the Problem schema`);
  }

  if (['post', 'put', 'patch'].includes(method) && !BODYLESS_WRITES.has(name)) {
    const media = Object.values(op.requestBody?.content ?? {});
    if (media.length === 0 || !media.every((m) => m.schema !== undefined)) out.push(`${name}: no requestBody schema`);
  }

  for (const [, param] of path.matchAll(/\{(\w+)\}/g)) {
    const declared = op.parameters?.find((p) => p.in === 'path' && p.name === param);
    if (!declared || declared.required !== true || declared.schema === undefined) out.push(`${name}: path parameter ${param} not declared`);
  }
  return out;
}

test('OpenAPI: every operation has a summary, a typed 2xx, its request body, its path parameters, and Problem for every 4xx', async () => {
  const [target] = registryTargets();
  await withFreshRegistry(target!, (registry) =>
    withServerApp(registry, async (app) => {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      assert.equal(res.statusCode, 200, res.body);
      const doc = res.json() as Document;
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
      const problems = operations.flatMap(({ path, method, op }) => shortcomings(method, path, op));
      assert.deepEqual(problems, [], `operations the document does not describe fully:\n${problems.join('\n')}`);
      // The check reads the operations it should: the auth and admin routes are among them.
      const names = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`);
      for (const expected of ['POST /api/auth/login', 'POST /api/auth/password', 'PATCH /api/admin/users/{id}', 'POST /api/admin/users/{id}/password']) {
        assert.ok(names.includes(expected), `${expected} is in the document (${names.join(', ')})`);
      }
    }),
  );
});

test('OpenAPI check: catches each kind of gap (so a pass above means something)', () => {
  const ok: Operation = {
    summary: 'x',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'integer' } }],
    requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
    responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } }, '400': { content: { 'application/json': { schema: { $ref: PROBLEM_REF } } } } },
  };
  assert.deepEqual(shortcomings('post', '/api/x/{id}', ok), []);
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, summary: '' }), ['POST /api/x/{id}: no summary']);
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, parameters: [] }), ['POST /api/x/{id}: path parameter id not declared']);
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, requestBody: undefined }), ['POST /api/x/{id}: no requestBody schema']);
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, responses: { '200': { content: { 'application/json': {} } } } }), ['POST /api/x/{id}: 200 has no schema with a type or $ref']);
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, responses: { '200': { description: 'Default Response' } as never } }), ['POST /api/x/{id}: 200 has no schema with a type or $ref']);
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, responses: { '400': ok.responses!['400']! } }), ['POST /api/x/{id}: no 2xx response']);
  const openProblem = { content: { 'application/json': { schema: { type: 'object' } } } };
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, responses: { ...ok.responses, '403': openProblem } }), ['POST /api/x/{id}: 403 is not the Problem schema']);
  const extended = { content: { 'application/json': { schema: { type: 'object', properties: { ...PROBLEM_SCHEMA.properties, rejected: {} }, required: [...PROBLEM_SCHEMA.required] } } } };
  assert.deepEqual(shortcomings('post', '/api/x/{id}', { ...ok, responses: { ...ok.responses, '400': extended } }), [], 'an extension of Problem is a Problem');
  assert.deepEqual(shortcomings('get', '/api/x', { summary: 'x', responses: { '204': {} } }), [], 'a 204 needs no body');
  assert.deepEqual(shortcomings('post', '/api/auth/logout', { summary: 'x', responses: { '204': {} } }), [], 'a listed bodyless write');
});
