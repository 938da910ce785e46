// Server validation messages next to the field they name (the problem's `field` and `errors[].field`), and the rest
// of the problem above the form's button, so no message is lost.
import type { ReactElement } from 'react';
import { fieldMessages, type Problem } from '../api.js';

export interface FieldErrorsApi {
  /** Messages for one request field (e.g. 'observations[0].value'), also matching its sub-fields. */
  of(field: string): string[];
  readonly problem: Problem | null;
}

export function fieldErrors(problem: Problem | null): FieldErrorsApi {
  const map = fieldMessages(problem);
  return {
    problem,
    of(field) {
      const out: string[] = [];
      for (const [f, msgs] of map) if (f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)) out.push(...msgs);
      return out;
    },
  };
}

export function FieldError(props: { readonly errors: FieldErrorsApi; readonly field: string; readonly id: string }): ReactElement | null {
  const msgs = props.errors.of(props.field);
  if (msgs.length === 0) return null;
  return (
    <span id={props.id} className="field-error" role="alert">
      {msgs.join('; ')}
    </span>
  );
}

/** The problem's title and detail (and any message not shown next to a field of the form). */
export function ProblemBox(props: { readonly errors: FieldErrorsApi; readonly shown: readonly string[] }): ReactElement | null {
  const p = props.errors.problem;
  if (!p) return null;
  const claimed = (f: string) => props.shown.some((s) => f === s || f.startsWith(`${s}.`) || f.startsWith(`${s}[`));
  const rest = (p.errors ?? []).filter((e) => !claimed(e.field));
  return (
    <div className="problem" role="alert">
      <strong>{p.title}</strong>
      {rest.length > 0 ? (
        <ul>
          {rest.map((e, i) => (
            <li key={i}>
              {e.field}: {e.detail}
            </li>
          ))}
        </ul>
      ) : (
        (p.errors ?? []).length === 0 && <span>: {p.detail}</span>
      )}
    </div>
  );
}
