import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideToolCall } from '../../../src/policy/index.js';
import { openApp } from '../../../src/runtime/index.js';
import { setSecret } from '../../../src/secret/index.js';
import { browserConfigSchema, browserTools, type ToolHost } from '../../../src/tools/index.js';
import { type PinchTabEmulator, startPinchTabEmulator } from '../../emulators/pinchtab.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { useToolWorkspace } from '../workspace-fixture.js';
import { refOf } from './test-site.js';

const openWorkspace = useToolWorkspace();
const tempDir = useTempDirs();
const token = 'pinchtab-token-3f9a1c77e2';
const emulators: PinchTabEmulator[] = [];
const hosts: ToolHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const emulator of emulators.splice(0)) await emulator.close();
});

async function startPinchTab(options: { token?: string } = {}) {
  const emulator = await startPinchTabEmulator(options);
  emulators.push(emulator);
  return emulator;
}

/** Browser tools on `browser.pinchtab` (backend auto), the token read through the secret reference. */
function openPinchTab(url: string, secret = token) {
  const config = browserConfigSchema.parse({ pinchtab: { url, token: 'secret:pinchtab_token' } });
  const tools = browserTools(config, {
    resolveSecret: (reference) => (reference === 'secret:pinchtab_token' ? secret : reference),
  });
  const workspace = openWorkspace({ extraTools: tools });
  hosts.push(workspace.host);
  return workspace;
}

