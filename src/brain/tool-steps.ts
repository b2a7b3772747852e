import type { DecideInput, NextStep } from './contract.js';
import { directive, isRisky, pendingAskHuman } from './directives.js';
import { enterPhase } from './enter-phase.js';
import { stopBeforeToolRequest } from './limits.js';
import { type CallState, callState, plannedCalls, planStepId, type TurnRecord } from './turn-record.js';

/**
 * The policy gate of plan step `step`: record every call's intent, then decide each, then wait for any
 * approval policy asked for. Only when every call is decided does the turn act.
 */
export function decideGate(turn: TurnRecord, step: number, input: DecideInput): NextStep {
  const calls = callsOf(turn, step);
  const unrequested = calls.find((call) => !call.requested);
  if (unrequested) {
    return (
      stopBeforeToolRequest(turn, input.limits) ?? { kind: 'request-tool', planned: unrequested.planned }
    );
  }
  const ungated = calls.find(
    (call) => !call.decision || (call.decision.decision === 'ask' && !call.approval),
  );
  if (ungated) {
    const ask = isRisky(input, ungated.planned.call.name) ? pendingAskHuman(turn, input) : undefined;
    return { kind: 'gate-tool', planned: ungated.planned, ...(ask && { askHuman: ask.reason }) };
  }
  for (const call of calls) {
    if (call.decision?.decision === 'ask' && call.approval && !call.approval.resolution) {
      return { kind: 'await-approval', approvalId: call.approval.approvalId, callId: call.planned.callId };
    }
  }
  return enterPhase('act', 'policy-gate');
}

/** The act phase of plan step `step`: run, refuse or settle each call in order until all have results. */
export function decideAct(turn: TurnRecord, step: number, input: DecideInput): NextStep {
  for (const call of callsOf(turn, step)) {
    if (!call.result) return decideCall(call, input, directive(turn, 'disable_risky_tools')?.reason);
  }
  return enterPhase('observe', 'act');
}

/** `readOnlyBecause`: why only read-only tools may run now, when a directive says so. */
function decideCall(call: CallState, input: DecideInput, readOnlyBecause: string | undefined): NextStep {
  const { planned } = call;
  const tool = planned.call.name;
  const denial = denialOf(call);
  if (denial) return { kind: 'refuse-tool', planned, reason: denial };
  const facts = input.tool(tool);
  if (!facts) return { kind: 'refuse-tool', planned, reason: `tool ${tool} is not available to this agent` };
  if (!call.started && readOnlyBecause !== undefined && !facts.readOnly) {
    return { kind: 'refuse-tool', planned, reason: `only read-only tools may run now: ${readOnlyBecause}` };
  }
  if (!call.started) return { kind: 'run-tool', planned, rerun: false };
  // Started without a result: the call waits on an approval it relayed, and runs again once answered.
  const relayed = call.relayedApproval;
  if (relayed && !relayed.resolution) {
    return { kind: 'await-approval', approvalId: relayed.approvalId, callId: planned.callId };
  }
  if (relayed) return { kind: 'run-tool', planned, rerun: true };
  // Otherwise the process stopped mid-call, so the call may or may not have happened.
  if (facts.idempotent) return { kind: 'run-tool', planned, rerun: true };
  const approval = call.inDoubtApproval;
  if (!approval) return { kind: 'ask-in-doubt', planned };
  if (!approval.resolution) {
    return { kind: 'await-approval', approvalId: approval.approvalId, callId: planned.callId };
  }
  if (approval.resolution.decision === 'approve') return { kind: 'run-tool', planned, rerun: true };
  return {
    kind: 'refuse-tool',
    planned,
    reason:
      `${tool} was interrupted before its result was recorded and was not re-run: ` +
      `${approval.resolution.by} declined`,
  };
}

function denialOf(call: CallState): string | undefined {
  const { decision } = call;
  if (decision?.decision === 'deny') return `denied by policy: ${decision.reason}`;
  const resolution = call.approval?.resolution;
  if (decision?.decision === 'ask' && resolution?.decision === 'deny') return `denied by ${resolution.by}`;
  return undefined;
}

function callsOf(turn: TurnRecord, step: number): CallState[] {
  return plannedCalls(turn, planStepId(step)).map((planned) => callState(turn, planned));
}
