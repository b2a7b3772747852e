import { z } from 'zod';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  LlmError,
  llmErrorKinds,
  type Provider,
  usageSchema,
} from '../contract.js';
import { costUsd, modelPricingSchema } from '../pricing.js';
import { callPolicySchema } from '../resilience.js';

/** One scripted answer: text and/or tool calls, or a failure of a given kind. */
export const scriptedResponseSchema = z.strictObject({
  text: z.string().default(''),
  toolCalls: z
    .array(
      z.strictObject({
        id: z.string().optional(),
        name: z.string(),
        arguments: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .default([]),
  usage: usageSchema.default({ inputTokens: 0, outputTokens: 0 }),
  error: z.strictObject({ kind: z.enum(llmErrorKinds), message: z.string() }).optional(),
});
export type ScriptedResponse = z.input<typeof scriptedResponseSchema>;

/** Replays answers in order, for tests and demos. */
export const scriptedProviderConfigSchema = z.strictObject({
  kind: z.literal('scripted'),
  responses: z.array(scriptedResponseSchema).default([]),
  /** Start over from the first response after the last, instead of running out. */
  repeat: z.boolean().default(false),
  /**
   * Each turn plays the script from its start: the Nth model call after the user's latest message gets
   * the Nth response, so turns of concurrent sessions do not take each other's answers.
   */
  perTurn: z.boolean().default(false),
  pricing: modelPricingSchema.optional(),
  ...callPolicySchema.shape,
});
export type ScriptedProviderConfig = z.input<typeof scriptedProviderConfigSchema>;

export interface ScriptedProvider extends Provider {
  /** Every request received, in order, for tests to inspect. */
  readonly requests: CompletionRequest[];
  /** Appends answers to the script. */
  push(...responses: ScriptedResponse[]): void;
}

/** From code, the config may leave out `kind`: `createScriptedProvider('demo', { responses: [...] })`. */
export function createScriptedProvider(
  id: string,
  config: Omit<ScriptedProviderConfig, 'kind'> = {},
): ScriptedProvider {
  const {
    responses: initial,
    repeat,
    perTurn,
    pricing,
  } = scriptedProviderConfigSchema.parse({
    ...config,
    kind: 'scripted',
  });
  const script = [...initial];
  const requests: CompletionRequest[] = [];
  let served = 0;

  async function complete(
    request: CompletionRequest,
    options: CompleteOptions = {},
  ): Promise<CompletionResponse> {
    if (options.signal?.aborted) throw new LlmError('aborted', id, 'the call was aborted');
    requests.push(request);
    const next = perTurn ? script[stepInTurn(request) % (repeat ? script.length : Infinity)] : script.shift();
    if (next && repeat && !perTurn) script.push(next);
    if (!next) {
      throw new LlmError('bad_request', id, `scripted provider ran out of responses after ${served}`, {
        hint: 'Add another entry to its `responses` list.',
      });
    }
    served++;
    if (next.error) throw new LlmError(next.error.kind, id, next.error.message);
    if (next.text) options.onDelta?.(next.text);
    return {
      text: next.text,
      toolCalls: next.toolCalls.map((call, index) => ({
        id: call.id ?? `call_${served}_${index}`,
        name: call.name,
        arguments: call.arguments,
      })),
      usage: next.usage,
      costUsd: costUsd(pricing, request.model, next.usage),
      model: request.model,
      finishReason: next.toolCalls.length > 0 ? 'tool_calls' : 'stop',
    };
  }

  return {
    id,
    requests,
    complete,
    push: (...more) => script.push(...more.map((response) => scriptedResponseSchema.parse(response))),
  };
}

/** How many answers the model already gave since the user's latest message. */
function stepInTurn(request: CompletionRequest): number {
  const lastUser = request.messages.findLastIndex((message) => message.role === 'user');
  return request.messages.slice(lastUser + 1).filter((message) => message.role === 'assistant').length;
}
