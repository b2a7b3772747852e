import { type DecideInput, decideNext, type NextStep } from '../../src/brain/index.js';
import { turnLimitsSchema } from '../../src/registry/index.js';
import { TurnLog } from './turn-log.js';

export type ModelReply =
  | { text?: string; toolCalls?: { name: string; arguments: Record<string, unknown> }[] }
  | { error: string };

/** A tool's result, or `relay`: the call waits on an approval asked in another session, with this summary. */
type ToolRun = (input: Record<string, unknown>) => { preview: string; isError?: boolean } | { relay: string };

export interface ScriptedTool {
  idempotent?: boolean;
  /** The tool's result for an input; by default `read <path>`. */
  run?: ToolRun;
}

export interface TurnScript {
  /** One reply per model call, in order. */
  replies: ModelReply[];
  tools?: Record<string, ScriptedTool>;
  /** Policy's decision per tool; `allow` when not listed. */
  policy?: Record<string, 'allow' | 'ask' | 'deny'>;
  /** One verdict per verify step, in order. */
  verdicts?: { verdict: 'pass' | 'fail'; reason: string }[];
  limits?: Partial<DecideInput['limits']>;
  verify?: boolean;
  reflect?: boolean;
  /** How far the clock moves before each decision. */
  stepMs?: number;
}

/**
 * Plays the runtime around `decideNext`: performs each step with scripted model replies, tool results,
 * policy decisions and verdicts, appending the events the real runtime appends, and records each step.
 */
export class TurnDriver {
  readonly steps: NextStep[] = [];
  private modelCalls = 0;
  private verdictsGiven = 0;
  /** When set, running this callId records `tool.started` and then "the process dies". */
  crashDuring: string | undefined;

  /** Starts a turn in `log` (a new session by default) with `input`. */
  constructor(
    private readonly script: TurnScript,
    readonly log = new TurnLog(),
    input = 'Read /a and /b',
  ) {
    log.append('turn.started', { agentId: 'main', input });
  }

  decide(): NextStep {
    this.log.now += this.script.stepMs ?? 1_000;
    return decideNext({
      events: this.log.turnEvents(),
      limits: turnLimitsSchema.parse(this.script.limits ?? {}),
      now: this.log.now,
      tool: (name) => {
        const tool = this.script.tools?.[name];
        return tool && { idempotent: tool.idempotent ?? false };
      },
      verify: this.script.verify ?? false,
      reflect: this.script.reflect ?? false,
    });
  }

  /**
   * Decides and performs steps until the turn is done, waits for an approval, the process "dies", or
   * (without performing it) a step matches `stopAt`.
   */
  run(stopAt: (step: NextStep) => boolean = () => false): NextStep {
    for (let count = 0; count < 200; count++) {
      const step = this.decide();
      this.steps.push(step);
      if (step.kind === 'done' || step.kind === 'await-approval' || stopAt(step)) return step;
      if (!this.perform(step)) return step;
    }
    throw new Error('the turn did not settle within 200 steps');
  }

  resolve(approvalId: string, decision: 'approve' | 'deny'): void {
    this.log.append('approval.resolved', { approvalId, decision, by: 'alice' });
  }

  /** Each step taken so far, one readable line each. */
  labels(): string[] {
    return this.steps.map(label);
  }

