import type { DecideInput, NextStep } from './contract.js';
import { directive } from './directives.js';
import { enterPhase } from './enter-phase.js';
import { stopBeforeModelCall } from './limits.js';
import { decideAct, decideGate } from './tool-steps.js';
import { type PhaseRecord, planStepId, readTurn, type TurnRecord } from './turn-record.js';

const verificationOffReason = 'verification is off for this agent';
const reflectionOffReason = 'reflection is off for this agent';
const reflectStepId = 'reflect';

/**
 * The one thing the runtime must do next for a turn, decided from the turn's events alone. The runtime
 * performs it, appends the events it names, and asks again, until the step is `done` (or it must wait).
 */
export function decideNext(input: DecideInput): NextStep {
  const turn = readTurn(input.events);
  if (turn.ending) return { kind: 'done', outcome: turn.ending };
  const stop = directive(turn, 'stop');
  if (stop)
    return {
      kind: 'fail',
      code: 'governor.stop',
      error: `the metagovernor stopped the turn: ${stop.reason}`,
    };
  const current = turn.phases.at(-1);
  if (!current) return enterPhase('interpret', null);
  const step = current.planStep;
  switch (current.phase) {
    case 'interpret':
      return enterPhase('plan', 'interpret');
    case 'plan':
      return decidePlan(turn, step, input);
    case 'policy-gate':
      return decideGate(turn, step, input);
    case 'act':
      return decideAct(turn, step, input);
    case 'observe':
      return enterPhase('plan', 'observe');
    case 'verify':
      return decideVerify(turn, current, input);
    case 'reflect':
      if (current.skipped || turn.respondedSteps.has(reflectStepId)) return enterPhase('respond', 'reflect');
      return { kind: 'reflect', stepId: reflectStepId, answer: answerOf(turn, step) };
    case 'respond':
      return { kind: 'respond', answer: answerOf(turn, step) };
  }
}

function decidePlan(turn: TurnRecord, step: number, input: DecideInput): NextStep {
  const stepId = planStepId(step);
  const answer = turn.answers.get(stepId);
  if (!answer) {
    const readOnly = directive(turn, 'disable_risky_tools') !== undefined;
    return (
      stopBeforeModelCall(turn, step, input) ?? {
        kind: 'call-model',
        stepId,
        ...(readOnly && { onlyReadOnlyTools: true as const }),
      }
    );
  }
  if (answer.toolCalls.length > 0) return enterPhase('policy-gate', 'plan');
  const verify = input.verify || directive(turn, 'require_validation') !== undefined;
  return enterPhase('verify', 'plan', verify ? undefined : verificationOffReason);
}

function decideVerify(turn: TurnRecord, phase: PhaseRecord, input: DecideInput): NextStep {
  const enterReflect = () => enterPhase('reflect', 'verify', input.reflect ? undefined : reflectionOffReason);
  if (phase.skipped) return enterReflect();
  // Several judges may record verdicts; the last one decides.
  const verdict = phase.verdicts.at(-1)?.verdict;
  if (!verdict) {
    return { kind: 'verify', stepId: `verify-${phase.planStep}`, answer: answerOf(turn, phase.planStep) };
  }
  return verdict === 'pass' ? enterReflect() : enterPhase('plan', 'verify');
}

/** The answer of plan step `step`: the text of its model response, which asked for no tools. */
function answerOf(turn: TurnRecord, step: number): string {
  return turn.answers.get(planStepId(step))?.text ?? '';
}
