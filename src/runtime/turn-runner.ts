import type { ArtifactStore } from '../artifact/index.js';
import { decideNext, type NextStep, type PlannedCall } from '../brain/index.js';
import type { TokenCalibration } from '../context/index.js';
import { type Clock, type NewEvent, newId, type StoredEvent } from '../core/index.js';
import { LlmError, type LlmEventSink, type LlmStep, type ModelRouter, type Provider } from '../llm/index.js';
import { type LongTermMemory, userScopeOf } from '../memory/index.js';
import { governTurn } from '../metagovernor/index.js';
import { decideToolCall, type GrantStore, type PolicyConfig } from '../policy/index.js';
import type { AgentDefinition } from '../registry/index.js';
import {
  checkIntent,
  PanicError,
  type PanicSwitch,
  type SafetyBlock,
  type SafetyConfig,
} from '../safety/index.js';
import type { EventLog } from '../session/index.js';
import type { Skill } from '../skill/index.js';
import type { Db } from '../storage/index.js';
import type { RelayedApproval, ToolHost } from '../tools/index.js';
import { keepDrivenTurn, type PackedPrompt, processCalibration, promptFor } from './prompt-pack.js';
import { skillSelections } from './skill-selection.js';
import { judgeAnswer } from './verification-panel.js';
import { parseLessons, reflectionRequest, turnInput } from './verify-and-reflect.js';

/** An event of this turn before the runner places it (actor and turn id). */
type TurnEvent = NewEvent extends infer E
  ? E extends NewEvent
    ? Omit<E, 'actor' | 'turnId'>
    : never
  : never;

export type ApprovalAnswer = 'approve' | 'deny';

export interface ApprovalPrompt {
  approvalId: string;
  callId: string;
  tool: string;
  summary: string;
  inDoubt: boolean;
}

/** What one turn runs with: the agent, its models and tools, and where it records. */
export interface TurnEnvironment {
  log: EventLog;
  db: Db;
  artifacts: ArtifactStore;
  agent: AgentDefinition;
  /** The default model's context window in tokens: the pack's budgets derive from it. */
  contextWindow: number;
  /** Per-provider token ratios; the process-wide one by default. */
  calibration?: TokenCalibration;
  router: ModelRouter;
  tools: ToolHost;
  policy: PolicyConfig;
  /** Hard stops checked before policy: workspace confinement, domain rules, destructive commands. */
  safety: SafetyConfig;
  /** Where reflection's candidates go (and are promoted by rule or evidence), and the pack's memories come from. */
  memory: LongTermMemory;
  grants: GrantStore;
  panic: PanicSwitch;
  workspaceRoots: string[];
  /** The configured providers, for checks that are not completions (Cortensor validate). */
  providers?: ReadonlyMap<string, Provider>;
  clock: Clock;
  /** The skills the agent may draw on; the turn's input selects among them when it starts. */
  skills?: readonly Skill[];
  /** Text of the answer as the model streams it. */
  onDelta?: (text: string) => void;
  /** An interactive channel answers approvals here; without it, or when it returns undefined, the turn waits. */
  askApproval?: (prompt: ApprovalPrompt) => Promise<ApprovalAnswer | undefined>;
  signal?: AbortSignal;
}

export type TurnOutcome =
  | { status: 'completed'; turnId: string; answer: string }
  | { status: 'failed'; turnId: string; code: string; error: string }
  | { status: 'waiting'; turnId: string; approval: ApprovalPrompt };

/** Where a message came from: the channel, and who sent it from where when the channel knows. */
export interface MessageOrigin {
  channel: string;
  externalUserId?: string;
  externalChatId?: string;
}

/** A turn about to start, and what opens it: the user's message and `turn.started`, appended together. */
export interface NewTurn {
  turnId: string;
  open: () => readonly StoredEvent[];
}

/**
 * A new turn for the user's message. Nothing is appended yet: `driveTurn` opens the turn in the commit
 * of its first decisions, and `onOpened` runs in that commit too.
 */
export function newTurn(
  env: TurnEnvironment,
  sessionId: string,
  input: string,
  origin: MessageOrigin = { channel: 'cli' },
  onOpened?: (turnId: string) => void,
): NewTurn {
  const turnId = newId();
  const open = () => {
    const opened = env.log.appendBatch(sessionId, [
      { type: 'user.message', actor: 'user', turnId, payload: { text: input, ...origin } },
      { type: 'turn.started', actor: 'runtime', turnId, payload: { agentId: env.agent.id, input } },
    ]);
    onOpened?.(turnId);
    return opened;
  };
  return { turnId, open };
}

