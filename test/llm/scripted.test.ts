import { describe, expect, it } from 'vitest';
import { createScriptedProvider } from '../../src/llm/index.js';

const ask = { model: 'demo-model', messages: [{ role: 'user' as const, content: 'go' }] };

describe('scripted provider', () => {
  it('replays text and tool calls in order, streaming the text once', async () => {
    const provider = createScriptedProvider('demo', {
      responses: [{ toolCalls: [{ name: 'fs.read', arguments: { path: '/a' } }] }, { text: 'done' }],
    });
    const first = await provider.complete(ask);
    expect(first).toMatchObject({
      text: '',
      toolCalls: [{ name: 'fs.read', arguments: { path: '/a' } }],
      finishReason: 'tool_calls',
      model: 'demo-model',
    });
    const deltas: string[] = [];
    const second = await provider.complete(ask, { onDelta: (text) => deltas.push(text) });
    expect(second).toMatchObject({ text: 'done', toolCalls: [], finishReason: 'stop' });
    expect(deltas).toEqual(['done']);
    expect(provider.requests).toHaveLength(2);
  });

  it('plays the script from its start in every turn when perTurn, however turns interleave', async () => {
    const provider = createScriptedProvider('demo', {
      perTurn: true,
      repeat: true,
      responses: [{ toolCalls: [{ name: 'fs.list' }] }, { text: 'listed' }],
    });
    const afterTool = {
      model: 'demo-model',
      messages: [
        { role: 'user' as const, content: 'go' },
        {
          role: 'assistant' as const,
          content: '',
          toolCalls: [{ id: 'c1', name: 'fs.list', arguments: {} }],
        },
        { role: 'tool' as const, toolCallId: 'c1', content: 'a.txt' },
      ],
    };
    const answers = await Promise.all([ask, ask, afterTool, ask, afterTool].map((r) => provider.complete(r)));
    expect(answers.map((a) => a.text || a.toolCalls[0]?.name)).toEqual([
      'fs.list',
      'fs.list',
      'listed',
      'fs.list',
      'listed',
    ]);
  });

  it('starts over after the last response when told to repeat', async () => {
    const provider = createScriptedProvider('demo', {
      repeat: true,
      responses: [{ text: 'a' }, { text: 'b' }],
    });
    const texts = [];
    for (let i = 0; i < 5; i++) texts.push((await provider.complete(ask)).text);
    expect(texts).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('takes more responses from code and fails clearly when it runs out', async () => {
    const provider = createScriptedProvider('demo');
    provider.push({ text: 'one' });
    expect((await provider.complete(ask)).text).toBe('one');
    await expect(provider.complete(ask)).rejects.toMatchObject({
      kind: 'bad_request',
      message: 'demo: scripted provider ran out of responses after 1',
    });
  });

  it('fails with the scripted error kind', async () => {
    const provider = createScriptedProvider('demo', {
      responses: [{ error: { kind: 'rate_limit', message: 'slow down' } }],
    });
    await expect(provider.complete(ask)).rejects.toMatchObject({ kind: 'rate_limit', retryable: true });
  });
});
