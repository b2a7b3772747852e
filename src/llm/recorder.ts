import { z } from 'zod';
import { type Clock, errorMessage, type NewEvent, type StoredEvent, systemClock } from '../core/index.js';
import { type BudgetGuard, budgetViolation, spendingOf } from './budget.js';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  completionResponseSchema,
  LlmError,
  type Provider,
} from './contract.js';

/** The part of the session event log the LLM layer needs; `EventLog` satisfies it. */
export interface LlmEventSink {
  append(sessionId: string, event: NewEvent): StoredEvent;
  byTurn(sessionId: string, turnId: string): StoredEvent[];
  /** Runs `work` in one commit. */
  transaction<T>(work: () => T): T;
}

/** Where a model call sits in a turn: one stepId names one logical call, whichever model answers it. */
export interface LlmStep {
  sessionId: string;
  turnId: string;
  stepId: string;
  /** Hash of the PromptPack the request was built from. */
  packHash?: string;
  traceId?: string;
  actor?: string;
  /** Written in the commit of the step's `llm.requested`, before it: the prompt pack it was built from. */
  withRequest?: () => void;
  /**
   * Takes the answer's `llm.responded`, for the caller to record with what it decides next; without it
   * the answer is recorded at once. A failed call is always recorded at once.
   */
  deferAnswer?: (record: () => StoredEvent) => void;
}

export interface RecordedCall {
  sink: LlmEventSink;
  step: LlmStep;
  provider: Provider;
  request: CompletionRequest;
  options?: CompleteOptions;
  budget?: BudgetGuard;
  clock?: Clock;
}

export interface RecordedResponse {
  response: CompletionResponse;
  provider: string;
  /** True when the answer came from the log (resume or replay) and no model was called. */
  reused: boolean;
}

const recordedAnswerSchema = completionResponseSchema.extend({ provider: z.string() });

/**
 * Calls a model as a recorded activity: `llm.requested` before, `llm.responded` after (the answer or
 * the error). A step that already holds a successful `llm.responded` is answered from the log without
 * calling any model, which is what makes resume and replay free. The budget is checked after the
 * intent is written, so a refused call leaves a visible error in the turn.
 */
export async function recordedComplete(call: RecordedCall): Promise<RecordedResponse> {
  const { sink, step, provider, request } = call;
  const recorded = findRecordedAnswer(sink, step);
  if (recorded) return { ...recorded, reused: true };

  const clock = call.clock ?? systemClock;
  const requested: NewEvent = {
    ...placement(step),
    type: 'llm.requested',
    payload: {
      provider: provider.id,
      model: request.model,
      packHash: step.packHash,
      params: paramsOf(request),
    },
  };
  const { withRequest } = step;
  if (withRequest) {
    sink.transaction(() => {
      withRequest();
      sink.append(step.sessionId, requested);
    });
  } else sink.append(step.sessionId, requested);
  const started = clock.now();
  try {
    const violation =
      call.budget && budgetViolation(call.budget, spendingOf(sink.byTurn(step.sessionId, step.turnId)));
    if (violation) throw new LlmError('budget', provider.id, violation);
    const response = await provider.complete(request, call.options);
    const latencyMs = clock.now() - started;
    const recordAnswer = () =>
      sink.append(step.sessionId, {
        ...placement(step),
        type: 'llm.responded',
        payload: { provider: provider.id, ...response, latencyMs },
      });
    if (step.deferAnswer) step.deferAnswer(recordAnswer);
    else recordAnswer();
    return { response, provider: provider.id, reused: false };
  } catch (error) {
    sink.append(step.sessionId, {
      ...placement(step),
      type: 'llm.responded',
      payload: {
        provider: provider.id,
        model: request.model,
        error: errorMessage(error),
        errorKind: error instanceof LlmError ? error.kind : undefined,
        latencyMs: clock.now() - started,
      },
    });
    throw error;
  }
}

/** The successful answer already recorded for this step, if any. */
export function findRecordedAnswer(
  sink: LlmEventSink,
  step: LlmStep,
): { response: CompletionResponse; provider: string } | undefined {
  for (const event of sink.byTurn(step.sessionId, step.turnId)) {
    if (event.type !== 'llm.responded' || event.stepId !== step.stepId) continue;
    const parsed = recordedAnswerSchema.safeParse(event.payload);
    if (!parsed.success) continue;
    const { provider, ...response } = parsed.data;
    return { response, provider };
  }
  return undefined;
}

function paramsOf(request: CompletionRequest) {
  return {
    messages: request.messages.length,
    tools: request.tools?.map((tool) => tool.name),
    output: request.output?.name,
    maxTokens: request.maxTokens,
    temperature: request.temperature,
  };
}

/** Where the recorder's events go in the log: the step's turn and step ids. */
function placement(step: LlmStep) {
  return { actor: step.actor ?? 'llm', turnId: step.turnId, stepId: step.stepId, traceId: step.traceId };
}
