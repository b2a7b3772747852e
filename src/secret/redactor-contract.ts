import type { Transform } from 'node:stream';

/**
 * Replaces secrets with `[REDACTED:<name>]` markers. Everything that writes to the event log,
 * the artifact store or a log file passes its data through one of these first.
 */
export interface Redactor {
  /** Adds a secret value to redact from now on; `name` appears in the marker, never the value. */
  register(value: string, name?: string): void;
  redactText(text: string): string;
  /**
   * Redacts every string inside a JSON-like value (keys and values). The input is never changed: what
   * needs redacting is copied, and a value with nothing to redact comes back as the same reference.
   */
  redactValue<T>(value: T): T;
  /** A byte stream transform that redacts across chunk boundaries. */
  createStream(): Transform;
}
