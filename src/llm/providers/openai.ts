import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import { sdkErrorClassifier } from '../classify-error.js';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  type EmbedResponse,
  LlmError,
  type Provider,
  type ProviderDeps,
} from '../contract.js';
import { costUsd, modelPricingSchema } from '../pricing.js';
import { callPolicySchema } from '../resilience.js';
import { resolveApiKey } from '../secret-ref.js';
import { parseToolArguments } from '../tool-arguments.js';
import { createToolNameMap, requestToolIds, type ToolNameMap, wireToolName } from '../tool-names.js';

/** OpenAI and every server speaking its chat-completions API (Ollama, vLLM, LM Studio, llama.cpp, OpenRouter). */
export const openAiProviderConfigSchema = z.strictObject({
  kind: z.literal('openai'),
  /** e.g. `http://127.0.0.1:11434/v1` for Ollama; defaults to api.openai.com. */
  baseURL: z.url().optional(),
  /** A reference such as `${env:OPENAI_API_KEY}`; local servers usually need none. */
  apiKey: z.string().optional(),
  /** Extra headers on every request (OpenRouter's `HTTP-Referer`, for instance). */
  headers: z.record(z.string(), z.string()).optional(),
  pricing: modelPricingSchema.optional(),
  /** Newer OpenAI models want `max_completion_tokens`; most compatible servers know only `max_tokens`. */
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
  ...callPolicySchema.shape,
});
export type OpenAiProviderConfig = z.infer<typeof openAiProviderConfigSchema>;

/** The answer as the wire gave it, whether it arrived whole or streamed. */
interface WireAnswer {
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string | null;
  /** The exact model that answered, when the server names it (`gpt-4o` may answer as `gpt-4o-2024-08-06`). */
  model: string | undefined;
  usage: { prompt_tokens: number; completion_tokens: number } | undefined;
}

type OpenAiSdk = typeof import('openai');

// The SDK takes a few hundred ms to load, so commands that never call a model never load it.
const loadSdk = (): Promise<OpenAiSdk> => import('openai');

export function createOpenAiProvider(
  id: string,
  config: OpenAiProviderConfig,
  deps: ProviderDeps = {},
): Provider {
  let client: OpenAI | undefined;
  const getClient = (sdk: OpenAiSdk) => {
    client ??= new sdk.OpenAI({
      // The SDK insists on a key; keyless local servers ignore whatever is sent.
      apiKey: resolveApiKey(id, config.apiKey, deps.resolveSecret) ?? 'not-needed',
      baseURL: config.baseURL,
      defaultHeaders: config.headers,
      maxRetries: 0,
      timeout: config.timeoutMs,
    });
    return client;
  };

  return {
    id,
    async complete(request, options = {}) {
      const sdk = await loadSdk();
      try {
        const names = createToolNameMap(id, requestToolIds(request));
        const body = requestBody(request, names, config);
        const answer = options.onDelta
          ? await streamed(getClient(sdk), body, options)
          : whole(id, await getClient(sdk).chat.completions.create(body, { signal: options.signal }));
        return toResponse(id, answer, names, request, config);
      } catch (error) {
        throw sdkErrorClassifier(sdk)(id, error);
      }
    },
    async embed(request, options = {}) {
      const sdk = await loadSdk();
      try {
        const answer = await getClient(sdk).embeddings.create(
          {
            model: request.model,
            input: request.texts,
            // base64 is a quarter of the JSON and decodes straight into a Float32Array
            encoding_format: 'base64',
            ...(request.dimensions !== undefined && { dimensions: request.dimensions }),
          },
          { signal: options.signal },
        );
        return embedResponse(id, answer, request.texts.length);
      } catch (error) {
        throw sdkErrorClassifier(sdk)(id, error);
      }
    },
  };
}

function embedResponse(
  providerId: string,
  answer: OpenAI.Embeddings.CreateEmbeddingResponse,
  expected: number,
): EmbedResponse {
  const byIndex = new Map((answer.data ?? []).map((item) => [item.index, item.embedding as unknown]));
  const vectors = Array.from({ length: expected }, (_, index) => {
    const embedding = byIndex.get(index);
    // Servers that ignore encoding_format (some OpenAI-compatible ones) send numbers.
    if (typeof embedding === 'string') return decodeFloat32(embedding);
    if (Array.isArray(embedding)) return Float32Array.from(embedding as number[]);
    throw new LlmError('bad_response', providerId, `no embedding for input ${index} of ${expected}`);
  });
  return { vectors, usage: { inputTokens: answer.usage?.prompt_tokens ?? 0 } };
}

