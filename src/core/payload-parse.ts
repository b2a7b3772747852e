import { z } from 'zod';
import { PyclawError } from './errors.js';
import type { StoredEvent } from './events.js';

/**
 * What each schema made of each payload object. A stored event's payload never changes, and a turn's
 * events are read again at every decision (the brain, the governor, the packer, the budget), so each
 * payload is parsed once per schema rather than once per read. Callers must not mutate the result.
 */
const parsedPayloads = new WeakMap<object, Map<z.ZodType, z.ZodSafeParseResult<unknown>>>();

/** `schema.safeParse(payload)`, remembered for object payloads. */
export function safeParsePayload<S extends z.ZodType>(
  schema: S,
  payload: unknown,
): z.ZodSafeParseResult<z.output<S>> {
  if (typeof payload !== 'object' || payload === null) return schema.safeParse(payload);
  let bySchema = parsedPayloads.get(payload);
  if (!bySchema) {
    bySchema = new Map();
    parsedPayloads.set(payload, bySchema);
  }
  let result = bySchema.get(schema);
  if (!result) {
    result = schema.safeParse(payload);
    bySchema.set(schema, result);
  }
  return result as z.ZodSafeParseResult<z.output<S>>;
}

/** The event's payload as `schema` reads it; a payload that does not fit means the log is broken. */
export function parsePayload<S extends z.ZodType>(event: StoredEvent, schema: S): z.output<S> {
  const parsed = safeParsePayload(schema, event.payload);
  if (parsed.success) return parsed.data;
  throw new PyclawError(
    'event.bad-payload',
    `event #${event.seq} (${event.type}) does not fit its schema: ${z.prettifyError(parsed.error)}`,
  );
}
