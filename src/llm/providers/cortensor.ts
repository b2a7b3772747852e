import { z } from 'zod';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  LlmError,
  type Provider,
  type ProviderDeps,
} from '../contract.js';
import { costUsd, modelPricingSchema } from '../pricing.js';
import { callPolicySchema } from '../resilience.js';
import { resolveApiKey } from '../secret-ref.js';
import {
  isEventStream,
  parseAnswer,
  postToRouter,
  type RouterConnection,
  readAnswer,
  serverSentEvents,
} from './cortensor-http.js';
import { promptOf, replyOf } from './cortensor-prompt.js';
import {
  type CompletionBody,
  completionAnswerSchema,
  completionChunkSchema,
  type DelegateBody,
  delegateAnswerSchema,
  delegateRequestSchema,
  factcheckAnswerSchema,
  factcheckRequestSchema,
  type ValidateBody,
  validateAnswerSchema,
  validateRequestSchema,
} from './cortensor-wire.js';

/** A Cortensor router node (its Web2 API: see cortensor-wire.ts for the references followed). */
export const cortensorProviderConfigSchema = z.strictObject({
  kind: z.literal('cortensor'),
  /** The router node's HTTP API, or the reverse proxy in front of it. */
  baseUrl: z.url().default('http://127.0.0.1:5010'),
  /** A reference such as `${env:CORTENSOR_API_KEY}` to the router's bearer token. */
  apiKey: z.string().optional(),
  /** The Cortensor session serving completions, delegate and validate: a numeric id. */
  sessionId: z.union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+$/, 'sessionId must be a number').transform(Number),
  ]),
  /** Where completions carry the session id: `/api/v1/completions/{id}` or `session_id` in the body. */
  sessionIdIn: z.enum(['path', 'body']).default('path'),
  /** Sent as `prompt_type` and `prompt_template`; the defaults ask for the prompt to be used as is. */
  promptType: z.number().int().nonnegative().default(1),
  promptTemplate: z.string().default(''),
  /** Sampling settings the contract's request has no field for. */
  sampling: z
    .strictObject({
      topP: z.number().min(0).max(1),
      topK: z.number().int().positive(),
      presencePenalty: z.number().min(-2).max(2),
      frequencyPenalty: z.number().min(-2).max(2),
    })
    .partial()
    .default({}),
  pricing: modelPricingSchema.optional(),
  ...callPolicySchema.shape,
});
export type CortensorProviderConfig = z.infer<typeof cortensorProviderConfigSchema>;

export type DelegateRequest = z.input<typeof delegateRequestSchema>;
export type DelegateResponse = z.infer<typeof delegateAnswerSchema>;
export type ValidateRequest = z.input<typeof validateRequestSchema>;
export type ValidateResponse = z.infer<typeof validateAnswerSchema>;
export type FactcheckRequest = z.input<typeof factcheckRequestSchema>;
export type FactcheckResponse = z.infer<typeof factcheckAnswerSchema>;

export interface RouterCallOptions {
  signal?: AbortSignal;
}

/**
 * A provider for the router's completions, plus its delegate, validate and factcheck surfaces.
 * Those three are one attempt each within `timeoutMs`, never retried: a retried delegate would run
 * the work twice on the network.
 */
export interface CortensorProvider extends Provider {
  /**
   * `POST /api/v1/completions/{session_id}`, or `POST /api/v1/completions` with `session_id` in the
   * body (`sessionIdIn`), streamed as server-sent events when `onDelta` is given. Follows the Web2 API
   * Reference, "WIP — Early Draft" (undated), https://docs.cortensor.network/getting-started/web2-api-reference,
   * and its v2 edition of 2026-06-28, https://docs-v2.cortensor.network/getting-started/web2-api-reference/;
   * body fields and the stream's chunk format are inferred as described in cortensor-wire.ts.
   * Streamed deltas are the model's raw text, a tool-call block included.
   */
  complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResponse>;
  /**
   * `POST /api/v2/delegate` (v2, "live today" and the current default per
   * https://docs.cortensor.network/community-and-ecosystem/products-and-agents/corgent/delegate-and-validate-versions;
   * route listed in the 2026-06-28 Router Node page, https://docs-v2.cortensor.network/products/router-node-progress/).
   * Request fields are documented by name only; the answer's `output`/`evidence` keys are inferred.
   */
  delegate(request: DelegateRequest, options?: RouterCallOptions): Promise<DelegateResponse>;
  /**
   * `POST /api/v2/validate` (v2, same sources as `delegate`): verdict `VALID | INVALID | RETRY |
   * NEEDS_SPEC` with reasons, as documented; `score` per the 2026-06-28 docs; `evidence` inferred.
   */
  validate(request: ValidateRequest, options?: RouterCallOptions): Promise<ValidateResponse>;
  /**
   * `POST /api/v1/factcheck`, per Cortensor's "Fact-Check API Foundation" devlog (WIP),
   * https://farcaster.xyz/cortensor/0x0b9a9c2c, and the 2026-06-28 Router Node page: modes
   * standard|realtime, redundancy ≥ 3, verdict + confidence + per-run evidence (key names inferred).
   */
  factcheck(request: FactcheckRequest, options?: RouterCallOptions): Promise<FactcheckResponse>;
}

/** True for a Cortensor provider, also after `createProviders` wrapped it. */
export function isCortensorProvider(provider: Provider): provider is CortensorProvider {
  return 'delegate' in provider && 'validate' in provider && 'factcheck' in provider;
}

