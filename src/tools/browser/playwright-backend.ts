import type { Browser, BrowserContext, Page } from 'playwright-core';
import { errorMessage, PyclawError } from '../../core/index.js';
import { type SafetyBlock, SafetyBlockedError } from '../../safety/index.js';
import type { BrowserBackend, PageElement, PageSummary } from './backend.js';
import { interactiveRoles, requireKnownRef } from './page-elements.js';

export interface PlaywrightBackendOptions {
  executablePath: string;
  timeoutMs: number;
  /** Why the browser may not request `url` (safety's domain rules), or undefined when it may. */
  blockedBy?: (url: string) => SafetyBlock | undefined;
  /** Most sessions with a tab at once; opening one more closes the tab used longest ago. Default 16. */
  maxTabs?: number;
}

/** Flags for a Chromium that runs unattended and phones nowhere on its own. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

interface SessionTab {
  context: BrowserContext;
  page: Page;
  /** Refs the last snapshot listed; cleared when the page navigates, since they then name nothing. */
  refs: Set<string> | undefined;
  /** A page load the domain rules stopped during the current call. */
  blocked: SafetyBlock | undefined;
}

/** An element of `ariaSnapshotJSON({ mode: 'ai' })`; text children come as plain strings. */
interface AriaNode {
  role?: string;
  name?: string;
  ref?: string;
  text?: string;
  checked?: boolean | 'mixed';
  disabled?: boolean;
  children?: (AriaNode | string)[];
}

/**
 * One headless Chromium per process, started on first use (playwright-core is imported only then), with
 * a browser context of its own per session: sessions share no cookies or storage.
 */
export function playwrightBackend(options: PlaywrightBackendOptions): BrowserBackend {
  let browser: Promise<Browser> | undefined;
  let closed = false;
  /** By session, least recently used first. */
  const tabs = new Map<string, Promise<SessionTab>>();
  const maxTabs = options.maxTabs ?? 16;

  const launch = async (): Promise<Browser> => {
    const { chromium } = await import('playwright-core');
    try {
      return await chromium.launch({ executablePath: options.executablePath, args: chromiumArgs });
    } catch (error) {
      throw new PyclawError(
        'browser.launch',
        `cannot start Chromium at ${options.executablePath}: ${errorMessage(error).split('\n')[0]}`,
        { hint: 'install chromium or set browser.executablePath in config.yaml' },
      );
    }
  };

  /** The running browser, launched if need be. One that failed to start or died is launched anew. */
  const running = (): Promise<Browser> => {
    if (browser) return browser;
    const started = launch();
    browser = started;
    const forget = () => {
      if (browser !== started) return;
      browser = undefined;
      // Its pages died with it; the sessions start over with browser.open.
      tabs.clear();
    };
    started.then((launched) => launched.on('disconnected', forget), forget);
    return started;
  };

  const newTab = async (): Promise<SessionTab> => {
    if (closed) throw new PyclawError('browser.closed', 'the browser was closed');
    const started = running();
    const context = await (await started).newContext();
    context.setDefaultTimeout(options.timeoutMs);
    const page = await context.newPage();
    const tab: SessionTab = { context, page, refs: undefined, blocked: undefined };
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) tab.refs = undefined;
    });
    if (options.blockedBy) await guardRequests(tab, options.blockedBy);
    return tab;
  };

  /** Runs a call that may load a page, and fails it when the domain rules stopped that load. */
  const guarded = async <T>(tab: SessionTab, action: () => Promise<T>): Promise<T> => {
    tab.blocked = undefined;
    let result: T;
    try {
      result = await action();
    } catch (error) {
      if (tab.blocked) throw new SafetyBlockedError(tab.blocked);
      throw error;
    }
    if (tab.blocked && tab.page.url().startsWith('chrome-error:')) throw new SafetyBlockedError(tab.blocked);
    return result;
  };

  /** The session's tab, now the most recently used. */
  const recent = (session: string): Promise<SessionTab> | undefined => {
    const tab = tabs.get(session);
    if (tab) {
      tabs.delete(session);
      tabs.set(session, tab);
    }
    return tab;
  };

  const tabOf = async (session: string): Promise<SessionTab> => {
    const tab = recent(session);
    if (!tab) {
      throw new PyclawError('browser.no-page', 'no page is open in this session', {
        hint: 'call browser.open with a URL first',
      });
    }
    return tab;
  };

  /** A long-running process serves many sessions; their tabs must not pile up. */
  const makeRoom = () => {
    for (const [session, tab] of tabs) {
      if (tabs.size < maxTabs) return;
      tabs.delete(session);
      tab.then(({ context }) => context.close()).catch(() => undefined);
    }
  };

  const summary = async (page: Page): Promise<PageSummary> => ({
    url: page.url(),
    title: await page.title(),
  });
  /** After an action: a navigation it started has loaded, so the title is the new page's. */
  const settled = async (page: Page): Promise<PageSummary> => {
    await page.waitForLoadState('load');
    return summary(page);
  };

  return {
    kind: 'playwright',

    async open(session, url, signal) {
      let tab = recent(session);
      if (!tab) {
        makeRoom();
        tab = newTab();
        tabs.set(session, tab);
        tab.catch(() => tabs.delete(session));
      }
      const opened = await tab;
      const response = await guarded(opened, () => opened.page.goto(url, { signal }));
      return { ...(await summary(opened.page)), ...(response ? { status: response.status() } : {}) };
    },

    async snapshot(session, signal) {
      const tab = await tabOf(session);
      const tree = (await tab.page.ariaSnapshotJSON({ mode: 'ai', signal })) as AriaNode[];
      const elements = interactiveElements(tree);
      tab.refs = new Set(elements.map((element) => element.ref));
      return { ...(await summary(tab.page)), elements };
    },

    async click(session, ref, signal) {
      const tab = await tabOf(session);
      requireKnownRef(tab.refs, ref);
      return guarded(tab, async () => {
        await tab.page.getByRef(ref).click({ signal });
        return settled(tab.page);
      });
    },

    async type(session, ref, text, submit, signal) {
      const tab = await tabOf(session);
      requireKnownRef(tab.refs, ref);
      const element = tab.page.getByRef(ref);
      return guarded(tab, async () => {
        await element.fill(text, { signal });
        if (submit) await element.press('Enter', { signal });
        return settled(tab.page);
      });
    },

    async text(session, signal) {
      const { page } = await tabOf(session);
      // biome-ignore lint/performance/useDomNodeTextContent: the text a user sees, without hidden nodes and scripts
      const text = await page.locator('body').innerText({ signal });
      return { ...(await summary(page)), text };
    },

    async screenshot(session, fullPage, signal) {
      const { page } = await tabOf(session);
      return { bytes: await page.screenshot({ type: 'png', fullPage, signal }), mime: 'image/png' };
    },

    async close() {
      closed = true;
      const started = browser;
      browser = undefined;
      tabs.clear();
      await (await started?.catch(() => undefined))?.close();
    },
  };
}