/**
 * Drives a turn from wherever its log stands until it completes, fails, or waits for an approval.
 * Each step is decided by the brain from the turn's events alone, then performed here and recorded,
 * so calling this again after a crash continues the same turn without repeating recorded work.
 * A new turn (from `newTurn`) is opened in the commit of its first decisions.
 */
export async function driveTurn(
  env: TurnEnvironment,
  sessionId: string,
  turn: string | NewTurn,
): Promise<TurnOutcome> {
  const { turnId, open } = typeof turn === 'string' ? { turnId: turn, open: undefined } : turn;
  // Read once (a new turn has nothing to read), then kept current from the appends: this process
  // holds the session's lease, so every event of the turn is appended through this log while it runs.
  // Subscribers hear of what a transaction appends only once it commits, but the brain decides from
  // it before, so the turn's own appends are kept at once (and each event once).
  const events = open ? [] : env.log.byTurn(sessionId, turnId);
  const keep = (stored: readonly StoredEvent[]) => {
    for (const event of stored) {
      if (event.turnId === turnId && event.seq > (events.at(-1)?.seq ?? 0)) events.push(event);
    }
  };
  const steps = new TurnSteps(env, sessionId, turnId, keep, open);
  const unsubscribe = env.log.subscribe(sessionId, (event) => keep([event]));
  const driven = drivenTurnsOf(env.log);
  driven.set(turnId, events);
  try {
    const outcome = await decideAndPerform(env, steps, events);
    if (outcome.status !== 'waiting') keepDrivenTurn(env, sessionId, events);
    return outcome;
  } finally {
    driven.delete(turnId);
    unsubscribe();
  }
}

/** The events of each turn this process is driving, by turn id, as its driver keeps them. */
const drivenTurns = new WeakMap<EventLog, Map<string, readonly StoredEvent[]>>();

function drivenTurnsOf(log: EventLog): Map<string, readonly StoredEvent[]> {
  let driven = drivenTurns.get(log);
  if (!driven) {
    driven = new Map();
    drivenTurns.set(log, driven);
  }
  return driven;
}

/**
 * The log as the model recorder uses it: a turn this process is driving is read from the events its
 * driver keeps, not back from the database at every model call.
 */
export function recorderSink(log: EventLog): LlmEventSink {
  return {
    append: (sessionId, event) => log.append(sessionId, event),
    transaction: (work) => log.transaction(work),
    byTurn: (sessionId, turnId) => {
      const driven = drivenTurns.get(log)?.get(turnId);
      return driven ? [...driven] : log.byTurn(sessionId, turnId);
    },
  };
}

async function decideAndPerform(
  env: TurnEnvironment,
  turn: TurnSteps,
  events: readonly StoredEvent[],
): Promise<TurnOutcome> {
  for (;;) {
    const step = recordDecisions(env, turn, events);
    const outcome = await turn.perform(step, events);
    if (outcome) return outcome;
  }
}

/**
 * Decides and records, in one commit, the steps that only append what was decided (phases, intents,
 * safety and policy verdicts, refusals, the answer), up to the first step that waits on something
 * outside the log (a model, a tool, a human), which is returned; a tool's `tool.started` is part of
 * the commit, and what the last waiting step returned (a model's answer, a tool's result) opens it.
 * What a step waits for is thus committed before it starts, and a crash before the commit only makes
 * a resume decide the same steps again. Nothing here awaits, so nothing else in the process writes
 * inside the transaction.
 */
function recordDecisions(env: TurnEnvironment, turn: TurnSteps, events: readonly StoredEvent[]): WaitingStep {
  return env.log.transaction(() => {
    turn.recordPending();
    for (;;) {
      turn.govern(events);
      const next = decideNext({
        events,
        limits: env.agent.limits,
        now: env.clock.now(),
        tool: (name) => env.tools.facts(name),
        verify: env.agent.verify,
        reflect: env.agent.reflect,
      });
      if (isRecordedOnly(next)) turn.record(next, events);
      // the call's start is recorded with the decisions before it; one refused under panic is done
      else if (next.kind !== 'run-tool' || turn.startTool(next.planned)) return next;
    }
  });
}

