import { type GbnfJsonSchema, getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolSpec } from '../../src/llm/contract.js';
import { parseReply, replySchema, toGrammarSchema } from '../../src/llm/providers/local-grammar.js';
import { toChatHistory } from '../../src/llm/providers/local-prompt.js';

const readTool: ToolSpec = {
  name: 'fs.read',
  description: 'Reads a file.',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string' }, lines: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
    required: ['path'],
    additionalProperties: false,
  },
};

describe('toGrammarSchema', () => {
  it('maps what node-llama-cpp does not know onto what it does', () => {
    expect(toGrammarSchema({ anyOf: [{ type: 'string', pattern: '^a' }, { type: 'null' }] })).toEqual({
      oneOf: [{ type: 'string' }, { type: ['null'] }],
    });
    expect(toGrammarSchema({ type: ['string', 'integer'], minimum: 3 })).toEqual({
      oneOf: [{ type: 'string' }, { type: ['integer'] }],
    });
    expect(toGrammarSchema({ type: 'object' })).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: true,
    });
  });

  it('lets a schema without a type accept any JSON instead of only null', () => {
    expect(toGrammarSchema({ description: 'anything' })).toMatchObject({
      oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array' }, { type: 'object' }],
    });
  });

  it('moves `definitions` to `$defs` and keeps references into them', () => {
    const schema = {
      type: 'object',
      properties: { node: { $ref: '#/definitions/node' } },
      definitions: { node: { type: 'string', maxLength: 4 } },
    };
    expect(toGrammarSchema(schema)).toEqual({
      oneOf: [
        { type: 'object', properties: { node: { $ref: '#/$defs/node' } }, additionalProperties: false },
      ],
      $defs: { node: { type: 'string', maxLength: 4 } },
    });
  });
});

describe('the reply grammar', () => {
  let llama: Llama;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never' });
  });

  afterAll(async () => {
    await llama.dispose();
  });

  it('accepts an answer or a call of an offered tool with its arguments, and nothing else', async () => {
    const grammar = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(replySchema([readTool]));
    const accepts = (value: unknown) => {
      try {
        grammar.parse(JSON.stringify(value));
        return true;
      } catch {
        return false;
      }
    };

    expect(accepts({ type: 'answer', text: 'done' })).toBe(true);
    expect(accepts({ type: 'tool_call', name: 'fs.read', arguments: { path: 'a.txt', lines: 3 } })).toBe(
      true,
    );
    expect(accepts({ type: 'tool_call', name: 'fs.write', arguments: { path: 'a.txt', lines: 3 } })).toBe(
      false,
    );
    expect(accepts({ type: 'tool_call', name: 'fs.read', arguments: { path: 7, lines: null } })).toBe(false);
  });

  it('carries structured output in the answer when the request asks for it', async () => {
    const output = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const grammar = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(replySchema([readTool], output));
    expect(grammar.parse('{"type": "answer", "output": {"ok": true}}')).toEqual({
      type: 'answer',
      output: { ok: true },
    });
  });
});

describe('parseReply', () => {
  it('reads answers, structured answers and tool calls', () => {
    expect(parseReply('{"type":"answer","text":"hi"}')).toEqual({ type: 'answer', text: 'hi' });
    expect(parseReply('{"type":"answer","output":{"ok":true}}')).toEqual({
      type: 'answer',
      text: '{"ok":true}',
    });
    expect(parseReply('{"type":"tool_call","name":"fs.read","arguments":{"path":"a"}}')).toEqual({
      type: 'tool_call',
      name: 'fs.read',
      arguments: { path: 'a' },
    });
  });

  it('returns undefined for a reply cut short', () => {
    expect(parseReply('{"type":"tool_call","name":"fs.re')).toBeUndefined();
  });
});

describe('toChatHistory', () => {
  it('describes the tools, replays earlier calls as JSON and returns tool results as user turns', () => {
    const history = toChatHistory({
      model: 'm',
      tools: [readTool],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Show a.txt' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'fs.read', arguments: { path: 'a.txt' } }],
        },
        { role: 'tool', toolCallId: 'c1', content: 'hello' },
        { role: 'user', content: 'And now?' },
      ],
    });

    expect(history.map((item) => item.type)).toEqual(['system', 'user', 'model', 'user', 'model']);
    expect(history[0]).toMatchObject({
      text: expect.stringMatching(/^Be brief\.\n\n.*- fs\.read: Reads a file\./s),
    });
    expect(history[2]).toEqual({
      type: 'model',
      response: ['{"type":"tool_call","name":"fs.read","arguments":{"path":"a.txt"}}'],
    });
    expect(history[3]).toEqual({ type: 'user', text: 'fs.read (call c1) returned:\nhello\n\nAnd now?' });
    expect(history[4]).toEqual({ type: 'model', response: [] });
  });
});
