import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { StoredEvent } from '../../src/core/index.js';
import { openApp, type PyclawApp, replaySession, runInSession } from '../../src/runtime/index.js';
import { setSecret } from '../../src/secret/index.js';
import { mcpServerCommand } from '../fixtures/mcp-fixture.js';
import { runCli } from '../helpers/cli.js';
import { isRunning } from '../helpers/process.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

interface NotesHome {
  home: string;
  notes: string;
  pidFile: string;
}

/** A home whose default agent follows `script` (a scripted provider) and may use the notes server's tools. */
function notesHome(
  script: unknown[],
  extra: Record<string, unknown> = {},
  serverEnv: Record<string, string> = {},
): NotesHome {
  const home = tempDir();
  const notes = tempDir();
  const pidFile = join(tempDir(), 'mcp.pid');
  writeFileSync(join(notes, 'todo.txt'), 'water the plants\n');
  const config = {
    providers: { script: { kind: 'scripted', responses: script } },
    agents: {
      default: { models: { default: { provider: 'script', model: 'script' } }, tools: ['mcp.notes.*'] },
    },
    mcp: {
      servers: { notes: { ...mcpServerCommand, env: { NOTES_DIR: notes, PID_FILE: pidFile, ...serverEnv } } },
    },
    ...extra,
  };
  writeFileSync(join(home, 'config.yaml'), stringify(config));
  return { home, notes, pidFile };
}

const call = (name: string, args: Record<string, unknown>) => ({ toolCalls: [{ name, arguments: args }] });

function turnEvents(app: PyclawApp, sessionId: string, turnId: string): StoredEvent[] {
  return app.log.read(sessionId).filter((event) => event.turnId === turnId);
}

function payloadsOf(events: StoredEvent[], type: string): Record<string, unknown>[] {
  return events
    .filter((event) => event.type === type)
    .map((event) => event.payload as Record<string, unknown>);
}

