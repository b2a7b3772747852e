import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { A2aQueue } from '../../src/a2a/index.js';
import { type Db, openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
let db: Db | undefined;
afterEach(() => db?.close());

function openQueue() {
  db = openDatabase(join(tempDir(), 'pyclaw.db'));
  const clock = { t: 1_000, now: () => clock.t };
  return { queue: new A2aQueue(db, clock), clock };
}

const task = (key: string, text = 'count the apples') => ({
  idempotencyKey: key,
  fromAgent: 'boss',
  fromSessionId: 's1',
  fromTurnId: 't1',
  toAgent: 'helper',
  task: text,
  depth: 1,
});

describe('the a2a queue', () => {
  it('enqueues once per idempotency key, so a retried delegation finds the first task', () => {
    const { queue } = openQueue();
    const first = queue.enqueue(task('s1:call_1'));
    const again = queue.enqueue(task('s1:call_1', 'a different text'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ task: first.task, created: false });
    expect(queue.list()).toHaveLength(1);
    expect(queue.countFromTurn('s1', 't1')).toBe(1);
  });

  it('leases the oldest free task to one worker, and to another only after the lease expires', () => {
    const { queue, clock } = openQueue();
    const older = queue.enqueue(task('k1')).task;
    clock.t += 1;
    queue.enqueue(task('k2'));
    expect(queue.lease('w1', 1_000)?.id).toBe(older.id);
    expect(queue.lease('w2', 1_000, older.id)).toBeUndefined();
    clock.t += 1_000;
    const retaken = queue.lease('w2', 1_000, older.id);
    expect(retaken).toMatchObject({ status: 'leased', leaseOwner: 'w2', attempts: 2 });
  });

  it('stores a result exactly once: a worker whose lease was taken over is refused', () => {
    const { queue, clock } = openQueue();
    const { id } = queue.enqueue(task('k1')).task;
    queue.lease('w1', 1_000);
    clock.t += 1_001;
    expect(queue.renew(id, 'w1', 1_000)).toBe(true); // expired but not yet taken: still its own
    clock.t += 1_001;
    queue.lease('w2', 1_000);
    expect(queue.renew(id, 'w1', 1_000)).toBe(false);
    expect(queue.finish(id, 'w2', { status: 'done', result: '7 apples' })).toBe(true);
    expect(queue.finish(id, 'w1', { status: 'done', result: 'stale answer' })).toBe(false);
    expect(queue.finish(id, 'w2', { status: 'done', result: 'twice' })).toBe(false);
    expect(queue.get(id)).toMatchObject({
      status: 'done',
      result: '7 apples',
      attempts: 2,
      leaseOwner: null,
    });
    expect(queue.lease('w3', 1_000)).toBeUndefined();
  });

  it('gives a released task back with its child session, resting it so the tasks behind it go first', () => {
    const { queue, clock } = openQueue();
    const { id } = queue.enqueue(task('k1')).task;
    clock.t += 1;
    const behind = queue.enqueue(task('k2')).task;
    queue.lease('w1', 1_000);
    expect(queue.setChildSession(id, 'w1', 'child')).toBe(true);
    expect(queue.release(id, 'w1', 5_000)).toBe(true);
    expect(queue.byChildSession('child')).toMatchObject({ id, status: 'queued' });
    expect(queue.lease('w2', 1_000)?.id).toBe(behind.id);
    expect(queue.lease('w3', 1_000)).toBeUndefined();
    expect(queue.lease('w3', 1_000, id)).toMatchObject({ id, childSessionId: 'child' });
  });
});
