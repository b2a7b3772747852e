import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the emulator received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else the raw text. */
  body: unknown;
}

export interface SseEvent {
  event?: string;
  data: string;
}

/** What the emulator answers with, one queued reply per request. */
export type Reply =
  | { type: 'json'; status?: number; headers?: Record<string, string>; body: unknown }
  /** `thenHang` keeps the connection open after the events, as a server stalling mid-stream would. */
  | { type: 'sse'; events: SseEvent[]; thenHang?: boolean }
  /** Reads the request and never answers. */
  | { type: 'hang' };

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  requests: RecordedRequest[];
  /** Queues replies; each request takes the next one (a request finding the queue empty gets a 500). */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** Routes answered from the request itself rather than from the queue, keyed `METHOD /path`. */
export type ComputedRoutes = Record<string, (body: unknown) => Extract<Reply, { type: 'json' }>>;

/**
 * A real HTTP server on 127.0.0.1 (a free port) for one vendor route (plus any computed ones).
 * Requests to other paths get a 404, so a provider calling the wrong URL fails the test.
 */
export async function startEmulator(
  route: { method: string; path: string },
  computed: ComputedRoutes = {},
): Promise<Emulator> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '';
    const body = parseJson(text);
    requests.push({ method: request.method ?? '', path, headers: request.headers, body });
    const compute = computed[`${request.method} ${path}`];
    if (compute) return sendJson(response, compute(body));
    if (request.method !== route.method || path !== route.path) {
      return sendJson(response, { type: 'json', status: 404, body: { error: `emulator: no route ${path}` } });
    }
    const next = queue.shift() ?? {
      type: 'json',
      status: 500,
      body: { error: 'emulator: no scripted reply left' },
    };
    if (next.type === 'json') return sendJson(response, next);
    if (next.type === 'sse') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of next.events) {
        response.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`);
      }
      if (!next.thenHang) response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(response: ServerResponse, reply: Extract<Reply, { type: 'json' }>): void {
  response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  response.end(JSON.stringify(reply.body));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The JSON body of the emulator's `index`-th request; fails when there is none. */
export function jsonBody(emulator: Emulator, index = 0): Record<string, unknown> {
  const body = emulator.requests[index]?.body;
  if (body === null || typeof body !== 'object') throw new Error(`request ${index} has no JSON body`);
  return body as Record<string, unknown>;
}
