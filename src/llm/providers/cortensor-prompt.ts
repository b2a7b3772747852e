import { z } from 'zod';
import { newId } from '../../core/index.js';
import type { ChatMessage, CompletionRequest, ToolCall } from '../contract.js';
import { tryParseJson } from './cortensor-wire.js';

/**
 * The Cortensor router takes one prompt string, so a conversation is written out as a transcript
 * of headed sections, ending with an open assistant heading for the model to continue:
 *
 *     ### System
 *     Be brief.
 *
 *     ### User
 *     Read a.txt
 *
 *     ### Assistant
 *     ```json
 *     {"tool_calls":[{"id":"call_1","name":"fs.read","arguments":{"path":"a.txt"}}]}
 *     ```
 *
 *     ### Tool result call_1
 *     hello
 *
 *     ### Assistant
 *
 * Tools have no wire format of their own here: the system section lists them (id, description,
 * input JSON Schema) and asks for a reply made of one ```json block holding `{"tool_calls": [...]}`,
 * which is the same form earlier calls take in the transcript. Tool ids keep their dots, since no
 * vendor name rules apply to plain text. Structured output is asked for the same way.
 */
export function promptOf(request: CompletionRequest): string {
  const instructions = [
    ...request.messages.flatMap((message) => (message.role === 'system' ? [message.content] : [])),
    ...(request.tools?.length ? [toolInstructions(request.tools)] : []),
    ...(request.output ? [outputInstructions(request.output.schema)] : []),
  ];
  const sections = [
    ...(instructions.length > 0 ? [section('System', instructions.join('\n\n'))] : []),
    ...request.messages.flatMap((message) => (message.role === 'system' ? [] : [transcriptEntry(message)])),
    '### Assistant\n',
  ];
  return sections.join('\n\n');
}

function section(heading: string, body: string): string {
  return `### ${heading}\n${body}`;
}

function transcriptEntry(message: Exclude<ChatMessage, { role: 'system' }>): string {
  switch (message.role) {
    case 'user':
      return section('User', message.content);
    case 'assistant': {
      const calls = message.toolCalls?.length ? [toolCallBlock(message.toolCalls)] : [];
      return section('Assistant', [message.content, ...calls].filter(Boolean).join('\n'));
    }
    case 'tool':
      return section(
        `Tool result ${message.toolCallId}${message.isError ? ' (error)' : ''}`,
        message.content,
      );
  }
}

function toolCallBlock(calls: ToolCall[]): string {
  return `\`\`\`json\n${JSON.stringify({ tool_calls: calls })}\n\`\`\``;
}

function toolInstructions(tools: NonNullable<CompletionRequest['tools']>): string {
  const list = tools.map(
    (tool) => `- ${tool.name}: ${tool.description}\n  input schema: ${JSON.stringify(tool.inputSchema)}`,
  );
  return [
    'You can call these tools:',
    ...list,
    'To call tools, reply with only this, and nothing after it:',
    '```json\n{"tool_calls":[{"name":"<tool>","arguments":{<input matching its schema>}}]}\n```',
    'Each result will come back under a "### Tool result" heading.',
  ].join('\n');
}

function outputInstructions(schema: Record<string, unknown>): string {
  return `Reply with only a JSON value valid against this JSON Schema, without any other text:\n${JSON.stringify(schema)}`;
}

const toolCallReplySchema = z.object({
  tool_calls: z
    .array(z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) }))
    .min(1),
});

/**
 * Reads the model's reply: a tool-call block (fenced or bare) when tools were offered, a fenced
 * JSON value unwrapped when structured output was asked for, otherwise the text as it came.
 */
export function replyOf(text: string, request: CompletionRequest): { text: string; toolCalls: ToolCall[] } {
  const fenced = fencedJson(text);
  if (request.tools?.length) {
    const calls = toolCallReplySchema.safeParse(tryParseJson(fenced?.json ?? text));
    if (calls.success) {
      return {
        text: fenced?.around ?? '',
        toolCalls: calls.data.tool_calls.map((call) => ({ id: `call_${newId()}`, ...call })),
      };
    }
  }
  if (request.output && fenced?.around === '') return { text: fenced.json, toolCalls: [] };
  return { text, toolCalls: [] };
}

function fencedJson(text: string): { json: string; around: string } | undefined {
  const match = /```(?:json)?[ \t]*\r?\n([\s\S]*?)\r?\n?```/.exec(text);
  if (!match) return undefined;
  const around = text.slice(0, match.index) + text.slice(match.index + match[0].length);
  return { json: match[1] ?? '', around: around.trim() };
}
