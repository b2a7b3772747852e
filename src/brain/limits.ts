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
  const elapsedMs = input.now - turn.startedAt - humanWaitMs(turn);
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

/**
 * How long the turn waited for humans to answer its approvals (overlapping waits counted once): a
 * turn's wall time is its own work, so an answer given after lunch does not fail it.
 */
function humanWaitMs(turn: TurnRecord): number {
  const waits = turn.approvals
    .flatMap(({ askedAt, answeredAt }) => (answeredAt === undefined ? [] : [[askedAt, answeredAt] as const]))
    .sort(([a], [b]) => a - b);
  let total = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const [from, to] of waits) {
    total += Math.max(0, to - Math.max(from, coveredUntil));
    coveredUntil = Math.max(coveredUntil, to);
  }
  return total;
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
