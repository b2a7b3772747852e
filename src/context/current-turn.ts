import type { ChatMessage } from '../llm/index.js';
import { fenceData } from './fence.js';
import { type ConversationUnit, maskedOutput } from './window.js';

/**
 * The current turn's messages (the input, then each model step with its tool results) as units: a
 * model message that called tools and the results that follow it form one unit. Tool output is fenced
 * as data; each tool group also has a masked form.
 */
export function currentTurnUnits(messages: readonly ChatMessage[]): ConversationUnit[] {
  const units: ConversationUnit[] = [];
  messages.forEach((message, index) => {
    const ref = `turn:${index + 1}`;
    if (message.role !== 'tool') {
      units.push({ ref, messages: [message] });
      return;
    }
    const group = units.at(-1);
    const call = group?.messages[0];
    const toolName =
      (call?.role === 'assistant' && call.toolCalls?.find((tool) => tool.id === message.toolCallId)?.name) ||
      'tool';
    if (!group || call?.role !== 'assistant') {
      units.push({ ref, messages: [], unusable: 'a tool result without the call before it' });
      return;
    }
    group.ref = `${group.ref.split('-')[0]}-${index + 1}`;
    group.messages.push({ ...message, content: fenceData(`tool ${toolName}`, message.content) });
    group.masked = [
      ...(group.masked ?? [call]),
      { ...message, content: maskedOutput(toolName, message.content) },
    ];
  });
  return units;
}
