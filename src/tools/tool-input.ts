import { z } from 'zod';
import type { Tool } from './contract.js';

/** The JSON Schema a model sees for a tool's input: what it may send, so defaulted fields are optional. */
export function inputJsonSchema(tool: Tool): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(tool.input, { io: 'input' });
  return schema;
}

export type ParsedInput = { ok: true; input: unknown } | { ok: false; message: string };

/** Validates a model's arguments; a rejection is one line naming each bad field. */
export function parseToolInput(tool: Tool, input: unknown): ParsedInput {
  const result = tool.input.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return { ok: false, message: `invalid input for ${tool.name}: ${problems.join('; ')}` };
}
