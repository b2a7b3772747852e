import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/core/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { completion } from '../emulators/openai.js';
import { runCliAsync, startCli } from '../helpers/cli.js';
import { useOpenAiHomes } from '../helpers/openai-home.js';
import { isRunning } from '../helpers/process.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const openai = useOpenAiHomes(tempDir);

/** A home whose default agent may run any command without asking. */
function execHome(): { home: string; workspace: string } {
  return openai.agentHome({
    tools: '[exec]',
    // two failed calls in a row would otherwise send the answer to a judge
    agent: '    governor: { enabled: false }',
    rest: 'policy:\n  rules:\n    - { tool: exec, decision: allow }',
  });
}

function execCall(id: string, command: string) {
  const args = JSON.stringify({ command, timeout_ms: 300_000 });
  return completion({ toolCalls: [{ id, name: 'exec', arguments: args }] });
}

function allEvents(home: string): StoredEvent[] {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    const log = new EventLog(db);
    return log.listSessions().flatMap((session) => log.read(session.id));
  } finally {
    db.close();
  }
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The file's trimmed text once it has some. */
function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

describe('pyclaw panic', () => {
  it('ends a long exec running in another pyclaw process, blocks its next call, and records it in the session', async () => {
    const { home, workspace } = execHome();
    openai.emulator.reply(
      execCall('call_1', 'echo $$ > sleeper.pid && exec sleep 300'),
      execCall('call_2', 'echo should not run > ran.txt'),
      completion({ text: 'stopped' }),
    );
    const running = startCli(home, ['run', 'sleep for a while', '--json'], {}, workspace);
    const started = await until(() => allEvents(home).find((event) => event.type === 'tool.started'));
    const sleeper = Number(await until(() => readIfThere(join(workspace, 'sleeper.pid'))));
    expect(isRunning(sleeper)).toBe(true);

    const engaged = await runCliAsync(home, ['panic', 'on', '--reason', 'drill']);
    expect(engaged.stderr).toBe('');
    expect(engaged.stdout).toContain('panic is ON');

    const result = await running.result;
    expect(JSON.parse(result.stdout).outcome).toMatchObject({ status: 'completed', answer: 'stopped' });
    expect(isRunning(sleeper)).toBe(false);

    const events = allEvents(home).filter((event) => event.sessionId === started.sessionId);
    const audited = new Set([
      'policy.decided',
      'tool.started',
      'tool.result',
      'safety.blocked',
      'panic.engaged',
    ]);
    expect(events.map((event) => event.type).filter((type) => audited.has(type))).toEqual([
      'policy.decided',
      'tool.started',
      'panic.engaged',
      'safety.blocked',
      'tool.result',
      'safety.blocked',
      'policy.decided',
      'tool.result',
    ]);
    const decisions = events.filter((event) => event.type === 'policy.decided').map((event) => event.payload);
    expect(decisions).toEqual([
      expect.objectContaining({ decision: 'allow' }),
      expect.objectContaining({ decision: 'deny', rule: 'panic' }),
    ]);
    const results = events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results).toEqual([
      expect.objectContaining({ isError: true, preview: expect.stringContaining('cancelled') }),
      expect.objectContaining({ isError: true, preview: expect.stringContaining('panic is engaged') }),
    ]);
    expect(() => readFileSync(join(workspace, 'ran.txt'))).toThrow();

    const status = JSON.parse((await runCliAsync(home, ['panic', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ engaged: true, reason: 'drill', sessions: [started.sessionId] });

    // released: recorded in the session it reached, and commands run again
    expect((await runCliAsync(home, ['panic', 'off'])).stdout).toContain('panic is off');
    const released = allEvents(home).filter((event) => event.type === 'panic.released');
    expect(released.map((event) => event.sessionId)).toEqual([started.sessionId]);
    openai.emulator.reply(execCall('call_3', 'echo ran > ran.txt'), completion({ text: 'ran' }));
    const after = await runCliAsync(home, ['run', 'again', '--json'], {}, workspace);
    expect(JSON.parse(after.stdout).outcome).toMatchObject({ status: 'completed' });
    expect(readFileSync(join(workspace, 'ran.txt'), 'utf8')).toBe('ran\n');
  });

  it('/panic in pyclaw chat engages and releases the same switch', async () => {
    const { home, workspace } = execHome();
    const chat = startCli(home, ['chat'], {}, workspace);
    chat.child.stdin.end('/panic\n/panic status\n/panic off\n/panic sideways\n');
    const result = await chat.result;
    expect(result.stderr.split('\n').slice(0, 4)).toEqual([
      'panic is ON: tool calls are stopped and blocked everywhere; /panic off releases',
      'panic is ON: tool calls are stopped and blocked everywhere; /panic off releases',
      'panic is off',
      'pyclaw: unknown command /panic sideways; /help lists them',
    ]);
    const status = JSON.parse((await runCliAsync(home, ['panic', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ engaged: false, changedBy: 'user:chat' });
  });
});
