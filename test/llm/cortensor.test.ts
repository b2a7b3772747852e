import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CortensorProvider,
  callPolicySchema,
  cortensorProviderConfigSchema,
  createCortensorProvider,
  LlmError,
  withResilience,
} from '../../src/llm/index.js';
import { type CortensorRouterEmulator, startCortensorEmulator } from '../emulators/cortensor.js';

let router: CortensorRouterEmulator;
beforeEach(async () => {
  router = await startCortensorEmulator();
});
afterEach(() => router.close());

function provider(settings: Record<string, unknown> = {}): CortensorProvider {
  const config = cortensorProviderConfigSchema.parse({
    kind: 'cortensor',
    baseUrl: router.url,
    apiKey: 'secret:cortensor',
    sessionId: 7,
    pricing: { 'cortensor-emulated': { inputPerMillion: 1, outputPerMillion: 2 } },
    ...settings,
  });
  return createCortensorProvider('cx', config, {
    resolveSecret: (reference) => (reference === 'secret:cortensor' ? router.token : 'not-the-key'),
  });
}

const ask = {
  model: 'cortensor-emulated',
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Say hello' },
  ],
};

function body(index = 0): Record<string, unknown> {
  const request = router.requests[index];
  if (!request || typeof request.body !== 'object') throw new Error(`request ${index} has no JSON body`);
  return request.body as Record<string, unknown>;
}

/** A timeout test fails fast rather than waiting out vitest's minute if the limit is not enforced. */
const hangLimitMs = 5_000;

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(LlmError);
  return caught as LlmError;
}

describe('cortensor provider: completions', () => {
  it('posts the prompt to /api/v1/completions/{session} with the bearer token and reads the answer', async () => {
    router.reply('completions', {
      kind: 'answer',
      text: 'Hello!',
      usage: { prompt_tokens: 1000, completion_tokens: 500 },
    });
    const response = await provider().complete({ ...ask, maxTokens: 64, temperature: 0.3 });

    expect(response).toMatchObject({
      text: 'Hello!',
      toolCalls: [],
      usage: { inputTokens: 1000, outputTokens: 500 },
      model: 'cortensor-emulated',
      finishReason: 'stop',
    });
    expect(response.costUsd).toBeCloseTo((1000 * 1 + 500 * 2) / 1_000_000);
    const [request] = router.requests;
    expect(request?.path).toBe('/api/v1/completions/7');
    expect(request?.headers.authorization).toBe(`Bearer ${router.token}`);
    expect(body()).toMatchObject({
      prompt: '### System\nBe brief.\n\n### User\nSay hello\n\n### Assistant\n',
      prompt_type: 1,
      prompt_template: '',
      stream: false,
      timeout: 60,
      max_tokens: 64,
      temperature: 0.3,
    });
    expect(body()).not.toHaveProperty('session_id');
  });

  it('sends the session id in the body when configured so, accepting it as a string', async () => {
    router.reply('completions', { kind: 'answer', text: 'ok' });
    await provider({ sessionId: '42', sessionIdIn: 'body', sampling: { topP: 0.9, topK: 40 } }).complete(ask);

    expect(router.requests[0]?.path).toBe('/api/v1/completions');
    expect(body()).toMatchObject({ session_id: 42, top_p: 0.9, top_k: 40 });
  });

  it('streams server-sent chunks to onDelta in order and returns the whole text', async () => {
    router.reply('completions', {
      kind: 'answer',
      text: 'Hello there, friend',
      pieces: ['Hello', ' there', ', friend'],
      usage: { prompt_tokens: 9, completion_tokens: 3 },
    });
    const deltas: string[] = [];
    const response = await provider().complete(ask, { onDelta: (text) => deltas.push(text) });

    expect(deltas).toEqual(['Hello', ' there', ', friend']);
    expect(response).toMatchObject({
      text: 'Hello there, friend',
      usage: { inputTokens: 9, outputTokens: 3 },
      finishReason: 'stop',
    });
    expect(body()).toMatchObject({ stream: true });
  });

  it('describes tools in the prompt and reads a tool-call block from the answer', async () => {
    router.reply('completions', {
      kind: 'answer',
      text: 'Reading it.\n```json\n{"tool_calls":[{"name":"fs.read","arguments":{"path":"a.txt"}}]}\n```',
    });
    const response = await provider().complete({
      ...ask,
      tools: [
        {
          name: 'fs.read',
          description: 'Read a file',
          inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
        },
      ],
    });

    expect(response.text).toBe('Reading it.');
    expect(response.finishReason).toBe('tool_calls');
    expect(response.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'fs.read', arguments: { path: 'a.txt' } },
    ]);
    expect(body().prompt).toContain(
      '- fs.read: Read a file\n  input schema: {"type":"object","properties":{"path":{"type":"string"}}}',
    );
  });

  it('writes earlier tool calls and their results into the transcript', async () => {
    router.reply('completions', { kind: 'answer', text: 'It says hi.' });
    await provider().complete({
      model: 'm',
      messages: [
        { role: 'user', content: 'Read a.txt' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'fs.read', arguments: { path: 'a.txt' } }],
        },
        { role: 'tool', toolCallId: 'call_1', content: 'no such file', isError: true },
      ],
    });

    expect(body().prompt).toBe(
      [
        '### User\nRead a.txt',
        '### Assistant\n```json\n{"tool_calls":[{"id":"call_1","name":"fs.read","arguments":{"path":"a.txt"}}]}\n```',
        '### Tool result call_1 (error)\nno such file',
        '### Assistant\n',
      ].join('\n\n'),
    );
  });
});

