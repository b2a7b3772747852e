import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviders, LlmError, type Provider, providersConfigSchema } from '../../src/llm/index.js';
import { error, message, overloaded, startAnthropicEmulator, stream } from '../emulators/anthropic.js';
import { type Emulator, jsonBody } from '../emulators/http-emulator.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startAnthropicEmulator();
});
afterEach(() => emulator.close());

function provider(settings: Record<string, unknown> = {}): Provider {
  const config = providersConfigSchema.parse({
    claude: {
      kind: 'anthropic',
      baseURL: emulator.url,
      apiKey: 'secret:anthropic',
      initialDelayMs: 5,
      pricing: { 'claude-test': { inputPerMillion: 3, outputPerMillion: 15 } },
      ...settings,
    },
  });
  return createProviders(config, { resolveSecret: () => 'sk-ant-test' }).get('claude') as Provider;
}

const searchTool = {
  name: 'web.search',
  description: 'Search the web',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};

const verdict = {
  name: 'verdict',
  schema: {
    type: 'object',
    properties: { safe: { type: 'boolean' }, reason: { type: 'string' } },
    required: ['safe', 'reason'],
    additionalProperties: false,
  },
};

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(LlmError);
  return caught as LlmError;
}

describe('anthropic provider over HTTP', () => {
  it('sends the system prompt apart from the messages, with the key, and returns text, usage and cost', async () => {
    emulator.reply(
      message({
        content: [{ type: 'text', text: 'Bonjour' }],
        usage: { input_tokens: 2000, output_tokens: 100 },
      }),
    );
    const response = await provider().complete({
      model: 'claude-test',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(response).toMatchObject({
      text: 'Bonjour',
      toolCalls: [],
      usage: { inputTokens: 2000, outputTokens: 100 },
      finishReason: 'stop',
      model: 'claude-emulated',
    });
    expect(response.costUsd).toBeCloseTo((2000 * 3 + 100 * 15) / 1_000_000);
    const request = emulator.requests[0];
    // SDK 1.13 sends the key as a bearer token; older ones used x-api-key.
    const sentKey = request?.headers['x-api-key'] ?? request?.headers.authorization?.replace(/^Bearer /, '');
    expect(sentKey).toBe('sk-ant-test');
    expect(request?.headers['anthropic-version']).toBeTruthy();
    expect(jsonBody(emulator)).toMatchObject({
      model: 'claude-test',
      system: 'Answer in French.',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    });
  });

  it('offers tools under wire names, maps tool_use back, and sends history as tool_use / tool_result blocks', async () => {
    emulator.reply(
      message({
        content: [
          { type: 'text', text: 'Searching.' },
          { type: 'tool_use', id: 'toolu_2', name: 'web_search', input: { query: 'pyclaw' } },
        ],
      }),
    );
    const response = await provider().complete({
      model: 'claude-test',
      tools: [searchTool],
      messages: [
        { role: 'user', content: 'look it up' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'toolu_1', name: 'web.search', arguments: { query: 'a' } }],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: 'timeout', isError: true },
        { role: 'user', content: 'try again' },
      ],
    });
    expect(response.text).toBe('Searching.');
    expect(response.toolCalls).toEqual([
      { id: 'toolu_2', name: 'web.search', arguments: { query: 'pyclaw' } },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    const body = jsonBody(emulator);
    expect(body.tools).toEqual([
      { name: 'web_search', description: 'Search the web', input_schema: searchTool.inputSchema },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'look it up' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'web_search', input: { query: 'a' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'timeout', is_error: true },
          { type: 'text', text: 'try again' },
        ],
      },
    ]);
  });

  it('gets structured output through a forced tool and returns its input as the JSON answer', async () => {
    emulator.reply(
      message({
        content: [
          { type: 'tool_use', id: 'toolu_v', name: 'verdict', input: { safe: true, reason: 'read-only' } },
        ],
      }),
    );
    const response = await provider().complete({
      model: 'claude-test',
      messages: [{ role: 'user', content: 'Is `ls` safe?' }],
      output: verdict,
    });
    expect(JSON.parse(response.text)).toEqual({ safe: true, reason: 'read-only' });
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
    const body = jsonBody(emulator);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'verdict' });
    expect(body.tools).toEqual([
      {
        name: 'verdict',
        description: expect.any(String),
        input_schema: { ...verdict.schema, type: 'object' },
      },
    ]);

    emulator.reply(
      message({ content: [{ type: 'tool_use', id: 'toolu_w', name: 'verdict', input: { safe: 'yes' } }] }),
    );
    const mismatch = await failure(
      provider().complete({
        model: 'claude-test',
        messages: [{ role: 'user', content: 'Is `rm` safe?' }],
        output: verdict,
      }),
    );
    expect(mismatch.kind).toBe('bad_response');
  });

  it('lets the model choose between real tools and the output tool when both are offered', async () => {
    emulator.reply(
      message({ content: [{ type: 'tool_use', id: 'toolu_s', name: 'web_search', input: { query: 'x' } }] }),
    );
    const response = await provider().complete({
      model: 'claude-test',
      tools: [searchTool],
      messages: [{ role: 'user', content: 'check first' }],
      output: verdict,
    });
    expect(response.toolCalls).toEqual([{ id: 'toolu_s', name: 'web.search', arguments: { query: 'x' } }]);
    expect(jsonBody(emulator).tool_choice).toEqual({ type: 'any' });
  });

  it('streams text deltas, assembles input_json_delta fragments, and reads usage from start and delta events', async () => {
    emulator.reply(
      stream({
        content: [
          { type: 'text', text: 'I will search for that.' },
          { type: 'tool_use', id: 'toolu_9', name: 'web_search', input: { query: 'pyclaw release notes' } },
        ],
        usage: { input_tokens: 40, output_tokens: 22 },
      }),
    );
    const deltas: string[] = [];
    const response = await provider().complete(
      { model: 'claude-test', tools: [searchTool], messages: [{ role: 'user', content: 'news?' }] },
      { onDelta: (text) => deltas.push(text) },
    );
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('I will search for that.');
    expect(response).toMatchObject({
      text: 'I will search for that.',
      toolCalls: [{ id: 'toolu_9', name: 'web.search', arguments: { query: 'pyclaw release notes' } }],
      usage: { inputTokens: 40, outputTokens: 22 },
      finishReason: 'tool_calls',
    });
    expect(jsonBody(emulator).stream).toBe(true);
  });

  it('streams a structured answer as text deltas of the JSON', async () => {
    emulator.reply(
      stream({
        content: [
          { type: 'tool_use', id: 'toolu_v', name: 'verdict', input: { safe: false, reason: 'deletes' } },
        ],
      }),
    );
    const deltas: string[] = [];
    const response = await provider().complete(
      { model: 'claude-test', messages: [{ role: 'user', content: 'rm -rf?' }], output: verdict },
      { onDelta: (text) => deltas.push(text) },
    );
    expect(JSON.parse(deltas.join(''))).toEqual({ safe: false, reason: 'deletes' });
    expect(JSON.parse(response.text)).toEqual({ safe: false, reason: 'deletes' });
  });

  it('treats 529 overloaded_error as unavailable and retries it', async () => {
    emulator.reply(overloaded(), message({ content: [{ type: 'text', text: 'back' }] }));
    const response = await provider().complete({
      model: 'claude-test',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.text).toBe('back');
    expect(emulator.requests).toHaveLength(2);

    emulator.reply(overloaded(), overloaded());
    const caught = await failure(
      provider({ maxAttempts: 2 }).complete({
        model: 'claude-test',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(caught.kind).toBe('unavailable');
    expect(caught.message).toContain('Overloaded');
  });

  it('classifies an overloaded error event inside a stream as unavailable', async () => {
    emulator.reply({
      type: 'sse',
      events: [
        {
          event: 'error',
          data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
        },
      ],
    });
    const caught = await failure(
      provider({ maxAttempts: 1 }).complete(
        { model: 'claude-test', messages: [{ role: 'user', content: 'Hi' }] },
        { onDelta: () => {} },
      ),
    );
    expect(caught.kind).toBe('unavailable');
  });

  it('classifies a too-long prompt as context_length and a bad key as auth, without retrying', async () => {
    emulator.reply(error(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'));
    const tooLong = await failure(
      provider().complete({ model: 'claude-test', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(tooLong.kind).toBe('context_length');

    emulator.reply(error(401, 'authentication_error', 'invalid x-api-key'));
    const auth = await failure(
      provider().complete({ model: 'claude-test', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(auth.kind).toBe('auth');
    expect(emulator.requests).toHaveLength(2);
  });

  it('never waits past its timeout on a server that does not answer', async () => {
    emulator.reply({ type: 'hang' });
    const started = Date.now();
    const caught = await failure(
      provider({ timeoutMs: 250, maxAttempts: 1 }).complete({
        model: 'claude-test',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(caught.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
