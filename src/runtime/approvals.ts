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
  /** The approval this one relays from another session (a delegated agent's), answered through this one. */
  relayed?: { sessionId: string; approvalId: string };
  requestedAt: number;
}

/**
 * Approvals asked for in turns that are still open and not yet answered, oldest first. Across all
 * sessions, one that another open turn relays is left out: it is answered through the relaying one.
 */
export function pendingApprovals(db: Db, log: EventLog, sessionId?: string): PendingApproval[] {
  const requests = findOpenTurns(db, sessionId).map(({ sessionId: session, turnId }) => ({
    session,
    turnId,
    events: log.byTurn(session, turnId),
  }));
  const pending = requests.flatMap(({ session, turnId, events }) => unansweredIn(session, turnId, events));
  if (sessionId !== undefined) return pending;
  const relayed = new Set(
    requests.flatMap(({ events }) =>
      approvalRequests(events).flatMap(({ payload }) => payload.relayed?.approvalId ?? []),
    ),
  );
  return pending.filter((approval) => !relayed.has(approval.approvalId));
}

function approvalRequests(events: StoredEvent[]) {
  return events.flatMap((event) =>
    event.type === 'approval.requested'
      ? [{ event, payload: eventPayloadSchemas['approval.requested'].parse(event.payload) }]
      : [],
  );
}

function unansweredIn(sessionId: string, turnId: string, events: StoredEvent[]): PendingApproval[] {
  const answered = new Set(
    events
      .filter((event) => event.type === 'approval.resolved')
      .map((event) => eventPayloadSchemas['approval.resolved'].parse(event.payload).approvalId),
  );
  return approvalRequests(events).flatMap(({ event, payload }) => {
    if (answered.has(payload.approvalId)) return [];
    const { approvalId, callId, tool, summary, relayed } = payload;
    return [
      {
        approvalId,
        sessionId,
        turnId,
        callId,
        tool,
        summary,
        inDoubt: payload.inDoubt === true,
        ...(relayed && { relayed: { sessionId: relayed.sessionId, approvalId: relayed.approvalId } }),
        requestedAt: event.ts,
      },
    ];
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
 * the same transaction. Call it under the session's lease. A relayed approval's answer (term included)
 * is passed on to the session it came from when the waiting call runs again, and the grant is made there.
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
      payload: {
        approvalId: pending.approvalId,
        decision: reply.decision,
        scope: term.scope,
        ...(term.scope === 'until' && { durationMs: term.durationMs }),
        by: reply.by,
      },
    });
    if (term.scope === 'once' || pending.relayed) return;
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

/** A human's answer, in the turn of a call, to an approval that call relayed from another session. */
export interface RelayedAnswer {
  /** The session the approval came from. */
  sessionId: string;
  summary: string;
  /** The answer as it is passed on there: its `approvalId` is the one asked in that session. */
  reply: ApprovalReply;
}

/** The answered approvals the call `callId` of a turn relayed, in the order they were asked. */
export function relayedAnswers(
  log: EventLog,
  where: { sessionId: string; turnId: string; callId: string },
): RelayedAnswer[] {
  const events = log.byTurn(where.sessionId, where.turnId);
  const resolutions = new Map(
    events.flatMap((event) => {
      if (event.type !== 'approval.resolved') return [];
      const resolution = eventPayloadSchemas['approval.resolved'].parse(event.payload);
      return [[resolution.approvalId, resolution] as const];
    }),
  );
  return approvalRequests(events).flatMap(({ payload }) => {
    const resolution = resolutions.get(payload.approvalId);
    if (payload.callId !== where.callId || !payload.relayed || !resolution) return [];
    const { decision, by, scope, durationMs } = resolution;
    const term: GrantTerm =
      scope === 'until' && durationMs !== undefined
        ? { scope, durationMs }
        : { scope: scope === 'session' || scope === 'forever' ? scope : 'once' };
    return [
      {
        sessionId: payload.relayed.sessionId,
        summary: payload.summary,
        reply: { approvalId: payload.relayed.approvalId, decision, by, term },
      },
    ];
  });
}
