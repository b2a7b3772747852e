import { z } from 'zod';
import {
  type EventPayload,
  eventPayloadSchemas,
  PyclawError,
  parsePayload,
  type StoredEvent,
} from '../core/index.js';
import { type ToolCall, toolCallSchema } from '../llm/index.js';
import { type IssuedDirective, issuedDirective } from '../metagovernor/index.js';
import type { PlannedCall, TurnPhase } from './contract.js';
import { isTurnPhase } from './transitions.js';

export type PolicyDecision = EventPayload<'policy.decided'>;
export type ApprovalResolution = EventPayload<'approval.resolved'>;
export type ToolRequest = EventPayload<'tool.requested'>;
export type ToolResult = EventPayload<'tool.result'>;
export type VerifyVerdict = EventPayload<'verify.verdict'>;

/** The recorder writes the provider's tool calls, whose arguments are always an object. */
const modelResponseSchema = eventPayloadSchemas['llm.responded'].extend({
  toolCalls: z.array(toolCallSchema).optional(),
});

export interface PhaseRecord {
  phase: TurnPhase;
  skipped: boolean;
  /** The plan step this phase belongs to: how many plan phases the turn had entered by then. */
  planStep: number;
  /** The verdicts recorded while this phase was the turn's current one. */
  verdicts: VerifyVerdict[];
}

export interface ModelAnswer {
  text: string;
  toolCalls: ToolCall[];
}

/** Why an approval was asked: policy (or the metagovernor) at the gate, an in-doubt re-run, or a relay. */
type ApprovalKind = 'gate' | 'in-doubt' | 'relayed';

interface ApprovalRequest {
  approvalId: string;
  callId: string;
  kind: ApprovalKind;
  seq: number;
  /** When it was asked, and when answered. */
  askedAt: number;
  answeredAt?: number;
}

/** A turn's events, indexed for the questions the brain asks of them. */
export interface TurnRecord {
  startedAt: number;
  input: string | undefined;
  phases: PhaseRecord[];
  /** The first successful model answer of each step: the one the LLM recorder reuses. */
  answers: Map<string, ModelAnswer>;
  /** Steps with any `llm.responded`, answer or error. */
  respondedSteps: Set<string>;
  /** By callId, in the order the calls were requested. */
  requests: Map<string, ToolRequest>;
  /** The latest decision for each callId. */
  decisions: Map<string, PolicyDecision>;
  /** The seq of each call's latest `policy.decided`. */
  decidedAt: Map<string, number>;
  /** The metagovernor's directives, in the order issued. */
  directives: IssuedDirective[];
  approvals: ApprovalRequest[];
  resolutions: Map<string, ApprovalResolution>;
  /** The seq of each call's latest `tool.started`. */
  lastStarted: Map<string, number>;
  /** By callId, in the order the results were recorded. */
  results: Map<string, ToolResult>;
  /** How the turn ended, by its first `turn.completed` or `turn.failed`. */
  ending: 'completed' | 'failed' | undefined;
}

/**
 * What was read of each events array: a turn's driver only ever appends to the array it decides
 * from, so deciding again folds in just the events appended since. Callers must not change a record.
 */
const readSoFar = new WeakMap<
  readonly StoredEvent[],
  { first: StoredEvent; count: number; turn: TurnRecord }
>();

export function readTurn(events: readonly StoredEvent[]): TurnRecord {
  const known = readSoFar.get(events);
  if (known && known.first === events[0] && known.count <= events.length) {
    for (let index = known.count; index < events.length; index++)
      record(known.turn, events[index] as StoredEvent);
    known.count = events.length;
    return known.turn;
  }
  const turn = recordOf(events);
  readSoFar.set(events, { first: events[0] as StoredEvent, count: events.length, turn });
  return turn;
}

function recordOf(events: readonly StoredEvent[]): TurnRecord {
  const start = events.find((event) => event.type === 'turn.started');
  if (!start) {
    throw new PyclawError('brain.no-turn-start', 'the turn has no turn.started event', {
      hint: 'pass the events of one turn, from its turn.started on (EventLog.byTurn)',
    });
  }
  const turn: TurnRecord = {
    startedAt: start.ts,
    input: parsePayload(start, eventPayloadSchemas['turn.started']).input,
    phases: [],
    answers: new Map(),
    respondedSteps: new Set(),
    requests: new Map(),
    decisions: new Map(),
    decidedAt: new Map(),
    directives: [],
    approvals: [],
    resolutions: new Map(),
    lastStarted: new Map(),
    results: new Map(),
    ending: undefined,
  };
  for (const event of events) record(turn, event);
  return turn;
}

