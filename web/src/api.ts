// The one way the app talks to the server: same-origin fetch with the session cookie, the CSRF header on writes,
// and every failure as the server's problem+json ({type, title, status, detail, field?, errors?}).

export interface FieldError {
  readonly field: string;
  readonly detail: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly field?: string;
  readonly errors?: readonly FieldError[];
  readonly [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

let csrfToken: string | null = null;
/** Set after login (POST /api/auth/login) and GET /api/auth/me; sent as x-csrf-token on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body) && typeof body['status'] === 'number') {
      return { ...body, type: String(body['type'] ?? 'about:blank'), title: String(body['title'] ?? res.statusText), status: body['status'], detail: String(body['detail'] ?? '') };
    }
  } catch {
    // not JSON: fall through
  }
  return { type: 'about:blank', title: res.statusText || 'Error', status: res.status, detail: text.slice(0, 300) || `HTTP ${res.status}` };
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly json?: unknown;
  readonly raw?: { readonly body: Blob | string; readonly contentType: string };
}

/** Calls the API; resolves with the parsed JSON body (undefined for 204) or rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.body;
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** The problem of a caught error (an ApiError's, or a generic one for network failures). */
export function problemFrom(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { type: 'about:blank', title: 'Network error', status: 0, detail: error instanceof Error ? error.message : String(error) };
}

/** Messages of a problem per request field: `field` and every `errors[].field` (the server names the request's fields). */
export function fieldMessages(problem: Problem | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!problem) return out;
  const add = (field: string, detail: string) => out.set(field, [...(out.get(field) ?? []), detail]);
  for (const e of problem.errors ?? []) add(e.field, e.detail);
  if (problem.field && !out.has(problem.field)) add(problem.field, problem.detail);
  return out;
}