/** Steps whose whole work is appending what was decided. */
const recordedOnlyKinds = [
  'enter-phase',
  'request-tool',
  'gate-tool',
  'refuse-tool',
  'ask-in-doubt',
  'respond',
  'fail',
] as const;
type RecordedStep = Extract<NextStep, { kind: (typeof recordedOnlyKinds)[number] }>;
type WaitingStep = Exclude<NextStep, RecordedStep>;

function isRecordedOnly(step: NextStep): step is RecordedStep {
  return (recordedOnlyKinds as readonly string[]).includes(step.kind);
}

class TurnSteps {
  /**
   * What the last waiting step returned (a model's answer, a tool's result), recorded in the commit of
   * the decisions that follow: nothing runs in between, so a crash loses no more than it would a moment
   * earlier, and the turn saves a commit. A new turn's opening (the user's message) is recorded the
   * same way, with its first decisions.
   */
  private pendingRecord: (() => void) | undefined;

  constructor(
    private readonly env: TurnEnvironment,
    private readonly sessionId: string,
    private readonly turnId: string,
    /** Adds what this turn appended to the events it decides from. */
    private readonly keep: (stored: readonly StoredEvent[]) => void,
    opening?: () => readonly StoredEvent[],
  ) {
    if (opening) this.pendingRecord = () => this.keep(opening());
  }

  /** Appends what a step that only records its decision decided. */
  record(step: RecordedStep, events: readonly StoredEvent[]): void {
    switch (step.kind) {
      case 'enter-phase':
        this.append(
          'runtime',
          {
            type: 'turn.phase',
            payload: {
              phase: step.phase,
              from: step.from ?? undefined,
              skipped: step.skipped,
              reason: step.reason,
            },
          },
          ...(step.phase === 'interpret' ? skillSelections(this.env.skills ?? [], turnInput(events)) : []),
        );
        return;
      case 'request-tool':
        this.append('agent', {
          type: 'tool.requested',
          stepId: step.planned.stepId,
          payload: {
            callId: step.planned.callId,
            tool: step.planned.call.name,
            input: step.planned.call.arguments,
          },
        });
        return;
      case 'gate-tool':
        this.checkSafety(step.planned, step.askHuman);
        return;
      case 'refuse-tool':
        this.append('runtime', {
          type: 'tool.result',
          stepId: step.planned.stepId,
          payload: { callId: step.planned.callId, isError: true, preview: step.reason },
        });
        return;
      case 'ask-in-doubt':
        this.askInDoubt(step.planned);
        return;
      case 'respond':
        this.keep(
          this.env.log.appendBatch(this.sessionId, [
            {
              type: 'assistant.message',
              actor: this.actor,
              turnId: this.turnId,
              payload: { text: step.answer },
            },
            {
              type: 'turn.completed',
              actor: 'runtime',
              turnId: this.turnId,
              payload: { answer: step.answer },
            },
          ]),
        );
        return;
      case 'fail':
        this.append('runtime', { type: 'turn.failed', payload: { error: step.error, code: step.code } });
        return;
      default:
        unknownStep(step);
    }
  }

  /** Performs a step that waits on something outside the log; an outcome when the turn ends or waits. */
  async perform(step: WaitingStep, events: readonly StoredEvent[]): Promise<TurnOutcome | undefined> {
    switch (step.kind) {
      case 'call-model':
        return this.callModel(step.stepId, events, step.onlyReadOnlyTools === true);
      case 'await-approval':
        return this.awaitApproval(step.approvalId, events);
      case 'run-tool':
        await this.runStartedTool(step.planned);
        return undefined;
      case 'verify':
        return this.verify(step.stepId, step.answer, events);
      case 'reflect':
        return this.reflect(step.stepId, step.answer, events);
      case 'done':
        return this.outcome(events, step.outcome);
      default:
        return unknownStep(step);
    }
  }

  private get actor(): string {
    return `agent:${this.env.agent.id}`;
  }

  private append(actor: string, ...events: TurnEvent[]): void {
    const placed = events.map((event) => ({ ...event, actor, turnId: this.turnId }) as NewEvent);
    this.keep(this.env.log.appendBatch(this.sessionId, placed));
  }

