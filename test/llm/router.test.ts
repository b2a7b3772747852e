import { afterEach, describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import {
  createProviders,
  createScriptedProvider,
  type LlmError,
  ModelRouter,
  type Provider,
  providersConfigSchema,
} from '../../src/llm/index.js';
import { agentModelsSchema } from '../../src/registry/index.js';
import * as anthropic from '../emulators/anthropic.js';
import type { Emulator } from '../emulators/http-emulator.js';
import * as openai from '../emulators/openai.js';
import { useEventLog } from './event-log-sink.js';

const openLog = useEventLog();
const question = { messages: [{ role: 'user' as const, content: 'hello?' }] };

function providersOf(...providers: Provider[]): Map<string, Provider> {
  return new Map(providers.map((provider) => [provider.id, provider]));
}

const models = agentModelsSchema.parse({
  default: {
    provider: 'primary',
    model: 'big-1',
    fallbacks: [
      { provider: 'backup', model: 'mid-1' },
      { provider: 'last', model: 'small-1' },
    ],
  },
  fast: { provider: 'last', model: 'small-1' },
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('ModelRouter', () => {
  it('uses the tier asked for, and the default tier for a tier not configured', async () => {
    const primary = createScriptedProvider('primary', { responses: [{ text: 'from primary' }] });
    const last = createScriptedProvider('last', { responses: [{ text: 'quick' }] });
    const router = new ModelRouter({
      providers: providersOf(primary, createScriptedProvider('backup'), last),
      models,
    });
    expect(await router.complete('fast', question)).toMatchObject({
      text: 'quick',
      provider: 'last',
      model: 'small-1',
    });
    expect(await router.complete('strong', question)).toMatchObject({
      text: 'from primary',
      provider: 'primary',
    });
    expect(primary.requests[0]?.model).toBe('big-1');
  });

  it('falls back to the next model when one is unavailable or rejects the key', async () => {
    const primary = createScriptedProvider('primary', {
      responses: [{ error: { kind: 'unavailable', message: 'down' } }],
    });
    const backup = createScriptedProvider('backup', {
      responses: [{ error: { kind: 'auth', message: 'revoked' } }],
    });
    const last = createScriptedProvider('last', { responses: [{ text: 'saved' }] });
    const router = new ModelRouter({ providers: providersOf(primary, backup, last), models });
    expect(await router.complete('default', question)).toMatchObject({
      text: 'saved',
      provider: 'last',
      model: 'small-1',
    });
    expect(last.requests[0]?.model).toBe('small-1');
  });

  it('does not fall back on a bad request, an abort or a budget refusal', async () => {
    for (const kind of ['bad_request', 'aborted', 'budget'] as const) {
      const primary = createScriptedProvider('primary', { responses: [{ error: { kind, message: 'no' } }] });
      const backup = createScriptedProvider('backup', { responses: [{ text: 'should not be asked' }] });
      const router = new ModelRouter({
        providers: providersOf(primary, backup, createScriptedProvider('last')),
        models,
      });
      const error = await failure(router.complete('default', question));
      expect((error as LlmError).kind).toBe(kind);
      expect(backup.requests).toHaveLength(0);
    }
  });

  it('reports every failure when all models of a tier fail', async () => {
    const down = (id: string) =>
      createScriptedProvider(id, {
        responses: [{ error: { kind: 'unavailable', message: `${id} is down` } }],
      });
    const router = new ModelRouter({
      providers: providersOf(down('primary'), down('backup'), down('last')),
      models,
    });
    const error = (await failure(router.complete('default', question))) as LlmError;
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('every model for tier "default" failed');
    expect(error.message).toMatch(/primary is down.*backup is down.*last is down/);
  });

  it('refuses a models config naming a provider that does not exist', () => {
    expect(
      () => new ModelRouter({ providers: providersOf(createScriptedProvider('primary')), models }),
    ).toThrow(
      'models name providers that are not configured: models.fast → "last", models.default → "backup", models.default → "last"',
    );
  });

  it('records each attempt of a fallback and reuses the answer on resume', async () => {
    const { log, sessionId } = openLog();
    const step = { sessionId, turnId: 'turn-1', stepId: 'plan' };
    const primary = createScriptedProvider('primary', {
      responses: [{ error: { kind: 'timeout', message: 'slow' } }],
    });
    const backup = createScriptedProvider('backup', { responses: [{ text: 'the plan' }] });
    const router = new ModelRouter({
      providers: providersOf(primary, backup, createScriptedProvider('last')),
      models,
      sink: log,
    });
    expect(await router.complete('default', question, { step })).toMatchObject({
      text: 'the plan',
      reused: false,
    });
    expect(
      log
        .byTurn(sessionId, 'turn-1')
        .map((event) => [event.type, (event.payload as { provider: string }).provider]),
    ).toEqual([
      ['llm.requested', 'primary'],
      ['llm.responded', 'primary'],
      ['llm.requested', 'backup'],
      ['llm.responded', 'backup'],
    ]);

    const resumedPrimary = createScriptedProvider('primary');
    const resumed = new ModelRouter({
      providers: providersOf(
        resumedPrimary,
        createScriptedProvider('backup'),
        createScriptedProvider('last'),
      ),
      models,
      sink: log,
    });
    expect(await resumed.complete('default', question, { step })).toMatchObject({
      text: 'the plan',
      provider: 'backup',
      reused: true,
    });
    expect(resumedPrimary.requests).toHaveLength(0);
  });

  it('needs a step and an event log to enforce an agent budget', async () => {
    const budgeted = agentModelsSchema.parse({
      default: { provider: 'primary', model: 'm' },
      budget: { perTurn: { tokens: 10 } },
    });
    const router = new ModelRouter({
      providers: providersOf(createScriptedProvider('primary')),
      models: budgeted,
    });
    const error = await failure(router.complete('default', question));
    expect(error).toBeInstanceOf(PyclawError);
    expect((error as PyclawError).code).toBe('llm.budget_unmeasured');
  });
});

describe('ModelRouter over HTTP', () => {
  const emulators: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
  });

  it('falls back from an OpenAI-compatible server returning 503 to Anthropic', async () => {
    const local = await openai.startOpenAiEmulator();
    const cloud = await anthropic.startAnthropicEmulator();
    emulators.push(local, cloud);
    local.reply(openai.error(503, 'model is loading', { type: 'server_error' }));
    cloud.reply(anthropic.message({ content: [{ type: 'text', text: 'from the cloud' }] }));
    const providers = createProviders(
      providersConfigSchema.parse({
        ollama: { kind: 'openai', baseURL: `${local.url}/v1`, maxAttempts: 1 },
        claude: { kind: 'anthropic', baseURL: cloud.url, apiKey: 'k' },
      }),
      { resolveSecret: (value) => value },
    );
    const router = new ModelRouter({
      providers,
      models: agentModelsSchema.parse({
        default: {
          provider: 'ollama',
          model: 'llama3',
          fallbacks: [{ provider: 'claude', model: 'claude-test' }],
        },
      }),
    });
    expect(await router.complete('default', question)).toMatchObject({
      text: 'from the cloud',
      provider: 'claude',
    });
    expect(local.requests).toHaveLength(1);
  });
});
