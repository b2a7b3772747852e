import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openApp } from '../src/runtime/index.js';
import { median, type Result, timeMsAsync } from './measure.js';

const ROUNDS = 20;

const page = `<!doctype html><title>Bench</title><label>Name <input></label>
<button onclick="document.querySelector('p').textContent = 'Hello, ' + document.querySelector('input').value">Greet</button><p></p>`;

/**
 * The browser tools in headless Chromium against a page on 127.0.0.1, through the app's tool host: the
 * first open (Chromium starting), an open in a fresh session, a snapshot, and type + click + text.
 */
export async function browserTools(dir: string): Promise<Result[]> {
  const home = join(dir, 'browser-home');
  mkdirSync(home, { recursive: true });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  const signal = new AbortController().signal;
  const run = async (sessionId: string, tool: string, input: unknown) => {
    const ctx = { sessionId, turnId: 't', callId: 'c', workspaceRoots: [home], artifacts: app.artifacts };
    const result = await app.tools().run({ tool, input }, ctx, signal);
    if (result.isError) throw new Error(`${tool}: ${result.preview}`);
    return result.preview;
  };
  try {
    const firstOpen = await timeMsAsync(async () => void (await run('s0', 'browser.open', { url })));
    const opens: number[] = [];
    const snapshots: number[] = [];
    const actions: number[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const session = `s${i}`;
      opens.push(await timeMsAsync(async () => void (await run(session, 'browser.open', { url }))));
      const started = process.hrtime.bigint();
      const snapshot = await run(session, 'browser.snapshot', {});
      snapshots.push(Number(process.hrtime.bigint() - started) / 1e6);
      const ref = (role: string) =>
        /^(\S+) /m.exec(snapshot.split('\n').find((line) => line.includes(role)) ?? '')?.[1];
      actions.push(
        await timeMsAsync(async () => {
          await run(session, 'browser.type', { ref: ref('textbox'), text: `user ${i}` });
          await run(session, 'browser.click', { ref: ref('button') });
          if (!(await run(session, 'browser.text', {})).includes(`Hello, user ${i}`))
            throw new Error('no greeting');
        }),
      );
    }
    return [
      { name: 'browser: first open (Chromium starts)', value: firstOpen, unit: 'ms' },
      { name: 'browser: open in a new session p50', value: median(opens), unit: 'ms' },
      { name: 'browser: snapshot p50', value: median(snapshots), unit: 'ms' },
      { name: 'browser: type + click + text p50', value: median(actions), unit: 'ms' },
    ];
  } finally {
    await app.close();
    server.close();
  }
}
