import { describe, expect, it } from 'vitest';
import {
  createProviders,
  isCortensorProvider,
  type Provider,
  providersConfigSchema,
} from '../../src/llm/index.js';
import { startCortensorEmulator } from '../emulators/cortensor.js';

/** Config's `$` + `{env:NAME}` reference syntax. */
const envRef = (name: string) => `\${env:${name}}`;

describe('providers config', () => {
  it('accepts each provider kind and fills in the call policy defaults', () => {
    const config = providersConfigSchema.parse({
      openai: { kind: 'openai', apiKey: envRef('OPENAI_API_KEY') },
      ollama: { kind: 'openai', baseURL: 'http://127.0.0.1:11434/v1', timeoutMs: 120_000 },
      claude: { kind: 'anthropic', apiKey: 'secret:anthropic' },
      demo: { kind: 'scripted', responses: [{ text: 'hi' }] },
      router: { kind: 'cortensor', apiKey: envRef('CORTENSOR_API_KEY'), sessionId: '12' },
      gguf: { kind: 'local', modelPath: '/models/qwen.gguf' },
    });
    expect(config.router).toMatchObject({
      baseUrl: 'http://127.0.0.1:5010',
      sessionId: 12,
      timeoutMs: 60_000,
    });
    expect(config.gguf).toMatchObject({ kind: 'local', timeoutMs: 600_000, maxAttempts: 1 });
    expect(config.ollama).toMatchObject({ kind: 'openai', timeoutMs: 120_000, maxAttempts: 3 });
    expect(config.claude).toMatchObject({ kind: 'anthropic', defaultMaxTokens: 4096 });
  });

  it('names the bad key: an unknown kind, a misspelled setting, a missing apiKey', () => {
    const problems = (input: unknown) =>
      providersConfigSchema
        .safeParse(input)
        .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems({ x: { kind: 'gemini' } })?.[0]).toMatch(/^x\.kind: /);
    expect(problems({ x: { kind: 'openai', timeout: 5 } })?.[0]).toMatch(/^x: .*"timeout"/);
    expect(problems({ x: { kind: 'anthropic' } })?.[0]).toMatch(/^x\.apiKey: /);
    expect(problems({ 'bad id!': { kind: 'scripted' } })?.[0]).toMatch(/^bad id!: Invalid key/);
    expect(problems({ x: { kind: 'local' } })?.[0]).toBe('x: set exactly one of modelPath and modelUri');
    expect(problems({ x: { kind: 'cortensor' } })?.[0]).toMatch(/^x\.sessionId: /);
  });

  it('builds every provider under its config id, resolving keys only when a call is made', async () => {
    const resolved: string[] = [];
    const providers = createProviders(
      providersConfigSchema.parse({
        demo: { kind: 'scripted', responses: [{ text: 'scripted hello' }] },
        claude: { kind: 'anthropic', apiKey: 'secret:missing' },
      }),
      {
        resolveSecret: (reference) => {
          resolved.push(reference);
          throw new Error('no such secret');
        },
      },
    );
    expect([...providers.keys()]).toEqual(['demo', 'claude']);
    expect(resolved).toEqual([]);
    const demo = providers.get('demo') as Provider;
    expect((await demo.complete({ model: 'any', messages: [{ role: 'user', content: 'hi' }] })).text).toBe(
      'scripted hello',
    );
    const claude = providers.get('claude') as Provider;
    await expect(
      claude.complete({ model: 'c', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({
      kind: 'auth',
      message: 'claude: cannot resolve apiKey "secret:missing": no such secret',
    });
  });

  it("keeps the Cortensor router's delegate, validate and factcheck and the local model's close", async () => {
    const router = await startCortensorEmulator();
    try {
      const providers = createProviders(
        providersConfigSchema.parse({
          router: { kind: 'cortensor', baseUrl: router.url, apiKey: 'secret:router', sessionId: 3 },
          gguf: { kind: 'local', modelPath: '/nowhere.gguf' },
        }),
        { resolveSecret: () => router.token },
      );
      const cortensor = providers.get('router') as Provider;
      if (!isCortensorProvider(cortensor)) throw new Error('the wrapped provider lost its router calls');
      router.reply('validate', { kind: 'json', body: { verdict: 'VALID', reasons: ['checked'], score: 1 } });
      expect(await cortensor.validate({ claim: 'water is wet' })).toMatchObject({ verdict: 'VALID' });
      expect(router.requests[0]?.path).toBe('/api/v2/validate');
      expect(isCortensorProvider(providers.get('gguf') as Provider)).toBe(false);
      expect(typeof providers.get('gguf')?.close).toBe('function');
    } finally {
      await router.close();
    }
  });

  it('says so when a key is configured but no secret resolver was given', async () => {
    const providers = createProviders(
      providersConfigSchema.parse({
        claude: { kind: 'anthropic', apiKey: envRef('ANTHROPIC_API_KEY'), maxAttempts: 1 },
      }),
    );
    await expect(
      (providers.get('claude') as Provider).complete({
        model: 'c',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('no secret resolver was given'),
    });
  });
});
