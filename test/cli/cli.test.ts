import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../src/artifact/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

function initializedHome(): string {
  const home = tempDir();
  expect(runCli(home, ['init']).code).toBe(0);
  return home;
}

function withLog<T>(home: string, work: (log: EventLog, db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    return work(new EventLog(db), db);
  } finally {
    db.close();
  }
}

describe('pyclaw command line', () => {
  it('prints its version and help', () => {
    const home = tempDir();
    expect(runCli(home, ['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = runCli(home, ['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'sessions', 'artifacts', 'agents']) expect(help.stdout).toContain(command);
  });

  it('rejects unknown commands and bad flags with one line and a non-zero exit', () => {
    const home = tempDir();
    const unknown = runCli(home, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badFlag = runCli(home, ['sessions', 'list', '--limt', '5']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("unknown option '--limt'");
    const badValue = runCli(home, ['sessions', 'list', '--limit', 'lots']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('expected a positive integer');
  });

  it('init creates a private home with a commented config, and keeps an edited one', () => {
    const home = tempDir();
    const first = runCli(home, ['init']);
    expect(first.code).toBe(0);
    const config = readFileSync(join(home, 'config.yaml'), 'utf8');
    expect(config).toMatch(/^# PyClaw configuration/);
    expect(config).toContain('durability: normal');
    writeFileSync(join(home, 'config.yaml'), `${config}\n# mine\n`);
    expect(runCli(home, ['init']).stdout).toContain('kept existing');
    expect(readFileSync(join(home, 'config.yaml'), 'utf8')).toContain('# mine');
  });

  it('names the bad key and line of a malformed config and changes nothing', () => {
    const home = initializedHome();
    writeFileSync(join(home, 'config.yaml'), 'storage:\n  durablity: full\n');
    const result = runCli(home, ['sessions', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('config.yaml:2: storage.durablity: Unrecognized key: "durablity"');
  });

  it('refuses a database written by a newer PyClaw', () => {
    const home = initializedHome();
    withLog(home, (_log, db) => db.pragma('user_version = 99'));
    const result = runCli(home, ['sessions', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /has schema version 99, but this PyClaw knows only up to \d+ \(upgrade PyClaw/,
    );
  });

  it('lists, shows and prints sessions and events, as tables or JSON', () => {
    const home = initializedHome();
    expect(JSON.parse(runCli(home, ['sessions', 'list', '--json']).stdout)).toEqual([]);
    const sessionId = withLog(home, (log) => {
      const id = log.createSession({ agentId: 'default', title: 'hello' }).id;
      log.append(id, { type: 'user.message', actor: 'user', payload: { text: 'hi there' }, turnId: 't1' });
      log.append(id, {
        type: 'assistant.message',
        actor: 'agent:default',
        payload: { text: 'hello!' },
        turnId: 't1',
      });
      log.append(id, { type: 'user.message', actor: 'user', payload: { text: 'bye' }, turnId: 't2' });
      return id;
    });
    const listed = JSON.parse(runCli(home, ['sessions', 'list', '--json']).stdout);
    expect(listed).toMatchObject([{ id: sessionId, eventCount: 3, title: 'hello' }]);
    expect(runCli(home, ['sessions', 'list']).stdout).toContain(sessionId);
    const last = JSON.parse(runCli(home, ['sessions', 'events', sessionId, '--last', '2', '--json']).stdout);
    expect(last.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
    const turn = JSON.parse(runCli(home, ['sessions', 'events', sessionId, '--turn', 't1', '--json']).stdout);
    expect(turn.map((e: { type: string }) => e.type)).toEqual(['user.message', 'assistant.message']);
    const typed = JSON.parse(
      runCli(home, ['sessions', 'events', sessionId, '--type', 'assistant.message', '--json']).stdout,
    );
    expect(typed.map((e: { seq: number }) => e.seq)).toEqual([2]);
    const shown = runCli(home, ['sessions', 'show', sessionId]);
    expect(shown.stdout).toContain('hi there');
    const missing = runCli(home, ['sessions', 'show', 'nope']);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('no session nope');
  });

  it('verify passes an intact log and names the first bad seq after tampering', () => {
    const home = initializedHome();
    const sessionId = withLog(home, (log) => {
      const id = log.createSession().id;
      for (let i = 1; i <= 5; i++)
        log.append(id, { type: 'user.message', actor: 'user', payload: { text: `m${i}` } });
      return id;
    });
    const ok = runCli(home, ['sessions', 'verify', sessionId]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('5 events, chain intact');
    withLog(home, (_log, db) => {
      db.exec('DROP TRIGGER events_are_never_updated');
      db.prepare(`UPDATE events SET payload = '{"text":"rewritten"}' WHERE seq = 3`).run();
    });
    const bad = runCli(home, ['sessions', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`FAIL ${sessionId}: first bad seq 3`);
    expect(JSON.parse(runCli(home, ['sessions', 'verify', sessionId, '--json']).stdout)).toMatchObject([
      { sessionId, ok: false, firstBadSeq: 3 },
    ]);
  });

  it('lists, prints, verifies and collects artifacts', async () => {
    const home = initializedHome();
    const db = openDatabase(join(home, 'pyclaw.db'));
    const store = new ArtifactStore(db, join(home, 'artifacts'));
    const kept = await store.put('kept by an event\n', { mime: 'text/plain' });
    const loose = await store.put('nobody needs me\n');
    const log = new EventLog(db);
    const session = log.createSession().id;
    log.append(session, {
      type: 'tool.result',
      actor: 'tool',
      payload: { callId: 'c1', isError: false, preview: 'see artifact', artifacts: [kept.ref] },
    });
    db.close();

    const listed = JSON.parse(runCli(home, ['artifacts', 'list', '--json']).stdout);
    expect(listed.map((a: { hash: string }) => a.hash).sort()).toEqual([kept.hash, loose.hash].sort());
    expect(runCli(home, ['artifacts', 'cat', kept.ref]).stdout).toBe('kept by an event\n');
    expect(runCli(home, ['artifacts', 'verify']).code).toBe(0);

    const gc = JSON.parse(runCli(home, ['artifacts', 'gc', '--grace', '0', '--json']).stdout);
    expect(gc.removed).toEqual([loose.hash]);
    expect(runCli(home, ['artifacts', 'cat', kept.ref]).stdout).toBe('kept by an event\n');
    const gone = runCli(home, ['artifacts', 'cat', loose.ref]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
  });
});
