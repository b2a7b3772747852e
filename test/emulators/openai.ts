import { embedText } from './embedding-model.js';
import { type Emulator, type Reply, startEmulator } from './http-emulator.js';

/**
 * The OpenAI chat-completions wire format (POST /v1/chat/completions), as documented in the API
 * reference: whole responses, SSE chunk streams ending in `data: [DONE]`, and error bodies. POST
 * /v1/embeddings answers every request itself, from the deterministic model in `embedding-model.ts`.
 */
export function startOpenAiEmulator(): Promise<Emulator> {
  return startEmulator(
    { method: 'POST', path: '/v1/chat/completions' },
    { 'POST /v1/embeddings': embeddings },
  );
}

/** Vector size when the request names none (text-embedding-3-small's would be 1536). */
export const emulatedEmbeddingDimensions = 512;

/** `/v1/embeddings`: `input` a string or strings, optional `dimensions`, `encoding_format` float or base64. */
function embeddings(body: unknown): Extract<Reply, { type: 'json' }> {
  const request = body as {
    input?: unknown;
    model?: unknown;
    dimensions?: unknown;
    encoding_format?: unknown;
  };
  const texts = typeof request.input === 'string' ? [request.input] : request.input;
  if (
    !Array.isArray(texts) ||
    texts.some((text) => typeof text !== 'string') ||
    typeof request.model !== 'string'
  ) {
    return error(400, "'input' must be a string or an array of strings, and 'model' a string");
  }
  const dimensions =
    typeof request.dimensions === 'number' ? request.dimensions : emulatedEmbeddingDimensions;
  const words = (texts as string[]).reduce((total, text) => total + text.split(/\s+/).length, 0);
  return {
    type: 'json',
    body: {
      object: 'list',
      model: request.model,
      data: (texts as string[]).map((text, index) => {
        const vector = embedText(text, dimensions);
        return {
          object: 'embedding',
          index,
          embedding:
            request.encoding_format === 'base64'
              ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64')
              : Array.from(vector),
        };
      }),
      usage: { prompt_tokens: words, total_tokens: words },
    },
  };
}

export interface WireToolCall {
  id: string;
  /** The wire name, e.g. `fs_read`. */
  name: string;
  arguments: string;
}

interface AnswerSpec {
  text?: string | null;
  toolCalls?: WireToolCall[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  model?: string;
}

const defaultUsage = { prompt_tokens: 12, completion_tokens: 5 };

export function completion(spec: AnswerSpec): Reply {
  const usage = spec.usage ?? defaultUsage;
  return {
    type: 'json',
    body: {
      id: 'chatcmpl-emulated',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: spec.model ?? 'gpt-emulated',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: spec.text ?? null,
            refusal: null,
            ...(spec.toolCalls && {
              tool_calls: spec.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            }),
          },
          logprobs: null,
          finish_reason: spec.finishReason ?? (spec.toolCalls ? 'tool_calls' : 'stop'),
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

/**
 * A streamed answer: a role chunk, one chunk per text piece, tool calls split into a header chunk
 * (id, name) and argument fragments, the finish chunk, then the usage chunk that
 * `stream_options.include_usage` asks for, and `[DONE]`.
 */
export function stream(
  spec: { textPieces?: string[]; toolCalls?: { call: WireToolCall; pieces: string[] }[] } & Omit<
    AnswerSpec,
    'text' | 'toolCalls'
  >,
  options: { thenHang?: boolean } = {},
): Reply {
  const model = spec.model ?? 'gpt-emulated';
  const chunk = (delta: object, finishReason: string | null = null) =>
    JSON.stringify({
      id: 'chatcmpl-emulated',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  const usage = spec.usage ?? defaultUsage;
  const data = [
    chunk({ role: 'assistant', content: '' }),
    ...(spec.textPieces ?? []).map((piece) => chunk({ content: piece })),
    ...(spec.toolCalls ?? []).flatMap(({ call, pieces }, index) => [
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
      ...pieces.map((piece) => chunk({ tool_calls: [{ index, function: { arguments: piece } }] })),
    ]),
  ];
  if (!options.thenHang) {
    data.push(
      chunk({}, spec.finishReason ?? (spec.toolCalls ? 'tool_calls' : 'stop')),
      JSON.stringify({
        id: 'chatcmpl-emulated',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model,
        choices: [],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
      '[DONE]',
    );
  }
  return { type: 'sse', events: data.map((line) => ({ data: line })), thenHang: options.thenHang };
}

export function error(
  status: number,
  message: string,
  options: { type?: string; code?: string; headers?: Record<string, string> } = {},
): Extract<Reply, { type: 'json' }> {
  return {
    type: 'json',
    status,
    headers: options.headers,
    body: {
      error: {
        message,
        type: options.type ?? 'invalid_request_error',
        param: null,
        code: options.code ?? null,
      },
    },
  };
}
