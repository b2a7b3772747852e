import type { z } from 'zod';
import { prettifyError } from 'zod';
import { anySignal, errorMessage } from '../../core/index.js';
import { classifyHttpFailure } from '../classify-error.js';
import { LlmError } from '../contract.js';
import { routerErrorSchema, tryParseJson } from './cortensor-wire.js';

/** Where a Cortensor router node listens and how to authenticate to it. */
export interface RouterConnection {
  providerId: string;
  /** e.g. `http://127.0.0.1:5010`, or a reverse proxy's URL including its path prefix. */
  baseUrl: string;
  /** The bearer token; resolved per call so that a bad key reference fails only the calls needing it. */
  token(): string | undefined;
  /** Limit for one call, from sending the request to the last byte read. */
  timeoutMs: number;
}

export interface RouterCall {
  path: string;
  body: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * POSTs JSON to the router and hands the successful response to `read`. The time limit covers
 * `read` too, so a stream that stalls midway is cut off. Every failure, including those inside
 * `read`, comes back as a classified LlmError: 401/403 `auth`, 429 `rate_limit`, 5xx `unavailable`,
 * time limit `timeout`, caller abort `aborted`, connection failure `unavailable`.
 *
 * There is no retry here: completions get theirs from `withResilience` (config.ts wraps every
 * provider), which sits above this and also enforces `timeoutMs`.
 */
export async function postToRouter<T>(
  connection: RouterConnection,
  call: RouterCall,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(connection.timeoutMs);
  const signal = call.signal ? anySignal([call.signal, timeout]) : timeout;
  try {
    const token = connection.token();
    const response = await fetch(`${connection.baseUrl.replace(/\/+$/, '')}${call.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(call.body),
      signal,
    });
    if (!response.ok) throw await httpFailure(connection.providerId, response);
    return await read(response);
  } catch (error) {
    throw callFailure(connection, error, call.signal, timeout);
  }
}

async function httpFailure(providerId: string, response: Response): Promise<LlmError> {
  const said = routerMessage(await response.text()) || response.statusText;
  const message =
    response.status === 401 || response.status === 403
      ? `the router refused the API token (HTTP ${response.status}: ${said}); check that this provider's apiKey resolves to the API key configured on the router node`
      : `HTTP ${response.status} from the router: ${said}`;
  return classifyHttpFailure(providerId, { status: response.status, message, headers: response.headers });
}

function routerMessage(text: string): string {
  const parsed = routerErrorSchema.safeParse(tryParseJson(text));
  if (!parsed.success) return text.slice(0, 300);
  const { error } = parsed.data;
  return typeof error === 'string' ? error : error.message;
}

function callFailure(
  connection: RouterConnection,
  error: unknown,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
): LlmError {
  const { providerId } = connection;
  if (error instanceof LlmError) return error;
  if (callerSignal?.aborted) return new LlmError('aborted', providerId, 'the call was aborted');
  if (timeout.aborted) {
    return new LlmError('timeout', providerId, `no complete answer within ${connection.timeoutMs} ms`);
  }
  const reason = error instanceof Error && error.cause ? error.cause : error;
  return new LlmError(
    'unavailable',
    providerId,
    `cannot reach the router at ${connection.baseUrl}: ${errorMessage(reason)}`,
    { cause: error },
  );
}

/** Parses a JSON answer against its wire schema; anything else is a `bad_response`. */
export function parseAnswer<T>(providerId: string, text: string, schema: z.ZodType<T>): T {
  const value = tryParseJson(text);
  if (value === undefined) {
    throw new LlmError(
      'bad_response',
      providerId,
      `unparseable answer from the router: ${text.slice(0, 300)}`,
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new LlmError(
      'bad_response',
      providerId,
      `unexpected answer from the router: ${prettifyError(result.error)}`,
    );
  }
  return result.data;
}

export async function readAnswer<T>(
  providerId: string,
  response: Response,
  schema: z.ZodType<T>,
): Promise<T> {
  return parseAnswer(providerId, await response.text(), schema);
}

export function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/event-stream');
}

/** The `data` of each server-sent event, in order (multi-line data joined with "\n"). */
export async function* serverSentEvents(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  let buffer = '';
  for await (const text of response.body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const events = buffer.split(/\r?\n\r?\n/);
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = eventData(event);
      if (data !== undefined) yield data;
    }
  }
  const last = eventData(buffer);
  if (last !== undefined) yield last;
}

function eventData(event: string): string | undefined {
  const lines = event
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice('data:'.length).replace(/^ /, ''));
  return lines.length > 0 ? lines.join('\n') : undefined;
}