  private step(stepId: string): LlmStep {
    return { sessionId: this.sessionId, turnId: this.turnId, stepId, actor: this.actor };
  }

  private fail(error: LlmError): void {
    this.append('runtime', { type: 'turn.failed', payload: { error: error.message, code: error.code } });
  }

  /** Records the directives the metagovernor issues on the turn as it now stands. */
  govern(events: readonly StoredEvent[]): void {
    const directives = governTurn({
      events,
      config: this.env.agent.governor,
      tool: (name) => this.env.tools.facts(name),
      budget: this.env.agent.models?.budget,
    });
    if (directives.length === 0) return;
    this.append(
      'metagovernor',
      ...directives.map((directive): TurnEvent => ({ type: 'directive.issued', payload: { ...directive } })),
    );
  }

  private async callModel(
    stepId: string,
    events: readonly StoredEvent[],
    onlyReadOnlyTools: boolean,
  ): Promise<undefined> {
    try {
      // A step already answered is answered from the log by the recorder: no pack is built for it.
      const prompt = answered(events, stepId)
        ? undefined
        : await promptFor(this.env, {
            sessionId: this.sessionId,
            turnId: this.turnId,
            stepId,
            events,
            tools: this.toolSpecs(onlyReadOnlyTools),
          });
      let recordPack = prompt?.record;
      const response = await this.env.router.complete('default', prompt?.request ?? { messages: [] }, {
        step: {
          ...this.step(stepId),
          packHash: prompt?.packHash,
          // with the first provider's request only: one that falls back to another has recorded it
          withRequest:
            recordPack &&
            (() => {
              recordPack?.();
              recordPack = undefined;
            }),
          deferAnswer: (record) => {
            this.pendingRecord = () => this.keep([record()]);
          },
        },
        onDelta: this.env.onDelta,
        signal: this.env.signal,
      });
      if (prompt && !response.reused)
        calibrate(this.env, prompt, response.provider, response.usage.inputTokens);
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      this.fail(error);
    }
    return undefined;
  }

  private toolSpecs(onlyReadOnly: boolean) {
    const specs = this.env.tools.specs(this.env.agent.tools);
    return onlyReadOnly ? specs.filter((spec) => this.env.tools.facts(spec.name)?.readOnly) : specs;
  }

  /**
   * The judges rule on the answer (see `judgeAnswer`): each vote and the final verdict are recorded
   * together; a failed final verdict sends the turn back to plan with its reason.
   */
  private async verify(stepId: string, answer: string, events: readonly StoredEvent[]): Promise<undefined> {
    try {
      const { votes, final } = await judgeAnswer(
        this.env.agent.verification,
        {
          router: this.env.router,
          providers: this.env.providers,
          step: (id) => this.step(id),
          signal: this.env.signal,
        },
        stepId,
        turnInput(events),
        answer,
      );
      this.append(
        'runtime',
        ...[...votes.map((vote) => ({ ...vote, vote: true })), final].map((payload) => ({
          type: 'verify.verdict' as const,
          stepId,
          payload,
        })),
      );
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      this.fail(error);
    }
    return undefined;
  }

  /**
   * The fast tier proposes what is worth remembering: each new candidate a `memory.candidate` event,
   * recorded with the candidate (rejected and already remembered ones are left out; rules or repeated
   * evidence may promote at once). Best effort: a failed call is already in the log (as the step's
   * `llm.responded` error) and the turn answers anyway; a memory left without a vector gets one later.
   */
  private async reflect(stepId: string, answer: string, events: readonly StoredEvent[]): Promise<undefined> {
    const memory = this.env.memory;
    try {
      const reflected = await this.env.router.complete('fast', reflectionRequest(turnInput(events), answer), {
        step: this.step(stepId),
        signal: this.env.signal,
      });
      const source = {
        sessionId: this.sessionId,
        turnId: this.turnId,
        stepId,
        actor: this.actor,
        scope: `agent:${this.env.agent.id}`,
        userScope: userScopeOf(events.find((event) => event.type === 'user.message')?.payload ?? {}),
      };
      const outcome = memory.candidates.propose(source, parseLessons(reflected));
      if (outcome.promoted.length > 0) await memory.store.embedMissing();
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
    }
    return undefined;
  }

