import type { ChatHistoryItem, GbnfJsonSchema, LlamaChatResponse } from 'node-llama-cpp';
import { z } from 'zod';
import { errorMessage, newId } from '../../core/index.js';
import {
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  LlmError,
  type Provider,
  type ProviderDeps,
} from '../contract.js';
import { callPolicySchema } from '../resilience.js';
import { parseReply, replySchema, toGrammarSchema } from './local-grammar.js';
import { type LoadedModel, type LocalModelDeps, loadLocalModel } from './local-model.js';
import { toChatHistory } from './local-prompt.js';

/**
 * A GGUF model run in-process by node-llama-cpp, an optional dependency imported on first use.
 * The chat format is node-llama-cpp's choice for the model: its own Jinja chat template when the file
 * has one, else a format recognised from its metadata, else node-llama-cpp's GeneralChatWrapper
 * (`### Human:` / `### Assistant:` turns).
 */
export const localProviderConfigSchema = z
  .strictObject({
    kind: z.literal('local'),
    /** A GGUF file on disk, used as is. */
    modelPath: z.string().min(1).optional(),
    /** `hf:owner/repo/file.gguf`, `hf:owner/repo:Q4_K_M` or an https URL: downloaded on first use to PYCLAW_HOME/models. */
    modelUri: z.string().min(1).optional(),
    /** Tokens of context; by default as many as fit in memory, at most 8192. */
    contextSize: z.number().int().positive().optional(),
    /** Offload to a GPU (CUDA, Vulkan, Metal) when node-llama-cpp finds one. */
    gpu: z.boolean().default(false),
    /** CPU threads; defaults to the number of cores llama.cpp counts. */
    threads: z.number().int().positive().optional(),
    ...callPolicySchema.shape,
    // A model on a CPU can take minutes, and retrying one that ran out of time only repeats the wait.
    timeoutMs: callPolicySchema.shape.timeoutMs.unwrap().default(600_000),
    maxAttempts: callPolicySchema.shape.maxAttempts.unwrap().default(1),
  })
  .refine((config) => (config.modelPath === undefined) !== (config.modelUri === undefined), {
    message: 'set exactly one of modelPath and modelUri',
  });
export type LocalProviderConfig = z.input<typeof localProviderConfigSchema>;

export interface LocalProviderDeps extends ProviderDeps, LocalModelDeps {}

export interface LocalProvider extends Provider {
  /** Frees the model and its context; a later call loads them again. */
  close(): Promise<void>;
}

/**
 * With tools, the model's output is held by a grammar to one JSON reply: a final answer or a call of
 * one offered tool whose arguments follow that tool's schema (see `replySchema`). That reply is only
 * known once complete, so `onDelta` then gets the answer text in one piece; plain text and structured
 * output stream as they are generated. Calls take turns on the one loaded context. Cost is 0.
 */
export function createLocalProvider(
  id: string,
  config: LocalProviderConfig,
  deps: LocalProviderDeps = {},
): LocalProvider {
  const settings = localProviderConfigSchema.parse(config);
  let loading: Promise<LoadedModel> | undefined;

  const loaded = () => {
    loading ??= loadLocalModel(id, settings, deps).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  async function complete(
    request: CompletionRequest,
    options: CompleteOptions = {},
  ): Promise<CompletionResponse> {
    const { signal } = options;
    const abortedError = () => new LlmError('aborted', id, 'the call was aborted');
    if (signal?.aborted) throw abortedError();
    const local = await loaded();
    if (signal?.aborted) throw abortedError();

    const history = toChatHistory(request);
    const tools = request.tools ?? [];
    let outputTokens = 0;
    let result: LlamaChatResponse;
    try {
      const schema =
        tools.length > 0
          ? replySchema(tools, request.output?.schema)
          : request.output && toGrammarSchema(request.output.schema);
      result = await local.chat.generateResponse(history, {
        grammar: schema && (await local.llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema)),
        signal,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        onToken: (tokens) => {
          outputTokens += tokens.length;
        },
        onTextChunk: tools.length > 0 ? undefined : options.onDelta,
      });
    } catch (error) {
      if (signal?.aborted) throw abortedError();
      throw generationError(id, error);
    }

    const usage = { inputTokens: promptTokens(local, history), outputTokens };
    const cutShort = result.metadata.stopReason === 'maxTokens';
    const base = { usage, costUsd: 0, model: request.model };
    if (tools.length === 0) {
      return { ...base, text: result.response, toolCalls: [], finishReason: cutShort ? 'length' : 'stop' };
    }
    return { ...base, ...toolReply(id, result.response, cutShort, request, options) };
  }

  return {
    id,
    complete,
    async close() {
      const pending = loading;
      loading = undefined;
      await (await pending?.catch(() => undefined))?.dispose();
    },
  };
}

function toolReply(
  id: string,
  json: string,
  cutShort: boolean,
  request: CompletionRequest,
  options: CompleteOptions,
): Pick<CompletionResponse, 'text' | 'toolCalls' | 'finishReason'> {
  const reply = parseReply(json);
  if (!reply) {
    throw cutShort
      ? new LlmError('bad_response', id, `the reply was cut off at ${request.maxTokens} tokens`, {
          hint: 'Raise maxTokens: with tools, a local model answers in one JSON object that must be complete.',
        })
      : new LlmError(
          'bad_response',
          id,
          `the reply is not the JSON the grammar asked for: ${json.slice(0, 200)}`,
        );
  }
  if (reply.type === 'tool_call') {
    const call = { id: `call_${newId()}`, name: reply.name, arguments: reply.arguments };
    return { text: '', toolCalls: [call], finishReason: 'tool_calls' };
  }
  options.onDelta?.(reply.text);
  return { text: reply.text, toolCalls: [], finishReason: 'stop' };
}

/** The prompt as the model saw it, counted with the model's own tokenizer. */
function promptTokens(local: LoadedModel, history: ChatHistoryItem[]): number {
  const { contextText } = local.chat.chatWrapper.generateContextState({ chatHistory: history });
  return contextText.tokenize(local.model.tokenizer).length;
}

function generationError(id: string, error: unknown): LlmError {
  const message = errorMessage(error);
  const kind = /context size .*too small/i.test(message) ? 'context_length' : 'bad_response';
  return new LlmError(kind, id, `local generation failed: ${message}`, { cause: error });
}
