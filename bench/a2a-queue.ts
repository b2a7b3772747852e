import { join } from 'node:path';
import { A2aQueue } from '../src/a2a/index.js';
import { openDatabase } from '../src/storage/index.js';
import { median, type Result, timeMs } from './measure.js';

const TASKS = 2_000;

/**
 * The queue's own cost per delegated task: enqueue, lease the oldest, finish (each its own IMMEDIATE
 * transaction), with the table already holding `TASKS` finished tasks. The child's turn is not counted.
 */
export function a2aQueue(dir: string): Result[] {
  const db = openDatabase(join(dir, 'a2a-bench.db'));
  try {
    const queue = new A2aQueue(db);
    const cycles: number[] = [];
    for (let i = 0; i < TASKS; i++) {
      cycles.push(
        timeMs(() => {
          const { task } = queue.enqueue({
            idempotencyKey: `bench:${i}`,
            fromAgent: 'boss',
            fromSessionId: 'bench',
            toAgent: 'helper',
            task: `task ${i}`,
            depth: 1,
          });
          queue.lease('bench-worker', 60_000);
          queue.finish(task.id, 'bench-worker', { status: 'done', result: 'ok' });
        }),
      );
    }
    return [
      { name: 'a2a enqueue + lease + finish, p50', value: Number(median(cycles).toFixed(3)), unit: 'ms' },
    ];
  } finally {
    db.close();
  }
}
