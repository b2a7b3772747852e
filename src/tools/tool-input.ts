import { z } from 'zod';
import type { JsonSchemaObject, Tool } from './contract.js';

/** A tool's input, prepared once: the JSON Schema the model sees and the schema its arguments must pass. */
export interface ToolInput {
  jsonSchema: JsonSchemaObject;
  validator: z.ZodType;
}

/** Any JSON object: what a JSON Schema zod cannot express (`if`/`then`) checks on our side. */
const anyObject = z.record(z.string(), z.unknown());

/**
 * For a zod input, the model sees what it may send (so defaulted fields are optional). A JSON Schema
 * input is shown as given and validated through its zod translation; a schema zod cannot translate is
 * left for the tool itself to enforce (an MCP server validates its own input), so the tool stays usable.
 */
export function toolInput(tool: Tool): ToolInput {
  if (tool.inputSchema === undefined) {
    return { jsonSchema: withoutDialect(z.toJSONSchema(tool.input, { io: 'input' })), validator: tool.input };
  }
  return { jsonSchema: withoutDialect(tool.inputSchema), validator: fromJsonSchema(tool.inputSchema) };
}

function fromJsonSchema(schema: JsonSchemaObject): z.ZodType {
  try {
    return z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema);
  } catch {
    return anyObject;
  }
}

function withoutDialect(schema: JsonSchemaObject): JsonSchemaObject {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

export type ParsedInput = { ok: true; input: unknown } | { ok: false; message: string };

/** Validates a model's arguments; a rejection is one line naming each bad field. */
export function parseToolInput(toolName: string, validator: z.ZodType, input: unknown): ParsedInput {
  const result = validator.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return { ok: false, message: `invalid input for ${toolName}: ${problems.join('; ')}` };
}
