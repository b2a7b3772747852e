import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { A2aQueue } from '../../src/a2a/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { runCli } from '../helpers/cli.js';
import { crashWhileDelegating } from '../helpers/delegation.js';
import { check, doctor } from '../helpers/doctor.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A home with three memories, added through the CLI. */
function homeWithMemories(): string {
  const home = tempDir();
  for (const text of [
    'The staging database runs on host db7',
    'Backups go to the bucket nightly-archive',
    'The user prefers metric units',
  ]) {
    expect(runCli(home, ['memory', 'add', text, '--kind', 'fact']).code).toBe(0);
  }
  return home;
}

const search = (home: string, query: string) => runCli(home, ['memory', 'search', query, '--json']);
const found = (home: string, query: string) =>
  (JSON.parse(search(home, query).stdout) as Array<{ text: string }>).map((hit) => hit.text);

/** Changes the database the way only another program could. */
function tamper(home: string, change: (db: Database.Database) => void): void {
  const db = new Database(join(home, 'pyclaw.db'));
  try {
    change(db);
  } finally {
    db.close();
  }
}

describe('pyclaw doctor repairs', () => {
  it('finds a memory words index that lost an entry, and --fix rebuilds it so search finds the memory again', () => {
    const home = homeWithMemories();
    expect(found(home, 'db7')).toEqual(['The staging database runs on host db7']);
    tamper(home, (db) => {
      const row = db.prepare("SELECT rowid, text FROM memories WHERE text LIKE '%db7%'").get() as {
        rowid: number;
        text: string;
      };
      db.prepare("INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', ?, ?)").run(
        row.rowid,
        row.text,
      );
    });
    expect(found(home, 'db7')).toEqual([]);

    const before = doctor(home);
    expect(before.code).toBe(1);
    expect(check(before.checks, 'memory words index')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('out of step'),
      fix: expect.stringContaining('pyclaw doctor --fix'),
    });
    expect(check(before.checks, 'integrity').status).toBe('ok');

    const fixed = doctor(home, '--fix');
    expect(check(fixed.checks, 'memory words index').fixed).toBe('rebuilt from the memories');
    expect(fixed.code).toBe(0);
    expect(found(home, 'db7')).toEqual(['The staging database runs on host db7']);
    expect(found(home, 'nightly-archive')).toEqual(['Backups go to the bucket nightly-archive']);
    expect(check(doctor(home).checks, 'memory words index').status).toBe('ok');
  });

  it('finds a corrupt memory words index that breaks search, and --fix rebuilds it', () => {
    const home = homeWithMemories();
    tamper(home, (db) => {
      db.unsafeMode(true); // lets this program write FTS5's own tables, as a bad disk or a buggy tool might
      db.exec('UPDATE memories_fts_data SET block = randomblob(length(block)) WHERE id > 10');
    });
    const broken = search(home, 'db7');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^pyclaw: the database is damaged \(.*\): `pyclaw doctor` says where.*\n$/);

    const before = doctor(home);
    expect(before.code).toBe(1);
    expect(check(before.checks, 'memory words index')).toMatchObject({ status: 'fail' });
    expect(check(before.checks, 'integrity').fix).toContain('memory words index only: pyclaw doctor --fix');

    const fixed = doctor(home, '--fix');
    expect(check(fixed.checks, 'memory words index').fixed).toBe('rebuilt from the memories');
    expect(check(fixed.checks, 'integrity').status).toBe('ok');
    expect(fixed.code).toBe(0);
    expect(found(home, 'db7')).toEqual(['The staging database runs on host db7']);
  });

  it('reports delegated tasks whose worker died or whose lease expired, and --fix queues them again', async () => {
    const home = tempDir();
    const session = crashWhileDelegating(home, tempDir());
    const db = openDatabase(join(home, 'pyclaw.db'));
    const queue = new A2aQueue(db);
    const [crashed] = queue.list();
    // another host's worker whose lease ran out, and a live worker (this test) whose lease holds
    const newTask = (key: string) =>
      queue.enqueue({
        idempotencyKey: key,
        fromAgent: 'default',
        fromSessionId: session,
        toAgent: 'helper',
        task: key,
        depth: 1,
      }).task.id;
    const expired = newTask('expired');
    queue.lease(`elsewhere:4242:${expired}`, 1, expired);
    const live = newTask('live');
    queue.lease(`${hostname()}:${process.pid}:${live}`, 600_000, live);
    db.close();
    await new Promise((resolve) => setTimeout(resolve, 5));

    const before = doctor(home);
    expect(check(before.checks, 'task leases')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^2 leased by a worker that is gone/),
      fix: expect.stringContaining('pyclaw doctor --fix'),
    });
    expect(check(before.checks, 'session leases')).toMatchObject({ status: 'warn' });

    const fixed = doctor(home, '--fix');
    expect(check(fixed.checks, 'task leases').fixed).toBe('returned 2 task(s) to the queue');
    expect(check(fixed.checks, 'session leases').fixed).toBe('released 1 stale lease(s)');
    const tasks = JSON.parse(runCli(home, ['a2a', 'list', '--json']).stdout) as Array<{
      id: string;
      status: string;
      attempts: number;
      leaseOwner: string | null;
    }>;
    const byId = (id: string | undefined) => tasks.find((task) => task.id === id);
    expect(byId(crashed?.id)).toMatchObject({ status: 'queued', attempts: 1, leaseOwner: null });
    expect(byId(expired)).toMatchObject({ status: 'queued', attempts: 1, leaseOwner: null });
    expect(byId(live)).toMatchObject({
      status: 'leased',
      leaseOwner: `${hostname()}:${process.pid}:${live}`,
    });
    expect(check(doctor(home).checks, 'task leases').status).toBe('ok');

    // a worker takes the released task at once, though the dead worker's lease had ten minutes left
    const worked = runCli(home, ['a2a', 'work', '--once']);
    expect(worked.stdout).toContain(`${crashed?.id} (default → helper) done: 12 plants`);
  });
});
