import { eventHash, genesisHash } from './hash-chain.js';
import type { EventRow } from './rows.js';
import type { VerifyReport } from './session-info.js';

/** Walks a session's rows in seq order and reports the first event that breaks the hash chain. */
export function verifyChain(rows: Iterable<EventRow>): VerifyReport {
  let expectedSeq = 1;
  let prevHash = genesisHash;
  let count = 0;
  for (const row of rows) {
    const fail = (reason: string): VerifyReport => ({ ok: false, count, firstBadSeq: expectedSeq, reason });
    if (row.seq !== expectedSeq)
      return fail(`event missing: found seq ${row.seq} where ${expectedSeq} was expected`);
    if (row.prev_hash !== prevHash) return fail('prevHash does not match the previous event');
    const fields = {
      seq: row.seq,
      id: row.id,
      sessionId: row.session_id,
      turnId: row.turn_id,
      stepId: row.step_id,
      traceId: row.trace_id,
      type: row.type,
      ts: row.ts,
      actor: row.actor,
    };
    if (eventHash(prevHash, fields, row.payload) !== row.hash) return fail('content does not match its hash');
    prevHash = row.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, count, lastSeq: expectedSeq - 1 };
}
