import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviders, LlmError, type Provider, providersConfigSchema } from '../../src/llm/index.js';
import { type Emulator, jsonBody } from '../emulators/http-emulator.js';
import { completion, error, startOpenAiEmulator, stream } from '../emulators/openai.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

function provider(settings: Record<string, unknown> = {}): Provider {
  const config = providersConfigSchema.parse({
    oa: {
      kind: 'openai',
      baseURL: `${emulator.url}/v1`,
      apiKey: 'secret:openai',
      initialDelayMs: 5,
      pricing: { 'gpt-test': { inputPerMillion: 2, outputPerMillion: 10 } },
      ...settings,
    },
  });
  const providers = createProviders(config, {
    resolveSecret: (ref) => (ref === 'secret:openai' ? 'sk-test' : ''),
  });
  return providers.get('oa') as Provider;
}

const readTool = {
  name: 'fs.read',
  description: 'Read a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(LlmError);
  return caught as LlmError;
}

describe('openai provider over HTTP', () => {
  it('sends messages with the resolved key and returns text, usage and cost', async () => {
    emulator.reply(
      completion({ text: 'Hello there', usage: { prompt_tokens: 1000, completion_tokens: 100 } }),
    );
    const response = await provider().complete({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      maxTokens: 50,
      temperature: 0.2,
    });
    expect(response).toMatchObject({
      text: 'Hello there',
      toolCalls: [],
      usage: { inputTokens: 1000, outputTokens: 100 },
      finishReason: 'stop',
      model: 'gpt-emulated',
    });
    expect(response.costUsd).toBeCloseTo((1000 * 2 + 100 * 10) / 1_000_000);
    const [request] = emulator.requests;
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toMatchObject({
      model: 'gpt-test',
      max_tokens: 50,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('costs nothing for a model without a price', async () => {
    emulator.reply(completion({ text: 'ok' }));
    const response = await provider().complete({
      model: 'llama3',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.costUsd).toBe(0);
  });

  it('offers tools under wire names and maps tool calls and history back to tool ids', async () => {
    emulator.reply(
      completion({ toolCalls: [{ id: 'call_9', name: 'fs_read', arguments: '{"path":"/etc/hosts"}' }] }),
    );
    const response = await provider().complete({
      model: 'gpt-test',
      tools: [readTool],
      messages: [
        { role: 'user', content: 'read two files' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'fs.read', arguments: { path: '/a' } }],
        },
        { role: 'tool', toolCallId: 'call_1', content: 'no such file', isError: true },
      ],
    });
    expect(response.toolCalls).toEqual([
      { id: 'call_9', name: 'fs.read', arguments: { path: '/etc/hosts' } },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    const body = jsonBody(emulator);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'fs_read', description: 'Read a file', parameters: readTool.inputSchema },
      },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: 'read two files' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'fs_read', arguments: '{"path":"/a"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'ERROR: no such file' },
    ]);
  });

  it('rejects two tool ids that collide on the wire before sending anything', async () => {
    const error = await failure(
      provider().complete({
        model: 'gpt-test',
        tools: [readTool, { ...readTool, name: 'fs_read' }],
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('"fs.read" and "fs_read" both map to the wire name "fs_read"');
    expect(emulator.requests).toHaveLength(0);
  });

  it('asks for JSON-schema output and checks the answer against the schema', async () => {
    const output = {
      name: 'city.info',
      schema: {
        type: 'object',
        properties: { city: { type: 'string' }, population: { type: 'integer' } },
        required: ['city', 'population'],
        additionalProperties: false,
      },
    };
    emulator.reply(completion({ text: '{"city":"Oslo","population":700000}' }));
    const response = await provider().complete({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Oslo?' }],
      output,
    });
    expect(JSON.parse(response.text)).toEqual({ city: 'Oslo', population: 700000 });
    expect(jsonBody(emulator).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'city_info', schema: output.schema, strict: true },
    });

    emulator.reply(completion({ text: '{"city":"Oslo","population":"many"}' }));
    const mismatch = await failure(
      provider().complete({ model: 'gpt-test', messages: [{ role: 'user', content: 'Oslo?' }], output }),
    );
    expect(mismatch.kind).toBe('bad_response');
    expect(mismatch.message).toContain('population');

    emulator.reply(completion({ text: 'Oslo has about 700k people' }));
    const notJson = await failure(
      provider().complete({ model: 'gpt-test', messages: [{ role: 'user', content: 'Oslo?' }], output }),
    );
    expect(notJson.kind).toBe('bad_response');
  });

  it('streams text deltas in order and assembles streamed tool calls and usage', async () => {
    emulator.reply(
      stream({
        textPieces: ['Let me ', 'look.'],
        toolCalls: [
          { call: { id: 'call_s', name: 'fs_read', arguments: '' }, pieces: ['{"pa', 'th":', '"/tmp/x"}'] },
        ],
        usage: { prompt_tokens: 30, completion_tokens: 9 },
      }),
    );
    const deltas: string[] = [];
    const response = await provider().complete(
      { model: 'gpt-test', tools: [readTool], messages: [{ role: 'user', content: 'read /tmp/x' }] },
      { onDelta: (text) => deltas.push(text) },
    );
    expect(deltas).toEqual(['Let me ', 'look.']);
    expect(response).toMatchObject({
      text: 'Let me look.',
      toolCalls: [{ id: 'call_s', name: 'fs.read', arguments: { path: '/tmp/x' } }],
      usage: { inputTokens: 30, outputTokens: 9 },
      finishReason: 'tool_calls',
    });
    expect(emulator.requests[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    emulator.reply(error(429, 'Rate limit reached', { type: 'requests', headers: { 'retry-after': '1' } }));
    emulator.reply(completion({ text: 'finally' }));
    const started = Date.now();
    const response = await provider().complete({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.text).toBe('finally');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emulator.requests).toHaveLength(2);
  });

  it('retries 5xx with backoff up to maxAttempts, then reports unavailable', async () => {
    emulator.reply(
      error(500, 'boom', { type: 'server_error' }),
      error(502, 'bad gateway'),
      error(503, 'down'),
    );
    const caught = await failure(
      provider({ maxAttempts: 3 }).complete({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(caught.kind).toBe('unavailable');
    expect(caught.message).toContain('503');
    expect(emulator.requests).toHaveLength(3);
  });

  it('classifies auth and context-length errors and does not retry them', async () => {
    emulator.reply(error(401, 'Incorrect API key provided', { code: 'invalid_api_key' }));
    const auth = await failure(
      provider().complete({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(auth.kind).toBe('auth');

    emulator.reply(
      error(
        400,
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
        {
          code: 'context_length_exceeded',
        },
      ),
    );
    const tooLong = await failure(
      provider().complete({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(tooLong.kind).toBe('context_length');

    emulator.reply(error(400, "Invalid value for 'temperature'"));
    const bad = await failure(
      provider().complete({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(bad.kind).toBe('bad_request');
    expect(emulator.requests).toHaveLength(3);
  });

  it('never waits past its timeout on a server that does not answer, and retries the timeout', async () => {
    emulator.reply({ type: 'hang' }, { type: 'hang' });
    const started = Date.now();
    const caught = await failure(
      provider({ timeoutMs: 200, maxAttempts: 2 }).complete({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(caught.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(emulator.requests).toHaveLength(2);
  });

  it('times out a stream that stalls midway without retrying text already shown', async () => {
    emulator.reply(stream({ textPieces: ['partial '] }, { thenHang: true }));
    const deltas: string[] = [];
    const caught = await failure(
      provider({ timeoutMs: 300, maxAttempts: 3 }).complete(
        { model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] },
        { onDelta: (text) => deltas.push(text) },
      ),
    );
    expect(caught.kind).toBe('timeout');
    expect(deltas).toEqual(['partial ']);
    expect(emulator.requests).toHaveLength(1);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    emulator.reply({ type: 'hang' }, { type: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const caught = await failure(
      provider({ timeoutMs: 10_000 }).complete(
        { model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] },
        { signal: controller.signal },
      ),
    );
    expect(caught.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(emulator.requests).toHaveLength(1);
  });

  it('reports a response that is not a chat completion as bad_response', async () => {
    emulator.reply({ type: 'json', body: { hello: 'world' } });
    const caught = await failure(
      provider().complete({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(caught.kind).toBe('bad_response');
    expect(caught.message).toContain('no choices');
  });

  it('reports a server that refuses connections as unavailable', async () => {
    const url = emulator.url;
    await emulator.close();
    const config = providersConfigSchema.parse({
      oa: { kind: 'openai', baseURL: `${url}/v1`, maxAttempts: 1 },
    });
    const caught = await failure(
      (createProviders(config).get('oa') as Provider).complete({
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(caught.kind).toBe('unavailable');
    emulator = await startOpenAiEmulator();
  });
});
