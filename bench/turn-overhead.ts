import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NewEvent, newId } from '../src/core/index.js';
import { openApp, type PyclawApp, runInSession } from '../src/runtime/index.js';
import { type Result, settleDisk } from './measure.js';

/**
 * Turns run first in a session of their own, so the measured ones meet a process in its steady state,
 * as a daemon's or a chat's is: V8 is still optimising the turn's code for the first few hundred turns.
 */
const WARMUP_TURNS = 400;
const MEASURED_TURNS = 300;
const EARLIER_EVENTS = 100_000;

/**
 * Framework overhead of one whole turn, in process: lease, resume check, every phase decided and
 * recorded, one model call to the scripted provider (which answers at once) and one fs.read, the answer.
 * Measured on a fresh session and on one with 100,000 earlier events: the cost must not grow with history.
 */
export async function turnOverhead(dir: string): Promise<Result[]> {
  const home = join(dir, 'turn-home');
  const workspace = join(dir, 'turn-workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'note.txt'), 'buy milk\n');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.yaml'), configWithScriptedTurns(WARMUP_TURNS + 2 * MEASURED_TURNS));
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  try {
    const warmUp = await timeTurns(
      app,
      app.log.createSession({ title: 'warm-up' }).id,
      workspace,
      WARMUP_TURNS,
    );
    settleDisk();
    const fresh = await timeTurns(app, app.log.createSession({ title: 'fresh' }).id, workspace);
    const long = app.log.createSession({ title: 'long' }).id;
    fillWithEarlierTurns(app, long);
    settleDisk();
    const withHistory = await timeTurns(app, long, workspace);
    return [
      { name: `turn overhead p50, the process's first ${WARMUP_TURNS} turns`, value: warmUp.p50, unit: 'ms' },
      {
        name: 'turn overhead p50, fresh session',
        value: fresh.p50,
        unit: 'ms',
        target: { op: '<=', value: 5 },
      },
      { name: 'turn overhead p99, fresh session', value: fresh.p99, unit: 'ms' },
      {
        name: 'turn overhead p50, after 100,000 events',
        value: withHistory.p50,
        unit: 'ms',
        target: { op: '<=', value: 5 },
      },
      { name: 'turn overhead p99, after 100,000 events', value: withHistory.p99, unit: 'ms' },
      {
        name: 'turn overhead p50 growth with history',
        value: withHistory.p50 / fresh.p50,
        unit: 'x',
        target: { op: '<=', value: 1.5 },
      },
    ];
  } finally {
    await app.close();
  }
}

/** A home whose default agent reads a file and answers, once per turn, from a script long enough for all turns. */
function configWithScriptedTurns(turns: number): string {
  const oneTurn = [
    '      - toolCalls: [{ name: fs.read, arguments: { path: note.txt } }]',
    '      - text: "Your note says: buy milk."',
  ];
  return [
    'providers:',
    '  script:',
    '    kind: scripted',
    '    responses:',
    ...Array.from({ length: turns }, () => oneTurn).flat(),
    'agents:',
    '  default:',
    '    models:',
    '      default: { provider: script, model: bench }',
    '    tools: [fs.read]',
    '',
  ].join('\n');
}

async function timeTurns(app: PyclawApp, sessionId: string, workspace: string, turns = MEASURED_TURNS) {
  const samples: number[] = [];
  for (let i = 0; i < turns; i++) {
    const start = process.hrtime.bigint();
    const result = await runInSession(app, {
      sessionId,
      message: 'What does my note say?',
      workspaceRoots: [workspace],
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.outcome?.status !== 'completed') throw new Error(`bench turn ended ${result.outcome?.status}`);
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Completed turns of ten events each, as a plain answered turn leaves them, up to EARLIER_EVENTS. */
function fillWithEarlierTurns(app: PyclawApp, sessionId: string): void {
  const turnsPerBatch = 1_000;
  for (let n = 0; n < EARLIER_EVENTS; n += turnsPerBatch * 10) {
    app.log.appendBatch(
      sessionId,
      Array.from({ length: turnsPerBatch }, (_, t) => answeredTurn(`${n + t}`)).flat(),
    );
  }
}

function answeredTurn(label: string): NewEvent[] {
  const turnId = newId();
  const phase = (name: string, extra: Record<string, unknown> = {}): NewEvent => ({
    type: 'turn.phase',
    actor: 'runtime',
    turnId,
    payload: { phase: name, ...extra },
  });
  return [
    { type: 'user.message', actor: 'user', turnId, payload: { text: `question ${label}` } },
    {
      type: 'turn.started',
      actor: 'runtime',
      turnId,
      payload: { agentId: 'default', input: `question ${label}` },
    },
    phase('interpret'),
    phase('plan', { from: 'interpret' }),
    {
      type: 'llm.requested',
      actor: 'agent:default',
      turnId,
      payload: { provider: 'script', model: 'bench' },
    },
    { type: 'llm.responded', actor: 'agent:default', turnId, payload: { text: `answer ${label}` } },
    phase('verify', { from: 'plan', skipped: true, reason: 'verify is off for this agent' }),
    phase('respond', { from: 'verify' }),
    { type: 'assistant.message', actor: 'agent:default', turnId, payload: { text: `answer ${label}` } },
    { type: 'turn.completed', actor: 'runtime', turnId, payload: { answer: `answer ${label}` } },
  ];
}