describe('cortensor provider: delegate, validate, factcheck', () => {
  it('delegates a job to /api/v2/delegate within the configured session', async () => {
    router.reply('delegate', {
      kind: 'json',
      body: { output: 'Summary: all good', evidence: { steps: 2 }, task_id: 31 },
    });
    const answer = await provider().delegate({
      objective: 'Summarise the log',
      input: 'line 1\nline 2',
      policy: { tier: 'safe' },
    });

    expect(answer).toMatchObject({ output: 'Summary: all good', evidence: { steps: 2 }, task_id: 31 });
    expect(router.requests[0]?.path).toBe('/api/v2/delegate');
    expect(body()).toEqual({
      objective: 'Summarise the log',
      input: 'line 1\nline 2',
      policy: { tier: 'safe' },
      session_id: 7,
    });
  });

  it('validates a claimed result at /api/v2/validate and returns the verdict', async () => {
    router.reply('validate', {
      kind: 'json',
      body: { verdict: 'INVALID', reasons: ['2 + 2 is 4'], score: 0.1 },
    });
    const verdict = await provider().validate({
      claim: { input: 'What is 2 + 2?', output: '5' },
      policy: { evaluation: 'strict' },
    });

    expect(verdict).toMatchObject({ verdict: 'INVALID', reasons: ['2 + 2 is 4'], score: 0.1 });
    expect(router.requests[0]?.path).toBe('/api/v2/validate');
    expect(body()).toMatchObject({ claim: { input: 'What is 2 + 2?', output: '5' }, session_id: 7 });
  });

  it('fact-checks a claim at /api/v1/factcheck without a session id', async () => {
    router.reply('factcheck', {
      kind: 'json',
      body: { verdict: 'true', confidence: 0.92, evidence: [{ miner: 'm1', verdict: 'true' }] },
    });
    const check = await provider().factcheck({ claim: 'Water boils at 100 °C at sea level', redundancy: 3 });

    expect(check).toMatchObject({ verdict: 'true', confidence: 0.92, evidence: [{ miner: 'm1' }] });
    expect(router.requests[0]?.path).toBe('/api/v1/factcheck');
    expect(body()).toEqual({ claim: 'Water boils at 100 °C at sea level', mode: 'standard', redundancy: 3 });
  });

  it('rejects a malformed request before sending it', async () => {
    const error = await failure(provider().factcheck({ claim: 'x', redundancy: 1 }));
    expect(error.kind).toBe('bad_request');
    expect(router.requests).toHaveLength(0);
  });
});

describe('cortensor provider: failures', () => {
  it('reports a refused token as auth and says to check the key', async () => {
    const wrongKey = provider({ apiKey: 'secret:old' });
    for (const call of [wrongKey.complete(ask), wrongKey.validate({ claim: 'x' })]) {
      const error = await failure(call);
      expect(error.kind).toBe('auth');
      expect(error.message).toMatch(/router refused the API token \(HTTP 401: invalid or missing API key\)/);
      expect(error.message).toMatch(/check that this provider's apiKey/);
    }
  });

  it('reports a 5xx as unavailable and an unparseable answer as bad_response', async () => {
    router.reply(
      'completions',
      { kind: 'json', status: 503, body: { error: { message: 'no miners available' } } },
      { kind: 'json', body: { choices: 'nope' } },
    );
    const unavailable = await failure(provider().complete(ask));
    expect(unavailable.kind).toBe('unavailable');
    expect(unavailable.message).toContain('no miners available');
    expect((await failure(provider().complete(ask))).kind).toBe('bad_response');
  });

  it('reports a router that cannot be reached as unavailable', async () => {
    await router.close();
    const error = await failure(provider().complete(ask));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain(`cannot reach the router at ${router.url}`);
  });

  it(
    'gives up on a hanging router within timeoutMs, through the shared retry wrapper',
    async () => {
      router.reply('completions', { kind: 'hang' });
      const settings = { timeoutMs: 300, maxAttempts: 1 };
      const wrapped = withResilience(provider(settings), callPolicySchema.parse(settings));
      const started = Date.now();

      const error = await failure(wrapped.complete(ask));
      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    },
    hangLimitMs,
  );

  it(
    'cuts off a stream that stalls midway, keeping what was delivered',
    async () => {
      router.reply('completions', { kind: 'answer', text: 'Hel', pieces: ['Hel'], thenHang: true });
      const deltas: string[] = [];
      const started = Date.now();

      const error = await failure(
        provider({ timeoutMs: 300 }).complete(ask, { onDelta: (text) => deltas.push(text) }),
      );
      expect(error.kind).toBe('timeout');
      expect(deltas).toEqual(['Hel']);
      expect(Date.now() - started).toBeLessThan(2000);
    },
    hangLimitMs,
  );

  it(
    'holds delegate to timeoutMs too',
    async () => {
      router.reply('delegate', { kind: 'hang' });
      const started = Date.now();

      const error = await failure(provider({ timeoutMs: 300 }).delegate({ objective: 'wait forever' }));
      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    },
    hangLimitMs,
  );

  it('reports an abort by the caller as aborted', async () => {
    router.reply('validate', { kind: 'hang' });
    const controller = new AbortController();
    const call = provider().validate({ claim: 'x' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(call)).kind).toBe('aborted');
  });
});
