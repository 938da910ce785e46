// Errors as RFC 9457 problem details (application/problem+json): status, a short title, a detail a person can act
// on, and the field at fault. Routes throw ProblemError (or parseInput's); the server's error handler writes it.
import type { z } from 'zod';

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The request field at fault, as a path (e.g. "observations[0].value"), when one can be named. */
  readonly field?: string;
  /** Every problem when several fields are at fault (validation). */
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly detail: string }>;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly field: string | undefined;
  readonly errors: ProblemBody['errors'];

  constructor(status: number, title: string, detail: string, field?: string, errors?: ProblemBody['errors']) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.title = title;
    this.field = field;
    this.errors = errors;
  }

  body(): ProblemBody {
    return {
      type: 'about:blank',
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.errors !== undefined ? { errors: this.errors } : {}),
    };
  }
}

/** Validates `value` with a zod schema; a failure is a 400 problem naming every field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const errors = r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || where, detail: i.message }));
  const first = errors[0];
  throw new ProblemError(400, 'Invalid request', `${where}: ${errors.map((e) => `${e.field}: ${e.detail}`).join('; ')}`, first?.field, errors);
}
