// A command-line usage problem (unknown flag, missing argument): printed as one line with the usage hint.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
