import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentReset } from '../../src/diagnostics/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { crashWhileDelegating, delegatingConfig } from '../helpers/delegation.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const reset = (home: string, agent: string) => {
  const result = runCli(home, ['agents', 'reset', agent, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as AgentReset;
};

/** Every session's event count and whether its chain verifies. */
function logState(home: string) {
  const sessions = JSON.parse(runCli(home, ['sessions', 'list', '--json']).stdout) as Array<{
    id: string;
    eventCount: number;
  }>;
  const verified = JSON.parse(runCli(home, ['sessions', 'verify', '--json']).stdout) as Array<{
    ok: boolean;
  }>;
  return { counts: sessions.map((s) => [s.id, s.eventCount]), verified: verified.every((r) => r.ok) };
}

describe('pyclaw agents reset', () => {
  it('frees what a killed run held, so resuming it finishes the delegated task without waiting out the lease', async () => {
    const home = tempDir();
    const workspace = tempDir();
    const session = crashWhileDelegating(home, workspace);
    const [task] = JSON.parse(runCli(home, ['a2a', 'list', '--json']).stdout) as Array<{ id: string }>;
    const before = logState(home);

    const helper = reset(home, 'helper');
    expect(helper).toMatchObject({
      requeuedTasks: [task?.id],
      queuedTasks: [task?.id],
      releasedLeases: [],
      identity: { version: 1, previousVersion: 1, recorded: false },
    });
    const text = runCli(home, ['agents', 'reset', 'default']).stdout;
    expect(text).toContain(`released the leases of 1 session(s) held by a process that is gone: ${session}`);
    expect(text).toContain(
      `an interrupted turn in session ${session}: \`pyclaw resume --session ${session}\` finishes it`,
    );
    expect(reset(home, 'default')).toMatchObject({ releasedLeases: [], requeuedTasks: [] });
    // nothing was appended or removed
    expect(logState(home)).toEqual({ ...before, verified: true });

    // the dead worker's lease had ten minutes left: only the reset lets the resumed turn take the task now
    const resumed = await runCliAsync(home, ['resume', '--session', session, '--json'], {}, workspace);
    expect(resumed.stderr).toBe('');
    expect(resumed.stdout).toContain('The helper counted 12 plants.');
    expect(JSON.parse(runCli(home, ['a2a', 'list', '--json']).stdout)).toMatchObject([
      { id: task?.id, status: 'done', result: '12 plants', attempts: 2 },
    ]);
  }, 60_000);

  it('records a changed identity as a new version, leaves a running turn alone, and names a pending approval', () => {
    const home = tempDir();
    const workspace = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  script:
    kind: scripted
    responses:
      - toolCalls: [{ name: fs.write, arguments: { path: note.txt, content: "hi" } }]
      - text: saved
agents:
  default:
    models:
      default: { provider: script, model: demo }
    tools: [fs.write]
`,
    );
    const waiting = JSON.parse(runCli(home, ['run', 'save a note', '--json'], {}, workspace).stdout) as {
      sessionId: string;
      outcome: { status: string; approval: { approvalId: string } };
    };
    expect(waiting.outcome.status).toBe('waiting');
    // a session this test process holds, standing in for a live `pyclaw run`
    const db = openDatabase(join(home, 'pyclaw.db'));
    const busy = new EventLog(db).createSession({ agentId: 'default' }).id;
    db.prepare(
      'INSERT INTO session_leases (session_id, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(busy, 'live', hostname(), process.pid, Date.now() + 600_000);
    db.close();
    writeFileSync(
      join(home, 'config.yaml'),
      delegatingConfig('a botanist').replace('a2a: { leaseSeconds: 600 }\n', ''),
    );
    // the helper's identity v1 is recorded by this first command; the edit below makes v2
    expect(reset(home, 'helper').identity).toEqual({ version: 1, previousVersion: null, recorded: true });
    writeFileSync(join(home, 'config.yaml'), delegatingConfig('a botanist who counts orchids'));
    expect(reset(home, 'helper').identity).toEqual({ version: 2, previousVersion: 1, recorded: true });
    const history = JSON.parse(runCli(home, ['agents', 'show', 'helper', '--json']).stdout).identityHistory;
    expect(history.map((v: { capsule: { role: string } }) => v.capsule.role)).toEqual([
      'a botanist',
      'a botanist who counts orchids',
    ]);

    const done = reset(home, 'default');
    expect(done.releasedLeases).toEqual([]);
    expect(done.busyLeases).toEqual([
      expect.objectContaining({ sessionId: busy, pid: process.pid, host: hostname() }),
    ]);
    expect(done.interruptedTurns).toEqual([]);
    expect(done.pendingApprovals).toEqual([
      expect.objectContaining({
        sessionId: waiting.sessionId,
        approvalId: waiting.outcome.approval.approvalId,
        tool: 'fs.write',
      }),
    ]);
    const text = runCli(home, ['agents', 'reset', 'default']).stdout;
    expect(text).toContain(
      `session ${busy} is busy: process ${process.pid} on ${hostname()} runs a turn in it`,
    );
    expect(text).toContain(`\`pyclaw approvals approve|deny ${waiting.outcome.approval.approvalId}\``);
  });

  it('names an unknown agent in one line and exits non-zero', () => {
    const home = tempDir();
    writeFileSync(join(home, 'config.yaml'), delegatingConfig());
    const result = runCli(home, ['agents', 'reset', 'ghost']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pyclaw: no agent "ghost" \(known: default, helper\).*\n$/);
  });
});
