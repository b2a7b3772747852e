import { z } from 'zod';
import { anySignal, errorMessage, PyclawError } from '../../core/index.js';
import type { BrowserBackend, PageSummary } from './backend.js';

export interface PinchTabBackendOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:9867`. */
  url: string;
  /** Resolves the bearer token when the first request is made; absent when the server wants none. */
  token?: () => string;
  timeoutMs: number;
}

const pageSchema = z.object({ url: z.string().default(''), title: z.string().default('') });
const navigateSchema = pageSchema.extend({ tabId: z.string().min(1) });
const snapshotSchema = pageSchema.extend({
  nodes: z.array(
    z.object({
      ref: z.string(),
      role: z.string(),
      name: z.string().default(''),
      value: z.string().optional(),
      disabled: z.boolean().optional(),
    }),
  ),
});
const textSchema = pageSchema.extend({ text: z.string() });
const tabsSchema = z.object({ tabs: z.array(pageSchema.extend({ id: z.string() })) });
const errorSchema = z.object({ error: z.string() });

/**
 * A PinchTab server over its HTTP API: one tab per session, created by the first `open` and closed by
 * `close`. Refs are PinchTab's own, from `GET /tabs/{id}/snapshot?filter=interactive`.
 */
export function pinchTabBackend(options: PinchTabBackendOptions): BrowserBackend {
  const base = options.url.replace(/\/+$/, '');
  const tabs = new Map<string, string>();

  const request = async (method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token()}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: anySignal([signal, AbortSignal.timeout(options.timeoutMs)]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new PyclawError(
        'browser.pinchtab',
        `PinchTab at ${base} did not answer: ${errorMessage(error)}`,
        {
          hint: 'start PinchTab or fix browser.pinchtab.url in config.yaml',
        },
      );
    }
    if (!response.ok) throw await failure(response, method, path);
    return response;
  };

  const json = async <T>(schema: z.ZodType<T>, response: Response, path: string): Promise<T> => {
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new PyclawError(
        'browser.pinchtab',
        `PinchTab's answer to ${path} is not in the documented shape`,
      );
    }
    return parsed.data;
  };

  const tabOf = (session: string): string => {
    const tab = tabs.get(session);
    if (!tab) {
      throw new PyclawError('browser.no-page', 'no page is open in this session', {
        hint: 'call browser.open with a URL first',
      });
    }
    return tab;
  };

  const act = async (session: string, action: Record<string, unknown>, signal: AbortSignal) => {
    const path = `/tabs/${encodeURIComponent(tabOf(session))}/action`;
    await request('POST', path, action, signal);
  };

  /** Where the session's tab is now: an action may have navigated it. */
  const page = async (session: string, signal: AbortSignal): Promise<PageSummary> => {
    const id = tabOf(session);
    const { tabs: listed } = await json(
      tabsSchema,
      await request('GET', '/tabs', undefined, signal),
      '/tabs',
    );
    const tab = listed.find((candidate) => candidate.id === id);
    if (!tab) throw new PyclawError('browser.pinchtab', `PinchTab no longer has this session's tab ${id}`);
    return { url: tab.url, title: tab.title };
  };

  return {
    kind: 'pinchtab',

    async open(session, url, signal) {
      const tab = tabs.get(session);
      const path = tab ? `/tabs/${encodeURIComponent(tab)}/navigate` : '/navigate';
      const body = tab ? { url } : { url, newTab: true };
      const opened = await json(navigateSchema, await request('POST', path, body, signal), path);
      tabs.set(session, opened.tabId);
      return { url: opened.url, title: opened.title };
    },

    async snapshot(session, signal) {
      const path = `/tabs/${encodeURIComponent(tabOf(session))}/snapshot?filter=interactive`;
      const snapshot = await json(snapshotSchema, await request('GET', path, undefined, signal), path);
      return {
        url: snapshot.url,
        title: snapshot.title,
        elements: snapshot.nodes.map(({ ref, role, name, value, disabled }) => ({
          ref,
          role,
          name,
          ...(value === undefined ? {} : { value }),
          ...(disabled ? { disabled } : {}),
        })),
      };
    },

    async click(session, ref, signal) {
      await act(session, { kind: 'click', ref }, signal);
      return page(session, signal);
    },

    async type(session, ref, text, submit, signal) {
      await act(session, { kind: 'fill', ref, text }, signal);
      if (submit) await act(session, { kind: 'press', ref, key: 'Enter' }, signal);
      return page(session, signal);
    },

    async text(session, signal) {
      const path = `/tabs/${encodeURIComponent(tabOf(session))}/text?mode=raw`;
      return json(textSchema, await request('GET', path, undefined, signal), path);
    },

    async screenshot(session, fullPage, signal) {
      const whole = fullPage ? '&beyondViewport=true' : '';
      const path = `/tabs/${encodeURIComponent(tabOf(session))}/screenshot?format=png&raw=true${whole}`;
      const response = await request('GET', path, undefined, signal);
      const mime = response.headers.get('content-type')?.split(';')[0]?.trim() || 'image/png';
      return { bytes: Buffer.from(await response.arrayBuffer()), mime };
    },

    async close() {
      const open = [...tabs.values()];
      tabs.clear();
      const signal = AbortSignal.timeout(options.timeoutMs);
      await Promise.allSettled(
        open.map((tab) => request('POST', `/tabs/${encodeURIComponent(tab)}/close`, {}, signal)),
      );
    },
  };
}

/** PinchTab's error, `{ "error": "..." }`, as one line naming the route. */
async function failure(response: Response, method: string, path: string): Promise<PyclawError> {
  const body = errorSchema.safeParse(await response.json().catch(() => undefined));
  const detail = body.success ? body.data.error : response.statusText;
  const route = `${method} ${path.split('?')[0]}`;
  if (response.status === 401 || response.status === 403) {
    return new PyclawError(
      'browser.pinchtab-auth',
      `PinchTab refused ${route} (${response.status}): ${detail}`,
      {
        hint: 'set browser.pinchtab.token to a secret reference holding the server token',
      },
    );
  }
  return new PyclawError('browser.pinchtab', `PinchTab ${route} failed (${response.status}): ${detail}`);
}
