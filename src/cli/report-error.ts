import { PyclawError } from '../core/index.js';

/** Prints one line saying what went wrong (and what to do, when we know), and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof PyclawError) {
    process.stderr.write(`pyclaw: ${error.message}${error.hint ? ` (${error.hint})` : ''}\n`);
    return 1;
  }
  if (String((error as { code?: unknown }).code).startsWith('SQLITE_CORRUPT')) {
    process.stderr.write(
      `pyclaw: the database is damaged (${(error as Error).message}): \`pyclaw doctor\` says where, and \`pyclaw doctor --fix\` rebuilds what can be rebuilt\n`,
    );
    return 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`pyclaw: internal error: ${message}\n`);
  return 70;
}
