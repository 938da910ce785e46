// Model-fitting failures as values a command can turn into one clear line: what went wrong and where.

export type StatsErrorKind =
  | 'no-events'
  | 'singular'
  | 'separation'
  | 'no-convergence'
  | 'invalid-input'
  | 'empty';

export class StatsError extends Error {
  readonly kind: StatsErrorKind;
  /** The term, column or argument at fault, when one can be named. */
  readonly term: string | undefined;

  constructor(kind: StatsErrorKind, message: string, term?: string) {
    super(message);
    this.name = 'StatsError';
    this.kind = kind;
    this.term = term;
  }
}