  /** Records what the last waiting step returned, if anything, with the decisions that follow it. */
  recordPending(): void {
    const record = this.pendingRecord;
    this.pendingRecord = undefined;
    record?.();
  }

  /**
   * Safety's hard stops come before policy: a blocked call is recorded as `safety.blocked` and denied,
   * so no rule, grant or approval can let it run, and the model gets the reason as the call's error.
   * Otherwise policy decides. Both only read (the call's intent, config, grants), so the verdict is
   * recorded in the commit of the call's intent: a crash before it decides the call again.
   */
  private checkSafety(planned: PlannedCall, askHuman: string | undefined): void {
    const intent = this.env.tools.intent({ tool: planned.call.name, input: planned.call.arguments });
    const scope = { workspaceRoots: this.env.workspaceRoots, config: this.env.safety };
    const block = intent && checkIntent(intent, scope);
    if (block) this.recordSafetyBlock(planned, block);
    else this.gate(planned, askHuman);
  }

  private recordSafetyBlock(planned: PlannedCall, block: SafetyBlock): void {
    const { callId, stepId } = planned;
    this.append(
      'runtime',
      { type: 'safety.blocked', stepId, payload: { callId, tool: planned.call.name, ...block } },
      {
        type: 'policy.decided',
        stepId,
        payload: {
          callId,
          decision: 'deny',
          reason: `blocked by safety: ${block.reason}`,
          rule: `safety:${block.rule}`,
        },
      },
    );
  }

  /** `askHuman`: the metagovernor wants a human to approve this call even where policy allows it. */
  private gate(planned: PlannedCall, askHuman: string | undefined): void {
    const { callId, stepId, call } = planned;
    if (this.blockedByPanic(planned)) {
      const reason = new PanicError().message;
      this.append('runtime', {
        type: 'policy.decided',
        stepId,
        payload: { callId, decision: 'deny', reason, rule: 'panic' },
      });
      return;
    }
    const facts = this.env.tools.facts(call.name);
    const where = { agentId: this.env.agent.id, sessionId: this.sessionId };
    const policy = decideToolCall(call.name, facts?.readOnly ?? false, this.env.policy, {
      input: call.arguments,
      cwd: this.env.workspaceRoots[0],
      findGrant: (policyCall) => this.env.grants.liveFor(policyCall, where),
    });
    const verdict =
      askHuman && policy.decision === 'allow'
        ? { decision: 'ask' as const, reason: `the metagovernor asks a human: ${askHuman}` }
        : policy;
    this.append('runtime', { type: 'policy.decided', stepId, payload: { callId, ...verdict } });
    if (verdict.decision !== 'ask') return;
    this.requestApproval(planned, summarize(planned));
  }

  /**
   * While panic is on, a call is blocked: recorded as `safety.blocked`, and the session is told of the
   * panic (once per episode).
   */
  private blockedByPanic(planned: PlannedCall): boolean {
    if (!this.env.panic.isEngaged()) return false;
    this.recordPanicBlock(planned, new PanicError().message);
    return true;
  }

  private recordPanicBlock(planned: PlannedCall, reason: string): void {
    this.env.panic.reach(this.env.log, this.sessionId);
    this.append('runtime', {
      type: 'safety.blocked',
      stepId: planned.stepId,
      payload: { callId: planned.callId, tool: planned.call.name, rule: 'panic', reason },
    });
  }

  private askInDoubt(planned: PlannedCall): void {
    this.requestApproval(
      planned,
      `${summarize(planned)} started before an interruption and may or may not have run; run it again?`,
      { inDoubt: true },
    );
  }

  /** Asks a human about the planned call, as `approval.requested` with a new approval id. */
  private requestApproval(
    planned: PlannedCall,
    summary: string,
    more: { inDoubt?: true; relayed?: { sessionId: string; approvalId: string } } = {},
  ): void {
    this.append('runtime', {
      type: 'approval.requested',
      stepId: planned.stepId,
      payload: { approvalId: newId(), callId: planned.callId, tool: planned.call.name, summary, ...more },
    });
  }

