import { z } from 'zod';
import { PyclawError, type StoredEvent } from '../core/index.js';

/** The event's payload as `schema` reads it; a payload that does not fit means the log is broken. */
export function parsePayload<S extends z.ZodType>(event: StoredEvent, schema: S): z.output<S> {
  const parsed = schema.safeParse(event.payload);
  if (parsed.success) return parsed.data;
  throw new PyclawError(
    'brain.bad-event',
    `event #${event.seq} (${event.type}) does not fit its schema: ${z.prettifyError(parsed.error)}`,
  );
}
