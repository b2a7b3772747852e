import { createHash } from 'node:crypto';
import { type CompletionRequest, LlmError } from './contract.js';

/**
 * OpenAI and Anthropic accept only `[a-zA-Z0-9_-]{1,64}` as a tool name, while PyClaw tool ids use dots
 * (`fs.read`). This maps ids to wire names and back, one-to-one, for the tools of one request.
 */
export interface ToolNameMap {
  toWire(toolId: string): string;
  /** A wire name the request did not define (a model inventing a tool) comes back unchanged. */
  fromWire(wireName: string): string;
}

const maxWireLength = 64;

export function wireToolName(toolId: string): string {
  const safe = toolId.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (safe.length > 0 && safe.length <= maxWireLength) return safe;
  const digest = createHash('sha256').update(toolId).digest('hex').slice(0, 8);
  return `${safe.slice(0, maxWireLength - digest.length - 1)}_${digest}`;
}

/** Fails with `bad_request` when two different ids would share a wire name. */
export function createToolNameMap(providerId: string, toolIds: Iterable<string>): ToolNameMap {
  const idByWire = new Map<string, string>();
  for (const toolId of toolIds) {
    const wire = wireToolName(toolId);
    const existing = idByWire.get(wire);
    if (existing !== undefined && existing !== toolId) {
      throw new LlmError(
        'bad_request',
        providerId,
        `tools "${existing}" and "${toolId}" both map to the wire name "${wire}"`,
        { hint: 'Rename one of the tools: tool names must stay distinct after "." becomes "_".' },
      );
    }
    idByWire.set(wire, toolId);
  }
  return {
    toWire: wireToolName,
    fromWire: (wireName) => idByWire.get(wireName) ?? wireName,
  };
}

/** Every tool id a request mentions: the tools on offer and those called earlier in the conversation. */
export function requestToolIds(request: CompletionRequest): string[] {
  const offered = (request.tools ?? []).map((tool) => tool.name);
  const called = request.messages.flatMap((message) =>
    message.role === 'assistant' ? (message.toolCalls ?? []).map((call) => call.name) : [],
  );
  return [...offered, ...called];
}
