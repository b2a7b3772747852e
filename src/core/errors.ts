/**
 * Every error PyClaw reports to a user carries a stable code and a one-line message that says
 * what is wrong and where; `hint` says what to do about it.
 */
export class PyclawError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PyclawError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
