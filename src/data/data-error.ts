// One error type for bad tabular input: it names the field (column), the value seen and what was expected,
// so a command can print a single line that tells the user what to fix.

export class DataError extends Error {
  readonly field: string | undefined;
  readonly value: unknown;
  readonly expected: string | undefined;

  constructor(message: string, details: { field?: string; value?: unknown; expected?: string } = {}) {
    super(message);
    this.name = 'DataError';
    this.field = details.field;
    this.value = details.value;
    this.expected = details.expected;
  }
}
