import { z } from 'zod';
import { PyclawError } from '../core/index.js';

/** The provider contract: PyClaw's one shape for talking to any model. */

export const toolCallSchema = z.object({
  id: z.string(),
  /** The PyClaw tool id (dotted, e.g. `fs.read`), never the provider's wire name. */
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(toolCallSchema).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string(),
    content: z.string(),
    isError: z.boolean().optional(),
  }),
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const toolSpecSchema = z.object({
  /** PyClaw tool id, dotted; providers map it to a wire-safe name and back. */
  name: z.string(),
  description: z.string(),
  /** JSON Schema of the tool's input object. */
  inputSchema: z.record(z.string(), z.unknown()),
});
export type ToolSpec = z.infer<typeof toolSpecSchema>;

export const completionRequestSchema = z.object({
  model: z.string(),
  messages: z.array(chatMessageSchema).min(1),
  tools: z.array(toolSpecSchema).optional(),
  /** Structured output: the answer text must be JSON valid against this JSON Schema. */
  output: z.object({ name: z.string(), schema: z.record(z.string(), z.unknown()) }).optional(),
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

export const completionResponseSchema = z.object({
  text: z.string(),
  toolCalls: z.array(toolCallSchema),
  usage: usageSchema,
  costUsd: z.number().nonnegative(),
  model: z.string(),
  finishReason: z.enum(['stop', 'tool_calls', 'length', 'content_filter', 'other']),
});
export type CompletionResponse = z.infer<typeof completionResponseSchema>;

export interface CompleteOptions {
  signal?: AbortSignal;
  /** Called with each text fragment as it streams in; a provider that cannot stream calls it once. */
  onDelta?: (text: string) => void;
}

export interface EmbedRequest {
  model: string;
  texts: string[];
  /** Vector size, for models that can shorten their vectors (OpenAI text-embedding-3-*). */
  dimensions?: number;
}

export interface EmbedResponse {
  /** One vector per text, in the order of the request. */
  vectors: Float32Array[];
  usage: { inputTokens: number };
}

export interface Provider {
  /** The name given to this provider in config (`providers.<id>`). */
  readonly id: string;
  complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResponse>;
  /** Embeddings, for providers that serve them. */
  embed?(request: EmbedRequest, options?: { signal?: AbortSignal }): Promise<EmbedResponse>;
  /** Frees what the provider holds (a loaded local model); a later call loads it again. */
  close?(): Promise<void>;
}

export const llmErrorKinds = [
  'auth',
  'rate_limit',
  'context_length',
  'timeout',
  'aborted',
  'bad_response',
  'unavailable',
  'bad_request',
  'budget',
  'not_installed',
] as const;
export type LlmErrorKind = (typeof llmErrorKinds)[number];

const retryableKinds: ReadonlySet<LlmErrorKind> = new Set(['rate_limit', 'unavailable', 'timeout']);

/** A classified model-call failure: `kind` decides retries, fallbacks and what the user is told. */
export class LlmError extends PyclawError {
  readonly kind: LlmErrorKind;
  readonly providerId: string;
  /** Seconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    kind: LlmErrorKind,
    providerId: string,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number; hint?: string } = {},
  ) {
    super(`llm.${kind}`, `${providerId}: ${message}`, options);
    this.name = 'LlmError';
    this.kind = kind;
    this.providerId = providerId;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get retryable(): boolean {
    return retryableKinds.has(this.kind);
  }
}

/** What `createProviders` hands every provider factory. */
export interface ProviderDeps {
  /** Turns an `apiKey` reference (`${env:NAME}`, `secret:NAME`) into the secret. */
  resolveSecret?: (reference: string) => string;
}