/**
 * Holds every request of the tab's page, redirects included, until the domain rules pass it; a refused
 * one fails as blocked-by-client. Playwright's own routing lets redirects through unseen, so this goes
 * to the DevTools protocol's Fetch domain, which pauses each hop. Popups the page opens are not covered.
 */
async function guardRequests(tab: SessionTab, blockedBy: (url: string) => SafetyBlock | undefined) {
  const cdp = await tab.context.newCDPSession(tab.page);
  cdp.on('Fetch.requestPaused', (event) => {
    const { url } = event.request;
    const block = /^(https?|wss?):/.test(url) ? blockedBy(url.replace(/^ws/, 'http')) : undefined;
    if (block && event.resourceType === 'Document') {
      tab.blocked = { rule: block.rule, reason: `${block.reason} (loading ${url})` };
    }
    const { requestId } = event;
    const answer = block
      ? cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' })
      : cdp.send('Fetch.continueRequest', { requestId });
    // The page may close while a request waits; its answer then has nowhere to go.
    answer.catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
}

/** The interactive elements of an AI-mode aria tree, in document order. */
function interactiveElements(nodes: readonly (AriaNode | string)[]): PageElement[] {
  const found: PageElement[] = [];
  const visit = (node: AriaNode | string) => {
    if (typeof node === 'string') return;
    if (node.ref && node.role && interactiveRoles.has(node.role)) {
      found.push({
        ref: node.ref,
        role: node.role,
        name: node.name ?? '',
        ...(node.text === undefined ? {} : { value: node.text }),
        ...(node.checked === true ? { checked: true } : {}),
        ...(node.disabled ? { disabled: true } : {}),
      });
    }
    for (const child of node.children ?? []) visit(child);
  };
  for (const node of nodes) visit(node);
  return found;
}
