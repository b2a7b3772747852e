import { describe, expect, it } from 'vitest';
import { readTurn } from '../../src/brain/turn-record.js';
import type { StoredEvent } from '../../src/core/index.js';
import { TurnDriver } from './turn-driver.js';

describe('a turn read again as its events are appended', () => {
  it('is at every step the record a fresh read of the same events gives', () => {
    const driver = new TurnDriver({
      replies: [
        { toolCalls: [{ name: 'fs.read', arguments: { path: '/a' } }] },
        { text: 'It says hi.' },
        { text: 'It says hi, checked.' },
      ],
      tools: { 'fs.read': { idempotent: true } },
      verify: true,
      verdicts: [
        { verdict: 'fail', reason: 'not checked' },
        { verdict: 'pass', reason: 'checked' },
      ],
    });
    driver.log.append('directive.issued', {
      directive: 'require_validation',
      reason: 'risky',
      signal: 'risk',
    });
    expect(driver.run()).toEqual({ kind: 'done', outcome: 'completed' });
    const all = driver.log.turnEvents();
    expect(new Set(all.map((event) => event.type)).size).toBeGreaterThan(8);

    const growing: StoredEvent[] = [];
    for (const event of all) {
      growing.push(event);
      expect(readTurn(growing)).toEqual(readTurn([...growing]));
    }
    expect(readTurn(growing).directives.map((issued) => issued.directive)).toEqual(['require_validation']);
  });
});
