import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/runtime/index.js';
import { mcpServerCommand } from '../fixtures/mcp-fixture.js';
import { runCli } from '../helpers/cli.js';
import { check, doctor } from '../helpers/doctor.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const scriptedAgent = `providers:
  script:
    kind: scripted
    responses: [{ text: "hi" }]
agents:
  default:
    models:
      default: { provider: script, model: demo }
`;

function homeWith(config = scriptedAgent): string {
  const home = tempDir();
  writeFileSync(join(home, 'config.yaml'), config);
  return home;
}

const blobFile = (home: string, hash: string) =>
  join(home, 'artifacts', 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash);

describe('pyclaw doctor', () => {
  it('passes a healthy home, and prints a table', async () => {
    const home = homeWith();
    const { code, checks } = doctor(home);
    expect(code).toBe(0);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['integrity', 'migrations', 'hash chains', 'blobs', 'disk space', 'clock']),
    );
    expect(runCli(home, ['doctor']).stdout).toMatch(/AREA\s+CHECK\s+STATUS/);
  });

  it('finds a corrupted artifact', async () => {
    const home = homeWith();
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const { hash } = await app.artifacts.put('the original bytes\n');
    await app.close();
    writeFileSync(blobFile(home, hash), 'bytes changed on disk\n');
    const { code, checks } = doctor(home);
    expect(code).toBe(1);
    expect(check(checks, 'blobs')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`corrupt ${hash}`),
    });
    expect(check(checks, 'blobs').fix).toContain('backup');
  });

  it('finds a broken hash chain, naming the session and seq', async () => {
    const home = homeWith();
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const session = app.log.createSession({ title: 'tampered' }).id;
    for (const text of ['one', 'two', 'three']) {
      app.log.append(session, { type: 'user.message', actor: 'user', payload: { text } });
    }
    await app.close();
    const db = new Database(join(home, 'pyclaw.db'));
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare('UPDATE events SET payload = ? WHERE session_id = ? AND seq = 2').run(
      '{"text":"forged"}',
      session,
    );
    db.close();
    const { code, checks } = doctor(home);
    expect(code).toBe(1);
    expect(check(checks, 'hash chains')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`session ${session} at seq 2`),
    });
  });

  it('finds an unreachable provider', () => {
    const home = homeWith(`providers:
  local-llm:
    kind: openai
    baseURL: http://127.0.0.1:9/v1
    maxAttempts: 1
agents:
  default:
    models:
      default: { provider: local-llm, model: llama3 }
`);
    const { code, checks } = doctor(home);
    expect(code).toBe(1);
    expect(check(checks, 'local-llm (openai)')).toMatchObject({ status: 'fail' });
    expect(check(checks, 'local-llm (openai)').fix).toContain('pyclaw llm test --provider local-llm');
  });

  it('finds a missing Chromium when an agent uses the browser', () => {
    const home = homeWith(`${scriptedAgent}    tools: [browser.open, browser.snapshot]
browser:
  executablePath: /nonexistent/chromium
`);
    const { code, checks } = doctor(home);
    expect(code).toBe(1);
    expect(check(checks, 'chromium')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('/nonexistent/chromium'),
    });
  });

  it('--fix releases leases of dead processes and removes unreferenced blobs, and says what it did', async () => {
    const home = homeWith();
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const session = app.log.createSession({ title: 'crashed' }).id;
    app.db
      .prepare('INSERT INTO session_leases (session_id, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(session, 'gone', (await import('node:os')).hostname(), 2 ** 22 + 17, Date.now() + 3_600_000);
    await app.close();
    const leftover = 'a blob a crash left without its row\n';
    const hash = createHash('sha256').update(leftover).digest('hex');
    mkdirSync(dirname(blobFile(home, hash)), { recursive: true });
    writeFileSync(blobFile(home, hash), leftover);
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(blobFile(home, hash), dayAgo, dayAgo);

    expect(check(doctor(home).checks, 'session leases')).toMatchObject({ status: 'warn' });
    const fixed = doctor(home, '--fix').checks;
    expect(check(fixed, 'session leases').fixed).toBe('released 1 stale lease(s)');
    expect(check(fixed, 'unreferenced blobs').fixed).toMatch(/removed 1 unreferenced/);
    expect(existsSync(blobFile(home, hash))).toBe(false);
    expect(check(doctor(home).checks, 'session leases').status).toBe('ok');
  });

  it('starts each MCP server and loads each plugin, naming the ones that fail', () => {
    const home = homeWith(
      `${scriptedAgent}plugins: [./plugins/missing.mjs]
mcp:
  servers:
    notes: ${JSON.stringify(mcpServerCommand)}
    ghost: { command: ${JSON.stringify(join(tempDir(), 'no-such-server'))} }
`,
    );
    const { code, checks } = doctor(home);
    expect(code).toBe(1);
    expect(check(checks, 'mcp notes')).toMatchObject({ status: 'ok', detail: 'started, 3 tools' });
    expect(check(checks, 'mcp ghost')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^MCP server "ghost" did not start: .*ENOENT/),
    });
    expect(check(checks, 'plugins')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('plugin ./plugins/missing.mjs: no file at'),
    });
  });
});
