import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/core/index.js';
import { createScriptedProvider, LlmError, recordedComplete } from '../../src/llm/index.js';
import { useEventLog } from './event-log-sink.js';

const openLog = useEventLog();
const request = { model: 'script-1', messages: [{ role: 'user' as const, content: 'What is 2+2?' }] };

describe('recorded model calls', () => {
  it('writes llm.requested before and llm.responded after, with usage, cost and latency', async () => {
    const { log, sessionId } = openLog();
    const provider = createScriptedProvider('demo', {
      responses: [{ text: '4', usage: { inputTokens: 10, outputTokens: 1 } }],
      pricing: { 'script-1': { inputPerMillion: 1_000_000, outputPerMillion: 0 } },
    });
    const step = { sessionId, turnId: 'turn-1', stepId: 'step-1', packHash: 'sha256:abc' };
    const result = await recordedComplete({ sink: log, step, provider, request });
    expect(result).toMatchObject({ provider: 'demo', reused: false, response: { text: '4', costUsd: 10 } });

    const events = log.byTurn(sessionId, 'turn-1');
    expect(events.map((event) => [event.type, event.stepId])).toEqual([
      ['llm.requested', 'step-1'],
      ['llm.responded', 'step-1'],
    ]);
    expect(events[0]?.payload).toMatchObject({
      provider: 'demo',
      model: 'script-1',
      packHash: 'sha256:abc',
      params: { messages: 1 },
    });
    expect(events[1]?.payload).toMatchObject({
      text: '4',
      toolCalls: [],
      usage: { inputTokens: 10, outputTokens: 1 },
      costUsd: 10,
      latencyMs: expect.any(Number),
    });
    expect(log.verify(sessionId).ok).toBe(true);
  });

  it('answers a step from the log on resume, without calling the model again', async () => {
    const { log, sessionId } = openLog();
    const step = { sessionId, turnId: 'turn-1', stepId: 'step-1' };
    const first = createScriptedProvider('demo', {
      responses: [{ toolCalls: [{ id: 'c1', name: 'fs.read', arguments: { path: '/x' } }] }],
    });
    await recordedComplete({ sink: log, step, provider: first, request });

    const afterRestart = createScriptedProvider('demo', { responses: [] });
    const again = await recordedComplete({ sink: log, step, provider: afterRestart, request });
    expect(again.reused).toBe(true);
    expect(again.response.toolCalls).toEqual([{ id: 'c1', name: 'fs.read', arguments: { path: '/x' } }]);
    expect(afterRestart.requests).toHaveLength(0);
    expect(log.byTurn(sessionId, 'turn-1')).toHaveLength(2);

    const otherStep = createScriptedProvider('demo', { responses: [{ text: 'fresh' }] });
    const next = await recordedComplete({
      sink: log,
      step: { ...step, stepId: 'step-2' },
      provider: otherStep,
      request,
    });
    expect(next).toMatchObject({ reused: false, response: { text: 'fresh' } });
  });

  it('records a failure as llm.responded with the error, and does not reuse it', async () => {
    const { log, sessionId } = openLog();
    const step = { sessionId, turnId: 'turn-1', stepId: 'step-1' };
    const failing = createScriptedProvider('demo', {
      responses: [{ error: { kind: 'auth', message: 'bad key' } }],
    });
    await expect(recordedComplete({ sink: log, step, provider: failing, request })).rejects.toThrow(
      'bad key',
    );
    expect(log.byTurn(sessionId, 'turn-1')[1]?.payload).toMatchObject({
      error: 'demo: bad key',
      errorKind: 'auth',
    });

    const fixed = createScriptedProvider('demo', { responses: [{ text: 'ok now' }] });
    const retried = await recordedComplete({ sink: log, step, provider: fixed, request });
    expect(retried).toMatchObject({ reused: false, response: { text: 'ok now' } });
  });

  it('refuses a call over the per-turn budget before calling the model, leaving an error event', async () => {
    const { log, sessionId } = openLog();
    const step = { sessionId, turnId: 'turn-1', stepId: 'step-1' };
    const budget = { budget: { perTurn: { tokens: 100 } } };
    const provider = createScriptedProvider('demo', {
      responses: [
        { text: 'long answer', usage: { inputTokens: 80, outputTokens: 30 } },
        { text: 'never sent' },
      ],
    });
    await recordedComplete({ sink: log, step, provider, request, budget });
    const refused = await recordedComplete({
      sink: log,
      step: { ...step, stepId: 'step-2' },
      provider,
      request,
      budget,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(LlmError);
    expect((refused as LlmError).kind).toBe('budget');
    expect((refused as LlmError).message).toContain('per-turn token budget of 100 reached (110 used)');
    expect(provider.requests).toHaveLength(1);
    const last = log.byTurn(sessionId, 'turn-1').at(-1);
    expect(last?.type).toBe('llm.responded');
    expect(last?.payload).toMatchObject({
      errorKind: 'budget',
      error: expect.stringContaining('per-turn token budget'),
    });

    // Another turn starts with a fresh per-turn allowance.
    const nextTurn = await recordedComplete({
      sink: log,
      step: { ...step, turnId: 'turn-2' },
      provider,
      request,
      budget,
    });
    expect(nextTurn.response.text).toBe('never sent');
  });

  it('refuses a call over the per-day cost budget using the spending the caller reports', async () => {
    const { log, sessionId } = openLog();
    const provider = createScriptedProvider('demo', { responses: [{ text: 'x' }] });
    const step = { sessionId, turnId: 'turn-9', stepId: 'step-1' };
    const budget = { budget: { perDay: { costUsd: 1 } }, spentToday: () => ({ tokens: 0, costUsd: 1.25 }) };
    await expect(recordedComplete({ sink: log, step, provider, request, budget })).rejects.toThrow(
      'per-day cost budget of $1 reached ($1.2500 used)',
    );
    expect(provider.requests).toHaveLength(0);
  });

  it('commits what comes with the request in its commit, and leaves a deferred answer to the caller', async () => {
    const { log, sessionId } = openLog();
    const provider = createScriptedProvider('demo', { responses: [{ text: '4' }] });
    const committed: number[] = [];
    log.subscribe(sessionId, (event) => committed.push(event.seq));
    let recordAnswer: (() => StoredEvent) | undefined;
    const deferAnswer = (record: () => StoredEvent) => {
      recordAnswer = record;
    };
    const step = {
      sessionId,
      turnId: 'turn-1',
      stepId: 'step-1',
      withRequest: () => {
        log.append(sessionId, {
          type: 'turn.phase',
          actor: 'runtime',
          turnId: 'turn-1',
          payload: { phase: 'plan' },
        });
        // nothing of the commit is told to subscribers until the request is appended with it
        expect(committed).toEqual([]);
      },
      deferAnswer,
    };
    const result = await recordedComplete({ sink: log, step, provider, request });
    expect(result.response.text).toBe('4');
    expect(log.byTurn(sessionId, 'turn-1').map((event) => event.type)).toEqual([
      'turn.phase',
      'llm.requested',
    ]);

    expect(recordAnswer?.()).toMatchObject({ seq: 3, type: 'llm.responded', payload: { text: '4' } });
    expect(committed).toEqual([1, 2, 3]);

    // a failed call is recorded at once, whoever would take its answer
    const failing = createScriptedProvider('demo', {
      responses: [{ error: { kind: 'auth', message: 'bad key' } }],
    });
    recordAnswer = undefined;
    await expect(
      recordedComplete({
        sink: log,
        step: { sessionId, turnId: 'turn-1', stepId: 'step-2', deferAnswer },
        provider: failing,
        request,
      }),
    ).rejects.toThrow('bad key');
    expect(recordAnswer).toBeUndefined();
    expect(log.byTurn(sessionId, 'turn-1').at(-1)).toMatchObject({
      type: 'llm.responded',
      payload: { errorKind: 'auth' },
    });
    expect(log.verify(sessionId).ok).toBe(true);
  });
});
