import { eventPayloadSchemas, PyclawError, type StoredEvent } from '../core/index.js';
import { type GrantTerm, grantPatternFor } from '../policy/index.js';
import type { EventLog } from '../session/index.js';
import { type Db, inTransaction } from '../storage/index.js';
import type { PyclawApp } from './app.js';
import { findOpenTurns } from './open-turns.js';
import type { ApprovalAnswer } from './turn-runner.js';

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

/** A channel's answer to a pending approval; an approval may hold beyond the call (`term`, default once). */
export interface ApprovalReply {
  approvalId: string;
  decision: ApprovalAnswer;
  by: string;
  term?: GrantTerm;
}

/**
 * Records the answer as `approval.resolved`; approving for longer than once also creates the grant, in
 * the same transaction. Call it under the session's lease.
 */
export function recordApprovalReply(
  app: Pick<PyclawApp, 'db' | 'log' | 'grants'>,
  sessionId: string,
  agentId: string,
  reply: ApprovalReply,
): void {
  const pending = pendingApprovals(app.db, app.log, sessionId).find((p) => p.approvalId === reply.approvalId);
  if (!pending) {
    throw new PyclawError(
      'runtime.no-approval',
      `no pending approval ${reply.approvalId} in session ${sessionId}`,
    );
  }
  const term = reply.decision === 'approve' ? (reply.term ?? { scope: 'once' }) : { scope: 'once' as const };
  if (term.scope !== 'once' && pending.inDoubt) {
    throw new PyclawError(
      'runtime.in-doubt-grant',
      `approval ${pending.approvalId} asks whether to re-run an interrupted call: it can only be approved once`,
      { hint: 'approve it without --for, --session or --always' },
    );
  }
  inTransaction(app.db, () => {
    app.log.append(sessionId, {
      type: 'approval.resolved',
      actor: reply.by,
      turnId: pending.turnId,
      payload: { approvalId: pending.approvalId, decision: reply.decision, scope: term.scope, by: reply.by },
    });
    if (term.scope === 'once') return;
    app.grants.create({
      agentId,
      sessionId,
      turnId: pending.turnId,
      match: grantPatternFor(pending.tool, requestedInput(app.log, pending)),
      term,
      grantedBy: reply.by,
      reason: `approved ${pending.summary}`,
    });
  });
}

function requestedInput(log: EventLog, pending: PendingApproval): unknown {
  const requested = log
    .byTurn(pending.sessionId, pending.turnId)
    .find(
      (event) =>
        event.type === 'tool.requested' &&
        eventPayloadSchemas['tool.requested'].parse(event.payload).callId === pending.callId,
    );
  return requested ? eventPayloadSchemas['tool.requested'].parse(requested.payload).input : {};
}
