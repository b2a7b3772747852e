import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openApp } from '../src/runtime/index.js';
import { mcpServerCommand, startHttpMcpServer } from '../test/fixtures/mcp-fixture.js';
import { median, type Result, timeMsAsync } from './measure.js';

const CALLS = 50;

/**
 * MCP tools through the app's tool host, with the test server (test/fixtures/mcp-server.ts, run by tsx):
 * the first `loadTools` (the stdio server starting and listing its tools), then read-only calls over
 * stdio and over Streamable HTTP on loopback.
 */
export async function mcpTools(dir: string): Promise<Result[]> {
  const home = join(dir, 'mcp-home');
  const notes = join(dir, 'mcp-notes');
  mkdirSync(home, { recursive: true });
  mkdirSync(notes, { recursive: true });
  writeFileSync(join(notes, 'todo.txt'), 'water the plants\n');
  const http = await startHttpMcpServer({ NOTES_DIR: notes });
  writeFileSync(
    join(home, 'config.yaml'),
    stringify({
      mcp: {
        servers: { notes: { ...mcpServerCommand, env: { NOTES_DIR: notes } }, web: { url: http.url } },
      },
    }),
  );
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  const signal = new AbortController().signal;
  const ctx = { sessionId: 's', turnId: 't', callId: 'c', workspaceRoots: [home], artifacts: app.artifacts };
  const calls = async (tool: string): Promise<number> => {
    const timings: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      timings.push(
        await timeMsAsync(async () => {
          const result = await app.tools().run({ tool, input: { name: 'todo.txt' } }, ctx, signal);
          if (result.isError) throw new Error(`${tool}: ${result.preview}`);
        }),
      );
    }
    return median(timings);
  };
  try {
    const stdioStart = await timeMsAsync(async () => void (await app.loadTools(['mcp.notes.*'])));
    const httpConnect = await timeMsAsync(async () => void (await app.loadTools(['mcp.web.*'])));
    return [
      { name: 'mcp: stdio server start + tools/list (tsx)', value: stdioStart, unit: 'ms' },
      { name: 'mcp: HTTP connect + tools/list', value: httpConnect, unit: 'ms' },
      { name: 'mcp: read-only call over stdio p50', value: await calls('mcp.notes.read_note'), unit: 'ms' },
      { name: 'mcp: read-only call over HTTP p50', value: await calls('mcp.web.read_note'), unit: 'ms' },
    ];
  } finally {
    await app.close();
    http.stop();
  }
}
