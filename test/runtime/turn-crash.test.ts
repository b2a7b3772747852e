import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../../src/brain/index.js';
import type { StoredEvent } from '../../src/core/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { completion } from '../emulators/openai.js';
import { runCliAsync } from '../helpers/cli.js';
import { useOpenAiHomes } from '../helpers/openai-home.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const openai = useOpenAiHomes(tempDir);

const question = 'Copy my note into done.txt';
const answer = 'Copied "buy milk" into done.txt.';

function agentHome(): { home: string; workspace: string } {
  const made = openai.agentHome({
    tools: '[fs.read, fs.write]',
    init: true,
    rest: 'policy:\n  rules:\n    - { tool: fs.write, decision: allow }',
  });
  writeFileSync(join(made.workspace, 'note.txt'), 'buy milk\n');
  return made;
}

/** Read (idempotent), then write (not idempotent), then answer. */
function scriptTurn(): void {
  openai.emulator.reply(
    completion({ toolCalls: [{ id: 'call_r', name: 'fs_read', arguments: '{"path":"note.txt"}' }] }),
    completion({
      toolCalls: [
        { id: 'call_w', name: 'fs_write', arguments: '{"path":"done.txt","content":"buy milk\\n"}' },
      ],
    }),
    completion({ text: answer }),
  );
}

function readLog(home: string): { sessionId: string; events: StoredEvent[]; verified: boolean } {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    const log = new EventLog(db);
    const [session] = log.listSessions();
    if (!session) throw new Error('no session was created');
    return { sessionId: session.id, events: log.read(session.id), verified: log.verify(session.id).ok };
  } finally {
    db.close();
  }
}

// Every distinct point of the turn: after each event type, and after each of the two tool calls'
// start and result (the second tool, fs.write, is the one that must never run twice).
const crashPoints = [
  'user.message',
  'turn.phase',
  'context.packed',
  'llm.requested',
  'llm.responded',
  'tool.requested',
  'policy.decided',
  'tool.started',
  'tool.result',
  'tool.requested#2',
  'tool.started#2',
  'tool.result#2',
  'llm.requested#3',
  'llm.responded#3',
  'assistant.message',
];

describe('a turn killed with SIGKILL at each point', () => {
  it.each(crashPoints)(
    'after %s resumes to the same answer without repeating recorded work',
    async (point) => {
      const { home, workspace } = agentHome();
      scriptTurn();

      const killed = await runCliAsync(
        home,
        ['run', question],
        { PYCLAW_TEST_CRASH_AFTER: point },
        workspace,
      );
      expect(killed.code).toBe(null);

      let resumed = await runCliAsync(home, ['resume', '--json'], {}, workspace);
      const waiting = JSON.parse(resumed.stdout).sessions[0]?.resumed[0];
      const writeInDoubt = point === 'tool.requested#2' || point === 'tool.started#2';
      if (writeInDoubt) {
        // fs.write's intent, verdict and start commit together, just before it runs: after that commit
        // it may or may not have written before the kill, and it is not idempotent, so the turn asks.
        expect(waiting).toMatchObject({ status: 'waiting', approval: { tool: 'fs.write', inDoubt: true } });
        resumed = await runCliAsync(
          home,
          ['approvals', 'deny', waiting.approval.approvalId, '--json'],
          {},
          workspace,
        );
      }
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);

      const { sessionId, events, verified } = readLog(home);
      expect(verified).toBe(true);
      const completed = events.filter((event) => event.type === 'turn.completed');
      expect(completed.map((event) => event.payload)).toEqual([{ answer }]);
      // No step whose answer was recorded was asked again: the model saw exactly one request per step.
      expect(openai.emulator.requests).toHaveLength(3);
      const writeStarts = events.filter(
        (event) =>
          event.type === 'tool.started' && (event.payload as { callId: string }).callId === 'plan-2.0',
      );
      expect(writeStarts).toHaveLength(1);
      if (!writeInDoubt) expect(readFileSync(join(workspace, 'done.txt'), 'utf8')).toBe('buy milk\n');

      const replay = await runCliAsync(home, ['sessions', 'replay', sessionId]);
      expect(replay.code).toBe(0);
      expect(replay.stdout).toBe(renderTranscript(events));
    },
  );
});
