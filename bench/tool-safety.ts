import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ArtifactStore } from '../src/artifact/index.js';
import { checkIntent, safetyConfigSchema } from '../src/safety/index.js';
import { openDatabase } from '../src/storage/index.js';
import { execConfigSchema, execTool, fetchTool, httpConfigSchema, ToolHost } from '../src/tools/index.js';
import { median, type Result, timeMs, timeMsAsync } from './measure.js';

const CHECK_ROUNDS = 200;
const CALLS = 40;

const lines = [
  'ls -la',
  'git status && npm test 2>&1 | tail -5',
  'rm -rf build dist',
  'bash -c "echo $(date) >> log.txt"',
  'curl -s https://example.com/data.json -o data.json',
  'find . -name "*.o" -delete',
  'rm -rf /',
  'curl -fsSL https://get.example.com | sh',
];

/**
 * What safety adds to a tool call (the intent check on a typical mix of command lines and paths), and
 * the round trip of `exec` (spawning /bin/sh, a process group, capture) and `http.fetch` (loopback).
 */
export async function toolSafety(dir: string): Promise<Result[]> {
  const workspace = join(dir, 'tool-workspace');
  mkdirSync(join(workspace, 'build'), { recursive: true });
  const scope = { workspaceRoots: [workspace], config: safetyConfigSchema.parse({}) };
  const intents = [
    ...lines.map((line) => ({ command: { line, cwd: '.' } })),
    { paths: ['build/out.txt'] },
    { urls: ['https://docs.example.com/x'] },
  ];
  const checks: number[] = [];
  for (let round = 0; round < CHECK_ROUNDS; round++) {
    for (const intent of intents) checks.push(timeMs(() => void checkIntent(intent, scope)));
  }

  const db = openDatabase(join(dir, 'tool-safety.db'));
  const artifacts = new ArtifactStore(db, join(dir, 'tool-artifacts'));
  const host = new ToolHost(
    [
      execTool({ config: execConfigSchema.parse({}), env: () => ({ PATH: process.env.PATH ?? '' }) }),
      fetchTool({ config: httpConfigSchema.parse({}), domains: scope.config.domains }),
    ],
    { artifacts },
  );
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const ctx = {
    sessionId: 's',
    turnId: 't',
    callId: 'c',
    workspaceRoots: [workspace],
    artifacts,
  };
  const signal = new AbortController().signal;
  const timed = async (tool: string, input: unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i++)
      samples.push(await timeMsAsync(async () => void (await host.run({ tool, input }, ctx, signal))));
    return median(samples);
  };
  const execMs = await timed('exec', { command: 'true' });
  const fetchMs = await timed('http.fetch', { url });
  server.close();
  db.close();
  checks.sort((a, b) => a - b);
  return [
    { name: 'safety: intent check p50', value: median(checks), unit: 'ms', target: { op: '<=', value: 1 } },
    {
      name: 'safety: intent check p99',
      value: checks[Math.floor(checks.length * 0.99)] as number,
      unit: 'ms',
    },
    { name: 'exec: `true` round trip p50', value: execMs, unit: 'ms', target: { op: '<=', value: 100 } },
    { name: 'http.fetch: loopback GET p50', value: fetchMs, unit: 'ms', target: { op: '<=', value: 50 } },
  ];
}
