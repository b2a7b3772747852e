import { describe, expect, it } from 'vitest';
import { assertTransition, checkTurn } from '../../src/brain/index.js';
import { PyclawError } from '../../src/core/index.js';
import { thrown } from './thrown.js';
import { TurnLog } from './turn-log.js';

describe('phase transitions', () => {
  it('allows the table and nothing else', () => {
    expect(() => assertTransition(null, 'interpret')).not.toThrow();
    expect(() => assertTransition('verify', 'plan')).not.toThrow();
    expect(() => assertTransition('reflect', 'respond')).not.toThrow();

    const error = thrown(() => assertTransition('plan', 'act'));
    expect(error).toBeInstanceOf(PyclawError);
    expect(error).toMatchObject({
      code: 'brain.illegal-transition',
      message: 'a turn cannot go from plan to act',
      hint: 'from plan a turn may enter: policy-gate, verify',
    });
    expect(thrown(() => assertTransition(null, 'plan'))).toMatchObject({
      message: 'a turn cannot go from no phase to plan',
    });
    expect(thrown(() => assertTransition('respond', 'plan'))).toMatchObject({
      hint: 'from respond a turn may enter: nothing',
    });
  });

  it('checkTurn reports the first illegal move, a wrong from, or an unknown phase', () => {
    const log = new TurnLog();
    log.append('turn.started', { agentId: 'main', input: 'hi' });
    log.append('turn.phase', { phase: 'interpret' });
    log.append('turn.phase', { phase: 'plan', from: 'interpret' });
    expect(checkTurn(log.events)).toBeUndefined();

    const skipped = new TurnLog();
    skipped.events.push(...log.events);
    skipped.append('turn.phase', { phase: 'act', from: 'plan' });
    skipped.append('turn.phase', { phase: 'observe', from: 'interpret' });
    expect(checkTurn(skipped.events)).toEqual({ seq: 4, message: 'a turn cannot go from plan to act' });

    const lying = new TurnLog();
    lying.events.push(...log.events);
    lying.append('turn.phase', { phase: 'policy-gate', from: 'observe' });
    expect(checkTurn(lying.events)).toEqual({
      seq: 4,
      message: 'entered policy-gate from observe, but the turn was in plan',
    });

    const unknown = new TurnLog();
    unknown.events.push(...log.events);
    unknown.append('turn.phase', { phase: 'daydream', from: 'plan' });
    expect(checkTurn(unknown.events)).toEqual({ seq: 4, message: 'unknown phase "daydream"' });
  });
});