describe('browser tools on a PinchTab server', () => {
  it('open, snapshot, type, click, text and screenshot go through its HTTP API with the bearer token', async () => {
    const pinchtab = await startPinchTab({ token });
    const { run, store } = openPinchTab(pinchtab.url);
    const site = 'http://greeter.test';

    expect((await run('browser.open', { url: `${site}/` })).preview).toBe(
      `opened: page: "Greeter" at ${site}/`,
    );
    const snapshot = (await run('browser.snapshot', {})).preview;
    expect(snapshot).toBe(
      [`page: "Greeter" at ${site}/`, 'e1 textbox "Name"', 'e2 button "Greet"', 'e3 link "About"'].join('\n'),
    );
    const name = refOf(snapshot, 'textbox', 'Name');
    expect((await run('browser.type', { ref: name, text: 'Ada' })).preview).toBe(
      `typed into e1; page: "Greeter" at ${site}/`,
    );
    expect((await run('browser.click', { ref: refOf(snapshot, 'button', 'Greet') })).isError).toBe(false);
    expect((await run('browser.text', {})).preview).toContain('Hello, Ada!');

    const shot = await run('browser.screenshot', {});
    const [artifact] = shot.artifacts;
    expect(store.stat(artifact as string)?.mime).toBe('image/png');
    expect((await store.getBytes(artifact as string)).subarray(1, 4).toString('latin1')).toBe('PNG');

    const [tabId] = pinchtab.openTabs();
    expect(pinchtab.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /navigate',
      `GET /tabs/${tabId}/snapshot?filter=interactive`,
      `POST /tabs/${tabId}/action`,
      'GET /tabs',
      `POST /tabs/${tabId}/action`,
      'GET /tabs',
      `GET /tabs/${tabId}/text?mode=raw`,
      `GET /tabs/${tabId}/screenshot?format=png&raw=true`,
    ]);
    expect(pinchtab.requests[0]?.body).toEqual({ url: `${site}/`, newTab: true });
    expect(pinchtab.requests[2]?.body).toEqual({ kind: 'fill', ref: 'e1', text: 'Ada' });
    expect(pinchtab.requests[4]?.body).toEqual({ kind: 'click', ref: 'e2' });
    expect(new Set(pinchtab.requests.map((request) => request.headers.authorization))).toEqual(
      new Set([`Bearer ${token}`]),
    );
  });

  it('by default policy lets the page be read but asks before opening, clicking or typing', async () => {
    const { host } = openPinchTab('http://127.0.0.1:9');
    const decisions = ['open', 'snapshot', 'click', 'type', 'text', 'screenshot'].map((action) => {
      const tool = `browser.${action}`;
      return `${tool} ${decideToolCall(tool, host.facts(tool)?.readOnly ?? false, { rules: [] }).decision}`;
    });
    expect(decisions).toEqual([
      'browser.open ask',
      'browser.snapshot allow',
      'browser.click ask',
      'browser.type ask',
      'browser.text allow',
      'browser.screenshot allow',
    ]);
  });

  it('keeps a tab per session, navigates it again on the next open, and closes every tab on close', async () => {
    const pinchtab = await startPinchTab();
    const { run, host, ctx } = openPinchTab(pinchtab.url);
    const signal = new AbortController().signal;
    await run('browser.open', { url: 'http://greeter.test/' });
    await run('browser.open', { url: 'http://greeter.test/about' });
    const other = { ...ctx, sessionId: 'session-2' };
    expect(await host.run({ tool: 'browser.snapshot', input: {} }, other, signal)).toMatchObject({
      isError: true,
      preview: 'no page is open in this session',
    });
    await host.run({ tool: 'browser.open', input: { url: 'http://greeter.test/' } }, other, signal);
    expect(pinchtab.openTabs()).toHaveLength(2);
    expect((await run('browser.text', {})).preview).toContain('All about greeting.');
    expect(pinchtab.requests[1]?.path).toMatch(/^\/tabs\/[0-9a-f]{32}\/navigate$/);

    await host.close();
    expect(pinchtab.openTabs()).toEqual([]);
  });

  it("reports PinchTab's refusals in one line: a wrong token, a stale ref, a server that is not there", async () => {
    const pinchtab = await startPinchTab({ token });
    const wrongToken = openPinchTab(pinchtab.url, 'not-the-token');
    expect(await wrongToken.run('browser.open', { url: 'http://greeter.test/' })).toMatchObject({
      isError: true,
      preview: 'PinchTab refused POST /navigate (401): unauthorized',
    });

    const { run } = openPinchTab(pinchtab.url);
    await run('browser.open', { url: 'http://greeter.test/' });
    await run('browser.snapshot', {});
    await run('browser.click', { ref: 'e3' });
    expect(await run('browser.click', { ref: 'e3' })).toMatchObject({
      isError: true,
      preview: expect.stringMatching(
        /^PinchTab POST \/tabs\/[0-9a-f]+\/action failed \(404\): ref e3 not found/,
      ),
    });

    await pinchtab.close();
    expect(await run('browser.text', {})).toMatchObject({
      isError: true,
      preview: expect.stringMatching(/^PinchTab at http:\/\/127\.0\.0\.1:\d+ did not answer: /),
    });
  });

  it('is chosen from config.yaml, its token read from the secrets file and never written anywhere', async () => {
    const pinchtab = await startPinchTab({ token });
    const home = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      `browser:\n  pinchtab:\n    url: ${pinchtab.url}\n    token: secret:pinchtab_token\n`,
    );
    setSecret(join(home, 'secrets'), 'pinchtab_token', token);
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const ctx = {
      sessionId: app.log.createSession({ title: 'browse' }).id,
      turnId: 'turn-1',
      callId: 'call-1',
      workspaceRoots: [home],
      artifacts: app.artifacts,
    };
    const signal = new AbortController().signal;
    const opened = await app
      .tools()
      .run({ tool: 'browser.open', input: { url: 'http://greeter.test/' } }, ctx, signal);
    expect(opened).toMatchObject({
      isError: false,
      preview: 'opened: page: "Greeter" at http://greeter.test/',
    });
    await app.close();

    expect(pinchtab.openTabs()).toEqual([]);
    const written = readdirSync(home, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name !== 'secrets')
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'));
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((content) => content.includes(token))).toEqual([]);
  });
});
