import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectProviders, type ProviderDetection } from '../../src/runtime/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { startOllamaEmulator, tags } from '../emulators/ollama.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
let ollama: Emulator;
beforeEach(async () => {
  ollama = await startOllamaEmulator();
});
afterEach(() => ollama.close());

/** A URL where nothing listens: the emulator's, once closed. */
async function deadUrl(): Promise<string> {
  const server = await startOllamaEmulator();
  await server.close();
  return server.url;
}

/** Config's `$` + `{env:NAME}` reference syntax. */
const envRef = (name: string) => `\${env:${name}}`;
const option = (detection: ProviderDetection, id: string) => detection.found.find((found) => found.id === id);

describe('provider detection', () => {
  it('finds API keys, an Ollama server with its models and GGUF files, and says how each would be set up', async () => {
    const models = tempDir();
    writeFileSync(join(models, 'qwen2.5-0.5b.gguf'), 'not really a model');
    writeFileSync(join(models, 'notes.txt'), '');
    ollama.reply(tags('llama3.1:8b', 'qwen2.5:0.5b'));
    const detection = await detectProviders({
      env: {
        OPENAI_API_KEY: 'sk-openai-value',
        ANTHROPIC_API_KEY: 'sk-ant-value',
        CORTENSOR_API_KEY: 'ctsr-value',
        CORTENSOR_ROUTER_URL: 'http://10.0.0.5:5010',
        CORTENSOR_SESSION_ID: '7',
      },
      modelsDirectory: models,
      ollamaUrl: ollama.url,
    });
    expect(detection.notFound).toEqual([]);
    expect(detection.found.map((found) => found.id)).toEqual([
      'openai',
      'anthropic',
      'cortensor',
      'ollama',
      'gguf',
      'demo',
    ]);
    expect(option(detection, 'openai')?.setup).toEqual({
      provider: { kind: 'openai', apiKey: envRef('OPENAI_API_KEY') },
      model: 'gpt-4.1-mini',
    });
    expect(option(detection, 'anthropic')?.setup).toEqual({
      provider: { kind: 'anthropic', apiKey: envRef('ANTHROPIC_API_KEY') },
      model: 'claude-sonnet-4-5',
    });
    expect(option(detection, 'cortensor')?.setup).toEqual({
      provider: {
        kind: 'cortensor',
        baseUrl: 'http://10.0.0.5:5010',
        apiKey: envRef('CORTENSOR_API_KEY'),
        sessionId: 7,
      },
      model: 'cortensor',
    });
    expect(option(detection, 'ollama')).toEqual({
      id: 'ollama',
      explanation: expect.stringContaining('llama3.1:8b, qwen2.5:0.5b'),
      setup: { provider: { kind: 'openai', baseURL: `${ollama.url}/v1` }, model: 'llama3.1:8b' },
    });
    expect(option(detection, 'gguf')?.setup).toEqual({
      provider: { kind: 'local', modelPath: join(models, 'qwen2.5-0.5b.gguf') },
      model: 'qwen2.5-0.5b',
    });
    for (const found of detection.found) expect(found.explanation).not.toMatch(/\n|value/);
    expect(ollama.requests).toMatchObject([{ method: 'GET', path: '/api/tags' }]);
  });

  it('names everything it looked for and did not find', async () => {
    const detection = await detectProviders({
      env: { OPENAI_API_KEY: '' },
      modelsDirectory: join(tempDir(), 'missing'),
      ollamaUrl: await deadUrl(),
    });
    expect(detection.found.map((found) => found.id)).toEqual(['demo']);
    expect(detection.notFound).toEqual([
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'CORTENSOR_API_KEY',
      expect.stringMatching(/^an Ollama server at http:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^\*\.gguf files in .*missing$/),
    ]);
  });

  it('gives up on an Ollama port that accepts but never answers, after about half a second', async () => {
    ollama.reply({ type: 'hang' });
    const started = performance.now();
    const detection = await detectProviders({ env: {}, modelsDirectory: tempDir(), ollamaUrl: ollama.url });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(detection.notFound).toContain(`an Ollama server at ${ollama.url}`);
  });

  it('reads OLLAMA_HOST as Ollama does: host:port without a scheme, 0.0.0.0 meaning this machine', async () => {
    const port = new URL(ollama.url).port;
    ollama.reply(tags('llama3.1'), tags('llama3.1'));
    for (const host of [`127.0.0.1:${port}`, `0.0.0.0:${port}`]) {
      const detection = await detectProviders({ env: { OLLAMA_HOST: host }, modelsDirectory: tempDir() });
      expect(option(detection, 'ollama')?.setup).toMatchObject({
        provider: { baseURL: `http://127.0.0.1:${port}/v1` },
      });
    }
  });

  it('lists what it found but cannot use yet, with the reason', async () => {
    ollama.reply(tags());
    const models = tempDir();
    mkdirSync(models, { recursive: true });
    const detection = await detectProviders({
      env: { CORTENSOR_API_KEY: 'ctsr-value' },
      modelsDirectory: models,
      ollamaUrl: ollama.url,
    });
    expect(option(detection, 'ollama')?.setup).toEqual({
      blocked: 'it has no models yet: run `ollama pull llama3.1`',
    });
    expect(option(detection, 'cortensor')?.setup).toEqual({
      blocked: 'set CORTENSOR_SESSION_ID to the number of the Cortensor session to use',
    });
  });
});
