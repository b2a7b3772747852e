import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviders, type Provider, providersConfigSchema, testProvider } from '../../src/llm/index.js';
import { type Emulator, jsonBody } from '../emulators/http-emulator.js';
import { completion, error, startOpenAiEmulator } from '../emulators/openai.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

function provider(): Provider {
  const config = providersConfigSchema.parse({
    local: { kind: 'openai', baseURL: `${emulator.url}/v1`, maxAttempts: 1 },
  });
  return createProviders(config).get('local') as Provider;
}

describe('testProvider (pyclaw llm test)', () => {
  it('sends one tiny request and reports latency, model and text', async () => {
    emulator.reply(completion({ text: 'ok', model: 'llama3:8b' }));
    const result = await testProvider(provider(), 'llama3');
    expect(result).toMatchObject({ ok: true, model: 'llama3:8b', text: 'ok', latencyMs: expect.any(Number) });
    expect(jsonBody(emulator)).toMatchObject({ model: 'llama3', max_tokens: 16 });
  });

  it('reports the exact error and its kind', async () => {
    emulator.reply(error(401, 'Incorrect API key provided'));
    expect(await testProvider(provider(), 'gpt-4o')).toEqual({
      ok: false,
      kind: 'auth',
      message: 'local: 401 Incorrect API key provided',
    });
  });
});
