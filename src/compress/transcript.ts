import { eventPayloadSchemas, type StoredEvent } from '../core/index.js';

/** The events a summary reads. */
export const summarisedEventTypes = ['user.message', 'assistant.message', 'llm.responded', 'tool.result'];

export interface TranscriptLine {
  seq: number;
  turnId: string | null;
  role: 'user' | 'assistant' | 'call' | 'tool';
  text: string;
}

/**
 * A range of the log as plain lines for summarising, with every tool output masked down to one line
 * naming its artifact (observation masking): the summary keeps what was done and found, not the bytes.
 */
export function transcriptLines(events: readonly StoredEvent[]): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  const toolNames = new Map<string, string>();
  for (const event of events) {
    const line = (role: TranscriptLine['role'], text: string) =>
      lines.push({ seq: event.seq, turnId: event.turnId, role, text });
    const payload = event.payload as Record<string, unknown>;
    if (event.type === 'user.message' && typeof payload.text === 'string') line('user', payload.text);
    if (event.type === 'assistant.message' && typeof payload.text === 'string')
      line('assistant', payload.text);
    if (event.type === 'llm.responded' && event.stepId?.startsWith('plan-')) {
      const calls = Array.isArray(payload.toolCalls) ? payload.toolCalls : [];
      calls.forEach((call: { name?: unknown; arguments?: unknown }, index) => {
        const name = String(call.name);
        toolNames.set(`${event.turnId}/${event.stepId}.${index}`, name);
        line('call', `${name} ${JSON.stringify(call.arguments ?? {}).slice(0, 200)}`);
      });
    }
    if (event.type === 'tool.result') {
      const parsed = eventPayloadSchemas['tool.result'].safeParse(payload);
      if (!parsed.success) continue;
      const { callId, preview, isError, artifacts = [] } = parsed.data;
      const name = toolNames.get(`${event.turnId}/${callId}`) ?? 'tool';
      const first = (preview.split('\n', 1)[0] ?? '').slice(0, 100);
      const where = artifacts.length > 0 ? `artifact ${artifacts.join(', ')}` : `event #${event.seq}`;
      line('tool', `${name} ${isError ? 'failed' : 'returned'}: "${first}"… (full output: ${where})`);
    }
  }
  return lines;
}

export function renderTranscriptLines(lines: readonly TranscriptLine[]): string {
  return lines.map((line) => `[#${line.seq}] ${line.role}: ${line.text}`).join('\n');
}
