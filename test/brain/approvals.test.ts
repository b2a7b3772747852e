import { describe, expect, it } from 'vitest';
import { TurnDriver } from './turn-driver.js';

const ls = { name: 'shell.exec', arguments: { command: 'ls' } };
const runLs = { toolCalls: [ls] };

describe('policy decisions in a turn', () => {
  it('refuses a denied call without running it, and the turn goes on to answer', () => {
    const driver = new TurnDriver({
      replies: [runLs, { text: 'I may not run commands.' }],
      tools: { 'shell.exec': {} },
      policy: { 'shell.exec': 'deny' },
    });
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    expect(driver.labels().slice(3, 9)).toEqual([
      'enter policy-gate',
      'request plan-1.0 shell.exec',
      'gate plan-1.0',
      'enter act',
      'refuse plan-1.0: denied by policy: rule for shell.exec',
      'enter observe',
    ]);
    expect(driver.log.events.some((event) => event.type === 'tool.started')).toBe(false);
  });

  it('waits on an ask until the approval is resolved, then runs the approved call', () => {
    const driver = new TurnDriver({
      replies: [runLs, { text: 'Listed.' }],
      tools: { 'shell.exec': {} },
      policy: { 'shell.exec': 'ask' },
    });
    expect(driver.run()).toEqual({
      kind: 'await-approval',
      approvalId: 'approval-plan-1.0',
      callId: 'plan-1.0',
    });
    expect(driver.decide()).toEqual(driver.steps.at(-1));

    driver.resolve('approval-plan-1.0', 'approve');
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    expect(driver.labels().slice(5, 10)).toEqual([
      'gate plan-1.0',
      'await plan-1.0 (approval-plan-1.0)',
      'enter act',
      'run plan-1.0',
      'enter observe',
    ]);
  });

  it('refuses a call whose approval was denied, naming who denied it', () => {
    const driver = new TurnDriver({
      replies: [runLs, { text: 'Not allowed.' }],
      tools: { 'shell.exec': {} },
      policy: { 'shell.exec': 'ask' },
    });
    driver.run();
    driver.resolve('approval-plan-1.0', 'deny');
    driver.run();
    expect(driver.labels()).toContain('refuse plan-1.0: denied by alice');
    expect(driver.log.events.some((event) => event.type === 'tool.started')).toBe(false);
  });

  it('gates again a call whose ask was recorded without its approval request', () => {
    const driver = new TurnDriver({ replies: [runLs], tools: { 'shell.exec': {} } });
    driver.log.append('turn.phase', { phase: 'interpret' });
    driver.log.append('turn.phase', { phase: 'plan', from: 'interpret' });
    driver.log.append('llm.responded', { toolCalls: [{ id: 'x', ...ls }] }, 'plan-1');
    driver.log.append('turn.phase', { phase: 'policy-gate', from: 'plan' });
    driver.log.append('tool.requested', { callId: 'plan-1.0', tool: 'shell.exec', input: { command: 'ls' } });
    driver.log.append('policy.decided', { callId: 'plan-1.0', decision: 'ask', reason: 'shell asks' });
    expect(driver.decide()).toMatchObject({ kind: 'gate-tool', planned: { callId: 'plan-1.0' } });
  });
});

