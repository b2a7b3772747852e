import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openApp, runInSession, SessionLease } from '../../src/runtime/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A child process that takes the lease on session `s` and holds it until killed. */
function holdLeaseInChild(database: string) {
  const script = `
    import { SessionLease } from ${JSON.stringify(new URL('../../src/runtime/index.ts', import.meta.url).href)};
    import { openDatabase } from ${JSON.stringify(new URL('../../src/storage/index.ts', import.meta.url).href)};
    SessionLease.acquire(openDatabase(${JSON.stringify(database)}), 's');
    process.stdout.write('held\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const held = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { child, held };
}

describe('session lease', () => {
  it('lets one holder drive a session at a time, and frees it on release', () => {
    const db = openDatabase(join(tempDir(), 'pyclaw.db'));
    const lease = SessionLease.acquire(db, 's');
    expect(() => SessionLease.acquire(db, 's')).toThrow(
      /^session s is busy: pyclaw process \d+ on .* is running a turn in it$/,
    );
    expect(SessionLease.acquire(db, 'other')).toBeInstanceOf(SessionLease);
    lease.release();
    SessionLease.acquire(db, 's').release();
    db.close();
  });

  it('refuses while another live process holds it, and takes it once that process is killed', async () => {
    const database = join(tempDir(), 'pyclaw.db');
    openDatabase(database).close();
    const { child, held } = holdLeaseInChild(database);
    await held;
    const db = openDatabase(database);
    expect(() => SessionLease.acquire(db, 's')).toThrow(`pyclaw process ${child.pid}`);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    SessionLease.acquire(db, 's').release();
    db.close();
  });

  it('takes over a lease whose holder stopped renewing it', () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const db = openDatabase(join(tempDir(), 'pyclaw.db'));
    db.prepare("INSERT INTO session_leases VALUES ('s', 'gone', 'another-host', 1, ?)").run(now + 5_000);
    expect(() => SessionLease.acquire(db, 's', { clock })).toThrow(/busy: pyclaw process 1 on another-host/);
    now += 5_001;
    SessionLease.acquire(db, 's', { clock }).release();
    db.close();
  });

  it('a turn started while another holder took the session records nothing and says it is busy', async () => {
    const home = tempDir();
    const answers = [{ text: 'first' }, { text: 'second' }];
    writeFileSync(
      join(home, 'config.yaml'),
      stringify({
        providers: { script: { kind: 'scripted', responses: answers } },
        agents: { default: { models: { default: { provider: 'script', model: 'script' } } } },
      }),
    );
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const { sessionId } = await runInSession(app, { message: 'one' });
      const before = app.log.read(sessionId);
      // nothing to resume, so the new turn takes the lease in its opening commit, which finds it held
      const holder = SessionLease.acquire(app.db, sessionId);
      await expect(runInSession(app, { sessionId, message: 'two' })).rejects.toThrow(
        `session ${sessionId} is busy`,
      );
      expect(app.log.read(sessionId)).toEqual(before);
      holder.release();
      const { outcome } = await runInSession(app, { sessionId, message: 'two' });
      expect(outcome).toMatchObject({ status: 'completed', answer: 'second' });
    } finally {
      await app.close();
    }
  });
});
