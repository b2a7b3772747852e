import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A2aQueue } from '../../src/a2a/index.js';
import type { StoredEvent } from '../../src/core/index.js';
import type { PendingApproval, TurnOutcome } from '../../src/runtime/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { completion, startOpenAiEmulator } from '../emulators/openai.js';
import { runCli, runCliAsync, startCli } from '../helpers/cli.js';
import { useServer } from '../helpers/serve.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const startServer = useServer();
const canary = 'canary-a2a-4f1c9e7b2d';
let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

/**
 * Two agents on the emulator: boss may delegate, and so may helper, but only boss's session is shallow
 * enough. `budget`: boss's `models.budget`; `limits`: both agents' turn limits.
 */
function twoAgentConfig(a2a: string, options: { budget?: string; limits?: string } = {}): string {
  const limits = options.limits ? `limits: ${options.limits}` : '';
  return `providers:
  emu: { kind: openai, baseURL: "${emulator.url}/v1", maxAttempts: 1, timeoutMs: 20000 }
agents:
  boss:
    models:
      default: { provider: emu, model: gpt-boss }
      ${options.budget ? `budget: ${options.budget}` : ''}
    tools: [agent.delegate]
    ${limits}
  helper:
    identity: { role: a statistician who counts fruit }
    models:
      default: { provider: emu, model: gpt-helper }
    tools: [agent.delegate, fs.read, fs.write]
    ${limits}
policy:
  rules:
    - { tool: agent.delegate, decision: allow }
a2a: ${a2a}
`;
}

