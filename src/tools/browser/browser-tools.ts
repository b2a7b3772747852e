import { z } from 'zod';
import { PyclawError } from '../../core/index.js';
import { type DomainRules, domainBlock, SafetyBlockedError } from '../../safety/index.js';
import { defineTool, type Tool, type ToolAnnotations } from '../contract.js';
import type { BrowserBackend } from './backend.js';
import type { BrowserConfig } from './browser-config.js';
import { pageLine, renderSnapshot } from './page-elements.js';
import { pinchTabBackend } from './pinchtab-backend.js';
import { playwrightBackend } from './playwright-backend.js';

export interface BrowserToolOptions {
  /** Resolves `browser.pinchtab.token`, a secret reference. */
  resolveSecret: (reference: string) => string;
  /**
   * Safety's domain rules. `browser.open` checks its URL (and declares it as intent, so the turn runner
   * checks it before policy too); in Chromium they also stop every later request (redirects, clicked
   * links, form posts, page resources) to a refused host.
   */
  domains?: DomainRules;
}

const acting: ToolAnnotations = { readOnly: false, destructive: false, idempotent: false, openWorld: true };
const reading: ToolAnnotations = { readOnly: true, destructive: false, idempotent: true, openWorld: true };

const ref = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/)
  .describe('An element ref from browser.snapshot, e.g. e5');

/**
 * `browser.open|snapshot|click|type|text|screenshot`, over PinchTab or Chromium as config says. Each
 * session has its own tab. The backend starts on the first call; the tools share one `close`.
 */
export function browserTools(config: BrowserConfig, options: BrowserToolOptions): Tool[] {
  let backend: BrowserBackend | undefined;
  const browser = () => {
    backend ??= createBackend(config, options);
    return backend;
  };
  const close = async () => {
    await backend?.close();
    backend = undefined;
  };

  const open = defineTool({
    name: 'browser.open',
    description:
      "Open an http(s) URL in this session's browser tab (created on first use). Then call browser.snapshot to see what can be clicked or typed into.",
    input: z.strictObject({ url: z.string().min(1).describe('Absolute http or https URL') }),
    annotations: { ...acting, idempotent: true },
    intent: ({ url }) => ({ urls: [url] }),
    async execute(ctx, input, signal) {
      const url = openableUrl(input.url);
      const block = options.domains && domainBlock(url.href, options.domains);
      if (block) throw new SafetyBlockedError(block);
      const page = await browser().open(ctx.sessionId, url.href, signal);
      const status = page.status === undefined ? '' : ` (HTTP ${page.status})`;
      return { content: `opened${status}: ${pageLine(page)}` };
    },
    close,
  });

  const snapshot = defineTool({
    name: 'browser.snapshot',
    description:
      'List the interactive elements of the open page (links, buttons, fields), one per line with a ref like e5 for browser.click and browser.type. Refs change when the page does: snapshot again after navigating.',
    input: z.strictObject({}),
    annotations: reading,
    async execute(ctx, _input, signal) {
      return { content: renderSnapshot(await browser().snapshot(ctx.sessionId, signal)) };
    },
    close,
  });

  const click = defineTool({
    name: 'browser.click',
    description: 'Click the element with this ref (from browser.snapshot) on the open page.',
    input: z.strictObject({ ref }),
    annotations: acting,
    async execute(ctx, input, signal) {
      const page = await browser().click(ctx.sessionId, input.ref, signal);
      return { content: `clicked ${input.ref}; ${pageLine(page)}` };
    },
    close,
  });

  const type = defineTool({
    name: 'browser.type',
    description:
      'Replace the value of the field with this ref (from browser.snapshot) with text; submit presses Enter afterwards.',
    input: z.strictObject({
      ref,
      text: z.string().describe('The new value of the field'),
      submit: z.boolean().default(false).describe('Press Enter after typing'),
    }),
    annotations: acting,
    async execute(ctx, input, signal) {
      const page = await browser().type(ctx.sessionId, input.ref, input.text, input.submit, signal);
      return {
        content: `typed into ${input.ref}${input.submit ? ' and pressed Enter' : ''}; ${pageLine(page)}`,
      };
    },
    close,
  });

  const text = defineTool({
    name: 'browser.text',
    description: 'Read the visible text of the open page.',
    input: z.strictObject({}),
    annotations: reading,
    async execute(ctx, _input, signal) {
      const page = await browser().text(ctx.sessionId, signal);
      return { content: `${pageLine(page)}\n\n${page.text}` };
    },
    close,
  });

  const screenshot = defineTool({
    name: 'browser.screenshot',
    description: 'Take a screenshot of the open page; it is stored as an image artifact.',
    input: z.strictObject({
      fullPage: z.boolean().default(false).describe('The whole scrollable page, not just the viewport'),
    }),
    annotations: reading,
    async execute(ctx, input, signal) {
      const shot = await browser().screenshot(ctx.sessionId, input.fullPage, signal);
      const { ref: artifact } = await ctx.artifacts.put(shot.bytes, { mime: shot.mime });
      return {
        content: `screenshot stored as ${artifact} (${shot.mime}, ${shot.bytes.length} bytes)`,
        artifacts: [artifact],
      };
    },
    close,
  });

  return [open, snapshot, click, type, text, screenshot];
}

function createBackend(config: BrowserConfig, options: BrowserToolOptions): BrowserBackend {
  const { pinchtab } = config;
  if (pinchtab && config.backend !== 'playwright') {
    const { token } = pinchtab;
    return pinchTabBackend({
      url: pinchtab.url,
      timeoutMs: config.timeoutMs,
      ...(token === undefined ? {} : { token: () => options.resolveSecret(token) }),
    });
  }
  const { domains } = options;
  const guarded = domains !== undefined && (domains.allow.length > 0 || domains.deny.length > 0);
  return playwrightBackend({
    executablePath: config.executablePath,
    timeoutMs: config.timeoutMs,
    ...(guarded ? { blockedBy: (url: string) => domainBlock(url, domains) } : {}),
  });
}

/** Only web pages: `file:`, `javascript:` and browser-internal URLs would reach past the network. */
function openableUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PyclawError('browser.bad-url', `"${text}" is not an absolute URL`, {
      hint: 'give the whole URL, starting with http:// or https://',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PyclawError('browser.bad-url', `browser.open takes http and https URLs, not ${url.protocol}`);
  }
  return url;
}
