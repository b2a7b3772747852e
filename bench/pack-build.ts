import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NewEvent, newId } from '../src/core/index.js';
import { ModelRouter } from '../src/llm/index.js';
import { openApp, type PyclawApp } from '../src/runtime/index.js';
import { promptFor } from '../src/runtime/prompt-pack.js';
import type { Result } from './measure.js';

const SAMPLES = 200;

/**
 * Time to pack the first model call of a new turn, the way the runtime does it: read the summary and
 * the recent window, search memory, build under budgets, store the pack, append `context.packed`.
 * On a session of 1,000 events and on one of 1,000,000: the cost must not grow with the session.
 */
export async function packBuild(dir: string): Promise<Result[]> {
  const home = join(dir, 'pack-home');
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.yaml'),
    [
      'providers:',
      '  script: { kind: scripted }',
      'agents:',
      '  default:',
      '    models:',
      '      default: { provider: script, model: bench }',
      '    tools: [fs.read, fs.list]',
      '',
    ].join('\n'),
  );
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  try {
    const small = await timePacks(app, 1_000);
    const large = await timePacks(app, 1_000_000);
    return [
      {
        name: 'pack build p50, 1,000-event session',
        value: small,
        unit: 'ms',
        target: { op: '<=', value: 5 },
      },
      {
        name: 'pack build p50, 1,000,000-event session',
        value: large,
        unit: 'ms',
      },
      {
        name: 'pack build growth 1k → 1M events',
        value: large / small,
        unit: 'x',
        target: { op: '<=', value: 1.5 },
      },
    ];
  } finally {
    await app.close();
  }
}

async function timePacks(app: PyclawApp, events: number): Promise<number> {
  const sessionId = app.log.createSession({ title: `${events} events` }).id;
  fill(app, sessionId, events);
  const agent = app.registry().get('default');
  const env = {
    log: app.log,
    db: app.db,
    artifacts: app.artifacts,
    agent,
    contextWindow: 8192,
    router: new ModelRouter({
      providers: app.providers(),
      models: agent.models as NonNullable<typeof agent.models>,
    }),
    memory: app.memory(),
    skills: [],
  };
  const tools = app.tools().specs(agent.tools);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES + 10; i++) {
    const turnId = newId();
    const input = `question ${i} about the notes`;
    const turnEvents = app.log.appendBatch(sessionId, [
      { type: 'user.message', actor: 'user', turnId, payload: { text: input } },
      { type: 'turn.started', actor: 'runtime', turnId, payload: { agentId: 'default', input } },
    ]);
    const start = process.hrtime.bigint();
    await promptFor(env, { sessionId, turnId, stepId: 'plan-1', events: turnEvents, tools });
    if (i >= 10) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    app.log.append(sessionId, {
      type: 'turn.completed',
      actor: 'runtime',
      turnId,
      payload: { answer: 'ok' },
    });
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

/** Answered turns with a tool call each (seven events), in batches, up to `count` events. */
function fill(app: PyclawApp, sessionId: string, count: number): void {
  let batch: NewEvent[] = [];
  for (let n = 0; n < count; n += 7) {
    batch.push(...answeredTurn(n));
    if (batch.length >= 10_000) {
      app.log.appendBatch(sessionId, batch);
      batch = [];
    }
  }
  if (batch.length > 0) app.log.appendBatch(sessionId, batch);
}

function answeredTurn(n: number): NewEvent[] {
  const turnId = newId();
  const at = (event: Omit<NewEvent, 'turnId' | 'actor'>, actor = 'agent:default') =>
    ({ ...event, turnId, actor }) as NewEvent;
  return [
    at({ type: 'user.message', payload: { text: `what is in note ${n}?` } }, 'user'),
    at({ type: 'turn.started', payload: { agentId: 'default', input: `what is in note ${n}?` } }, 'runtime'),
    at({
      type: 'llm.responded',
      stepId: 'plan-1',
      payload: {
        text: '',
        toolCalls: [{ id: `c${n}`, name: 'fs.read', arguments: { path: `note-${n}.txt` } }],
      },
    }),
    at(
      {
        type: 'tool.result',
        stepId: 'plan-1',
        payload: { callId: 'plan-1.0', isError: false, preview: `note ${n}: buy milk, call the plumber` },
      },
      'tool',
    ),
    at({ type: 'llm.responded', stepId: 'plan-2', payload: { text: `Note ${n} says: buy milk.` } }),
    at({ type: 'assistant.message', payload: { text: `Note ${n} says: buy milk.` } }),
    at({ type: 'turn.completed', payload: { answer: `Note ${n} says: buy milk.` } }, 'runtime'),
  ];
}
