import type { StoredEvent } from '../core/index.js';
import type { ToolCall } from '../llm/index.js';
import type { TurnLimits } from '../registry/index.js';

/**
 * The turn, as the brain sees it. The brain never performs anything: `decideNext` reads a turn's events
 * and says what the runtime must do next; the runtime does it, appends the resulting events, and asks
 * again. Because the next step is a pure function of the events, a turn killed at any instant resumes
 * (or replays) from its log.
 */

export const turnPhases = [
  'interpret',
  'plan',
  'policy-gate',
  'act',
  'observe',
  'verify',
  'reflect',
  'respond',
] as const;
export type TurnPhase = (typeof turnPhases)[number];

/** What the brain needs to know about a tool: whether an in-doubt call may re-run, and whether it is risky. */
export interface ToolFacts {
  idempotent: boolean;
  /** Changes nothing outside PyClaw; absent means it may. */
  readOnly?: boolean;
}

export interface DecideInput {
  /** The turn's events in seq order (`EventLog.byTurn`), from `turn.started` on. */
  events: readonly StoredEvent[];
  limits: TurnLimits;
  /** Wall-clock now, in ms since the epoch. */
  now: number;
  /** Facts about a tool by id; undefined for a tool the agent no longer has. */
  tool(name: string): ToolFacts | undefined;
  /** Whether the agent runs a verify / reflect phase; when not, the phase is recorded as skipped. */
  verify: boolean;
  reflect: boolean;
}

/** One model-requested tool call inside the turn. `callId` is unique in the turn: `<stepId>.<index>`. */
export interface PlannedCall {
  callId: string;
  stepId: string;
  call: ToolCall;
}

/** What the runtime does next. Each kind maps to the events the runtime appends when it has done it. */
export type NextStep =
  /** Append `turn.phase {phase, from, skipped?, reason?}`. */
  | { kind: 'enter-phase'; phase: TurnPhase; from: TurnPhase | null; skipped?: boolean; reason?: string }
  /**
   * Ask the model (recorded under `stepId` via the LLM recorder, so an answered step is reused);
   * `onlyReadOnlyTools`: offer it only read-only tools (a `disable_risky_tools` directive is in force).
   */
  | { kind: 'call-model'; stepId: string; onlyReadOnlyTools?: true }
  /** Append `tool.requested {callId, tool, input}`: the intent, written before any decision or run. */
  | { kind: 'request-tool'; planned: PlannedCall }
  /**
   * Decide policy for the call and append `policy.decided` (plus `approval.requested` on `ask`).
   * `askHuman` (an `ask_human` directive's reason): decide `ask` where policy would allow.
   */
  | { kind: 'gate-tool'; planned: PlannedCall; askHuman?: string }
  /** The turn waits until a channel appends `approval.resolved` for this approval. */
  | { kind: 'await-approval'; approvalId: string; callId: string }
  /**
   * Append `tool.started`, run the tool, append `tool.result` (or, when the tool waits on an approval
   * asked in another session, `approval.requested {..., relayed}`). `rerun` marks an idempotent
   * in-doubt call, or a call whose relayed approval was answered.
   */
  | { kind: 'run-tool'; planned: PlannedCall; rerun: boolean }
  /** Append `tool.result {isError: true, preview: reason}` without running (denied, or in doubt and refused). */
  | { kind: 'refuse-tool'; planned: PlannedCall; reason: string }
  /**
   * A non-idempotent call started but has no result: append `approval.requested {..., inDoubt: true}`
   * (a new approvalId) asking whether to re-run it.
   */
  | { kind: 'ask-in-doubt'; planned: PlannedCall }
  /**
   * Judge `answer` and append `verify.verdict {verdict, judge, reason}`; the last verdict of the verify
   * phase decides (`pass` → reflect, `fail` → plan again). Model calls a judge makes are recorded under
   * `stepId` (`verify-N` judges the answer of `plan-N`).
   */
  | { kind: 'verify'; stepId: string; answer: string }
  /**
   * Reflect on the turn with one model call recorded under `stepId` (`reflect`), then append a
   * `memory.candidate` per lesson worth keeping, under the same stepId. Best effort: the step is done
   * once any `llm.responded` (answer or error) is recorded under `stepId`, so a failed reflection never
   * holds up or fails the answer.
   */
  | { kind: 'reflect'; stepId: string; answer: string }
  /** Append `assistant.message {text}` then `turn.completed {answer}`. */
  | { kind: 'respond'; answer: string }
  /** Append `turn.failed {error, code}`. */
  | { kind: 'fail'; code: string; error: string }
  /** The turn has ended (`turn.completed` or `turn.failed` is in the log). */
  | { kind: 'done'; outcome: 'completed' | 'failed' };
