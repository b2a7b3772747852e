import { detectLoop } from '../metagovernor/index.js';
import type { TurnLimits } from '../registry/index.js';
import type { DecideInput, NextStep } from './contract.js';
import type { TurnRecord } from './turn-record.js';

type FailStep = Extract<NextStep, { kind: 'fail' }>;

/** Why plan step `step` must not call the model: a limit is reached or the turn is looping. */
export function stopBeforeModelCall(
  turn: TurnRecord,
  step: number,
  input: DecideInput,
): FailStep | undefined {
  const { maxSteps, maxWallTimeMs, maxRepeats } = input.limits;
  if (step > maxSteps) {
    return fail('limit.steps', `the turn used its ${maxSteps} model steps (maxSteps) without an answer`);
  }
  const elapsedMs = input.now - turn.startedAt;
  if (elapsedMs > maxWallTimeMs) {
    return fail(
      'limit.wall-time',
      `the turn has run for ${elapsedMs} ms, over its limit of ${maxWallTimeMs} ms (maxWallTimeMs)`,
    );
  }
  const loop = detectLoop(
    { calls: [...turn.requests.values()], results: [...turn.results.values()] },
    maxRepeats,
  );
  return loop && fail(loop.code, loop.message);
}

/** Why the turn must not request one more tool call. */
export function stopBeforeToolRequest(turn: TurnRecord, limits: TurnLimits): FailStep | undefined {
  const next = turn.requests.size + 1;
  if (next <= limits.maxToolCalls) return undefined;
  return fail(
    'limit.tool-calls',
    `the turn would make tool call ${next}, over its limit of ${limits.maxToolCalls} (maxToolCalls)`,
  );
}

function fail(code: string, error: string): FailStep {
  return { kind: 'fail', code, error };
}
