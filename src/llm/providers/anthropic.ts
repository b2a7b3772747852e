import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  RawMessageStreamEvent,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { sdkErrorClassifier } from '../classify-error.js';
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
import { parseToolArguments } from '../tool-arguments.js';
import { createToolNameMap, requestToolIds, type ToolNameMap } from '../tool-names.js';

/** Anthropic's Messages API. */
export const anthropicProviderConfigSchema = z.strictObject({
  kind: z.literal('anthropic'),
  baseURL: z.url().optional(),
  /** A reference such as `${env:ANTHROPIC_API_KEY}`. */
  apiKey: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  /** The Messages API requires a limit; used when the request sets none. */
  defaultMaxTokens: z.number().int().positive().default(4096),
  pricing: modelPricingSchema.optional(),
  ...callPolicySchema.shape,
});
export type AnthropicProviderConfig = z.infer<typeof anthropicProviderConfigSchema>;

type AnthropicSdk = typeof import('@anthropic-ai/sdk');

// The SDK takes a few hundred ms to load, so commands that never call a model never load it.
const loadSdk = (): Promise<AnthropicSdk> => import('@anthropic-ai/sdk');

type AnswerBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The answer as the wire gave it, whether it arrived whole or streamed. */
interface WireAnswer {
  blocks: AnswerBlock[];
  stopReason: string | null;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export function createAnthropicProvider(
  id: string,
  config: AnthropicProviderConfig,
  deps: ProviderDeps = {},
): Provider {
  let client: Anthropic | undefined;
  const getClient = (sdk: AnthropicSdk) => {
    client ??= new sdk.Anthropic({
      apiKey: resolveApiKey(id, config.apiKey, deps.resolveSecret) ?? null,
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
        const names = createToolNameMap(id, [...requestToolIds(request), ...outputToolIds(id, request)]);
        const body = requestBody(request, names, config);
        const answer = options.onDelta
          ? await streamed(id, getClient(sdk), body, names, request, options)
          : whole(await getClient(sdk).messages.create(body, { signal: options.signal }));
        return toResponse(answer, names, request, config);
      } catch (error) {
        throw sdkErrorClassifier(sdk)(id, error);
      }
    },
  };
}

/**
 * Structured output is a forced tool: a synthetic tool whose input schema is the output schema, whose
 * input becomes the answer text. With real tools on offer the model may call one of them instead.
 */
function outputToolIds(providerId: string, request: CompletionRequest): string[] {
  const output = request.output;
  if (!output) return [];
  if (request.tools?.some((tool) => tool.name === output.name)) {
    throw new LlmError('bad_request', providerId, `output "${output.name}" has the same name as a tool`);
  }
  return [output.name];
}

function requestBody(
  request: CompletionRequest,
  names: ToolNameMap,
  config: AnthropicProviderConfig,
): MessageCreateParamsNonStreaming {
  const system = request.messages.flatMap((message) => (message.role === 'system' ? [message.content] : []));
  const body: MessageCreateParamsNonStreaming = {
    model: request.model,
    max_tokens: request.maxTokens ?? config.defaultMaxTokens,
    messages: wireMessages(request.messages, names),
  };
  if (system.length > 0) body.system = system.join('\n\n');
  // `temperature` is not sent: the Messages API this SDK (1.13) describes no longer takes it.
  const tools: Tool[] = (request.tools ?? []).map((tool) => ({
    name: names.toWire(tool.name),
    description: tool.description,
    input_schema: { type: 'object', ...tool.inputSchema },
  }));
  if (request.output) {
    const name = names.toWire(request.output.name);
    tools.push({
      name,
      description: `Give your final answer as "${request.output.name}".`,
      input_schema: { type: 'object', ...request.output.schema },
    });
    body.tool_choice = tools.length > 1 ? { type: 'any' } : { type: 'tool', name };
  }
  if (tools.length > 0) body.tools = tools;
  return body;
}

/** Tool results travel as user turns; consecutive turns of one role are merged, as the API expects. */
function wireMessages(messages: CompletionRequest['messages'], names: ToolNameMap): MessageParam[] {
  const wire: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content = contentBlocks(message, names);
    if (content.length === 0) continue;
    const previous = wire.at(-1);
    if (previous?.role === role) previous.content.push(...content);
    else wire.push({ role, content });
  }
  return wire;
}

