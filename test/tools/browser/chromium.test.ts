import { afterEach, describe, expect, it } from 'vitest';
import type { DomainRules } from '../../../src/safety/index.js';
import { playwrightBackend } from '../../../src/tools/browser/playwright-backend.js';
import { browserConfigSchema, browserTools, type ToolHost } from '../../../src/tools/index.js';
import { useToolWorkspace } from '../workspace-fixture.js';
import { refOf, useTestSite } from './test-site.js';

const openWorkspace = useToolWorkspace();
const startSite = useTestSite();
const hosts: ToolHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

function openChromium(domains?: DomainRules) {
  const tools = browserTools(browserConfigSchema.parse({ backend: 'playwright' }), {
    resolveSecret: () => {
      throw new Error('no secret is needed');
    },
    ...(domains ? { domains } : {}),
  });
  const workspace = openWorkspace({ extraTools: tools });
  hosts.push(workspace.host);
  return workspace;
}

describe('browser tools in Chromium', () => {
  it('open, snapshot, type, click and text drive a real page; a screenshot is a PNG artifact', async () => {
    const { run, store } = openChromium();
    const { url: site } = await startSite();

    expect(await run('browser.open', { url: `${site}/` })).toMatchObject({
      isError: false,
      preview: `opened (HTTP 200): page: "Greeter" at ${site}/`,
    });
    const snapshot = (await run('browser.snapshot', {})).preview;
    expect(snapshot.split('\n')[0]).toBe(`page: "Greeter" at ${site}/`);
    expect(snapshot).toMatch(/^e\d+ textbox "Name"$/m);
    expect(snapshot).toMatch(/^e\d+ button "Greet"$/m);
    expect(snapshot).toMatch(/^e\d+ link "About"$/m);
    expect(snapshot).not.toContain('Nobody greeted yet');

    const name = refOf(snapshot, 'textbox', 'Name');
    expect((await run('browser.type', { ref: name, text: 'Ada' })).preview).toBe(
      `typed into ${name}; page: "Greeter" at ${site}/`,
    );
    expect((await run('browser.snapshot', {})).preview).toContain(`${name} textbox "Name" = "Ada"`);
    const greet = refOf(snapshot, 'button', 'Greet');
    expect(await run('browser.click', { ref: greet })).toMatchObject({ isError: false });
    const text = await run('browser.text', {});
    expect(text.preview).toContain('Hello, Ada!');
    expect(text.preview).not.toContain('Nobody greeted yet');

    const shot = await run('browser.screenshot', {});
    expect(shot.isError).toBe(false);
    const [artifact] = shot.artifacts;
    expect(shot.preview).toMatch(/^screenshot stored as sha256:[0-9a-f]{64} \(image\/png, \d+ bytes\)$/);
    expect(store.stat(artifact as string)?.mime).toBe('image/png');
    const png = await store.getBytes(artifact as string);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('after a click navigates, old refs are refused until the next snapshot', async () => {
    const { run } = openChromium();
    const { url: site } = await startSite();
    await run('browser.open', { url: `${site}/` });
    const about = refOf((await run('browser.snapshot', {})).preview, 'link', 'About');
    expect((await run('browser.click', { ref: about })).preview).toBe(
      `clicked ${about}; page: "About" at ${site}/about`,
    );
    expect(await run('browser.click', { ref: about })).toMatchObject({
      isError: true,
      preview: `no snapshot of this page yet, so ${about} names nothing`,
    });
    const back = refOf((await run('browser.snapshot', {})).preview, 'link', 'Back');
    expect(await run('browser.click', { ref: 'e999' })).toMatchObject({
      isError: true,
      preview: 'no element e999 in the last snapshot of this page',
    });
    expect((await run('browser.click', { ref: back })).preview).toContain('page: "Greeter"');
  });

  it('each session has its own tab, and a session without one is told to open a page', async () => {
    const { run, host, ctx } = openChromium();
    const { url: site } = await startSite();
    await run('browser.open', { url: `${site}/about` });
    const other = { ...ctx, sessionId: 'session-2' };
    const signal = new AbortController().signal;
    expect(await host.run({ tool: 'browser.text', input: {} }, other, signal)).toMatchObject({
      isError: true,
      preview: 'no page is open in this session',
    });
    await host.run({ tool: 'browser.open', input: { url: `${site}/` } }, other, signal);
    expect((await run('browser.text', {})).preview).toContain('All about greeting.');
    expect((await host.run({ tool: 'browser.text', input: {} }, other, signal)).preview).toContain(
      'Nobody greeted yet',
    );
  });

  it('with safety.domains, no request reaches a denied host: not through a redirect, not through a link', async () => {
    const { run } = openChromium({ allow: [], deny: ['localhost'] });
    const site = await startSite();
    const port = new URL(site.url).port;
    const denied = `http://localhost:${port}/about`;
    expect(
      await run('browser.open', { url: `${site.url}/redirect?to=${encodeURIComponent(denied)}` }),
    ).toMatchObject({
      isError: true,
      preview: `blocked by safety: localhost is denied by safety.domains.deny (localhost) (loading ${denied})`,
      blocked: { rule: 'domain.deny' },
    });
    await run('browser.open', { url: `${site.url}/elsewhere` });
    const away = refOf((await run('browser.snapshot', {})).preview, 'link', 'Away');
    expect((await run('browser.click', { ref: away })).preview).toBe(
      `blocked by safety: localhost is denied by safety.domains.deny (localhost) (loading ${denied})`,
    );
    expect(await run('browser.open', { url: denied })).toMatchObject({
      isError: true,
      preview: 'blocked by safety: localhost is denied by safety.domains.deny (localhost)',
    });
    expect(site.hits).toEqual(
      expect.arrayContaining([`127.0.0.1:${port}/redirect`, `127.0.0.1:${port}/elsewhere`]),
    );
    expect(site.hits.filter((hit) => hit.startsWith('localhost'))).toEqual([]);
    expect(openChromium().host.intent({ tool: 'browser.open', input: { url: denied } })).toEqual({
      urls: [denied],
    });
  });

  it('refuses URLs that are not http(s) before starting anything', async () => {
    const { run } = openChromium();
    expect(await run('browser.open', { url: 'file:///etc/passwd' })).toMatchObject({
      isError: true,
      preview: 'browser.open takes http and https URLs, not file:',
    });
    expect(await run('browser.open', { url: 'example.com' })).toMatchObject({
      isError: true,
      preview: '"example.com" is not an absolute URL',
    });
  });

  it('says plainly when Chromium cannot be started', async () => {
    const tools = browserTools(browserConfigSchema.parse({ executablePath: '/nonexistent/chromium' }), {
      resolveSecret: (reference) => reference,
    });
    const { run, host } = openWorkspace({ extraTools: tools });
    hosts.push(host);
    const result = await run('browser.open', { url: 'http://127.0.0.1:9/' });
    expect(result.isError).toBe(true);
    expect(result.preview).toMatch(/^cannot start Chromium at \/nonexistent\/chromium: /);
  });
});

describe('the Chromium backend', () => {
  it('keeps at most maxTabs session tabs, closing the one used longest ago', async () => {
    const { url: site } = await startSite();
    const backend = playwrightBackend({ executablePath: '/usr/bin/chromium', timeoutMs: 15_000, maxTabs: 2 });
    const signal = new AbortController().signal;
    try {
      await backend.open('s1', `${site}/`, signal);
      await backend.open('s2', `${site}/about`, signal);
      await backend.text('s1', signal);
      await backend.open('s3', `${site}/`, signal);
      expect((await backend.text('s1', signal)).title).toBe('Greeter');
      expect((await backend.text('s3', signal)).title).toBe('Greeter');
      await expect(backend.text('s2', signal)).rejects.toThrow('no page is open in this session');
    } finally {
      await backend.close();
    }
  });
});
