import type { GbnfJsonSchema } from 'node-llama-cpp';
import type { ToolSpec } from '../contract.js';

/**
 * node-llama-cpp turns a JSON Schema into a GBNF grammar, but only a subset of JSON Schema, and a
 * keyword it does not know silently becomes `null`. This maps any tool or output schema onto that
 * subset: `anyOf` becomes `oneOf`, `definitions` become `$defs`, a schema without a type accepts any
 * JSON, and what a grammar cannot express (patterns, numeric bounds, `allOf`) is left out, so the
 * grammar may accept more than the schema but never refuses what the schema allows. Every property is
 * always written (the grammar has no optional keys), which a schema with optional keys accepts.
 */
export function toGrammarSchema(schema: unknown): GbnfJsonSchema {
  if (!isRecord(schema)) return anyJson;
  const defs = schema.$defs ?? schema.definitions;
  const converted = convert(schema);
  if (!isRecord(defs)) return converted;
  const $defs = Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, convert(def)]));
  return { oneOf: [converted], $defs };
}

const anyJson: GbnfJsonSchema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'array' },
    { type: 'object', additionalProperties: true },
  ],
};

type Primitive = string | number | boolean | null;
type SimpleType = 'string' | 'number' | 'integer' | 'boolean' | 'null';
const simpleTypes: readonly string[] = ['string', 'number', 'integer', 'boolean', 'null'];

function convert(schema: unknown): GbnfJsonSchema {
  if (!isRecord(schema)) return anyJson;
  if ('const' in schema) return isPrimitive(schema.const) ? { const: schema.const } : anyJson;
  if (Array.isArray(schema.enum)) {
    return schema.enum.every(isPrimitive) ? { enum: schema.enum as Primitive[] } : anyJson;
  }
  if (typeof schema.$ref === 'string') {
    // Only references into the root's definitions resolve; anything else accepts any JSON.
    const $ref = schema.$ref.replace('#/definitions/', '#/$defs/');
    return $ref.startsWith('#/$defs/') ? ({ $ref } as GbnfJsonSchema) : anyJson;
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return { oneOf: alternatives.map(convert) };

  const types = typesOf(schema);
  if (types.length === 0) return anyJson;
  const simple = types.filter((type): type is SimpleType => simpleTypes.includes(type) && type !== 'string');
  const variants: GbnfJsonSchema[] = [];
  if (types.includes('object')) variants.push(objectSchema(schema));
  if (types.includes('array')) variants.push(arraySchema(schema));
  if (types.includes('string')) variants.push(stringSchema(schema));
  if (simple.length > 0) variants.push({ type: simple });
  const [only] = variants;
  return variants.length === 1 && only ? only : { oneOf: variants };
}

function typesOf(schema: Record<string, unknown>): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type) => typeof type === 'string');
  if (isRecord(schema.properties)) return ['object'];
  if (schema.items !== undefined) return ['array'];
  return [];
}

function objectSchema(schema: Record<string, unknown>): GbnfJsonSchema {
  const properties = isRecord(schema.properties) ? schema.properties : undefined;
  const extra = schema.additionalProperties;
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(properties ?? {}).map(([key, value]) => [key, convert(value)]),
    ),
    // JSON Schema allows extra keys unless told otherwise; the grammar only offers them to a model when
    // the schema names no properties at all, because a model has no use for them otherwise.
    additionalProperties: isRecord(extra) ? convert(extra) : extra === true || properties === undefined,
    ...numberField(schema, 'minProperties'),
    ...numberField(schema, 'maxProperties'),
  };
}

function arraySchema(schema: Record<string, unknown>): GbnfJsonSchema {
  return {
    type: 'array',
    ...(schema.items !== undefined && { items: convert(schema.items) }),
    ...(Array.isArray(schema.prefixItems) && { prefixItems: schema.prefixItems.map(convert) }),
    ...numberField(schema, 'minItems'),
    ...numberField(schema, 'maxItems'),
  };
}

function stringSchema(schema: Record<string, unknown>): GbnfJsonSchema {
  if (schema.format === 'date-time' || schema.format === 'date' || schema.format === 'time') {
    return { type: 'string', format: schema.format };
  }
  return { type: 'string', ...numberField(schema, 'minLength'), ...numberField(schema, 'maxLength') };
}

function numberField<K extends string>(schema: Record<string, unknown>, key: K): { [P in K]?: number } {
  const value = schema[key];
  return (typeof value === 'number' ? { [key]: value } : {}) as { [P in K]?: number };
}

function isPrimitive(value: unknown): value is Primitive {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a local model must answer when it is offered tools: one JSON object that is either the final
 * answer or a call of one of the tools, one alternative per tool so the arguments follow that tool's
 * own schema. With `output`, the answer carries the structured value instead of text.
 *
 *   {"type": "answer", "text": "..."}            or {"type": "answer", "output": {...}}
 *   {"type": "tool_call", "name": "fs.read", "arguments": {...}}
 */
export function replySchema(tools: readonly ToolSpec[], output?: Record<string, unknown>): GbnfJsonSchema {
  const answer: GbnfJsonSchema = {
    type: 'object',
    properties: output
      ? { type: { const: 'answer' }, output: toGrammarSchema(output) }
      : { type: { const: 'answer' }, text: { type: 'string' } },
  };
  const calls = tools.map(
    (tool): GbnfJsonSchema => ({
      type: 'object',
      properties: {
        type: { const: 'tool_call' },
        name: { const: tool.name },
        arguments: toGrammarSchema(tool.inputSchema),
      },
    }),
  );
  return { oneOf: [answer, ...calls] };
}

export type Reply =
  | { type: 'answer'; text: string }
  | { type: 'tool_call'; name: string; arguments: Record<string, unknown> };

/** Reads a reply the grammar produced; `undefined` when it is not one (the output was cut short). */
export function parseReply(json: string): Reply | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (value.type === 'tool_call' && typeof value.name === 'string' && isRecord(value.arguments)) {
    return { type: 'tool_call', name: value.name, arguments: value.arguments };
  }
  if (value.type === 'answer') {
    if (typeof value.text === 'string') return { type: 'answer', text: value.text };
    if ('output' in value) return { type: 'answer', text: JSON.stringify(value.output) };
  }
  return undefined;
}

/** How an earlier tool call of the assistant appears in the prompt: exactly as the model would write it. */
export function replyText(call: { name: string; arguments: Record<string, unknown> }): string {
  return JSON.stringify({ type: 'tool_call', name: call.name, arguments: call.arguments });
}
