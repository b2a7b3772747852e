import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A2aQueue } from '../../src/a2a/index.js';
import type { StoredEvent } from '../../src/core/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { completion, startOpenAiEmulator } from '../emulators/openai.js';
import { runCli, runCliAsync, startCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const canary = 'canary-a2a-4f1c9e7b2d';
let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

/** Two agents on the emulator: boss may delegate, and so may helper, but only boss's session is shallow enough. */
function twoAgentHome(a2a: string): string {
  const home = tempDir();
  expect(runCli(home, ['init']).code).toBe(0);
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  emu: { kind: openai, baseURL: "${emulator.url}/v1", maxAttempts: 1, timeoutMs: 20000 }
agents:
  boss:
    models:
      default: { provider: emu, model: gpt-boss }
    tools: [agent.delegate]
  helper:
    identity: { role: a statistician who counts fruit }
    models:
      default: { provider: emu, model: gpt-helper }
    tools: [agent.delegate, fs.read, fs.write]
policy:
  rules:
    - { tool: agent.delegate, decision: allow }
a2a: ${a2a}
`,
  );
  return home;
}

interface Inspection {
  tasks: ReturnType<A2aQueue['list']>;
  events: (sessionId: string) => StoredEvent[];
  verified: (sessionId: string) => boolean;
}

function inspect<T>(home: string, look: (view: Inspection) => T): T {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    const log = new EventLog(db);
    return look({
      tasks: new A2aQueue(db).list(),
      events: (id) => log.read(id),
      verified: (id) => log.verify(id).ok,
    });
  } finally {
    db.close();
  }
}

function chatMessages(requestIndex: number): Array<{ role: string; content: unknown }> {
  const body = emulator.requests[requestIndex]?.body as {
    messages?: Array<{ role: string; content: unknown }>;
  };
  return body?.messages ?? [];
}

describe('agent.delegate', () => {
  it("a parent hands a task to a child agent by capability and answers with the child's result", async () => {
    const home = twoAgentHome('{ maxDepth: 1 }');
    emulator.reply(
      completion({
        toolCalls: [
          {
            id: 'call_d',
            name: 'agent_delegate',
            arguments: `{"capability":"counts fruit","task":"How many apples are in the crate? (key ${canary})"}`,
          },
        ],
      }),
      // the child tries to delegate further, which its depth forbids, then answers itself
      completion({
        toolCalls: [
          { id: 'call_x', name: 'agent_delegate', arguments: '{"agent":"boss","task":"you count"}' },
        ],
      }),
      completion({ text: 'There are 7 apples.' }),
      completion({ text: 'The helper counted 7 apples.' }),
    );
    const run = await runCliAsync(
      home,
      ['run', 'Ask the helper to count the apples', '--agent', 'boss', '--json'],
      { DEPLOY_API_KEY: canary },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { sessionId: string; outcome: { answer: string } };
    expect(result.outcome.answer).toBe('The helper counted 7 apples.');

    expect(JSON.stringify(chatMessages(1).at(-1))).toContain('How many apples are in the crate?');
    expect(JSON.stringify(emulator.requests.slice(1))).not.toContain(canary);
    expect(JSON.stringify(chatMessages(2).at(-1))).toContain('delegation refused');
    expect(chatMessages(3).at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('There are 7 apples.'),
    });

    inspect(home, ({ tasks, events, verified }) => {
      expect(tasks).toHaveLength(1);
      const [task] = tasks;
      expect(task).toMatchObject({
        fromAgent: 'boss',
        fromSessionId: result.sessionId,
        toAgent: 'helper',
        status: 'done',
        result: 'There are 7 apples.',
        task: expect.not.stringContaining(canary),
        attempts: 1,
        depth: 1,
      });
      const sent = events(result.sessionId).filter((event) => event.type === 'a2a.sent');
      expect(sent).toHaveLength(1);
      expect(sent[0]?.payload).toMatchObject({ messageId: task?.id, to: 'helper' });
      const child = events(task?.childSessionId as string);
      expect(child[0]).toMatchObject({
        type: 'a2a.received',
        payload: { messageId: task?.id, from: 'boss', fromSessionId: result.sessionId },
      });
      expect(child.filter((event) => event.type === 'turn.completed')).toHaveLength(1);
      expect(verified(result.sessionId) && verified(task?.childSessionId as string)).toBe(true);
    });
  });

  it("a child's approval is answered on the parent's channel; asked again, the parent gets the child's result", async () => {
    const home = twoAgentHome('{}');
    const workspace = tempDir();
    const delegate = (id: string) =>
      completion({
        toolCalls: [
          {
            id,
            name: 'agent_delegate',
            arguments: '{"agent":"helper","task":"Write the count to count.txt"}',
          },
        ],
      });
    emulator.reply(
      delegate('call_1'),
      completion({
        toolCalls: [{ id: 'call_w', name: 'fs_write', arguments: '{"path":"count.txt","content":"7\\n"}' }],
      }),
      completion({ text: 'The helper is waiting for your approval.' }),
    );
    const first = await runCliAsync(
      home,
      ['run', 'Have the helper write the count', '--agent', 'boss', '--json'],
      {},
      workspace,
    );
    expect(first.code).toBe(0);
    const parent = (JSON.parse(first.stdout) as { sessionId: string }).sessionId;
    const waiting = chatMessages(2).at(-1) as { role: string; content: string };
    expect(waiting.role).toBe('tool');
    const approvalId = /approval (\S+),/.exec(waiting.content)?.[1] as string;
    expect(waiting.content).toContain(`pyclaw approvals approve ${approvalId}`);

    emulator.reply(completion({ text: 'Wrote 7 to count.txt.' }));
    const approved = await runCliAsync(home, ['approvals', 'approve', approvalId], {}, workspace);
    expect(approved.code).toBe(0);
    expect(readFileSync(join(workspace, 'count.txt'), 'utf8')).toBe('7\n');

    emulator.reply(delegate('call_2'), completion({ text: 'Done: the helper wrote 7 to count.txt.' }));
    const second = await runCliAsync(home, ['run', 'Go on', '--session', parent, '--json'], {}, workspace);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).outcome.answer).toBe('Done: the helper wrote 7 to count.txt.');
    expect(chatMessages(5).at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('Wrote 7 to count.txt.'),
    });
    expect(emulator.requests).toHaveLength(6);
    inspect(home, ({ tasks, events }) => {
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: 'done', result: 'Wrote 7 to count.txt.', attempts: 2 });
      const sent = events(parent).filter((event) => event.type === 'a2a.sent');
      expect(sent.map((event) => (event.payload as { messageId: string }).messageId)).toEqual([
        tasks[0]?.id,
        tasks[0]?.id,
      ]);
    });
  });

  it('a worker killed mid-task loses its lease; the next worker re-leases it and exactly one result is stored', async () => {
    const home = twoAgentHome('{ leaseSeconds: 1 }');
    const db = openDatabase(join(home, 'pyclaw.db'));
    const taskId = new A2aQueue(db).enqueue({
      idempotencyKey: 'parent:call_1',
      fromAgent: 'boss',
      fromSessionId: 'parent',
      toAgent: 'helper',
      task: 'How many pears?',
      depth: 1,
    }).task.id;
    db.close();

    emulator.reply({ type: 'hang' });
    const first = startCli(home, ['a2a', 'work', '--once']);
    while (emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    first.child.kill('SIGKILL');
    await first.result;

    const leaseEnd = inspect(home, ({ tasks }) => tasks[0]?.leaseExpiresAt ?? 0);
    while (Date.now() <= leaseEnd) await new Promise((resolve) => setTimeout(resolve, 100));
    emulator.reply(completion({ text: 'Three pears.' }));
    const second = await runCliAsync(home, ['a2a', 'work', '--once']);
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain(`${taskId} (boss → helper) done: Three pears.`);
    expect((await runCliAsync(home, ['a2a', 'work', '--once'])).stdout).toContain('no task to work on');

    inspect(home, ({ tasks, events, verified }) => {
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: 'done', result: 'Three pears.', attempts: 2 });
      const child = events(tasks[0]?.childSessionId as string);
      const count = (type: string) => child.filter((event) => event.type === type).length;
      expect([count('a2a.received'), count('user.message'), count('turn.completed')]).toEqual([1, 1, 1]);
      expect(verified(tasks[0]?.childSessionId as string)).toBe(true);
    });
  });
});
