import { describe, expect, it } from 'vitest';
import { turnConversation } from '../../src/brain/index.js';
import { TurnDriver } from './turn-driver.js';

describe('turnConversation', () => {
  it('replays the turn for the model: input, its own tool calls by its ids, results, and a failed verdict', () => {
    const driver = new TurnDriver({
      replies: [
        {
          text: 'Reading both.',
          toolCalls: [
            { name: 'fs.read', arguments: { path: '/a' } },
            { name: 'fs.read', arguments: { path: '/missing' } },
          ],
        },
        { text: 'A says hi.' },
        { text: 'never asked' },
      ],
      tools: {
        'fs.read': {
          run: (input) =>
            input.path === '/a' ? { preview: 'hi' } : { preview: 'ENOENT: /missing', isError: true },
        },
      },
      verify: true,
      verdicts: [{ verdict: 'fail', reason: 'it ignores /missing' }],
    });
    expect(driver.run((step) => step.kind === 'call-model' && step.stepId === 'plan-3')).toEqual({
      kind: 'call-model',
      stepId: 'plan-3',
    });

    expect(turnConversation(driver.log.turnEvents())).toEqual([
      { role: 'user', content: 'Read /a and /b' },
      {
        role: 'assistant',
        content: 'Reading both.',
        toolCalls: [
          { id: 'model-call-1-0', name: 'fs.read', arguments: { path: '/a' } },
          { id: 'model-call-1-1', name: 'fs.read', arguments: { path: '/missing' } },
        ],
      },
      { role: 'tool', toolCallId: 'model-call-1-0', content: 'hi', isError: false },
      { role: 'tool', toolCallId: 'model-call-1-1', content: 'ENOENT: /missing', isError: true },
      { role: 'assistant', content: 'A says hi.' },
      { role: 'user', content: 'Verification failed: it ignores /missing. Revise your answer.' },
    ]);
  });

  it('is just the input before the first answer', () => {
    const driver = new TurnDriver({ replies: [] });
    expect(turnConversation(driver.log.turnEvents())).toEqual([{ role: 'user', content: 'Read /a and /b' }]);
  });
});
