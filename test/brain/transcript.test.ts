import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../../src/brain/index.js';
import { TurnDriver } from './turn-driver.js';

function twoTurnSession() {
  const first = new TurnDriver({
    replies: [
      {
        toolCalls: [
          { name: 'fs.read', arguments: { path: '/a' } },
          { name: 'fs.read', arguments: { path: '/missing' } },
        ],
      },
      { text: 'A says hi.\nB is missing.' },
    ],
    tools: {
      'fs.read': {
        run: (input) =>
          input.path === '/a' ? { preview: 'hi\nthere' } : { preview: 'ENOENT: /missing', isError: true },
      },
    },
  });
  first.run();
  const log = first.log;
  log.turnId = 'turn-2';
  const second = new TurnDriver(
    {
      replies: [{ toolCalls: [{ name: 'fs.read', arguments: { path: '/x' } }] }],
      tools: { 'fs.read': {} },
      limits: { maxSteps: 1 },
    },
    log,
    'Keep going',
  );
  second.run();
  return log.events;
}

describe('renderTranscript', () => {
  it("renders each turn's input, tool calls with their results, and the answer or the failure", () => {
    expect(renderTranscript(twoTurnSession())).toBe(
      [
        'user: Read /a and /b',
        '→ fs.read {"path":"/a"}',
        '← ok: hi',
        '→ fs.read {"path":"/missing"}',
        '← error: ENOENT: /missing',
        'assistant: A says hi.',
        '  B is missing.',
        '',
        'user: Keep going',
        '→ fs.read {"path":"/x"}',
        '← ok: read /x',
        'failed [limit.steps]: the turn used its 1 model steps (maxSteps) without an answer',
        '',
      ].join('\n'),
    );
  });

  it('gives the same bytes for the same events, in any order', () => {
    const events = twoTurnSession();
    const expected = renderTranscript(events);
    expect(renderTranscript(twoTurnSession())).toBe(expected);
    expect(renderTranscript([...events].reverse())).toBe(expected);
  });

  it('renders nothing for a session without turns', () => {
    expect(renderTranscript([])).toBe('');
  });
});
