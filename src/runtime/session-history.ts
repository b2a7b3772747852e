import type { ChatMessage } from '../llm/index.js';
import type { EventLog } from '../session/index.js';

/** How far back earlier turns are read: a bounded tail, so a turn costs the same on a long session. */
const historyEvents = 400;

/**
 * The conversation of earlier turns (user messages and answers) from the session's recent tail. The
 * context packer will replace this with a budgeted window and a rolling summary.
 */
export function sessionHistory(log: EventLog, sessionId: string, currentTurnId: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const headSeq = log.last(sessionId, 1)[0]?.seq ?? 0;
  const tail = { fromSeq: Math.max(1, headSeq - historyEvents + 1) };
  for (const event of log.byType(sessionId, ['user.message', 'assistant.message'], tail)) {
    if (event.turnId === currentTurnId) continue;
    const text = (event.payload as { text?: unknown }).text;
    if (typeof text !== 'string') continue;
    if (event.type === 'user.message') messages.push({ role: 'user', content: text });
    if (event.type === 'assistant.message') messages.push({ role: 'assistant', content: text });
  }
  return messages;
}
