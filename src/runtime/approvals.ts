import { eventPayloadSchemas, PyclawError, type StoredEvent } from '../core/index.js';
import type { EventLog } from '../session/index.js';
import type { Db } from '../storage/index.js';
import { findOpenTurns } from './open-turns.js';

export interface PendingApproval {
  approvalId: string;
  sessionId: string;
  turnId: string;
  callId: string;
  tool: string;
  summary: string;
  /** The call started before an interruption: approving runs it again. */
  inDoubt: boolean;
  requestedAt: number;
}

/** Approvals asked for in turns that are still open and not yet answered, oldest first. */
export function pendingApprovals(db: Db, log: EventLog, sessionId?: string): PendingApproval[] {
  return findOpenTurns(db, sessionId).flatMap(({ sessionId: session, turnId }) =>
    unansweredIn(session, turnId, log.byTurn(session, turnId)),
  );
}

function unansweredIn(sessionId: string, turnId: string, events: StoredEvent[]): PendingApproval[] {
  const answered = new Set(
    events
      .filter((event) => event.type === 'approval.resolved')
      .map((event) => eventPayloadSchemas['approval.resolved'].parse(event.payload).approvalId),
  );
  return events.flatMap((event) => {
    if (event.type !== 'approval.requested') return [];
    const payload = eventPayloadSchemas['approval.requested'].parse(event.payload);
    if (answered.has(payload.approvalId)) return [];
    const { approvalId, callId, tool, summary } = payload;
    const inDoubt = (payload as { inDoubt?: unknown }).inDoubt === true;
    return [{ approvalId, sessionId, turnId, callId, tool, summary, inDoubt, requestedAt: event.ts }];
  });
}

/** The pending approval with this id (or unique id prefix), or a one-line error. */
export function findPendingApproval(db: Db, log: EventLog, approvalId: string): PendingApproval {
  const matches = pendingApprovals(db, log).filter((pending) => pending.approvalId.startsWith(approvalId));
  if (matches.length === 1) return matches[0] as PendingApproval;
  throw new PyclawError(
    'runtime.no-approval',
    matches.length === 0
      ? `no pending approval ${approvalId}`
      : `approval id ${approvalId} is ambiguous (${matches.length} pending approvals start with it)`,
    { hint: 'see `pyclaw approvals list`' },
  );
}