describe('MCP tools in a turn', () => {
  it('runs a read-only MCP tool at once, asks before a destructive one, and stops the server on close', async () => {
    const { home, notes, pidFile } = notesHome([
      call('mcp.notes.read_note', { name: 'todo.txt' }),
      { text: 'Your note says: water the plants.' },
      call('mcp.notes.delete_note', { name: 'todo.txt' }),
      { text: 'Deleted it.' },
    ]);
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    expect(existsSync(pidFile)).toBe(false);

    const first = await runInSession(app, { message: 'What is on my todo list?' });
    expect(first.outcome).toMatchObject({ status: 'completed', answer: 'Your note says: water the plants.' });
    const read = turnEvents(app, first.sessionId, first.outcome?.turnId ?? '');
    expect(payloadsOf(read, 'tool.requested')).toMatchObject([
      { tool: 'mcp.notes.read_note', input: { name: 'todo.txt' } },
    ]);
    expect(payloadsOf(read, 'policy.decided')).toMatchObject([{ decision: 'allow' }]);
    expect(payloadsOf(read, 'tool.result')).toMatchObject([
      { isError: false, preview: 'water the plants\n' },
    ]);

    const second = await runInSession(app, { sessionId: first.sessionId, message: 'Delete it.' });
    expect(second.outcome).toMatchObject({ status: 'waiting', approval: { tool: 'mcp.notes.delete_note' } });
    expect(existsSync(join(notes, 'todo.txt'))).toBe(true);
    const approvalId = second.outcome?.status === 'waiting' ? second.outcome.approval.approvalId : '';
    const approved = await runInSession(app, {
      sessionId: first.sessionId,
      answer: { approvalId, decision: 'approve', by: 'user' },
    });
    expect(approved.resumed).toMatchObject([{ status: 'completed', answer: 'Deleted it.' }]);
    expect(existsSync(join(notes, 'todo.txt'))).toBe(false);

    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(pid)).toBe(true);
    await app.close();
    expect(isRunning(pid)).toBe(false);
  });

  it('lets a policy rule on mcp.<server>.* override what the annotations imply', async () => {
    const { home } = notesHome([call('mcp.notes.env_value', { name: 'HOME' }), { text: 'Not allowed.' }], {
      policy: { rules: [{ tool: 'mcp.notes.*', decision: 'deny', reason: 'notes are off limits' }] },
    });
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const { sessionId, outcome } = await runInSession(app, { message: 'Where is home?' });
      expect(outcome).toMatchObject({ status: 'completed', answer: 'Not allowed.' });
      const events = turnEvents(app, sessionId, outcome?.turnId ?? '');
      expect(payloadsOf(events, 'policy.decided')).toMatchObject([
        { decision: 'deny', rule: 'mcp.notes.* → deny' },
      ]);
      expect(payloadsOf(events, 'tool.result')).toMatchObject([
        { isError: true, preview: 'denied by policy: notes are off limits' },
      ]);
    } finally {
      await app.close();
    }
  });

  it('keeps a secret given to a server out of the log, even when the server sends it back', async () => {
    const canary = 'canary-mcp-7f3a91c2e4b8';
    const { home } = notesHome(
      [call('mcp.notes.env_value', { name: 'NOTE_TOKEN' }), { text: 'Done.' }],
      {},
      { NOTE_TOKEN: 'secret:notes_token' },
    );
    setSecret(join(home, 'secrets'), 'notes_token', canary);
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const { sessionId, outcome } = await runInSession(app, { message: 'Show the token.' });
      const [result] = payloadsOf(turnEvents(app, sessionId, outcome?.turnId ?? ''), 'tool.result');
      expect(result).toMatchObject({ isError: false, preview: '[REDACTED:notes_token]' });
    } finally {
      await app.close();
    }
    for (const file of ['pyclaw.db', 'pyclaw.db-wal', join('logs', 'pyclaw.log')]) {
      const path = join(home, file);
      if (existsSync(path)) expect(readFileSync(path).includes(canary), file).toBe(false);
    }
  });

  it('pyclaw run calls an MCP tool through the built CLI', () => {
    const { home } = notesHome([
      call('mcp.notes.read_note', { name: 'todo.txt' }),
      { text: 'Water the plants.' },
    ]);
    const result = runCli(home, ['run', 'What is on my todo list?', '--json']);
    expect(result.stderr).toBe('');
    const { sessionId, outcome } = JSON.parse(result.stdout);
    expect(outcome).toMatchObject({ status: 'completed', answer: 'Water the plants.' });
    const events = runCli(home, ['sessions', 'events', sessionId, '--type', 'tool.result', '--json']);
    expect(JSON.parse(events.stdout)).toMatchObject([
      { payload: { isError: false, preview: 'water the plants\n' } },
    ]);
  });

  it('replays a session with MCP calls without starting the server', async () => {
    const { home, pidFile } = notesHome([
      call('mcp.notes.read_note', { name: 'todo.txt' }),
      { text: 'Your note says: water the plants.' },
    ]);
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const { sessionId } = await runInSession(app, { message: 'What is on my todo list?' });
    await app.close();
    const serverStarts = readFileSync(pidFile, 'utf8');

    writeFileSync(pidFile, '');
    const replaying = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const { transcript, problems } = replaySession(replaying, sessionId);
      expect(problems).toEqual([]);
      expect(transcript).toContain('mcp.notes.read_note');
      expect(transcript).toContain('Your note says: water the plants.');
      expect(readFileSync(pidFile, 'utf8')).toBe('');
    } finally {
      await replaying.close();
    }
    expect(serverStarts).not.toBe('');
  });

  it('refuses to start a turn when a server cannot start, naming it, and leaves no session behind', async () => {
    const home = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      stringify({
        providers: { script: { kind: 'scripted', responses: [{ text: 'hi' }] } },
        agents: {
          default: { models: { default: { provider: 'script', model: 'script' } }, tools: ['mcp.*'] },
        },
        mcp: { servers: { ghost: { command: join(home, 'no-such-server') } } },
      }),
    );
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      await expect(runInSession(app, { message: 'hello' })).rejects.toThrow(
        /^MCP server "ghost" did not start: .*ENOENT/,
      );
      expect(app.log.listSessions()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
