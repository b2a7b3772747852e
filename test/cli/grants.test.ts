import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { completion } from '../emulators/openai.js';
import { runCliAsync } from '../helpers/cli.js';
import { useOpenAiHomes } from '../helpers/openai-home.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const openai = useOpenAiHomes(tempDir);

/** A home whose default agent may run commands, each of which asks first (no rule allows exec). */
function execHome(): { home: string; workspace: string } {
  return openai.agentHome({ tools: '[exec]' });
}

interface Turn {
  sessionId: string;
  status: 'completed' | 'waiting' | 'failed';
}

/**
 * Each command is its own `pyclaw` process: the model asks to run `command`, then answers. The turn
 * either completes (the call was allowed or denied without asking) or waits for an approval.
 */
async function runCommand(home: string, workspace: string, command: string, session?: string): Promise<Turn> {
  openai.emulator.reply(
    completion({ toolCalls: [{ id: 'call_1', name: 'exec', arguments: JSON.stringify({ command }) }] }),
    completion({ text: 'done' }),
  );
  const args = ['run', `please run ${command}`, '--json', ...(session ? ['--session', session] : [])];
  const result = await runCliAsync(home, args, {}, workspace);
  const output = JSON.parse(result.stdout) as { sessionId: string; outcome: { status: Turn['status'] } };
  return { sessionId: output.sessionId, status: output.outcome.status };
}

async function cli(home: string, args: string[], workspace?: string) {
  const result = await runCliAsync(home, args, {}, workspace);
  expect(result.stderr, args.join(' ')).not.toMatch(/internal error/);
  return result;
}

async function approve(home: string, workspace: string, grantOptions: string[]): Promise<void> {
  const pending = JSON.parse((await cli(home, ['approvals', 'list', '--json'])).stdout) as {
    approvalId: string;
  }[];
  expect(pending).toHaveLength(1);
  const approved = await cli(
    home,
    ['approvals', 'approve', pending[0]?.approvalId ?? '', ...grantOptions, '--json'],
    workspace,
  );
  expect(JSON.parse(approved.stdout).resumed[0]).toMatchObject({ status: 'completed' });
}

interface ListedGrant {
  id: string;
  scope: string;
  status: string;
  expiresAt: number | null;
  createdAt: number;
  match: { tool: string; command?: string };
}

async function listGrants(home: string): Promise<ListedGrant[]> {
  return JSON.parse((await cli(home, ['grants', 'list', '--json'])).stdout) as ListedGrant[];
}

function events(home: string, sessionId: string) {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    return new EventLog(db).read(sessionId);
  } finally {
    db.close();
  }
}

// Each step is a pyclaw process of its own, so a test here runs many of them.
describe('grants from answered approvals, across pyclaw processes', { timeout: 180_000 }, () => {
  it('approving once covers that call only: the same command asks again', async () => {
    const { home, workspace } = execHome();
    const first = await runCommand(home, workspace, 'echo one');
    expect(first.status).toBe('waiting');
    await approve(home, workspace, []);
    expect(await listGrants(home)).toEqual([]);
    expect((await runCommand(home, workspace, 'echo one', first.sessionId)).status).toBe('waiting');
  });

  it('--session covers the same command in later runs of that session only, until revoked', async () => {
    const { home, workspace } = execHome();
    const first = await runCommand(home, workspace, 'echo two');
    await approve(home, workspace, ['--session']);
    const [grant] = await listGrants(home);
    expect(grant).toMatchObject({
      scope: 'session',
      status: 'live',
      match: { tool: 'exec', command: 'echo two' },
    });

    // a new process in the same session: runs without asking, and the decision names the grant
    expect((await runCommand(home, workspace, 'echo two', first.sessionId)).status).toBe('completed');
    const decided = events(home, first.sessionId)
      .filter((event) => event.type === 'policy.decided')
      .map((event) => event.payload);
    expect(decided.at(-1)).toMatchObject({ decision: 'allow', grantId: grant?.id });
    expect(events(home, first.sessionId).map((event) => event.type)).toContain('grant.created');

    // another session is not covered
    const other = await runCommand(home, workspace, 'echo two');
    expect(other.status).toBe('waiting');
    await cli(home, ['approvals', 'deny', (await pendingIds(home))[0] ?? '']);

    // revoked: the very next call asks again
    const revoked = await cli(home, ['grants', 'revoke', grant?.id ?? '']);
    expect(revoked.stdout).toContain(`revoked grant ${grant?.id}`);
    expect((await runCommand(home, workspace, 'echo two', first.sessionId)).status).toBe('waiting');
    expect(events(home, first.sessionId).filter((event) => event.type === 'grant.revoked')).toHaveLength(1);
    expect((await listGrants(home))[0]?.status).toBe('revoked');
  });

  it('--always covers every new session of the agent, and a deny rule added later still wins', async () => {
    const { home, workspace } = execHome();
    await runCommand(home, workspace, 'echo three');
    await approve(home, workspace, ['--always']);
    expect((await runCommand(home, workspace, 'echo three')).status).toBe('completed');

    appendFileSync(
      join(home, 'config.yaml'),
      'policy:\n  rules:\n    - { tool: exec, command: echo, decision: deny }\n',
    );
    const denied = await runCommand(home, workspace, 'echo three');
    expect(denied.status).toBe('completed');
    const results = events(home, denied.sessionId).filter((event) => event.type === 'tool.result');
    expect(results.map((event) => event.payload)).toEqual([
      expect.objectContaining({ isError: true, preview: expect.stringContaining('denied by policy') }),
    ]);
    expect((await listGrants(home))[0]?.status).toBe('live');
  });

  it('--for covers the command until its time, then it asks again', async () => {
    const { home, workspace } = execHome();
    const first = await runCommand(home, workspace, 'echo four');
    await approve(home, workspace, ['--for', '2s']);
    const [grant] = await listGrants(home);
    expect(grant).toMatchObject({ scope: 'until' });
    expect((grant?.expiresAt ?? 0) - (grant?.createdAt ?? 0)).toBe(2000);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, (grant?.expiresAt ?? 0) - Date.now() + 1)),
    );
    expect((await listGrants(home))[0]?.status).toBe('expired');
    expect((await runCommand(home, workspace, 'echo four', first.sessionId)).status).toBe('waiting');
  });

  it('refuses two grant scopes at once and a duration it cannot read, in one line', async () => {
    const { home } = execHome();
    const both = await cli(home, ['approvals', 'approve', 'x', '--session', '--always']);
    expect(both.stderr).toBe('pyclaw: choose one of --for, --session and --always\n');
    expect(both.code).toBe(1);
    const bad = await cli(home, ['approvals', 'approve', 'x', '--for', 'soon']);
    expect(bad.stderr).toMatch(/--for <duration>.*expected a duration like 15m, 2h or 30s/);
    expect(bad.code).not.toBe(0);
  });
});

async function pendingIds(home: string): Promise<string[]> {
  const pending = JSON.parse((await cli(home, ['approvals', 'list', '--json'])).stdout) as {
    approvalId: string;
  }[];
  return pending.map((approval) => approval.approvalId);
}
