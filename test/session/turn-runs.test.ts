import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/core/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const message = (turnId: string | null, text = 'x'): NewEvent => ({
  type: 'user.message',
  actor: 'user:alice',
  payload: { text },
  ...(turnId ? { turnId } : {}),
});

function expectByTurnMatchesAFullScan(log: EventLog, session: string, turns: string[]): void {
  const all = log.read(session);
  for (const turn of turns) {
    const expected = all.filter((e) => e.turnId === turn).map((e) => e.seq);
    expect(log.byTurn(session, turn).map((e) => e.seq)).toEqual(expected);
  }
}

describe('EventLog.byTurn', () => {
  it('finds every event of a turn whose events are interleaved with other turns and turnless events', () => {
    const log = new EventLog(openDatabase(join(tempDir(), 'pyclaw.db')));
    const session = log.createSession().id;
    const turns = ['a', 'b', 'c'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let appended = 0; appended < 600; ) {
      const size = 1 + Math.floor(random() * 6);
      const batch = Array.from({ length: size }, () => {
        const pick = Math.floor(random() * 4);
        return message(pick === 3 ? null : (turns[pick] as string));
      });
      if (size === 1) log.append(session, batch[0] as NewEvent);
      else log.appendBatch(session, batch);
      appended += size;
    }
    expectByTurnMatchesAFullScan(log, session, [...turns, 'never']);
    expect(log.byTurn(session, 'a')[0]?.traceId).toBe('a');
  });

  it('keeps turns apart across sessions and across two connections appending in turn', () => {
    const path = join(tempDir(), 'pyclaw.db');
    const left = new EventLog(openDatabase(path));
    const right = new EventLog(openDatabase(path));
    const session = left.createSession().id;
    const other = left.createSession().id;
    for (let i = 0; i < 30; i++) {
      const writer = i % 3 === 0 ? right : left;
      writer.append(session, message(i % 5 < 3 ? 'shared' : 'side'));
      writer.append(other, message('shared'));
    }
    expectByTurnMatchesAFullScan(left, session, ['shared', 'side']);
    expectByTurnMatchesAFullScan(right, other, ['shared', 'side']);
  });
});