export function createCortensorProvider(
  id: string,
  config: CortensorProviderConfig,
  deps: ProviderDeps = {},
): CortensorProvider {
  const connection: RouterConnection = {
    providerId: id,
    baseUrl: config.baseUrl,
    token: () => resolveApiKey(id, config.apiKey, deps.resolveSecret),
    timeoutMs: config.timeoutMs,
  };
  const session = { session_id: config.sessionId };

  async function callRouter<A>(
    path: string,
    body: unknown,
    answer: z.ZodType<A>,
    options: RouterCallOptions,
  ) {
    return postToRouter(connection, { path, body, signal: options.signal }, (response) =>
      readAnswer(id, response, answer),
    );
  }

  return {
    id,
    complete: (request, options = {}) => complete(connection, config, request, options),
    async delegate(request, options = {}) {
      const body = { ...checked(id, delegateRequestSchema, request), ...session };
      return callRouter('/api/v2/delegate', body satisfies DelegateBody, delegateAnswerSchema, options);
    },
    async validate(request, options = {}) {
      const body = { ...checked(id, validateRequestSchema, request), ...session };
      return callRouter('/api/v2/validate', body satisfies ValidateBody, validateAnswerSchema, options);
    },
    async factcheck(request, options = {}) {
      const body = checked(id, factcheckRequestSchema, request);
      return callRouter('/api/v1/factcheck', body, factcheckAnswerSchema, options);
    },
  };
}

function checked<T>(providerId: string, schema: z.ZodType<T>, request: unknown): T {
  const result = schema.safeParse(request);
  if (!result.success) {
    throw new LlmError('bad_request', providerId, `invalid request: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The answer as the wire gave it, whether it arrived whole or streamed. */
interface WireAnswer {
  text: string;
  finishReason: string | null | undefined;
  model: string | undefined;
  usage: { prompt_tokens: number; completion_tokens: number } | undefined;
}

async function complete(
  connection: RouterConnection,
  config: CortensorProviderConfig,
  request: CompletionRequest,
  options: CompleteOptions,
): Promise<CompletionResponse> {
  const { providerId } = connection;
  const { onDelta } = options;
  const path =
    config.sessionIdIn === 'path' ? `/api/v1/completions/${config.sessionId}` : '/api/v1/completions';
  const answer = await postToRouter(
    connection,
    { path, body: completionBody(config, request, onDelta !== undefined), signal: options.signal },
    async (response) => {
      if (onDelta && isEventStream(response)) return streamedAnswer(providerId, response, onDelta);
      // The router may answer whole even when asked to stream (its encrypted flows do).
      const whole = wholeAnswer(await readAnswer(providerId, response, completionAnswerSchema));
      if (onDelta && whole.text) onDelta(whole.text);
      return whole;
    },
  );
  return toResponse(answer, request, config);
}

function completionBody(
  config: CortensorProviderConfig,
  request: CompletionRequest,
  stream: boolean,
): CompletionBody {
  return {
    ...(config.sessionIdIn === 'body' && { session_id: config.sessionId }),
    prompt: promptOf(request),
    prompt_type: config.promptType,
    prompt_template: config.promptTemplate,
    stream,
    // The router's own task timeout, in seconds: it stops working when PyClaw stops waiting.
    timeout: Math.ceil(config.timeoutMs / 1000),
    client_reference: 'pyclaw',
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: config.sampling.topP,
    top_k: config.sampling.topK,
    presence_penalty: config.sampling.presencePenalty,
    frequency_penalty: config.sampling.frequencyPenalty,
  };
}

function wholeAnswer(body: z.infer<typeof completionAnswerSchema>): WireAnswer {
  const [choice] = body.choices;
  return {
    text: choice?.text ?? '',
    finishReason: choice?.finish_reason,
    model: body.model,
    usage: body.usage,
  };
}

async function streamedAnswer(
  providerId: string,
  response: Response,
  onDelta: (text: string) => void,
): Promise<WireAnswer> {
  const answer: WireAnswer = { text: '', finishReason: undefined, model: undefined, usage: undefined };
  let done = false;
  for await (const data of serverSentEvents(response)) {
    if (data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = parseAnswer(providerId, data, completionChunkSchema);
    const choice = chunk.choices[0];
    const piece = choice?.text ?? choice?.delta?.content ?? '';
    if (piece) {
      answer.text += piece;
      onDelta(piece);
    }
    answer.finishReason = choice?.finish_reason ?? answer.finishReason;
    answer.model ??= chunk.model;
    answer.usage = chunk.usage ?? answer.usage;
  }
  if (!done && !answer.finishReason) {
    throw new LlmError('bad_response', providerId, 'the stream ended before the answer was complete');
  }
  return answer;
}

const finishReasons: Record<string, CompletionResponse['finishReason']> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
};

function toResponse(
  answer: WireAnswer,
  request: CompletionRequest,
  config: CortensorProviderConfig,
): CompletionResponse {
  const { text, toolCalls } = replyOf(answer.text, request);
  const usage = {
    inputTokens: answer.usage?.prompt_tokens ?? 0,
    outputTokens: answer.usage?.completion_tokens ?? 0,
  };
  // A whole answer without a finish reason finished normally.
  const finishReason = answer.finishReason ? (finishReasons[answer.finishReason] ?? 'other') : 'stop';
  return {
    text,
    toolCalls,
    usage,
    costUsd: costUsd(config.pricing, request.model, usage),
    // The session decides the model; the router's name for it wins over the one requested.
    model: answer.model || request.model,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : finishReason,
  };
}
