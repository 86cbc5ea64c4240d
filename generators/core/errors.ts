/** A bad value or a refused target: the CLI prints it as one line per problem and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user declined or pressed Ctrl-C: the CLI exits 130 with nothing written. */
export class CancelError extends Error {
  override name = 'CancelError';
  constructor(message = 'cancelled; nothing was written') {
    super(message);
  }
}

/** Something went wrong in a way the user can act on, but it is not a usage error: exit 1. */
export class FailError extends Error {
  override name = 'FailError';
}