function twoAgentHome(...config: Parameters<typeof twoAgentConfig>): string {
  const home = tempDir();
  expect(runCli(home, ['init']).code).toBe(0);
  writeFileSync(join(home, 'config.yaml'), twoAgentConfig(...config));
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

const delegateWrite = completion({
  toolCalls: [
    {
      id: 'call_1',
      name: 'agent_delegate',
      arguments: '{"agent":"helper","task":"Write the count to count.txt"}',
    },
  ],
});
const helperWrites = completion({
  toolCalls: [{ id: 'call_w', name: 'fs_write', arguments: '{"path":"count.txt","content":"7\\n"}' }],
});
const writeSummary = 'fs.write {"path":"count.txt","content":"7\\n"}';

/** The emulator got `count` requests, no two alike: nothing was asked twice. */
function expectNoRepeatedRequests(count: number): void {
  const bodies = emulator.requests.map((request) => JSON.stringify(request.body));
  expect(bodies).toHaveLength(count);
  expect(new Set(bodies).size).toBe(count);
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

  it("a child's approval is asked and approved on the parent's channel; the same parent turn then answers with the child's result", async () => {
    // the human answers later than the turns' wall-time limit, which counts only the turns' own work
    const wallTimeMs = 4000;
    const home = twoAgentHome('{}', { limits: `{ maxWallTimeMs: ${wallTimeMs} }` });
    const workspace = tempDir();
    emulator.reply(delegateWrite, helperWrites);
    const first = await runCliAsync(
      home,
      ['run', 'Have the helper write the count', '--agent', 'boss', '--json'],
      {},
      workspace,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const waiting = JSON.parse(first.stdout) as { sessionId: string; outcome: TurnOutcome };
    const parent = waiting.sessionId;
    expect(waiting.outcome).toMatchObject({
      status: 'waiting',
      approval: { tool: 'agent.delegate', summary: `agent "helper" asks: ${writeSummary}`, inDoubt: false },
    });
    const { approvalId } = (waiting.outcome as Extract<TurnOutcome, { status: 'waiting' }>).approval;
    const childSession = inspect(home, ({ tasks }) => tasks[0]?.childSessionId as string);
    // only the parent's approval is listed: the child's is answered through it
    const listed = JSON.parse(runCli(home, ['approvals', 'list', '--json']).stdout) as PendingApproval[];
    expect(listed).toEqual([
      expect.objectContaining({
        approvalId,
        sessionId: parent,
        relayed: { sessionId: childSession, approvalId: expect.any(String) },
      }),
    ]);
    expect(emulator.requests).toHaveLength(2);

    await sleep(wallTimeMs + 500);
    emulator.reply(
      completion({ text: 'Wrote 7 to count.txt.' }),
      completion({ text: 'Done: the helper wrote 7 to count.txt.' }),
    );
    const approved = await runCliAsync(
      home,
      ['approvals', 'approve', approvalId, '--always', '--json'],
      {},
      workspace,
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({
      sessionId: parent,
      resumed: [
        {
          status: 'completed',
          turnId: waiting.outcome.turnId,
          answer: 'Done: the helper wrote 7 to count.txt.',
        },
      ],
    });
    expect(readFileSync(join(workspace, 'count.txt'), 'utf8')).toBe('7\n');
    expect(chatMessages(3).at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('\nWrote 7 to count.txt.\n</data>'),
    });
    expectNoRepeatedRequests(4);
    // approving always grants the helper's write, not the boss's delegation
    const grants = JSON.parse(runCli(home, ['grants', 'list', '--json']).stdout) as unknown[];
    expect(grants).toEqual([
      expect.objectContaining({ agentId: 'helper', match: expect.objectContaining({ tool: 'fs.write' }) }),
    ]);

    inspect(home, ({ tasks, events, verified }) => {
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: 'done', result: 'Wrote 7 to count.txt.', attempts: 2 });
      const parentEvents = events(parent);
      const count = (type: string) => parentEvents.filter((event) => event.type === type).length;
      expect([
        count('turn.started'),
        count('a2a.sent'),
        count('a2a.received'),
        count('turn.completed'),
      ]).toEqual([1, 1, 1, 1]);
      const resolved = (session: string) =>
        events(session)
          .filter((event) => event.type === 'approval.resolved')
          .map((event) => event.payload);
      expect(resolved(parent)).toEqual([
        expect.objectContaining({ approvalId, decision: 'approve', scope: 'forever', by: 'user:cli' }),
      ]);
      expect(resolved(childSession)).toEqual([
        expect.objectContaining({ decision: 'approve', scope: 'forever', by: 'user:cli' }),
      ]);
      expect(verified(parent) && verified(childSession)).toBe(true);
    });
  });

  it("a child's approval denied in the parent's chat: the child answers without the write and the parent is told", async () => {
    const home = twoAgentHome('{}');
    const workspace = tempDir();
    emulator.reply(
      delegateWrite,
      helperWrites,
      completion({ text: 'I could not write count.txt: a human said no.' }),
      completion({ text: 'The helper was not allowed to write the count.' }),
    );
    const running = startCli(home, ['chat', '--agent', 'boss'], {}, workspace);
    running.child.stdin.write('Have the helper write the count\n');
    while (!/waiting for approval/.test(running.output().stderr)) await sleep(50);
    running.child.stdin.end('/deny\n');
    const chat = await running.result;
    expect(chat.code).toBe(0);
    expect(chat.stderr).toMatch(/waiting for approval \S+: agent "helper" asks: fs\.write/);
    expect(chat.stdout).toContain('The helper was not allowed to write the count.');
    expect(existsSync(join(workspace, 'count.txt'))).toBe(false);
    expect(chatMessages(2).at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('denied by user:chat'),
    });
    expect(chatMessages(3).at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining(
        `\nI could not write count.txt: a human said no.\n(user:chat denied: agent "helper" asks: ${writeSummary})\n</data>`,
      ),
    });
    expectNoRepeatedRequests(4);
    inspect(home, ({ tasks, events, verified }) => {
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        status: 'done',
        result: 'I could not write count.txt: a human said no.',
      });
      const parent = tasks[0]?.fromSessionId as string;
      const ends = events(parent).filter(
        (event) => event.type.startsWith('turn.') && event.type !== 'turn.phase',
      );
      expect(ends.map((event) => event.type)).toEqual(['turn.started', 'turn.completed']);
      expect(verified(parent) && verified(tasks[0]?.childSessionId as string)).toBe(true);
    });
  });

  it("over the HTTP API, the parent's approval is listed and approved for a while; the grant is the helper's", async () => {
    const server = await startServer(twoAgentConfig('{}'));
    emulator.reply(delegateWrite, helperWrites);
    const session = (await server.call('/v1/sessions', { method: 'POST', json: { agentId: 'boss' } })).body
      .id;
    const asked = await server.call(`/v1/sessions/${session}/messages`, {
      method: 'POST',
      json: { text: 'Have the helper write the count' },
    });
    expect(asked.body.outcome).toMatchObject({ status: 'waiting', approval: { tool: 'agent.delegate' } });
    const pending = (await server.call('/v1/approvals')).body;
    expect(pending).toEqual([
      expect.objectContaining({ sessionId: session, summary: `agent "helper" asks: ${writeSummary}` }),
    ]);

    emulator.reply(
      completion({ text: 'Wrote 7 to count.txt.' }),
      completion({ text: 'Done: the helper wrote 7 to count.txt.' }),
    );
    const approved = await server.call(`/v1/approvals/${pending[0].approvalId}`, {
      method: 'POST',
      json: { decision: 'approve', scope: 'until', minutes: 30 },
    });
    expect(approved.body.resumed).toEqual([
      expect.objectContaining({ status: 'completed', answer: 'Done: the helper wrote 7 to count.txt.' }),
    ]);
    expect(readFileSync(join(server.workspace, 'count.txt'), 'utf8')).toBe('7\n');
    const grants = (await server.call('/v1/grants')).body;
    expect(grants).toEqual([
      expect.objectContaining({ agentId: 'helper', tool: 'fs.write', scope: 'until', status: 'live' }),
    ]);
    expect(grants[0].expiresAt - Date.now()).toBeGreaterThan(29 * 60_000);
    expectNoRepeatedRequests(4);
  });

  it("the child's tokens count toward the parent turn's budget: a child that spends it stops the parent", async () => {
    const home = twoAgentHome('{}', { budget: '{ perTurn: { tokens: 200 } }' });
    emulator.reply(
      completion({
        toolCalls: [
          { id: 'call_d', name: 'agent_delegate', arguments: '{"agent":"helper","task":"Count the apples"}' },
        ],
      }),
      completion({ text: 'There are 7 apples.', usage: { prompt_tokens: 300, completion_tokens: 40 } }),
    );
    const run = await runCliAsync(home, [
      'run',
      'Ask the helper to count the apples',
      '--agent',
      'boss',
      '--json',
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { sessionId: string; outcome: TurnOutcome };
    expect(result.outcome).toMatchObject({
      status: 'failed',
      code: 'governor.stop',
      error: expect.stringContaining('357 tokens'),
    });
    expect(emulator.requests).toHaveLength(2);
    inspect(home, ({ events }) => {
      const received = events(result.sessionId).filter((event) => event.type === 'a2a.received');
      expect(received.map((event) => event.payload)).toEqual([
        expect.objectContaining({
          from: 'helper',
          result: 'There are 7 apples.',
          usage: { inputTokens: 300, outputTokens: 40 },
        }),
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
