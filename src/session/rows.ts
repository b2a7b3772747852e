import { PyclawError, type StoredEvent } from '../core/index.js';

/** An events row exactly as SQLite returns it. */
export interface EventRow {
  session_id: string;
  seq: number;
  id: string;
  turn_id: string | null;
  step_id: string | null;
  trace_id: string;
  type: string;
  ts: number;
  actor: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export function eventFromRow(row: EventRow): StoredEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    throw new PyclawError(
      'session.corrupt-row',
      `session ${row.session_id} seq ${row.seq}: stored payload is not valid JSON`,
      { hint: 'run `pyclaw sessions verify` to see where the log was damaged' },
    );
  }
  return {
    seq: row.seq,
    id: row.id,
    sessionId: row.session_id,
    turnId: row.turn_id,
    stepId: row.step_id,
    traceId: row.trace_id,
    type: row.type,
    ts: row.ts,
    actor: row.actor,
    payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
