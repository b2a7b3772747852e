import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const appendLoop = resolve(import.meta.dirname, 'fixtures/append-loop.ts');

interface Writer {
  child: ChildProcess;
  reported: string[];
  ready: Promise<void>;
  exited: Promise<void>;
}

function startWriter(dbPath: string, sessionId: string, name: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', appendLoop, dbPath, sessionId, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reported: string[] = [];
  let buffered = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolveReady) => {
    markReady = resolveReady;
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') markReady();
      else reported.push(...line.split(' '));
    }
  });
  const exited = new Promise<void>((resolveExit) => child.on('close', () => resolveExit()));
  return { child, reported, ready, exited };
}

async function killAfterRandomDelay(writers: Writer[]): Promise<void> {
  await Promise.all(writers.map((w) => w.ready));
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 150));
  for (const writer of writers) writer.child.kill('SIGKILL');
  await Promise.all(writers.map((w) => w.exited));
}

function assertLogIntact(dbPath: string, sessionId: string, reported: string[]): number {
  const db = openDatabase(dbPath);
  try {
    const report = new EventLog(db).verify(sessionId);
    expect(report).toMatchObject({ ok: true });
    const counts = new Map(
      (
        db
          .prepare('SELECT id, count(*) AS n FROM events WHERE session_id = ? GROUP BY id')
          .all(sessionId) as {
          id: string;
          n: number;
        }[]
      ).map((row) => [row.id, row.n]),
    );
    const missing = reported.filter((id) => counts.get(id) !== 1);
    expect(missing).toEqual([]);
    return report.ok ? report.count : 0;
  } finally {
    db.close();
  }
}

describe('event log under SIGKILL', () => {
  it('keeps every acknowledged append exactly once, with an intact chain, across 20 kills', async () => {
    const dbPath = join(tempDir(), 'pyclaw.db');
    const setup = openDatabase(dbPath);
    const sessionId = new EventLog(setup).createSession({ title: 'crash' }).id;
    setup.close();
    const acknowledged: string[] = [];
    let previousCount = 0;
    for (let kill = 0; kill < 20; kill++) {
      const writer = startWriter(dbPath, sessionId, 'solo');
      await killAfterRandomDelay([writer]);
      acknowledged.push(...writer.reported);
      const count = assertLogIntact(dbPath, sessionId, acknowledged);
      expect(count).toBeGreaterThanOrEqual(previousCount);
      previousCount = count;
    }
    expect(acknowledged.length).toBeGreaterThan(100);
  });

  it('keeps the chain intact with two processes appending to one session, one killed mid-stream', async () => {
    const dbPath = join(tempDir(), 'pyclaw.db');
    const setup = openDatabase(dbPath);
    const sessionId = new EventLog(setup).createSession({ title: 'two writers' }).id;
    setup.close();
    const acknowledged: string[] = [];
    for (let round = 0; round < 4; round++) {
      const writers = [startWriter(dbPath, sessionId, 'left'), startWriter(dbPath, sessionId, 'right')];
      await killAfterRandomDelay(writers);
      for (const writer of writers) acknowledged.push(...writer.reported);
      assertLogIntact(dbPath, sessionId, acknowledged);
    }
    const db = openDatabase(dbPath);
    const actors = db.prepare('SELECT DISTINCT actor FROM events ORDER BY actor').all();
    db.close();
    expect(actors).toEqual([{ actor: 'left' }, { actor: 'right' }]);
  });
});
