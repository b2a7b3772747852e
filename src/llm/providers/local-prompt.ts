import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatMessage, CompletionRequest } from '../contract.js';
import { replyText } from './local-grammar.js';

/**
 * Turns PyClaw messages into node-llama-cpp's chat history, which the model's chat template then
 * renders. A local model has no native tool protocol here: the tools and the JSON reply format are
 * described in the system message, earlier tool calls appear as the JSON the model wrote, and tool
 * results come back as user turns. The history ends with the model turn to be generated.
 */
export function toChatHistory(request: CompletionRequest): ChatHistoryItem[] {
  const toolNames = new Map(
    request.messages.flatMap((message) =>
      message.role === 'assistant' ? (message.toolCalls ?? []).map((call) => [call.id, call.name]) : [],
    ),
  );
  const items = request.messages.map((message) => toItem(message, toolNames));
  const instructions = replyInstructions(request);
  if (instructions) {
    const first = items[0];
    if (first?.type === 'system' && typeof first.text === 'string')
      first.text = `${first.text}\n\n${instructions}`;
    else items.unshift({ type: 'system', text: instructions });
  }
  // The model writes the next model turn; a trailing assistant message is a start it continues.
  if (items.at(-1)?.type !== 'model') items.push({ type: 'model', response: [] });
  return mergeAdjacent(items);
}

function toItem(message: ChatMessage, toolNames: Map<string, string>): ChatHistoryItem {
  switch (message.role) {
    case 'system':
      return { type: 'system', text: message.content };
    case 'user':
      return { type: 'user', text: message.content };
    case 'assistant': {
      const parts = [message.content, ...(message.toolCalls ?? []).map(replyText)].filter(Boolean);
      return { type: 'model', response: [parts.join('\n')] };
    }
    case 'tool': {
      const tool = toolNames.get(message.toolCallId) ?? 'tool';
      const outcome = message.isError ? 'failed' : 'returned';
      return { type: 'user', text: `${tool} (call ${message.toolCallId}) ${outcome}:\n${message.content}` };
    }
  }
}

function replyInstructions(request: CompletionRequest): string | undefined {
  const output = request.output && JSON.stringify(request.output.schema);
  if (request.tools?.length) {
    const answer = output
      ? `{"type":"answer","output":<JSON matching ${output}>}`
      : '{"type":"answer","text":"<your answer>"}';
    const tools = request.tools.map(
      (tool) => `- ${tool.name}: ${tool.description} Arguments: ${JSON.stringify(tool.inputSchema)}`,
    );
    return [
      'Reply with exactly one JSON object.',
      'To call a tool: {"type":"tool_call","name":"<tool name>","arguments":{...}}',
      `When you are done: ${answer}`,
      'Tools:',
      ...tools,
    ].join('\n');
  }
  return output && `Reply with JSON matching this JSON Schema: ${output}`;
}

/** Some chat templates insist that user and model turns alternate. */
function mergeAdjacent(items: ChatHistoryItem[]): ChatHistoryItem[] {
  const merged: ChatHistoryItem[] = [];
  for (const item of items) {
    const previous = merged.at(-1);
    if (previous?.type === 'user' && item.type === 'user') {
      previous.text = `${previous.text}\n\n${item.text}`;
    } else if (previous?.type === 'model' && item.type === 'model') {
      previous.response = [`${previous.response.join('')}\n${item.response.join('')}`];
    } else {
      merged.push(item);
    }
  }
  return merged;
}