function contentBlocks(
  message: CompletionRequest['messages'][number],
  names: ToolNameMap,
): ContentBlockParam[] {
  switch (message.role) {
    case 'system':
      return [];
    case 'user':
      return [{ type: 'text', text: message.content }];
    case 'assistant':
      return [
        ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
        ...(message.toolCalls ?? []).map((call) => ({
          type: 'tool_use' as const,
          id: call.id,
          name: names.toWire(call.name),
          input: call.arguments,
        })),
      ];
    case 'tool':
      return [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          is_error: message.isError,
        },
      ];
  }
}

function whole(message: Message): WireAnswer {
  const blocks = message.content.flatMap((block): AnswerBlock[] => {
    if (block.type === 'text') return [{ type: 'text', text: block.text }];
    if (block.type === 'tool_use') {
      return [
        { type: 'tool_use', id: block.id, name: block.name, input: block.input as Record<string, unknown> },
      ];
    }
    return [];
  });
  return {
    blocks,
    stopReason: message.stop_reason,
    model: message.model,
    inputTokens: inputTokensOf(message.usage),
    outputTokens: message.usage.output_tokens,
  };
}

function inputTokensOf(usage: {
  input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}): number {
  return (
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0)
  );
}

type StreamingBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; json: string };

async function streamed(
  providerId: string,
  client: Anthropic,
  body: MessageCreateParamsNonStreaming,
  names: ToolNameMap,
  request: CompletionRequest,
  options: CompleteOptions,
): Promise<WireAnswer> {
  const stream = await client.messages.create({ ...body, stream: true }, { signal: options.signal });
  const answer: WireAnswer = {
    blocks: [],
    stopReason: null,
    model: request.model,
    inputTokens: 0,
    outputTokens: 0,
  };
  const blocks: StreamingBlock[] = [];
  // The structured answer streams as the forced tool's JSON input: the caller sees it as text deltas.
  const outputTool = request.output ? names.toWire(request.output.name) : undefined;
  for await (const event of stream) addEvent(answer, blocks, event, outputTool, options.onDelta);
  options.signal?.throwIfAborted();
  answer.blocks = blocks.map((block) =>
    block.type === 'text'
      ? block
      : { ...block, input: parseToolArguments(providerId, names.fromWire(block.name), block.json) },
  );
  return answer;
}

function addEvent(
  answer: WireAnswer,
  blocks: StreamingBlock[],
  event: RawMessageStreamEvent,
  outputTool: string | undefined,
  onDelta: CompleteOptions['onDelta'],
): void {
  switch (event.type) {
    case 'message_start':
      answer.model = event.message.model || answer.model;
      answer.inputTokens = inputTokensOf(event.message.usage);
      answer.outputTokens = event.message.usage.output_tokens;
      return;
    case 'content_block_start': {
      const block = event.content_block;
      if (block.type === 'text') blocks[event.index] = { type: 'text', text: block.text };
      if (block.type === 'tool_use')
        blocks[event.index] = { type: 'tool_use', id: block.id, name: block.name, json: '' };
      return;
    }
    case 'content_block_delta': {
      const block = blocks[event.index];
      if (event.delta.type === 'text_delta' && block?.type === 'text') {
        block.text += event.delta.text;
        onDelta?.(event.delta.text);
      }
      if (event.delta.type === 'input_json_delta' && block?.type === 'tool_use') {
        block.json += event.delta.partial_json;
        if (block.name === outputTool) onDelta?.(event.delta.partial_json);
      }
      return;
    }
    case 'message_delta':
      answer.stopReason = event.delta.stop_reason ?? answer.stopReason;
      answer.outputTokens = event.usage.output_tokens;
      if (event.usage.input_tokens) answer.inputTokens = inputTokensOf(event.usage);
      return;
    default:
      return;
  }
}

const finishReasons: Record<string, CompletionResponse['finishReason']> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
};

function toResponse(
  answer: WireAnswer,
  names: ToolNameMap,
  request: CompletionRequest,
  config: AnthropicProviderConfig,
): CompletionResponse {
  const outputTool = request.output ? names.toWire(request.output.name) : undefined;
  let text = '';
  let structured: string | undefined;
  const toolCalls: CompletionResponse['toolCalls'] = [];
  for (const block of answer.blocks) {
    if (block.type === 'text') text += block.text;
    else if (block.name === outputTool) structured = JSON.stringify(block.input);
    else toolCalls.push({ id: block.id, name: names.fromWire(block.name), arguments: block.input });
  }
  const usage = { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens };
  return {
    // Any prose before the forced tool call is preamble; the structured answer is the answer.
    text: structured ?? text,
    toolCalls,
    usage,
    costUsd: costUsd(config.pricing, request.model, usage),
    model: answer.model,
    finishReason: structured !== undefined ? 'stop' : (finishReasons[answer.stopReason ?? ''] ?? 'other'),
  };
}