describe('a call in doubt after the process died mid-call', () => {
  function diedDuringCall(idempotent: boolean): TurnDriver {
    const driver = new TurnDriver({
      replies: [runLs, { text: 'Done.' }],
      tools: { 'shell.exec': { idempotent } },
    });
    driver.crashDuring = 'plan-1.0';
    expect(driver.run()).toMatchObject({ kind: 'run-tool', rerun: false });
    driver.crashDuring = undefined;
    return driver;
  }

  it('re-runs an idempotent tool without asking', () => {
    const driver = diedDuringCall(true);
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    expect(driver.labels()).toContain('run plan-1.0 again');
    expect(driver.labels()).not.toContain('ask-in-doubt plan-1.0');
  });

  it('asks before re-running a tool that is not idempotent, and re-runs it once approved', () => {
    const driver = diedDuringCall(false);
    const waiting = driver.run();
    expect(waiting).toMatchObject({ kind: 'await-approval', callId: 'plan-1.0' });
    expect(driver.labels().slice(-2)[0]).toBe('ask-in-doubt plan-1.0');
    const asked = driver.log.events.filter((event) => event.type === 'approval.requested');
    expect(asked.map((event) => event.payload)).toMatchObject([{ callId: 'plan-1.0', inDoubt: true }]);

    if (waiting.kind !== 'await-approval') throw new Error('expected to wait');
    driver.resolve(waiting.approvalId, 'approve');
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    expect(driver.labels()).toContain('run plan-1.0 again');
  });

  it('asks again when the approved re-run dies too', () => {
    const driver = diedDuringCall(false);
    const first = driver.run();
    if (first.kind !== 'await-approval') throw new Error('expected to wait');
    driver.resolve(first.approvalId, 'approve');
    driver.crashDuring = 'plan-1.0';
    expect(driver.run()).toMatchObject({ kind: 'run-tool', rerun: true });
    driver.crashDuring = undefined;
    const second = driver.run();
    expect(second).toMatchObject({ kind: 'await-approval', callId: 'plan-1.0' });
    expect(second).not.toEqual(first);
  });

  it('refuses, saying it was not re-run, when the in-doubt approval is denied', () => {
    const driver = diedDuringCall(false);
    const waiting = driver.run();
    if (waiting.kind !== 'await-approval') throw new Error('expected to wait');
    driver.resolve(waiting.approvalId, 'deny');
    driver.run();
    expect(driver.labels()).toContain(
      'refuse plan-1.0: shell.exec was interrupted before its result was recorded and was not re-run: alice declined',
    );
    expect(driver.log.events.filter((event) => event.type === 'tool.started')).toHaveLength(1);
  });
});

describe('an approval a running call relays from another session', () => {
  const delegate = { toolCalls: [{ name: 'agent.delegate', arguments: { agent: 'helper', task: 'write' } }] };

  /** A delegation whose first run waits on the helper's approval; run again, it has the helper's answer. */
  function delegating(limits?: { maxWallTimeMs: number }): TurnDriver {
    let runs = 0;
    const run = () =>
      ++runs === 1 ? { relay: 'agent "helper" asks: fs.write' } : { preview: 'helper answered' };
    return new TurnDriver({
      replies: [delegate, { text: 'Done.' }],
      tools: { 'agent.delegate': { idempotent: true, run } },
      limits,
    });
  }

  function waitingOn(driver: TurnDriver): string {
    const waiting = driver.run();
    if (waiting.kind !== 'await-approval') throw new Error(`expected to wait, got ${waiting.kind}`);
    expect(waiting.callId).toBe('plan-1.0');
    expect(driver.decide()).toEqual(waiting);
    return waiting.approvalId;
  }

  it.each(['approve', 'deny'] as const)(
    'waits for it, then runs the call again once it is answered (%s)',
    (decision) => {
      const driver = delegating();
      driver.resolve(waitingOn(driver), decision);
      expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
      expect(driver.labels().filter((line) => line.startsWith('run '))).toEqual([
        'run plan-1.0',
        'run plan-1.0 again',
      ]);
      const results = driver.log.events.filter((event) => event.type === 'tool.result');
      expect(results.map((event) => event.payload)).toEqual([
        { callId: 'plan-1.0', isError: false, preview: 'helper answered' },
      ]);
    },
  );

  it('leaves the time a human took to answer out of the turn’s wall time', () => {
    const driver = delegating({ maxWallTimeMs: 30_000 });
    const approvalId = waitingOn(driver);
    driver.log.now += 3_600_000;
    driver.resolve(approvalId, 'approve');
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
  });
});

describe('waiting for humans and the wall-time limit', () => {
  it('counts waits for approvals asked together once, so the turn’s own work still meets its limit', () => {
    const driver = new TurnDriver({
      replies: [{ toolCalls: [ls, { name: 'shell.exec', arguments: { command: 'pwd' } }] }, { text: 'late' }],
      tools: { 'shell.exec': {} },
      policy: { 'shell.exec': 'ask' },
      limits: { maxWallTimeMs: 9_000 },
    });
    const first = driver.run();
    if (first.kind !== 'await-approval') throw new Error('expected to wait');
    driver.log.now += 3_600_000;
    driver.resolve(first.approvalId, 'approve');
    driver.resolve('approval-plan-1.1', 'approve');
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'failed' });
    // the turn's own 13 s of work: the hour both approvals waited through is left out, and only once
    expect(driver.labels().at(-2)).toBe(
      'fail limit.wall-time: the turn has run for 13000 ms, over its limit of 9000 ms (maxWallTimeMs)',
    );
  });
});
