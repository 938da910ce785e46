// Server validation messages next to the field they name (the problem's `field` and `errors[].field`), and the rest
// of the problem above the form's button, so no message is lost. `Field` is the labelled control of every form: an
// explicit <label for>, the control's id and aria-describedby wired to its message, and the message itself.
import { useId, type ReactElement, type ReactNode } from 'react';
import { fieldMessages, type Problem } from '../api.js';

export interface FieldErrorsApi {
  /**
   * Messages for request fields (e.g. 'observations[0].value'), each also matching its sub-fields, leaving out the
   * fields in `except` (and theirs): an observation's value and unit next to its input, its time next to the time.
   */
  of(field: string | readonly string[], except?: readonly string[]): string[];
  readonly problem: Problem | null;
}

/** `f` is `field` or one of its sub-fields ('a' covers 'a.b' and 'a[0]'). */
const within = (f: string, field: string) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`);

export function fieldErrors(problem: Problem | null): FieldErrorsApi {
  const map = fieldMessages(problem);
  return {
    problem,
    of(field, except = []) {
      const fields = typeof field === 'string' ? [field] : field;
      const out: string[] = [];
      for (const [f, msgs] of map) if (fields.some((x) => within(f, x)) && !except.some((x) => within(f, x))) out.push(...msgs);
      return out;
    },
  };
}

export const NO_ERRORS: FieldErrorsApi = fieldErrors(null);

export function FieldError(props: { readonly messages: readonly string[]; readonly id: string }): ReactElement | null {
  if (props.messages.length === 0) return null;
  return (
    <span id={props.id} className="field-error" role="alert">
      {props.messages.join('; ')}
    </span>
  );
}

/** What a control needs from its Field: its id (the label's `for`) and the id of its message, when there is one. */
export interface ControlProps {
  readonly id: string;
  readonly describedBy: string | undefined;
}

export interface FieldProps {
  readonly label: ReactNode;
  /** The request field(s) whose messages belong here; none for a control the server never names. */
  readonly field?: string | readonly string[];
  readonly except?: readonly string[];
  readonly errors?: FieldErrorsApi;
  readonly className?: string;
  readonly children: (control: ControlProps) => ReactNode;
}

export function Field(props: FieldProps): ReactElement {
  const id = useId();
  const errorId = `${id}-error`;
  const messages = props.field === undefined ? [] : (props.errors ?? NO_ERRORS).of(props.field, props.except);
  const has = messages.length > 0;
  const className = [props.className, has ? 'invalid' : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy: has ? errorId : undefined })}
      <FieldError messages={messages} id={errorId} />
    </div>
  );
}

/** The problem's title and detail (and any message not shown next to a field of the form). */
export function ProblemBox(props: { readonly errors: FieldErrorsApi; readonly shown: readonly string[] }): ReactElement | null {
  const p = props.errors.problem;
  if (!p) return null;
  const claimed = (f: string) => props.shown.some((s) => within(f, s));
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
        (p.errors ?? []).length === 0 && !(p.field !== undefined && claimed(p.field)) && <span>: {p.detail}</span>
      )}
    </div>
  );
}
