export { canonicalJson } from './canonical-json.js';
export { type Clock, systemClock } from './clock.js';
export { errorMessage, PyclawError } from './errors.js';
export {
  actorSchema,
  type EventPayload,
  type EventType,
  eventPayloadSchemas,
  eventTypes,
  isKnownEventType,
  type NewEvent,
  type StoredEvent,
  storedEventSchema,
} from './events.js';
export { newId } from './ids.js';
export { createLogger, type Logger } from './logger.js';
export { parsePayload, safeParsePayload } from './payload-parse.js';
export { anySignal } from './signals.js';
export { toolIdMatches } from './tool-id-pattern.js';
