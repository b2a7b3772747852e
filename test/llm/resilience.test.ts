import { describe, expect, it } from 'vitest';
import {
  type CompletionResponse,
  callPolicySchema,
  LlmError,
  type Provider,
  withResilience,
} from '../../src/llm/index.js';

const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
const answer: CompletionResponse = {
  text: 'ok',
  toolCalls: [],
  usage: { inputTokens: 1, outputTokens: 1 },
  costUsd: 0,
  model: 'm',
  finishReason: 'stop',
};

/** A provider whose attempts follow a script of outcomes. */
function flaky(outcomes: (LlmError | 'ok' | 'ignore-signal')[]): Provider & { calls: number } {
  const provider = {
    id: 'flaky',
    calls: 0,
    complete: async () => {
      const outcome = outcomes[provider.calls++];
      if (outcome === 'ok') return answer;
      if (outcome === 'ignore-signal') return new Promise<CompletionResponse>(() => {});
      throw outcome ?? new Error('script exhausted');
    },
  };
  return provider;
}

describe('withResilience', () => {
  it('backs off exponentially with jitter between retries', async () => {
    const waits: number[] = [];
    const provider = flaky([
      new LlmError('unavailable', 'flaky', '503'),
      new LlmError('unavailable', 'flaky', '503'),
      new LlmError('timeout', 'flaky', 'slow'),
      'ok',
    ]);
    const policy = callPolicySchema.parse({ maxAttempts: 4, initialDelayMs: 100 });
    const resilient = withResilience(provider, policy, {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });
    expect((await resilient.complete(ask)).text).toBe('ok');
    expect(waits).toEqual([75, 150, 300]);
  });

  it('gives up at once when Retry-After asks for longer than maxDelayMs', async () => {
    const provider = flaky([new LlmError('rate_limit', 'flaky', '429', { retryAfterSeconds: 120 }), 'ok']);
    const resilient = withResilience(provider, callPolicySchema.parse({ maxDelayMs: 10_000 }));
    await expect(resilient.complete(ask)).rejects.toMatchObject({ kind: 'rate_limit' });
    expect(provider.calls).toBe(1);
  });

  it('ends a call on time even when the provider ignores its abort signal', async () => {
    const provider = flaky(['ignore-signal']);
    const resilient = withResilience(provider, callPolicySchema.parse({ timeoutMs: 100, maxAttempts: 1 }));
    const started = Date.now();
    await expect(resilient.complete(ask)).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops waiting between attempts when the caller aborts', async () => {
    const provider = flaky([new LlmError('unavailable', 'flaky', '503'), 'ok']);
    const resilient = withResilience(
      provider,
      callPolicySchema.parse({ initialDelayMs: 10_000, maxDelayMs: 10_000 }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(resilient.complete(ask, { signal: controller.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(provider.calls).toBe(1);
  });

  it('does not retry errors that would fail again', async () => {
    const provider = flaky([new LlmError('context_length', 'flaky', 'too long'), 'ok']);
    await expect(withResilience(provider, callPolicySchema.parse({})).complete(ask)).rejects.toMatchObject({
      kind: 'context_length',
    });
    expect(provider.calls).toBe(1);
  });
});
