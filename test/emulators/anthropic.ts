import { type Emulator, type Reply, startEmulator } from './http-emulator.js';

/**
 * The Anthropic Messages wire format (POST /v1/messages), as documented: whole messages, the
 * streaming event sequence, and error bodies such as 529 `overloaded_error`.
 */
export function startAnthropicEmulator(): Promise<Emulator> {
  return startEmulator({ method: 'POST', path: '/v1/messages' });
}

export type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

interface MessageSpec {
  content: WireBlock[];
  stopReason?: string;
  usage?: { input_tokens: number; output_tokens: number };
  model?: string;
}

const defaultUsage = { input_tokens: 20, output_tokens: 7 };

function messageBody(spec: MessageSpec, content: WireBlock[], usage: object) {
  return {
    id: 'msg_emulated',
    type: 'message',
    role: 'assistant',
    model: spec.model ?? 'claude-emulated',
    content,
    stop_reason: spec.stopReason ?? null,
    stop_sequence: null,
    usage: { cache_creation_input_tokens: null, cache_read_input_tokens: null, ...usage },
  };
}

function stopReasonOf(spec: MessageSpec): string {
  return (
    spec.stopReason ?? (spec.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn')
  );
}

export function message(spec: MessageSpec): Reply {
  return {
    type: 'json',
    body: messageBody({ ...spec, stopReason: stopReasonOf(spec) }, spec.content, spec.usage ?? defaultUsage),
  };
}

/**
 * The documented event sequence: message_start (input usage), then per block content_block_start,
 * deltas (text_delta, or input_json_delta fragments of the tool input), content_block_stop, and
 * finally message_delta (stop reason, output usage) and message_stop. A ping is mixed in, as the API does.
 */
export function stream(spec: MessageSpec & { pieces?: number }): Reply {
  const usage = spec.usage ?? defaultUsage;
  const event = (name: string, data: object) => ({
    event: name,
    data: JSON.stringify({ type: name, ...data }),
  });
  const pieces = spec.pieces ?? 3;
  const events = [
    event('message_start', {
      message: messageBody(spec, [], { input_tokens: usage.input_tokens, output_tokens: 1 }),
    }),
    event('ping', {}),
    ...spec.content.flatMap((block, index) => {
      const start =
        block.type === 'text'
          ? { type: 'text', text: '' }
          : { type: 'tool_use', id: block.id, name: block.name, input: {} };
      const deltas = split(block.type === 'text' ? block.text : JSON.stringify(block.input), pieces).map(
        (part) =>
          event('content_block_delta', {
            index,
            delta:
              block.type === 'text'
                ? { type: 'text_delta', text: part }
                : { type: 'input_json_delta', partial_json: part },
          }),
      );
      return [
        event('content_block_start', { index, content_block: start }),
        ...deltas,
        event('content_block_stop', { index }),
      ];
    }),
    event('message_delta', {
      delta: { stop_reason: stopReasonOf(spec), stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    event('message_stop', {}),
  ];
  return { type: 'sse', events };
}

export function error(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return { type: 'json', status, headers, body: { type: 'error', error: { type, message } } };
}

export function overloaded(): Reply {
  return error(529, 'overloaded_error', 'Overloaded');
}

function split(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts;
}
