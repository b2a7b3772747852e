import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { RecordedRequest } from './http-emulator.js';

/** A node of PinchTab's flat snapshot (`GET /snapshot`), as its bridge serialises `A11yNode`. */
interface SnapshotNode {
  ref: string;
  role: string;
  name: string;
  depth: number;
  value?: string;
}

/** The page an emulated tab shows: the greeter of the browser tests, or its About page. */
interface Tab {
  id: string;
  url: string;
  name: string;
  greeting: string;
  /** Refs of the tab's last snapshot; PinchTab forgets them when the tab navigates. */
  refs: Map<string, SnapshotNode> | undefined;
}

export interface PinchTabEmulator {
  url: string;
  requests: RecordedRequest[];
  /** Tabs still open, by id. */
  openTabs(): string[];
  close(): Promise<void>;
}

/**
 * PinchTab's HTTP API as its docs and handlers describe it (`/navigate`, `/tabs`, `/tabs/{id}/snapshot`,
 * `/action`, `/text`, `/screenshot`, `/close`, bearer auth, `{ "error": ... }` failures), over a stateful
 * page model instead of Chrome: any URL shows a greeter (textbox Name, button Greet, link About) whose
 * button greets the name typed, and a URL ending in /about shows a page without form.
 */
export async function startPinchTabEmulator(options: { token?: string } = {}): Promise<PinchTabEmulator> {
  const requests: RecordedRequest[] = [];
  const tabs = new Map<string, Tab>();

  const server = createServer(async (request, response) => {
    const body = await readJson(request);
    const url = new URL(request.url ?? '/', 'http://pinchtab');
    requests.push({
      method: request.method ?? '',
      path: url.pathname + url.search,
      headers: request.headers,
      body,
    });
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
      return send(response, 401, { error: 'unauthorized', code: 'missing_token' });
    }
    const route = `${request.method} ${url.pathname.replace(/^\/tabs\/[^/]+\//, '/tabs/{id}/')}`;
    const tabId = decodeURIComponent(/^\/tabs\/([^/]+)\//.exec(url.pathname)?.[1] ?? '');
    const tab = tabs.get(tabId);
    if (route === 'POST /navigate') {
      const created: Tab = {
        id: randomBytes(16).toString('hex'),
        url: '',
        name: '',
        greeting: '',
        refs: undefined,
      };
      tabs.set(created.id, created);
      return send(response, 200, navigate(created, String((body as { url?: unknown }).url)));
    }
    if (route === 'GET /tabs') {
      return send(response, 200, {
        tabs: [...tabs.values()].map((open) => ({
          id: open.id,
          url: open.url,
          title: title(open),
          type: 'page',
        })),
      });
    }
    if (route.startsWith('GET /tabs/{id}/') || route.startsWith('POST /tabs/{id}/')) {
      if (!tab) return send(response, 404, { error: `tab ${tabId} not found` });
      switch (route) {
        case 'POST /tabs/{id}/navigate':
          return send(response, 200, navigate(tab, String((body as { url?: unknown }).url)));
        case 'GET /tabs/{id}/snapshot':
          return send(response, 200, snapshot(tab, url.searchParams.get('filter') === 'interactive'));
        case 'POST /tabs/{id}/action': {
          const answer = act(tab, body as Record<string, unknown>);
          return send(response, answer.status, answer.body);
        }
        case 'GET /tabs/{id}/text':
          return send(response, 200, { url: tab.url, title: title(tab), text: text(tab) });
        case 'GET /tabs/{id}/screenshot':
          response.writeHead(200, {
            'content-type': url.searchParams.get('format') === 'png' ? 'image/png' : 'image/jpeg',
          });
          return response.end(onePixelPng());
        case 'POST /tabs/{id}/close':
          tabs.delete(tab.id);
          return send(response, 200, { closed: true, tabId: tab.id });
      }
    }
    send(response, 404, { error: `no route ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    openTabs: () => [...tabs.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function navigate(tab: Tab, url: string) {
  Object.assign(tab, { url, name: '', greeting: '', refs: undefined });
  return { tabId: tab.id, url: tab.url, title: title(tab) };
}

const isAbout = (tab: Tab) => tab.url.endsWith('/about');
const title = (tab: Tab) => (isAbout(tab) ? 'About' : 'Greeter');

function text(tab: Tab): string {
  if (isAbout(tab)) return 'All about greeting.\nBack';
  return `Greeter\nName\nGreet\n${tab.greeting || 'Nobody greeted yet'}\nAbout`;
}

function snapshot(tab: Tab, interactiveOnly: boolean) {
  const all: (SnapshotNode & { interactive: boolean })[] = isAbout(tab)
    ? [
        { ref: 'e0', role: 'paragraph', name: 'All about greeting.', depth: 1, interactive: false },
        { ref: 'e1', role: 'link', name: 'Back', depth: 1, interactive: true },
      ]
    : [
        { ref: 'e0', role: 'heading', name: 'Greeter', depth: 1, interactive: false },
        {
          ref: 'e1',
          role: 'textbox',
          name: 'Name',
          depth: 2,
          interactive: true,
          ...(tab.name ? { value: tab.name } : {}),
        },
        { ref: 'e2', role: 'button', name: 'Greet', depth: 1, interactive: true },
        { ref: 'e3', role: 'link', name: 'About', depth: 1, interactive: true },
      ];
  const nodes = all
    .filter((node) => node.interactive || !interactiveOnly)
    .map(({ interactive: _, ...node }) => node);
  tab.refs = new Map(nodes.map((node) => [node.ref, node]));
  return { url: tab.url, title: title(tab), nodes, count: nodes.length };
}

interface Answer {
  status: number;
  body: unknown;
}

function act(tab: Tab, action: Record<string, unknown>): Answer {
  const ref = String(action.ref ?? '');
  const node = tab.refs?.get(ref);
  if (!node) return { status: 404, body: { error: `ref ${ref} not found - take a /snapshot first` } };
  const done = (result: unknown): Answer => ({ status: 200, body: { success: true, result } });
  switch (action.kind) {
    case 'fill':
    case 'type':
      if (node.role !== 'textbox') break;
      tab.name = action.kind === 'fill' ? String(action.text ?? '') : tab.name + String(action.text ?? '');
      return done({ filled: tab.name });
    case 'press':
      return done({ pressed: action.key });
    case 'click':
      if (node.name === 'Greet') tab.greeting = `Hello, ${tab.name}!`;
      if (node.name === 'About') navigate(tab, new URL('/about', tab.url).href);
      if (node.name === 'Back') navigate(tab, new URL('/', tab.url).href);
      return done({ clicked: true });
  }
  const kind = String(action.kind);
  return {
    status: 500,
    body: { error: `action ${kind}: cannot ${kind} a ${node.role}`, code: 'action_failed', retryable: true },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** A valid 1×1 PNG, built chunk by chunk. */
function onePixelPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x33, 0x66, 0x99, 0xff]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
