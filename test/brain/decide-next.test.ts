import { describe, expect, it } from 'vitest';
import { checkTurn, decideNext } from '../../src/brain/index.js';
import { turnLimitsSchema } from '../../src/registry/index.js';
import { thrown } from './thrown.js';
import { TurnDriver } from './turn-driver.js';
import { TurnLog } from './turn-log.js';

const readBoth = {
  toolCalls: [
    { name: 'fs.read', arguments: { path: '/a' } },
    { name: 'fs.read', arguments: { path: '/b' } },
  ],
};
const tools = { 'fs.read': { idempotent: true } };

describe('decideNext through a whole turn', () => {
  it('plans two tool calls, gates and runs them, then answers, skipping verify and reflect with reasons', () => {
    const driver = new TurnDriver({ replies: [readBoth, { text: 'Both say hi.' }], tools });
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    expect(driver.labels()).toEqual([
      'enter interpret',
      'enter plan',
      'call-model plan-1',
      'enter policy-gate',
      'request plan-1.0 fs.read',
      'request plan-1.1 fs.read',
      'gate plan-1.0',
      'gate plan-1.1',
      'enter act',
      'run plan-1.0',
      'run plan-1.1',
      'enter observe',
      'enter plan',
      'call-model plan-2',
      'enter verify (skipped: verification is off for this agent)',
      'enter reflect (skipped: reflection is off for this agent)',
      'enter respond',
      'respond: Both say hi.',
      'done completed',
    ]);
    expect(driver.steps[1]).toEqual({ kind: 'enter-phase', phase: 'plan', from: 'interpret' });
    expect(driver.steps[4]).toEqual({
      kind: 'request-tool',
      planned: {
        callId: 'plan-1.0',
        stepId: 'plan-1',
        call: { id: 'model-call-1-0', name: 'fs.read', arguments: { path: '/a' } },
      },
    });
    expect(checkTurn(driver.log.events)).toBeUndefined();
  });

  it('calls the model again for a step whose only response is a failed attempt', () => {
    const driver = new TurnDriver({ replies: [{ error: 'provider down' }, { text: 'Hello.' }] });
    driver.run();
    expect(driver.labels().filter((line) => line.startsWith('call-model'))).toEqual([
      'call-model plan-1',
      'call-model plan-1',
    ]);
    expect(driver.labels().at(-2)).toBe('respond: Hello.');
  });

  it('is done once the turn has failed, whatever phase it was in', () => {
    const driver = new TurnDriver({ replies: [] });
    driver.log.append('turn.phase', { phase: 'interpret' });
    driver.log.append('turn.phase', { phase: 'plan', from: 'interpret' });
    driver.log.append('turn.failed', { error: 'provider down', code: 'llm.unavailable' });
    expect(driver.decide()).toEqual({ kind: 'done', outcome: 'failed' });
  });

  it('refuses a call to a tool the agent does not have, and the model sees why', () => {
    const driver = new TurnDriver({
      replies: [{ toolCalls: [{ name: 'ssh.exec', arguments: { command: 'ls' } }] }, { text: 'Cannot.' }],
    });
    driver.run();
    expect(driver.labels()).toContain('refuse plan-1.0: tool ssh.exec is not available to this agent');
    expect(driver.labels().at(-1)).toBe('done completed');
  });

  it('verifies the answer when enabled: a failed verdict plans again, a pass goes on to reflect', () => {
    const driver = new TurnDriver({
      replies: [{ text: 'First try.' }, { text: 'Second try.' }],
      verdicts: [
        { verdict: 'fail', reason: 'it cites no file' },
        { verdict: 'pass', reason: 'grounded' },
      ],
      verify: true,
      reflect: true,
    });
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    expect(driver.labels()).toEqual([
      'enter interpret',
      'enter plan',
      'call-model plan-1',
      'enter verify',
      'verify verify-1: First try.',
      'enter plan',
      'call-model plan-2',
      'enter verify',
      'verify verify-2: Second try.',
      'enter reflect',
      'reflect reflect: Second try.',
      'enter respond',
      'respond: Second try.',
      'done completed',
    ]);
    expect(checkTurn(driver.log.events)).toBeUndefined();
  });

  it('lets the last verdict of a verify phase decide', () => {
    const driver = new TurnDriver({
      replies: [{ text: 'Answer.' }],
      verdicts: [{ verdict: 'pass', reason: 'fine' }],
      verify: true,
    });
    driver.log.append('turn.phase', { phase: 'interpret' });
    driver.log.append('turn.phase', { phase: 'plan', from: 'interpret' });
    driver.log.append('llm.responded', { text: 'Answer.' }, 'plan-1');
    driver.log.append('turn.phase', { phase: 'verify', from: 'plan' });
    driver.log.append('verify.verdict', { verdict: 'fail', judge: 'a', reason: 'vague' });
    driver.log.append('verify.verdict', { verdict: 'pass', judge: 'panel', reason: 'majority passed' });
    expect(driver.decide()).toMatchObject({ kind: 'enter-phase', phase: 'reflect', from: 'verify' });
  });

  it('finishes reflection once the reflect step has any recorded model response, even an error', () => {
    const driver = new TurnDriver({ replies: [], reflect: true });
    driver.log.append('turn.phase', { phase: 'interpret' });
    driver.log.append('turn.phase', { phase: 'plan', from: 'interpret' });
    driver.log.append('llm.responded', { text: 'Answer.' }, 'plan-1');
    driver.log.append('turn.phase', { phase: 'verify', from: 'plan', skipped: true, reason: 'off' });
    driver.log.append('turn.phase', { phase: 'reflect', from: 'verify' });
    expect(driver.decide()).toEqual({ kind: 'reflect', stepId: 'reflect', answer: 'Answer.' });
    driver.log.append('llm.responded', { error: 'timeout' }, 'reflect');
    expect(driver.decide()).toEqual({ kind: 'enter-phase', phase: 'respond', from: 'reflect' });
  });

  it('rejects a log it cannot read, with the event at fault', () => {
    const decide = (log: TurnLog) =>
      decideNext({
        events: log.events,
        limits: turnLimitsSchema.parse({}),
        now: log.now,
        tool: () => undefined,
        verify: false,
        reflect: false,
      });
    const empty = new TurnLog();
    empty.append('user.message', { text: 'hi' });
    expect(thrown(() => decide(empty))).toMatchObject({ code: 'brain.no-turn-start' });

    const broken = new TurnLog();
    broken.append('turn.started', { agentId: 'main' });
    const phase = broken.append('turn.phase', { phase: 'interpret' });
    broken.events[1] = { ...phase, payload: { from: 'plan' } };
    expect(thrown(() => decide(broken))).toMatchObject({
      code: 'event.bad-payload',
      message: expect.stringMatching(/^event #2 \(turn\.phase\) does not fit its schema/),
    });
  });
});
