import { describe, expect, it } from 'vitest';
import { detectLoop } from '../../src/metagovernor/index.js';
import { type ModelReply, TurnDriver } from './turn-driver.js';

const read = (path: string): ModelReply => ({ toolCalls: [{ name: 'fs.read', arguments: { path } }] });
const tools = { 'fs.read': { idempotent: true } };

function modelCallsOf(driver: TurnDriver): (string | null)[] {
  return driver.log.events.filter((event) => event.type === 'llm.requested').map((event) => event.stepId);
}

describe('turn limits', () => {
  it('fails with limit.steps instead of calling the model past maxSteps', () => {
    const driver = new TurnDriver({ replies: [read('/a'), read('/b')], tools, limits: { maxSteps: 2 } });
    driver.run();
    expect(driver.labels().slice(-3)).toEqual([
      'enter plan',
      'fail limit.steps: the turn used its 2 model steps (maxSteps) without an answer',
      'done failed',
    ]);
    expect(modelCallsOf(driver)).toEqual(['plan-1', 'plan-2']);
  });

  it('fails with limit.tool-calls before requesting a call past maxToolCalls', () => {
    const three = {
      toolCalls: ['/a', '/b', '/c'].map((path) => ({ name: 'fs.read', arguments: { path } })),
    };
    const driver = new TurnDriver({ replies: [three], tools, limits: { maxToolCalls: 2 } });
    driver.run();
    expect(driver.labels().slice(-4)).toEqual([
      'request plan-1.0 fs.read',
      'request plan-1.1 fs.read',
      'fail limit.tool-calls: the turn would make tool call 3, over its limit of 2 (maxToolCalls)',
      'done failed',
    ]);
  });

  it('fails with limit.wall-time when the turn has run too long to call the model again', () => {
    const driver = new TurnDriver({
      replies: [read('/a'), { text: 'late' }],
      tools,
      limits: { maxWallTimeMs: 9_000 },
      stepMs: 1_000,
    });
    driver.run();
    expect(driver.labels().slice(-3)).toEqual([
      'enter plan',
      'fail limit.wall-time: the turn has run for 11000 ms, over its limit of 9000 ms (maxWallTimeMs)',
      'done failed',
    ]);
    expect(modelCallsOf(driver)).toEqual(['plan-1']);
  });

  it('still uses a recorded answer after a limit has passed, as a resumed turn must', () => {
    const driver = new TurnDriver({ replies: [], limits: { maxWallTimeMs: 1_000 }, stepMs: 5_000 });
    driver.log.append('turn.phase', { phase: 'interpret' });
    driver.log.append('turn.phase', { phase: 'plan', from: 'interpret' });
    driver.log.append('llm.responded', { text: 'Answer.' }, 'plan-1');
    expect(driver.decide()).toMatchObject({ kind: 'enter-phase', phase: 'verify' });
  });
});

describe('loop detection', () => {
  it('stops a turn that repeats the same call with the same arguments, in any key order', () => {
    const same = (a: unknown, b: unknown): ModelReply => ({
      toolCalls: [{ name: 'http.get', arguments: { a, b } }],
    });
    const reordered: ModelReply = { toolCalls: [{ name: 'http.get', arguments: { b: 2, a: 1 } }] };
    let fetches = 0;
    const driver = new TurnDriver({
      replies: [same(1, 2), reordered, same(1, 2), { text: 'never asked' }],
      tools: { 'http.get': { run: () => ({ preview: `page version ${++fetches}` }) } },
    });
    driver.run();
    expect(driver.labels().slice(-2)).toEqual([
      'fail loop.repeated-action: the model called http.get {"a":1,"b":2} 3 times in a row',
      'done failed',
    ]);
    expect(modelCallsOf(driver)).toEqual(['plan-1', 'plan-2', 'plan-3']);
  });

  it('stops a turn whose tool calls keep failing with the same error', () => {
    const driver = new TurnDriver({
      replies: [read('/a'), read('/b'), read('/c'), { text: 'never asked' }],
      tools: { 'fs.read': { run: () => ({ preview: 'EACCES: permission denied\nat open', isError: true }) } },
      limits: { maxRepeats: 3 },
    });
    driver.run();
    expect(driver.labels().at(-2)).toBe(
      'fail loop.repeated-error: the last 3 tool calls failed with the same error: EACCES: permission denied',
    );
  });

  it('looks only at the last maxRepeats calls and results', () => {
    const call = { tool: 'fs.read', input: { path: '/a' } };
    const error = { isError: true, preview: 'ENOENT' };
    const other = { tool: 'fs.read', input: { path: '/b' } };
    expect(detectLoop({ calls: [call, call], results: [error, error] }, 3)).toBeUndefined();
    expect(detectLoop({ calls: [call, other, call], results: [] }, 3)).toBeUndefined();
    expect(detectLoop({ calls: [other, call, call, call], results: [] }, 3)?.code).toBe(
      'loop.repeated-action',
    );
    const results = [error, { isError: false, preview: 'ENOENT' }, error];
    expect(detectLoop({ calls: [], results }, 3)).toBeUndefined();
    expect(detectLoop({ calls: [], results: [error, error] }, 2)?.code).toBe('loop.repeated-error');
  });
});