  /** Performs the step; false when the process "died" doing it. */
  private perform(step: NextStep): boolean {
    const log = this.log;
    switch (step.kind) {
      case 'enter-phase':
        log.append('turn.phase', {
          phase: step.phase,
          from: step.from ?? undefined,
          skipped: step.skipped,
          reason: step.reason,
        });
        return true;
      case 'call-model':
        this.callModel(step.stepId);
        return true;
      case 'request-tool': {
        const { callId, stepId, call } = step.planned;
        log.append('tool.requested', { callId, tool: call.name, input: call.arguments }, stepId);
        return true;
      }
      case 'gate-tool': {
        const { callId, stepId, call } = step.planned;
        const decision = this.script.policy?.[call.name] ?? 'allow';
        log.append('policy.decided', { callId, decision, reason: `rule for ${call.name}` }, stepId);
        if (decision === 'ask') {
          const approval = { approvalId: `approval-${callId}`, callId, tool: call.name, summary: call.name };
          log.append('approval.requested', approval, stepId);
        }
        return true;
      }
      case 'run-tool': {
        const { callId, stepId, call } = step.planned;
        log.append('tool.started', { callId }, stepId);
        if (this.crashDuring === callId) return false;
        const run: ToolRun = this.script.tools?.[call.name]?.run ?? readsPath;
        const result = run(call.arguments);
        if ('relay' in result) {
          const approvalId = `relayed-${callId}-${log.events.length}`;
          const relayed = { sessionId: 'child-session', approvalId: `child-${approvalId}` };
          log.append(
            'approval.requested',
            { approvalId, callId, tool: call.name, summary: result.relay, relayed },
            stepId,
          );
          return true;
        }
        const { preview, isError = false } = result;
        log.append('tool.result', { callId, isError, preview }, stepId);
        return true;
      }
      case 'refuse-tool': {
        const { callId, stepId } = step.planned;
        log.append('tool.result', { callId, isError: true, preview: step.reason }, stepId);
        return true;
      }
      case 'ask-in-doubt': {
        const { callId, stepId, call } = step.planned;
        const approvalId = `in-doubt-${callId}-${log.events.length}`;
        log.append(
          'approval.requested',
          { approvalId, callId, tool: call.name, summary: `re-run ${call.name}?`, inDoubt: true },
          stepId,
        );
        return true;
      }
      case 'verify': {
        const verdict = this.script.verdicts?.[this.verdictsGiven++];
        if (!verdict) throw new Error('the script has no verdict left');
        log.append('verify.verdict', { ...verdict, judge: 'scripted' }, step.stepId);
        return true;
      }
      case 'reflect':
        log.append('llm.requested', { provider: 'script', model: 'm' }, step.stepId);
        log.append('llm.responded', { text: 'lesson: files are small' }, step.stepId);
        log.append('memory.candidate', { candidateId: 'c1', kind: 'lesson', text: 'files are small' });
        return true;
      case 'respond':
        log.append('assistant.message', { text: step.answer });
        log.append('turn.completed', { answer: step.answer });
        return true;
      case 'fail':
        log.append('turn.failed', { error: step.error, code: step.code });
        return true;
      default:
        throw new Error(`the driver does not perform ${step.kind}`);
    }
  }

  private callModel(stepId: string): void {
    const reply = this.script.replies[this.modelCalls++];
    if (!reply) throw new Error(`the script has no reply for model call ${this.modelCalls}`);
    this.log.append('llm.requested', { provider: 'script', model: 'm' }, stepId);
    if ('error' in reply) {
      this.log.append('llm.responded', { error: reply.error }, stepId);
      return;
    }
    const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
      id: `model-call-${this.modelCalls}-${index}`,
      ...call,
    }));
    this.log.append('llm.responded', { text: reply.text ?? '', toolCalls }, stepId);
  }
}

const readsPath: ToolRun = (input) => ({ preview: `read ${input.path}` });

export function label(step: NextStep): string {
  switch (step.kind) {
    case 'enter-phase':
      return `enter ${step.phase}${step.skipped ? ` (skipped: ${step.reason})` : ''}`;
    case 'call-model':
      return `call-model ${step.stepId}`;
    case 'request-tool':
      return `request ${step.planned.callId} ${step.planned.call.name}`;
    case 'gate-tool':
      return `gate ${step.planned.callId}`;
    case 'await-approval':
      return `await ${step.callId} (${step.approvalId})`;
    case 'run-tool':
      return `run ${step.planned.callId}${step.rerun ? ' again' : ''}`;
    case 'refuse-tool':
      return `refuse ${step.planned.callId}: ${step.reason}`;
    case 'ask-in-doubt':
      return `ask-in-doubt ${step.planned.callId}`;
    case 'verify':
      return `verify ${step.stepId}: ${step.answer}`;
    case 'reflect':
      return `reflect ${step.stepId}: ${step.answer}`;
    case 'respond':
      return `respond: ${step.answer}`;
    case 'fail':
      return `fail ${step.code}: ${step.error}`;
    case 'done':
      return `done ${step.outcome}`;
  }
}
