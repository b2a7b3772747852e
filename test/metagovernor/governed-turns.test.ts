import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/core/index.js';
import type { ScriptedProvider } from '../../src/llm/index.js';
import { openApp, type PyclawApp, runInSession } from '../../src/runtime/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const opened: PyclawApp[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});

interface Setup {
  /** YAML flow sequence items for the scripted model, in order. */
  responses: string[];
  governor: string;
  tools?: string;
  extraAgent?: string;
  policy?: string;
}

/** A home whose default agent talks to a scripted model, with the given governor thresholds. */
async function governedAgent(setup: Setup) {
  const home = tempDir();
  const workspace = tempDir();
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script:
    kind: scripted
    responses:
${setup.responses.map((response) => `      - ${response}`).join('\n')}
agents:
  default:
    models:
      default: { provider: script, model: demo }
${setup.extraAgent ?? ''}
    tools: ${setup.tools ?? '[fs.read, fs.list, fs.write]'}
    governor: ${setup.governor}
policy:
  rules:
${setup.policy ?? '    - { tool: fs.write, decision: allow }'}
`,
  );
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  opened.push(app);
  const model = app.providers().get('script') as ScriptedProvider;
  const run = (message: string, more: Parameters<typeof runInSession>[1] = {}) =>
    runInSession(app, { message, workspaceRoots: [workspace], ...more });
  const events = (sessionId: string) => app.log.read(sessionId);
  return { app, model, run, events, workspace };
}

function ofType(events: StoredEvent[], type: string) {
  return events
    .filter((event) => event.type === type)
    .map((event) => event.payload as Record<string, unknown>);
}

describe('the metagovernor in real turns', () => {
  it('stops a turn whose tool calls keep failing, with the reason, before asking the model again', async () => {
    const { model, run, events } = await governedAgent({
      governor: '{ stopAfterFailures: 2 }',
      responses: [
        '{ toolCalls: [{ name: fs.read, arguments: { path: missing-1.txt } }] }',
        '{ toolCalls: [{ name: fs.read, arguments: { path: missing-2.txt } }] }',
        '{ text: never asked }',
      ],
    });
    const { sessionId, outcome } = await run('Read my notes');
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'governor.stop',
      error: 'the metagovernor stopped the turn: 2 tool calls failed in this turn (stopAfterFailures 2)',
    });
    expect(model.requests).toHaveLength(2);
    const log = events(sessionId);
    expect(ofType(log, 'directive.issued')).toEqual([
      expect.objectContaining({ directive: 'stop', signal: 'failures' }),
    ]);
    expect(log.at(-1)?.type).toBe('turn.failed');
  });

  it('stops a turn that has spent nearly all of its per-turn budget, before its tool call runs', async () => {
    const { run, events, workspace } = await governedAgent({
      governor: '{ stopAtBudget: 0.9 }',
      extraAgent: '      budget: { perTurn: { tokens: 100 } }',
      responses: [
        '{ toolCalls: [{ name: fs.write, arguments: { path: out.txt, content: x } }], usage: { inputTokens: 88, outputTokens: 4 } }',
      ],
    });
    const { sessionId, outcome } = await run('Write out.txt');
    expect(outcome).toMatchObject({ status: 'failed', code: 'governor.stop' });
    expect(outcome?.status === 'failed' && outcome.error).toMatch(
      /spent 92% of its per-turn budget \(92 tokens/,
    );
    expect(ofType(events(sessionId), 'tool.started')).toEqual([]);
    expect(existsSync(join(workspace, 'out.txt'))).toBe(false);
  });

  it('leaves the model only read-only tools once it repeats a call, and refuses a risky one it still makes', async () => {
    const write = '{ name: fs.write, arguments: { path: log.txt, content: "again\\n" } }';
    const { model, run, events, workspace } = await governedAgent({
      governor: '{ readOnlyAfterRepeats: 2 }',
      responses: [
        `{ toolCalls: [${write}] }`,
        `{ toolCalls: [${write}] }`,
        '{ toolCalls: [{ name: fs.read, arguments: { path: log.txt } }] }',
        '{ text: "log.txt says again." }',
      ],
    });
    const { sessionId, outcome } = await run('Log it');
    expect(outcome).toMatchObject({ status: 'completed', answer: 'log.txt says again.' });
    const log = events(sessionId);
    expect(ofType(log, 'directive.issued')).toEqual([
      expect.objectContaining({
        directive: 'disable_risky_tools',
        signal: 'repeats',
        reason: expect.stringContaining(
          'called fs.write {"content":"again\\n","path":"log.txt"} 2 times in a row',
        ),
      }),
    ]);
    const results = ofType(log, 'tool.result');
    expect(results[1]).toMatchObject({
      isError: true,
      preview: expect.stringContaining('only read-only tools may run now'),
    });
    expect(ofType(log, 'tool.started')).toHaveLength(2); // the first write and the read
    const offered = model.requests.map((request) => (request.tools ?? []).map((tool) => tool.name).sort());
    expect(offered).toEqual([
      ['fs.list', 'fs.read', 'fs.write'],
      ['fs.list', 'fs.read', 'fs.write'],
      ['fs.list', 'fs.read'],
      ['fs.list', 'fs.read'],
    ]);
    expect(readFileSync(join(workspace, 'log.txt'), 'utf8')).toBe('again\n');
  });

  it('turns the next risky call into an approval once risk adds up, even though policy allows it', async () => {
    const { run, events, workspace } = await governedAgent({
      governor: '{ askHumanAtRisk: 2 }',
      responses: [
        '{ toolCalls: [{ name: fs.read, arguments: { path: missing.txt } }] }',
        '{ toolCalls: [{ name: fs.write, arguments: { path: a.txt, content: a } }] }',
        '{ toolCalls: [{ name: fs.write, arguments: { path: b.txt, content: b } }] }',
        '{ text: done }',
      ],
    });
    const first = await run('Write a and b');
    expect(first.outcome).toMatchObject({ status: 'waiting', approval: { tool: 'fs.write' } });
    expect(existsSync(join(workspace, 'a.txt'))).toBe(false);
    const waiting = events(first.sessionId);
    expect(ofType(waiting, 'directive.issued')).toEqual([
      expect.objectContaining({ directive: 'ask_human', signal: 'risk' }),
    ]);
    expect(ofType(waiting, 'policy.decided').at(-1)).toMatchObject({
      decision: 'ask',
      reason: expect.stringMatching(/^the metagovernor asks a human: the turn's risk reached 2/),
    });

    const approvalId = first.outcome?.status === 'waiting' ? first.outcome.approval.approvalId : '';
    const second = await runInSessionAnswer(run, first.sessionId, approvalId);
    expect(second).toMatchObject({ status: 'completed', answer: 'done' });
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('a');
    // only the next risky call asks: the second write goes by policy again
    expect(ofType(events(first.sessionId), 'policy.decided').at(-1)).toMatchObject({ decision: 'allow' });
    expect(readFileSync(join(workspace, 'b.txt'), 'utf8')).toBe('b');
  });

  it('sends a hedged answer through the verify phase even when the agent does not verify', async () => {
    const { model, run, events } = await governedAgent({
      governor: '{}',
      responses: [
        `{ text: "I'm not sure, but it is probably Tuesday." }`,
        `{ text: '{"verdict":"pass","reason":"the date was not asked for exactly"}' }`,
      ],
    });
    const { sessionId, outcome } = await run('What day is it?');
    expect(outcome).toMatchObject({
      status: 'completed',
      answer: "I'm not sure, but it is probably Tuesday.",
    });
    const log = events(sessionId);
    expect(ofType(log, 'directive.issued')).toEqual([
      expect.objectContaining({
        directive: 'require_validation',
        signal: 'uncertainty',
        reason: `the model said "I'm not sure"`,
      }),
    ]);
    expect(ofType(log, 'turn.phase').find((phase) => phase.phase === 'verify')).toEqual(
      expect.not.objectContaining({ skipped: true }),
    );
    expect(ofType(log, 'verify.verdict')).toEqual([expect.objectContaining({ verdict: 'pass' })]);
    expect(model.requests).toHaveLength(2);
  });

  it('records nothing and changes nothing when the governor is off', async () => {
    const { run, events } = await governedAgent({
      governor: '{ enabled: false }',
      responses: [`{ text: "I'm not sure." }`],
    });
    const { sessionId, outcome } = await run('What day is it?');
    expect(outcome).toMatchObject({ status: 'completed' });
    const log = events(sessionId);
    expect(ofType(log, 'directive.issued')).toEqual([]);
    expect(ofType(log, 'turn.phase').find((phase) => phase.phase === 'verify')).toMatchObject({
      skipped: true,
    });
  });
});

async function runInSessionAnswer(
  run: (message: string, more?: Parameters<typeof runInSession>[1]) => ReturnType<typeof runInSession>,
  sessionId: string,
  approvalId: string,
) {
  const { resumed } = await run('', {
    sessionId,
    message: undefined,
    answer: { approvalId, decision: 'approve', by: 'test' },
  });
  return resumed[0];
}
