import { type Clock, PyclawError } from '../core/index.js';
import { type AgentModels, type ModelRef, type ModelTier, modelTiers } from '../registry/index.js';
import type { Spending } from './budget.js';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  LlmError,
  type Provider,
} from './contract.js';
import { type LlmEventSink, type LlmStep, recordedComplete } from './recorder.js';

export type RoutedRequest = Omit<CompletionRequest, 'model'>;

export interface RoutedCallOptions extends CompleteOptions {
  /** Present when the call belongs to a turn: it is then recorded, budgeted and reusable on resume. */
  step?: LlmStep;
}

export interface RoutedResponse extends CompletionResponse {
  provider: string;
  /** True when the answer was read back from the log instead of asking a model. */
  reused: boolean;
}

/** Anything that can ask one given model: the router, or a test double. */
export interface ModelCaller {
  call(ref: ModelRef, request: RoutedRequest, options?: RoutedCallOptions): Promise<RoutedResponse>;
}

export interface ModelRouterDeps {
  providers: ReadonlyMap<string, Provider>;
  models: AgentModels;
  /** The session event log; without it calls are not recorded and budgets cannot be measured. */
  sink?: LlmEventSink;
  /** What the agent spent today, for `budget.perDay`. */
  spentToday?: () => Spending;
  clock?: Clock;
}

/**
 * Chooses the model for an agent's tier and falls back along the tier's `fallbacks` when a model
 * fails. It falls back on every failure except `aborted` (the caller gave up), `bad_request` (the
 * same request would be wrong anywhere) and `budget` (spending more elsewhere is exactly what the
 * limit forbids).
 */
export class ModelRouter implements ModelCaller {
  private readonly deps: ModelRouterDeps;

  constructor(deps: ModelRouterDeps) {
    this.deps = deps;
    const missing = modelTiers.flatMap((tier) => {
      const choice = deps.models[tier];
      const refs = choice ? [choice, ...choice.fallbacks] : [];
      return refs
        .filter((ref) => !deps.providers.has(ref.provider))
        .map((ref) => `models.${tier} → "${ref.provider}"`);
    });
    if (missing.length > 0) {
      throw new PyclawError(
        'llm.unknown_provider',
        `models name providers that are not configured: ${missing.join(', ')}`,
        {
          hint: `Add them under providers:, or use one of: ${[...deps.providers.keys()].join(', ') || '(none)'}.`,
        },
      );
    }
  }

  /** The models tried for a tier, in order. */
  candidates(tier: ModelTier): ModelRef[] {
    const choice = this.deps.models[tier] ?? this.deps.models.default;
    return [{ provider: choice.provider, model: choice.model }, ...choice.fallbacks];
  }

  async complete(
    tier: ModelTier,
    request: RoutedRequest,
    options: RoutedCallOptions = {},
  ): Promise<RoutedResponse> {
    const failures: LlmError[] = [];
    for (const ref of this.candidates(tier)) {
      try {
        return await this.call(ref, request, options);
      } catch (error) {
        if (!(error instanceof LlmError) || !fallsBack(error)) throw error;
        failures.push(error);
      }
    }
    const last = failures.at(-1) as LlmError;
    throw new LlmError(
      last.kind,
      last.providerId,
      `every model for tier "${tier}" failed: ${failures.map((failure) => failure.message).join('; ')}`,
      { cause: last, retryAfterSeconds: last.retryAfterSeconds },
    );
  }

  async call(
    ref: ModelRef,
    request: RoutedRequest,
    options: RoutedCallOptions = {},
  ): Promise<RoutedResponse> {
    const provider = this.deps.providers.get(ref.provider);
    if (!provider)
      throw new LlmError('bad_request', ref.provider, `no provider "${ref.provider}" is configured`);
    const { step, ...completeOptions } = options;
    const fullRequest = { ...request, model: ref.model };
    const budget = this.deps.models.budget;
    if (!step || !this.deps.sink) {
      if (budget) {
        throw new PyclawError(
          'llm.budget_unmeasured',
          'this agent has a budget, so its model calls need a step and an event sink',
        );
      }
      return {
        ...(await provider.complete(fullRequest, completeOptions)),
        provider: provider.id,
        reused: false,
      };
    }
    const recorded = await recordedComplete({
      sink: this.deps.sink,
      step,
      provider,
      request: fullRequest,
      options: completeOptions,
      budget: budget && { budget, spentToday: this.deps.spentToday },
      clock: this.deps.clock,
    });
    return { ...recorded.response, provider: recorded.provider, reused: recorded.reused };
  }
}

const terminalKinds = new Set(['aborted', 'bad_request', 'budget']);

function fallsBack(error: LlmError): boolean {
  return !terminalKinds.has(error.kind);
}
