import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type NewEvent, type StoredEvent } from '../../src/core/index.js';
import { canonicalEventText, eventHash } from '../../src/session/hash-chain.js';
import { EventLog } from '../../src/session/index.js';
import { inTransaction, openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function openLog() {
  const db = openDatabase(join(tempDir(), 'pyclaw.db'));
  return { db, log: new EventLog(db) };
}

const message = (text: string, turnId?: string): NewEvent => ({
  type: 'user.message',
  actor: 'user:alice',
  payload: { text },
  ...(turnId ? { turnId } : {}),
});

describe('EventLog', () => {
  it('appends with monotonic seq, ULIDs and a hash chain, and reads slices back', () => {
    const { log } = openLog();
    const session = log.createSession({ agentId: 'default', title: 'demo' }).id;
    for (let i = 1; i <= 10; i++) log.append(session, message(`m${i}`, i <= 5 ? 'turn-a' : 'turn-b'));
    const all = log.read(session);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(all[0]?.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(all[1]?.prevHash).toBe(all[0]?.hash);
    expect(log.read(session, { fromSeq: 3, toSeq: 5 }).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.last(session, 3).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(log.byTurn(session, 'turn-b').map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
    expect(log.byTurn(session, 'turn-b')[0]?.traceId).toBe('turn-b');
    log.append(session, { type: 'assistant.message', actor: 'agent:default', payload: { text: 'hi' } });
    expect(log.byType(session, 'assistant.message').map((e) => e.seq)).toEqual([11]);
    expect(
      log.byType(session, ['assistant.message', 'user.message'], { fromSeq: 10 }).map((e) => e.seq),
    ).toEqual([10, 11]);
    expect(log.verify(session)).toEqual({ ok: true, count: 11, lastSeq: 11 });
    expect(log.listSessions()[0]).toMatchObject({
      id: session,
      eventCount: 11,
      agentId: 'default',
      title: 'demo',
    });
  });

  it('hashes exactly the canonical JSON of the event', () => {
    const fields = {
      seq: 1,
      id: 'x',
      sessionId: 's',
      turnId: null,
      stepId: 't',
      traceId: 'tr',
      type: 'user.message',
      ts: 5,
      actor: 'a',
    };
    const payload = { text: 'hé "quoted"', b: [1, { z: 1, a: 2 }] };
    expect(canonicalEventText(fields, canonicalJson(payload))).toBe(canonicalJson({ ...fields, payload }));
  });

  it('writes a batch atomically: one invalid event stores nothing', () => {
    const { log } = openLog();
    const session = log.createSession().id;
    log.append(session, message('first'));
    const bad = { type: 'user.message', actor: 'user:alice', payload: { text: 42 } } as unknown as NewEvent;
    expect(() => log.appendBatch(session, [message('a'), bad, message('c')])).toThrow(
      'user.message payload: text: Invalid input: expected string, received number',
    );
    expect(log.read(session)).toHaveLength(1);
    log.appendBatch(session, [message('a'), message('b')]);
    expect(log.read(session).map((e) => (e.payload as { text: string }).text)).toEqual(['first', 'a', 'b']);
  });

  it('refuses unknown types and unknown sessions on append, with one clear line', () => {
    const { log } = openLog();
    const session = log.createSession().id;
    const future = { type: 'hologram.projected', actor: 'x', payload: {} } as unknown as NewEvent;
    expect(() => log.append(session, future)).toThrow(
      'cannot append event of unknown type "hologram.projected"',
    );
    expect(() => log.append('nope', message('x'))).toThrow('no session nope');
  });

  it('tolerates event types from a newer PyClaw when reading, and keeps unknown payload fields', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    const first = log.append(session, {
      type: 'user.message',
      actor: 'u',
      payload: { text: 'hi', mood: 'curious' } as { text: string },
    });
    const fields = { ...first, seq: 2, id: 'future-1', type: 'hologram.projected' };
    const payloadJson = canonicalJson({ beam: 3 });
    db.prepare(
      `INSERT INTO events (session_id, seq, id, turn_id, step_id, trace_id, type, ts, actor, payload, prev_hash, hash)
       VALUES (?, 2, 'future-1', NULL, NULL, ?, 'hologram.projected', ?, ?, ?, ?, ?)`,
    ).run(
      session,
      first.traceId,
      first.ts,
      first.actor,
      payloadJson,
      first.hash,
      eventHash(first.hash, fields, payloadJson),
    );
    const events = log.read(session);
    expect(events[0]?.payload).toEqual({ text: 'hi', mood: 'curious' });
    expect(events[1]).toMatchObject({ type: 'hologram.projected', payload: { beam: 3 } });
    expect(log.verify(session).ok).toBe(true);
  });

  it('refuses to update or delete events', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    log.append(session, message('keep me'));
    expect(() => db.prepare("UPDATE events SET payload = '{}'").run()).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM events').run()).toThrow('append-only');
  });

  it('names the session and seq of a corrupt row instead of crashing obscurely', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    log.append(session, message('one'));
    log.append(session, message('two'));
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare("UPDATE events SET payload = '{not json' WHERE seq = 2").run();
    expect(() => log.read(session)).toThrow(`session ${session} seq 2: stored payload is not valid JSON`);
  });

  it('detects tampering and loss, naming the first bad seq', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    for (let i = 1; i <= 6; i++) log.append(session, message(`m${i}`));
    db.exec('DROP TRIGGER events_are_never_updated; DROP TRIGGER events_are_never_deleted');
    db.prepare(`UPDATE events SET payload = '{"text":"forged"}' WHERE seq = 4`).run();
    expect(log.verify(session)).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'content does not match its hash',
    });
    db.prepare(`UPDATE events SET payload = '{"text":"m4"}' WHERE seq = 4`).run();
    expect(log.verify(session).ok).toBe(true);
    db.prepare('DELETE FROM events WHERE seq = 3').run();
    expect(log.verify(session)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('records artifact references found in payloads', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    const hash = 'ab'.repeat(32);
    log.append(session, {
      type: 'tool.result',
      actor: 'tool',
      payload: { callId: 'c1', isError: false, preview: 'ok', artifacts: [`sha256:${hash}`] },
    });
    expect(db.prepare('SELECT hash, seq FROM event_artifacts').all()).toEqual([{ hash, seq: 1 }]);
  });

  it('tells subscribers about committed events only', () => {
    const { log } = openLog();
    const a = log.createSession().id;
    const b = log.createSession().id;
    const seenA: StoredEvent[] = [];
    const seenAll: StoredEvent[] = [];
    const stop = log.subscribe(a, (e) => seenA.push(e));
    log.subscribe('*', (e) => seenAll.push(e));
    log.append(a, message('1'));
    log.append(b, message('2'));
    expect(() => log.appendBatch(a, [message('3'), { type: 'nope' } as unknown as NewEvent])).toThrow();
    stop();
    log.append(a, message('4'));
    expect(seenA.map((e) => e.seq)).toEqual([1]);
    expect(seenAll.map((e) => [e.sessionId, e.seq])).toEqual([
      [a, 1],
      [b, 1],
      [a, 2],
    ]);
  });

  it('commits what a transaction appends together, telling subscribers only once it is committed', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    const otherDb = openDatabase(db.name);
    const otherProcess = new EventLog(otherDb);
    const seen: number[] = [];
    log.subscribe(session, (event) => seen.push(event.seq));
    const seenInside = log.transaction(() => {
      log.append(session, message('1'));
      log.append(session, message('2'));
      // a savepoint inside that fails takes only its own events with it
      expect(() =>
        log.transaction(() => {
          log.append(session, message('lost'));
          throw new Error('inner step failed');
        }),
      ).toThrow('inner step failed');
      // and no other connection sees anything before the commit
      expect(otherProcess.read(session)).toEqual([]);
      return [...seen];
    });
    expect(seenInside).toEqual([]);
    expect(seen).toEqual([1, 2]);
    expect(otherProcess.read(session).map((event) => (event.payload as { text: string }).text)).toEqual([
      '1',
      '2',
    ]);

    expect(() =>
      log.transaction(() => {
        log.append(session, message('3'));
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    expect(seen).toEqual([1, 2]);
    expect(log.read(session)).toHaveLength(2);
    expect(log.verify(session).ok).toBe(true);
    otherDb.close();
  });

  it('chains the appends after a savepoint that rolled back appends from the head the log really has', () => {
    const { db, log } = openLog();
    const session = log.createSession().id;
    const rollsBack = (work: () => void) => expect(work).toThrow('step failed');
    log.transaction(() => {
      log.append(session, message('1'));
      // a savepoint of the log, and one of any other module, each taking appends with it
      rollsBack(() =>
        log.transaction(() => {
          log.append(session, message('lost'));
          throw new Error('step failed');
        }),
      );
      log.append(session, message('2'));
      rollsBack(() =>
        inTransaction(db, () => {
          log.appendBatch(session, [message('lost'), message('lost too')]);
          throw new Error('step failed');
        }),
      );
      log.append(session, message('3'));
    });
    const events = log.read(session);
    expect(events.map((event) => [event.seq, (event.payload as { text: string }).text])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
    ]);
    expect(log.verify(session).ok).toBe(true);
  });

  it('redacts payloads before hashing and storing', () => {
    const db = openDatabase(join(tempDir(), 'pyclaw.db'));
    const canary = 'CANARY-7f3a9c1e';
    const redactor = {
      register() {},
      redactText: (text: string) => text.replaceAll(canary, '[REDACTED:canary]'),
      redactValue<T>(value: T): T {
        return JSON.parse(JSON.stringify(value).replaceAll(canary, '[REDACTED:canary]')) as T;
      },
      createStream: () => {
        throw new Error('unused');
      },
    };
    const log = new EventLog(db, { redactor });
    const session = log.createSession().id;
    const stored = log.append(session, message(`my key is ${canary}`));
    expect(stored.payload).toEqual({ text: 'my key is [REDACTED:canary]' });
    expect(log.verify(session).ok).toBe(true);
    expect(JSON.stringify(log.read(session))).not.toContain(canary);
  });
});
