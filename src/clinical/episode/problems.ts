// Input problems and warnings as values (STYLE.md: errors are values with a path, the value seen and what was
// expected, collected for the whole input). A problem rejects the episode; a warning lets it pass, flagged.
import type { z } from 'zod';

/** A reason the input was rejected: the field, the value seen and what was expected. */
export interface InputProblem {
  /** Path into the input, e.g. 'observations[3].value'. */
  readonly path: string;
  readonly value?: unknown;
  /** What would have been accepted, e.g. '0.05–30 mg/dL' or 'one of: iabp, microaxial, va_ecmo, other'. */
  readonly expected: string;
  /** One readable sentence naming field, value and expectation. */
  readonly message: string;
}

/** A merely extreme value that was accepted but should be reviewed (reference 9 "warn"). Same shape as a problem. */
export type InputWarning = InputProblem;

type PathPart = string | number;

/** 'observations[3].value' from ['observations', 3, 'value']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The value at `path` in an unknown JSON value, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p as PathPart];
  }
  return cur;
}

/** A short rendering of a value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'undefined' ? 'no value here' : `a value of type ${issue.expected}`;
    case 'invalid_value':
      return `one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return `${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return `${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'an ISO 8601 date-time with offset, e.g. 2026-01-01T04:00:00Z' : `format ${issue.format}`;
    case 'invalid_union':
      return 'one of the allowed shapes (check the "kind" field and its required fields)';
    case 'unrecognized_keys':
      return `no keys ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** Converts zod issues into input problems, looking up the offending value in the raw input. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[], raw: unknown, prefix: readonly PropertyKey[] = []): InputProblem[] {
  return issues.map((issue) => {
    const fullPath = [...prefix, ...issue.path];
    const value = valueAt(raw, fullPath);
    const path = formatPath(fullPath);
    const expected = expectedOf(issue);
    const message =
      issue.code === 'custom'
        ? `${path}: ${issue.message}`
        : `${path}: got ${show(value)}, expected ${expected}`;
    return { path, value, expected, message };
  });
}
