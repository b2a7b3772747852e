import { canonicalJson, eventPayloadSchemas, parsePayload, type StoredEvent } from '../core/index.js';
import { firstLine } from './first-line.js';

/**
 * A plain-text transcript of a session's turns: the user's input, each tool call followed by the first
 * line of its result, and the answer or the failure; turns are separated by a blank line. The same events
 * always give the same bytes, whatever order they are passed in.
 */
export function renderTranscript(events: readonly StoredEvent[]): string {
  const turns = new Map<string, TurnTranscript>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.turnId === null) continue;
    const turn = turns.get(event.turnId) ?? new TurnTranscript();
    turns.set(event.turnId, turn);
    turn.add(event);
  }
  return [...turns.values()]
    .map((turn) => turn.render())
    .filter((text) => text !== '')
    .join('\n');
}

class TurnTranscript {
  /** Groups of lines in order; a tool call's group receives its result line when that arrives. */
  private readonly groups: string[][] = [];
  private readonly callGroups = new Map<string, string[]>();

  add(event: StoredEvent): void {
    switch (event.type) {
      case 'turn.started': {
        const { input } = parsePayload(event, eventPayloadSchemas['turn.started']);
        if (input !== undefined) this.groups.push([labelled('user', input)]);
        return;
      }
      case 'tool.requested': {
        const { callId } = parsePayload(event, eventPayloadSchemas['tool.requested']);
        const group = [toolEventLine(event) as string];
        this.callGroups.set(callId, group);
        this.groups.push(group);
        return;
      }
      case 'tool.result': {
        const { callId } = parsePayload(event, eventPayloadSchemas['tool.result']);
        const line = toolEventLine(event) as string;
        const group = this.callGroups.get(callId);
        if (group) group.push(line);
        else this.groups.push([line]);
        return;
      }
      case 'turn.completed': {
        const { answer } = parsePayload(event, eventPayloadSchemas['turn.completed']);
        this.groups.push([labelled('assistant', answer ?? '')]);
        return;
      }
      case 'turn.failed': {
        const { error, code } = parsePayload(event, eventPayloadSchemas['turn.failed']);
        this.groups.push([labelled(code === undefined ? 'failed' : `failed [${code}]`, error)]);
        return;
      }
    }
  }

  render(): string {
    return this.groups.length === 0 ? '' : `${this.groups.flat().join('\n')}\n`;
  }
}

/**
 * The transcript's line for a tool call (`→ fs.read {"path":"a"}`) or its result (`← ok: first line`),
 * also shown live while a turn runs; undefined for other events.
 */
export function toolEventLine(event: StoredEvent): string | undefined {
  if (event.type === 'tool.requested') {
    const { tool, input } = parsePayload(event, eventPayloadSchemas['tool.requested']);
    return `→ ${tool} ${canonicalJson(input)}`;
  }
  if (event.type === 'tool.result') {
    const { isError, preview } = parsePayload(event, eventPayloadSchemas['tool.result']);
    return `← ${isError ? 'error' : 'ok'}: ${firstLine(preview)}`;
  }
  return undefined;
}

/** `label: text`, with the text's later lines indented under it. */
function labelled(label: string, text: string): string {
  return `${label}: ${text.split('\n').join('\n  ')}`;
}
