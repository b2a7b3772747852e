import { type EventPayload, eventPayloadSchemas, type StoredEvent, safeParsePayload } from '../core/index.js';
import { type ChatMessage, type ToolCall, toolCallSchema } from '../llm/index.js';
import { fenceData } from './fence.js';

/**
 * One indivisible piece of conversation: a message, or a model message that called tools together with
 * every result, so the window can never keep a call without its result or a result without its call.
 */
export interface ConversationUnit {
  ref: string;
  messages: ChatMessage[];
  /** The same unit with its tool outputs masked to one line each; only tool groups have it. */
  masked?: ChatMessage[];
  /** Why it cannot be sent at all (a call whose result is missing, a result whose call is not read). */
  unusable?: string;
}

/** The event types the recent window is built from. */
export const windowEventTypes = ['user.message', 'assistant.message', 'llm.responded', 'tool.result'];

const modelAnswerSchema = eventPayloadSchemas['llm.responded'].extend({
  toolCalls: toolCallSchema.array().optional(),
});

interface ToolGroup {
  unit: ConversationUnit;
  calls: ToolCall[];
  seqs: number[];
  results: Map<number, { seq: number; result: EventPayload<'tool.result'> }>;
}

/** The earlier turns' conversation, as units in log order, from events of `windowEventTypes`. */
export function conversationUnits(events: readonly StoredEvent[]): ConversationUnit[] {
  const units: ConversationUnit[] = [];
  const groups = new Map<string, ToolGroup>();
  for (const event of events) {
    const payload = event.payload as Record<string, unknown>;
    switch (event.type) {
      case 'user.message':
      case 'assistant.message': {
        if (typeof payload.text !== 'string') break;
        const role = event.type === 'user.message' ? 'user' : 'assistant';
        units.push({ ref: `event:${event.seq}`, messages: [{ role, content: payload.text }] });
        break;
      }
      case 'llm.responded': {
        const key = `${event.turnId}/${event.stepId}`;
        if (!event.stepId?.startsWith('plan-') || groups.has(key)) break;
        const parsed = safeParsePayload(modelAnswerSchema, payload);
        if (!parsed.success || parsed.data.error !== undefined) break;
        const calls = parsed.data.toolCalls ?? [];
        if (calls.length === 0) break;
        const unit: ConversationUnit = { ref: `event:${event.seq}`, messages: [] };
        groups.set(key, { unit, calls, seqs: [event.seq], results: new Map() });
        units.push(unit);
        break;
      }
      case 'tool.result': {
        const parsed = safeParsePayload(eventPayloadSchemas['tool.result'], payload);
        if (!parsed.success) break;
        const dot = parsed.data.callId.lastIndexOf('.');
        const group = groups.get(`${event.turnId}/${parsed.data.callId.slice(0, dot)}`);
        const index = Number(parsed.data.callId.slice(dot + 1));
        if (!group) {
          units.push({
            ref: `event:${event.seq}`,
            messages: [],
            unusable: 'a tool result whose call is older than the window',
          });
          break;
        }
        group.results.set(index, { seq: event.seq, result: parsed.data });
        break;
      }
    }
  }
  for (const group of groups.values()) completeGroup(group);
  return units;
}

function completeGroup(group: ToolGroup): void {
  const { unit, calls } = group;
  const results = calls.map((_, index) => group.results.get(index));
  const seqs = [...group.seqs, ...results.flatMap((result) => (result ? [result.seq] : []))];
  unit.ref = `event:${seqs.join(',')}`;
  if (results.some((result) => result === undefined)) {
    unit.unusable = 'a tool call without a recorded result';
    return;
  }
  const call: ChatMessage = { role: 'assistant', content: '', toolCalls: calls };
  const toolMessage = (index: number, content: string): ChatMessage => {
    const { result } = results[index] as { result: EventPayload<'tool.result'> };
    return { role: 'tool', toolCallId: (calls[index] as ToolCall).id, content, isError: result.isError };
  };
  unit.messages = [
    call,
    ...calls.map((tool, index) =>
      toolMessage(index, fenceData(`tool ${tool.name}`, results[index]?.result.preview ?? '')),
    ),
  ];
  unit.masked = [
    call,
    ...calls.map((tool, index) => {
      const result = results[index]?.result as EventPayload<'tool.result'>;
      return toolMessage(index, maskedOutput(tool.name, result.preview, result.artifacts));
    }),
  ];
}

/** Observation masking: a tool's output as one line naming where the whole of it is kept. */
export function maskedOutput(tool: string, output: string, artifacts: readonly string[] = []): string {
  const lines = output.split('\n').length;
  const first = output.split('\n', 1)[0]?.slice(0, 80) ?? '';
  const where = artifacts.length > 0 ? `artifact ${artifacts.join(', ')}` : 'the session log';
  return `[${tool} output masked: ${lines} line${lines === 1 ? '' : 's'}, starting "${first.replace(/"/g, "'")}"; full output in ${where}]`;
}
