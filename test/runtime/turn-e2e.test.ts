import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../../src/brain/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { completion } from '../emulators/openai.js';
import { runCliAsync, startCli } from '../helpers/cli.js';
import { useOpenAiHomes } from '../helpers/openai-home.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const openai = useOpenAiHomes(tempDir);

/** A home whose default agent asks the openai.emulator, may read and write files, and is allowed to write. */
function agentHome(timeoutMs = 2000): { home: string; workspace: string } {
  const made = openai.agentHome({
    tools: '[fs.read, fs.list, fs.write]',
    init: true,
    timeoutMs,
    rest: 'policy:\n  rules:\n    - { tool: fs.write, decision: allow }',
  });
  mkdirSync(join(made.workspace, 'notes'));
  writeFileSync(join(made.workspace, 'notes', 'today.txt'), 'buy milk\n');
  return made;
}

/** The model's side of the turn: list the notes, read one, then answer. */
function scriptTwoToolCallsThenAnswer(): void {
  openai.emulator.reply(
    completion({ toolCalls: [{ id: 'call_a', name: 'fs_list', arguments: '{"path":"notes"}' }] }),
    completion({ toolCalls: [{ id: 'call_b', name: 'fs_read', arguments: '{"path":"notes/today.txt"}' }] }),
    completion({ text: 'Your note says: buy milk.' }),
  );
}

function sessionEvents(home: string, sessionId: string) {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    return new EventLog(db).read(sessionId);
  } finally {
    db.close();
  }
}

describe('an agent turn through the built CLI', () => {
  it('runs two tool calls and answers, recording every phase, call and result in order', async () => {
    const { home, workspace } = agentHome();
    scriptTwoToolCallsThenAnswer();

    const result = await runCliAsync(home, ['run', 'What do my notes say?', '--json'], {}, workspace);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.outcome).toMatchObject({ status: 'completed', answer: 'Your note says: buy milk.' });

    const events = sessionEvents(home, output.sessionId);
    const shape = events.map((event) => {
      const payload = event.payload as Record<string, unknown>;
      if (event.type === 'turn.phase') return `phase:${payload.phase}${payload.skipped ? ' (skipped)' : ''}`;
      if (event.type === 'tool.requested') return `tool.requested:${payload.tool}`;
      return event.type;
    });
    expect(shape).toEqual([
      'user.message',
      'turn.started',
      'phase:interpret',
      'phase:plan',
      'context.packed',
      'llm.requested',
      'llm.responded',
      'phase:policy-gate',
      'tool.requested:fs.list',
      'policy.decided',
      'phase:act',
      'tool.started',
      'tool.result',
      'phase:observe',
      'phase:plan',
      'context.packed',
      'llm.requested',
      'llm.responded',
      'phase:policy-gate',
      'tool.requested:fs.read',
      'policy.decided',
      'phase:act',
      'tool.started',
      'tool.result',
      'phase:observe',
      'phase:plan',
      'context.packed',
      'llm.requested',
      'llm.responded',
      'phase:verify (skipped)',
      'phase:reflect (skipped)',
      'phase:respond',
      'assistant.message',
      'turn.completed',
    ]);
    const results = events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results).toEqual([
      expect.objectContaining({ isError: false, preview: expect.stringContaining('today.txt') }),
      expect.objectContaining({ isError: false, preview: 'buy milk\n' }),
    ]);

    // The model saw the tool results under its own call ids before answering.
    const lastRequest = openai.emulator.requests[2]?.body as {
      messages: { role: string; tool_call_id?: string }[];
    };
    expect(
      lastRequest.messages.filter((message) => message.role === 'tool').map((m) => m.tool_call_id),
    ).toEqual(['call_a', 'call_b']);
    expect(openai.emulator.requests).toHaveLength(3);

    const replay = await runCliAsync(home, ['sessions', 'replay', output.sessionId]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe(renderTranscript(events));
    expect(openai.emulator.requests).toHaveLength(3);
  });

  it('lets only one of two processes drive a session; the other says it is busy', async () => {
    // a model that may take a minute, so the first turn is surely still running when the second process asks
    const { home, workspace } = agentHome(60_000);
    openai.emulator.reply(completion({ text: 'hello' }));
    const first = JSON.parse((await runCliAsync(home, ['run', 'hi', '--json'], {}, workspace)).stdout);

    openai.emulator.reply({ type: 'hang' });
    const running = startCli(home, ['run', 'take your time', '--session', first.sessionId], {}, workspace);
    while (openai.emulator.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await runCliAsync(home, ['run', 'me too', '--session', first.sessionId], {}, workspace);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^pyclaw: session ${first.sessionId} is busy: pyclaw process \\d+ on .* is running a turn in it`,
      ),
    );
    expect(openai.emulator.requests).toHaveLength(2);
    running.child.kill('SIGKILL');
    await running.result;
  });
});
