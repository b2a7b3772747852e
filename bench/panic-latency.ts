import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PanicSwitch } from '../src/safety/index.js';
import { EventLog } from '../src/session/index.js';
import { openDatabase } from '../src/storage/index.js';
import { median, type Result } from './measure.js';

const ROUNDS = 5;

/**
 * From `panic on` in this process to a tool call aborted in another one: the child holds a call open
 * under `PanicSwitch.guard` and reports the instant its signal fires. The promise: within one second.
 */
export async function panicLatency(dir: string): Promise<Result[]> {
  const path = join(dir, 'panic.db');
  const db = openDatabase(path);
  const log = new EventLog(db);
  const panic = new PanicSwitch(db);
  const samples: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'panic-child.ts'), path],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      await lines.next(); // the call is running
      const engagedAt = Date.now();
      panic.engage(log, 'bench', []);
      const abortedAt = Number((await lines.next()).value);
      samples.push(abortedAt - engagedAt);
      panic.release(log, 'bench');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    db.close();
  }
  return [
    { name: 'panic on → call aborted in another process, median', value: median(samples), unit: 'ms' },
    {
      name: 'panic on → call aborted in another process, worst of 5',
      value: Math.max(...samples),
      unit: 'ms',
      target: { op: '<=', value: 1000 },
    },
  ];
}