  private async awaitApproval(
    approvalId: string,
    events: readonly StoredEvent[],
  ): Promise<TurnOutcome | undefined> {
    const requested = events.find(
      (event) =>
        event.type === 'approval.requested' &&
        (event.payload as { approvalId: string }).approvalId === approvalId,
    );
    const payload = requested?.payload as {
      callId: string;
      tool: string;
      summary: string;
      inDoubt?: boolean;
    };
    const prompt: ApprovalPrompt = {
      approvalId,
      callId: payload.callId,
      tool: payload.tool,
      summary: payload.summary,
      inDoubt: payload.inDoubt === true,
    };
    const answer = await this.env.askApproval?.(prompt);
    if (!answer) return { status: 'waiting', turnId: this.turnId, approval: prompt };
    this.append('user', {
      type: 'approval.resolved',
      payload: { approvalId, decision: answer, scope: 'once', by: 'user' },
    });
    return undefined;
  }

  /** Records the call's start, or its refusal while panic is on; true when it is to run. */
  startTool(planned: PlannedCall): boolean {
    const { callId, stepId } = planned;
    if (this.blockedByPanic(planned)) {
      this.append('runtime', {
        type: 'tool.result',
        stepId,
        payload: { callId, isError: true, preview: new PanicError().message },
      });
      return false;
    }
    this.append('runtime', { type: 'tool.started', stepId, payload: { callId } });
    return true;
  }

  private async runStartedTool(planned: PlannedCall): Promise<void> {
    const { callId, stepId, call } = planned;
    let stoppedByPanic = false;
    const result = await this.env.panic.guard(this.env.signal ?? new AbortController().signal, (signal) => {
      signal.addEventListener('abort', () => {
        stoppedByPanic = signal.reason instanceof PanicError;
      });
      return this.env.tools.run(
        { tool: call.name, input: call.arguments },
        {
          sessionId: this.sessionId,
          turnId: this.turnId,
          callId,
          workspaceRoots: this.env.workspaceRoots,
          artifacts: this.env.artifacts,
        },
        signal,
      );
    });
    if (stoppedByPanic) this.recordPanicBlock(planned, 'panic engaged while the call ran: it was stopped');
    if (result.awaits) return this.relayApproval(planned, result.awaits);
    // A hard stop met while running (a redirect to a denied host) is recorded like one met at the gate.
    const blocked: TurnEvent[] = result.blocked
      ? [{ type: 'safety.blocked', stepId, payload: { callId, tool: call.name, ...result.blocked } }]
      : [];
    this.pendingRecord = () =>
      this.append('tool', ...blocked, {
        type: 'tool.result',
        stepId,
        payload: { callId, isError: result.isError, preview: result.preview, artifacts: result.artifacts },
      });
  }

  /** The call waits on an approval asked in another session: a human is asked it here, in this turn. */
  private relayApproval(planned: PlannedCall, awaited: RelayedApproval): void {
    this.requestApproval(planned, awaited.summary, {
      ...(awaited.inDoubt && { inDoubt: true }),
      relayed: { sessionId: awaited.sessionId, approvalId: awaited.approvalId },
    });
  }

  private outcome(events: readonly StoredEvent[], outcome: 'completed' | 'failed'): TurnOutcome {
    const last = events.at(-1)?.payload as { answer?: string; error?: string; code?: string };
    return outcome === 'completed'
      ? { status: 'completed', turnId: this.turnId, answer: last.answer ?? '' }
      : { status: 'failed', turnId: this.turnId, code: last.code ?? 'turn.failed', error: last.error ?? '' };
  }
}

function unknownStep(step: never): never {
  throw new Error(`the runtime cannot perform step ${JSON.stringify(step)}`);
}

/** Whether the step holds a successful model answer (which the recorder reuses). */
function answered(events: readonly StoredEvent[], stepId: string): boolean {
  return events.some(
    (event) =>
      event.type === 'llm.responded' &&
      event.stepId === stepId &&
      (event.payload as { error?: unknown }).error === undefined,
  );
}

/** Folds the provider's real prompt token count into its ratio, when the pack was for that provider. */
function calibrate(env: TurnEnvironment, prompt: PackedPrompt, provider: string, inputTokens: number): void {
  if (provider !== prompt.provider) return;
  (env.calibration ?? processCalibration).observe(provider, prompt.totalTokens, inputTokens);
}

function summarize(planned: PlannedCall): string {
  const input = JSON.stringify(planned.call.arguments);
  return `${planned.call.name} ${input.length > 200 ? `${input.slice(0, 200)}…` : input}`;
}
