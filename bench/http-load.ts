import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpServer } from '../src/controlplane/index.js';
import type { StoredEvent } from '../src/core/index.js';
import { openApp } from '../src/runtime/index.js';
import type { Result } from './measure.js';

export interface HttpLoadOptions {
  sessions: number;
  turnsPerSession: number;
}

export interface HttpLoadReport {
  results: Result[];
  /** Every lost, repeated or out-of-order event and every turn that did not complete, one line each. */
  problems: string[];
}

const token = 'load-test-token-7f3a9c';

/**
 * Many sessions at once through the HTTP API of one in-process server, each sending its messages one
 * after another, with a scripted agent (a folder listing, then an answer). Afterwards every session's
 * events are read back through the SSE endpoint and checked against the log: one `user.message` and one
 * completed turn per message, seqs 1..N with none missing or repeated, and an intact hash chain.
 */
export async function httpLoad(dir: string, options: HttpLoadOptions): Promise<HttpLoadReport> {
  const home = join(dir, 'load-home');
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script:
    kind: scripted
    repeat: true
    perTurn: true
    responses:
      - toolCalls: [{ name: fs.list, arguments: { path: "." } }]
      - text: "Listed the folder."
agents:
  default:
    models:
      default: { provider: script, model: demo }
    tools: [fs.list]
http:
  token: \${env:PYCLAW_LOAD_TOKEN}
`,
  );
  const app = await openApp({ env: { PYCLAW_HOME: home, PYCLAW_LOAD_TOKEN: token } });
  const server = await startHttpServer(app, { port: 0 });
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; outcome?: { status: string } };
  };
  try {
    const latencies: number[] = [];
    const problems: string[] = [];
    const started = performance.now();
    const sessionIds = await Promise.all(
      Array.from({ length: options.sessions }, async (_, index) => {
        const { id } = await call('/v1/sessions', {});
        for (let turn = 0; turn < options.turnsPerSession; turn++) {
          const sent = performance.now();
          const result = await call(`/v1/sessions/${id}/messages`, {
            text: `session ${index}, message ${turn}`,
          });
          latencies.push(performance.now() - sent);
          if (result.outcome?.status !== 'completed') {
            problems.push(`session ${id} turn ${turn}: ${result.outcome?.status ?? 'no outcome'}`);
          }
        }
        return id;
      }),
    );
    const elapsedMs = performance.now() - started;
    for (const sessionId of sessionIds) {
      const streamed = await streamedEvents(server.url, sessionId, app.log.read(sessionId).length);
      problems.push(...checkSession(sessionId, streamed, options.turnsPerSession));
      const chain = app.log.verify(sessionId);
      if (!chain.ok) problems.push(`session ${sessionId}: hash chain broken at seq ${chain.firstBadSeq}`);
    }
    latencies.sort((a, b) => a - b);
    const turns = options.sessions * options.turnsPerSession;
    const label = `${options.sessions} concurrent HTTP sessions`;
    return {
      problems,
      results: [
        { name: `${label}: turns/s`, value: turns / (elapsedMs / 1000), unit: 'turns/s' },
        { name: `${label}: turn p50`, value: latencies[Math.floor(turns * 0.5)] ?? 0, unit: 'ms' },
        { name: `${label}: turn p99`, value: latencies[Math.floor(turns * 0.99)] ?? 0, unit: 'ms' },
        {
          name: `${label}: lost or repeated events`,
          value: problems.length,
          unit: 'problems',
          target: { op: '<=', value: 0 },
        },
      ],
    };
  } finally {
    await server.close();
    await app.close();
  }
}

function checkSession(sessionId: string, events: StoredEvent[], turns: number): string[] {
  const problems: string[] = [];
  events.forEach((event, index) => {
    if (event.seq !== index + 1)
      problems.push(`session ${sessionId}: event ${index + 1} has seq ${event.seq}`);
  });
  const count = (type: string) => events.filter((event) => event.type === type).length;
  if (count('user.message') !== turns)
    problems.push(`session ${sessionId}: ${count('user.message')} messages`);
  if (count('turn.completed') !== turns) {
    problems.push(`session ${sessionId}: ${count('turn.completed')} completed turns of ${turns}`);
  }
  if (new Set(events.map((event) => event.id)).size !== events.length) {
    problems.push(`session ${sessionId}: an event id repeats`);
  }
  return problems;
}

/** The session's events as the SSE endpoint streams them from the start, until `count` have come. */
async function streamedEvents(url: string, sessionId: string, count: number): Promise<StoredEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/v1/sessions/${sessionId}/events?after=0`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const events: StoredEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block.split('\n').find((line) => line.startsWith('data:'));
      if (data) events.push(JSON.parse(data.slice(5)) as StoredEvent);
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events;
}