function record(turn: TurnRecord, event: StoredEvent): void {
  if (event.type === 'turn.phase') {
    turn.phases.push(phaseRecord(event, turn.phases.at(-1)));
    return;
  }
  switch (event.type) {
    case 'directive.issued': {
      const issued = issuedDirective(event);
      if (issued) turn.directives.push(issued);
      return;
    }
    case 'llm.responded':
      recordModelResponse(turn, event);
      return;
    case 'tool.requested': {
      const request = parsePayload(event, eventPayloadSchemas['tool.requested']);
      turn.requests.set(request.callId, request);
      return;
    }
    case 'policy.decided': {
      const decision = parsePayload(event, eventPayloadSchemas['policy.decided']);
      turn.decisions.set(decision.callId, decision);
      turn.decidedAt.set(decision.callId, event.seq);
      return;
    }
    case 'approval.requested': {
      const request = parsePayload(event, eventPayloadSchemas['approval.requested']);
      const kind = request.relayed ? 'relayed' : request.inDoubt === true ? 'in-doubt' : 'gate';
      turn.approvals.push({
        approvalId: request.approvalId,
        callId: request.callId,
        kind,
        seq: event.seq,
        askedAt: event.ts,
      });
      return;
    }
    case 'approval.resolved': {
      const resolution = parsePayload(event, eventPayloadSchemas['approval.resolved']);
      turn.resolutions.set(resolution.approvalId, resolution);
      const request = turn.approvals.find((approval) => approval.approvalId === resolution.approvalId);
      if (request) request.answeredAt ??= event.ts;
      return;
    }
    case 'tool.started':
      turn.lastStarted.set(parsePayload(event, eventPayloadSchemas['tool.started']).callId, event.seq);
      return;
    case 'tool.result': {
      const result = parsePayload(event, eventPayloadSchemas['tool.result']);
      turn.results.set(result.callId, result);
      return;
    }
    case 'verify.verdict':
      turn.phases.at(-1)?.verdicts.push(parsePayload(event, eventPayloadSchemas['verify.verdict']));
      return;
    case 'turn.completed':
      turn.ending ??= 'completed';
      return;
    case 'turn.failed':
      turn.ending ??= 'failed';
      return;
  }
}

function phaseRecord(event: StoredEvent, previous: PhaseRecord | undefined): PhaseRecord {
  const { phase, skipped } = parsePayload(event, eventPayloadSchemas['turn.phase']);
  if (!isTurnPhase(phase)) {
    throw new PyclawError('brain.bad-event', `event #${event.seq} enters unknown phase "${phase}"`);
  }
  const previousPlanStep = previous?.planStep ?? 0;
  return {
    phase,
    skipped: skipped === true,
    planStep: phase === 'plan' ? previousPlanStep + 1 : previousPlanStep,
    verdicts: [],
  };
}

function recordModelResponse(turn: TurnRecord, event: StoredEvent): void {
  if (event.stepId === null) return;
  turn.respondedSteps.add(event.stepId);
  const response = parsePayload(event, modelResponseSchema);
  if (response.error !== undefined || turn.answers.has(event.stepId)) return;
  turn.answers.set(event.stepId, { text: response.text ?? '', toolCalls: response.toolCalls ?? [] });
}

export function planStepId(step: number): string {
  return `plan-${step}`;
}

/** The calls the model asked for in a plan step; call i of step `plan-N` is `plan-N.i`. */
export function plannedCalls(turn: TurnRecord, stepId: string): PlannedCall[] {
  const answer = turn.answers.get(stepId);
  return (answer?.toolCalls ?? []).map((call, index) => ({ callId: `${stepId}.${index}`, stepId, call }));
}

export interface ApprovalState {
  approvalId: string;
  resolution: ApprovalResolution | undefined;
}

/** Where one planned call stands. */
export interface CallState {
  planned: PlannedCall;
  requested: boolean;
  decision: PolicyDecision | undefined;
  /** The approval policy asked for, when it decided `ask`. */
  approval: ApprovalState | undefined;
  started: boolean;
  /** The in-doubt approval asked since the call last started. */
  inDoubtApproval: ApprovalState | undefined;
  /** The approval the running call relayed from another session since it last started. */
  relayedApproval: ApprovalState | undefined;
  result: ToolResult | undefined;
}

export function callState(turn: TurnRecord, planned: PlannedCall): CallState {
  const { callId } = planned;
  const lastStarted = turn.lastStarted.get(callId);
  const approvalsOfCall = turn.approvals.filter((approval) => approval.callId === callId);
  const approvalState = (request: ApprovalRequest | undefined): ApprovalState | undefined =>
    request && { approvalId: request.approvalId, resolution: turn.resolutions.get(request.approvalId) };
  const sinceStarted = (kind: ApprovalKind) =>
    approvalState(
      approvalsOfCall.findLast(
        (approval) => approval.kind === kind && lastStarted !== undefined && approval.seq > lastStarted,
      ),
    );
  return {
    planned,
    requested: turn.requests.has(callId),
    decision: turn.decisions.get(callId),
    approval: approvalState(approvalsOfCall.findLast((approval) => approval.kind === 'gate')),
    started: lastStarted !== undefined,
    inDoubtApproval: sinceStarted('in-doubt'),
    relayedApproval: sinceStarted('relayed'),
    result: turn.results.get(callId),
  };
}
