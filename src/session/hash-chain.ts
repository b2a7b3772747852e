import { hash } from 'node:crypto';

/** The prevHash of a session's first event. */
export const genesisHash = '0'.repeat(64);

export interface HashedFields {
  seq: number;
  id: string;
  sessionId: string;
  turnId: string | null;
  stepId: string | null;
  traceId: string;
  type: string;
  ts: number;
  actor: string;
}

/**
 * The canonical JSON of an event (keys sorted, as `canonicalJson` would write it) with the stored payload
 * text spliced in verbatim, so append and verify hash exactly the bytes that are stored.
 */
export function canonicalEventText(fields: HashedFields, payloadJson: string): string {
  const s = JSON.stringify;
  return (
    `{"actor":${s(fields.actor)},"id":${s(fields.id)},"payload":${payloadJson},"seq":${fields.seq},` +
    `"sessionId":${s(fields.sessionId)},"stepId":${s(fields.stepId)},"traceId":${s(fields.traceId)},` +
    `"ts":${fields.ts},"turnId":${s(fields.turnId)},"type":${s(fields.type)}}`
  );
}

/**
 * `hash = sha256(prevHash + canonical JSON of the event)`. The one-shot `crypto.hash` (Node >= 20.12)
 * costs about half of a `createHash` object per event.
 */
export function eventHash(prevHash: string, fields: HashedFields, payloadJson: string): string {
  return hash('sha256', prevHash + canonicalEventText(fields, payloadJson), 'hex');
}
