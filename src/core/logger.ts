import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * A JSON-lines logger. `scrub` runs over every serialised line before it is written, which is where
 * the secret redactor plugs in: no secret reaches a log file.
 */
export function createLogger(options: {
  destination: NodeJS.WritableStream | { write(line: string): void };
  scrub?: (line: string) => string;
  level?: string;
}): Logger {
  const { destination, scrub } = options;
  const stream = { write: (line: string) => destination.write(scrub ? scrub(line) : line) };
  return pino({ level: options.level ?? 'info', base: undefined }, stream);
}