function decodeFloat32(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  // copied: a Buffer's memory may be shared and not 4-byte aligned
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function requestBody(
  request: CompletionRequest,
  names: ToolNameMap,
  config: OpenAiProviderConfig,
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: request.model,
    messages: request.messages.map((message) => wireMessage(message, names)),
  };
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: names.toWire(tool.name),
        description: tool.description,
        parameters: tool.inputSchema,
      },
    }));
  }
  if (request.output) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: wireToolName(request.output.name), schema: request.output.schema, strict: true },
    };
  }
  if (request.maxTokens !== undefined) body[config.maxTokensField] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}

function wireMessage(
  message: CompletionRequest['messages'][number],
  names: ToolNameMap,
): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content || null,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: names.toWire(call.name), arguments: JSON.stringify(call.arguments) },
        })),
      };
    case 'tool':
      // The wire has no error flag for tool results, so the model is told in the text.
      return {
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: message.isError ? `ERROR: ${message.content}` : message.content,
      };
  }
}

function whole(providerId: string, completion: OpenAI.Chat.Completions.ChatCompletion): WireAnswer {
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) throw new LlmError('bad_response', providerId, 'the response holds no choices');
  const toolCalls = (choice.message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
  return {
    text: choice.message.content ?? '',
    toolCalls,
    finishReason: choice.finish_reason ?? null,
    model: completion.model,
    usage: completion.usage,
  };
}

async function streamed(
  client: OpenAI,
  body: ChatCompletionCreateParamsNonStreaming,
  options: CompleteOptions,
): Promise<WireAnswer> {
  const stream = await client.chat.completions.create(
    { ...body, stream: true, stream_options: { include_usage: true } },
    { signal: options.signal },
  );
  const answer: WireAnswer = {
    text: '',
    toolCalls: [],
    finishReason: null,
    model: undefined,
    usage: undefined,
  };
  for await (const chunk of stream) addChunk(answer, chunk, options.onDelta);
  options.signal?.throwIfAborted();
  answer.toolCalls = answer.toolCalls.filter(Boolean);
  return answer;
}

function addChunk(answer: WireAnswer, chunk: ChatCompletionChunk, onDelta: CompleteOptions['onDelta']): void {
  if (chunk.usage) answer.usage = chunk.usage;
  answer.model ||= chunk.model;
  const choice = chunk.choices[0];
  if (!choice) return;
  const { content, tool_calls: toolCallDeltas } = choice.delta;
  if (content) {
    answer.text += content;
    onDelta?.(content);
  }
  // A tool call arrives in pieces keyed by index: id and name first, then fragments of the arguments.
  for (const delta of toolCallDeltas ?? []) {
    answer.toolCalls[delta.index] ??= { id: `call_${delta.index}`, name: '', arguments: '' };
    const call = answer.toolCalls[delta.index] as WireAnswer['toolCalls'][number];
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name = delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }
  if (choice.finish_reason) answer.finishReason = choice.finish_reason;
}

const finishReasons: Record<string, CompletionResponse['finishReason']> = {
  stop: 'stop',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  length: 'length',
  content_filter: 'content_filter',
};

function toResponse(
  providerId: string,
  answer: WireAnswer,
  names: ToolNameMap,
  request: CompletionRequest,
  config: OpenAiProviderConfig,
): CompletionResponse {
  const usage = {
    inputTokens: answer.usage?.prompt_tokens ?? 0,
    outputTokens: answer.usage?.completion_tokens ?? 0,
  };
  return {
    text: answer.text,
    toolCalls: answer.toolCalls.map((call) => {
      const name = names.fromWire(call.name);
      return { id: call.id, name, arguments: parseToolArguments(providerId, name, call.arguments) };
    }),
    usage,
    costUsd: costUsd(config.pricing, request.model, usage),
    model: answer.model || request.model,
    finishReason: finishReasons[answer.finishReason ?? ''] ?? 'other',
  };
}
