import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prettifyError, type z } from 'zod';
import {
  completionBodySchema,
  delegateBodySchema,
  factcheckRequestSchema,
  tryParseJson,
  validateBodySchema,
} from '../../src/llm/providers/cortensor-wire.js';
import type { RecordedRequest } from './http-emulator.js';

export type RouteFamily = 'completions' | 'delegate' | 'validate' | 'factcheck';

export interface CompletionAnswer {
  text: string;
  /** How the text is split into stream chunks; one chunk when left out. */
  pieces?: string[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Streams the pieces, then keeps the connection open without finishing, as a stalled router would. */
  thenHang?: boolean;
}

/** What the router answers with, one queued reply per request of a route family. */
export type RouterReply =
  /** A completion, sent whole or as a stream depending on the request's `stream` field. */
  | ({ kind: 'answer' } & CompletionAnswer)
  | { kind: 'json'; body: unknown; status?: number }
  /** Reads the request and never answers. */
  | { kind: 'hang' };

export interface CortensorRouterEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The API key the router accepts; any other bearer token gets a 401. */
  token: string;
  requests: RecordedRequest[];
  reply(route: RouteFamily, ...replies: RouterReply[]): void;
  close(): Promise<void>;
}

const routes: { family: RouteFamily; path: RegExp; body: z.ZodType }[] = [
  { family: 'completions', path: /^\/api\/v1\/completions(?:\/(\d+))?$/, body: completionBodySchema },
  { family: 'delegate', path: /^\/api\/v2\/delegate$/, body: delegateBodySchema },
  { family: 'validate', path: /^\/api\/v2\/validate$/, body: validateBodySchema },
  { family: 'factcheck', path: /^\/api\/v1\/(?:factcheck|fact-check)$/, body: factcheckRequestSchema },
];

/**
 * A Cortensor router node on 127.0.0.1 (a free port) speaking the wire format of
 * src/llm/providers/cortensor-wire.ts: it checks the bearer token like the router does, rejects
 * bodies the wire schemas reject and completions without a session id, and answers completions whole
 * or as server-sent events according to the request's `stream` field.
 */
export async function startCortensorEmulator(token = 'router-test-key'): Promise<CortensorRouterEmulator> {
  const requests: RecordedRequest[] = [];
  const queues: Record<RouteFamily, RouterReply[]> = {
    completions: [],
    delegate: [],
    validate: [],
    factcheck: [],
  };

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '';
    const body = tryParseJson(text);
    requests.push({ method: request.method ?? '', path, headers: request.headers, body: body ?? text });

    if (request.headers.authorization !== `Bearer ${token}`) {
      return sendError(response, 401, 'unauthorized', 'invalid or missing API key');
    }
    const route = routes.find((candidate) => candidate.path.test(path));
    if (request.method !== 'POST' || !route) return sendError(response, 404, 'not_found', `no route ${path}`);
    const parsed = route.body.safeParse(body);
    if (!parsed.success) return sendError(response, 400, 'bad_request', prettifyError(parsed.error));
    const completion = route.family === 'completions' ? completionBodySchema.parse(body) : undefined;
    if (completion && completion.session_id === undefined && !route.path.exec(path)?.[1]) {
      return sendError(response, 400, 'bad_request', 'session_id is required');
    }

    const next = queues[route.family].shift();
    if (!next) return sendError(response, 500, 'emulator', 'no scripted reply left');
    if (next.kind === 'json') return sendJson(response, next.status ?? 200, next.body);
    if (next.kind === 'answer') {
      return completion?.stream ? streamAnswer(response, next) : sendJson(response, 200, wholeAnswer(next));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    reply: (route, ...replies) => queues[route].push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message } });
}

const defaultUsage = { prompt_tokens: 21, completion_tokens: 4 };

function completionObject(choice: { text: string; finish_reason: string | null }, usage?: object) {
  return {
    id: 'cmpl-emulated',
    object: 'text_completion',
    created: 1_700_000_000,
    model: 'cortensor-emulated',
    choices: [{ index: 0, logprobs: null, ...choice }],
    ...(usage && { usage }),
  };
}

function wholeAnswer(answer: CompletionAnswer) {
  const usage = answer.usage ?? defaultUsage;
  return completionObject(
    { text: answer.text, finish_reason: answer.finishReason ?? 'stop' },
    { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  );
}

function streamAnswer(response: ServerResponse, answer: CompletionAnswer): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  for (const piece of answer.pieces ?? [answer.text]) {
    send(completionObject({ text: piece, finish_reason: null }));
  }
  if (answer.thenHang) return;
  const { choices, usage } = wholeAnswer(answer);
  send(completionObject({ text: '', finish_reason: choices[0]?.finish_reason ?? 'stop' }, usage));
  response.end('data: [DONE]\n\n');
}
