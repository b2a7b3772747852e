import { z } from 'zod';
import { anySignal, PyclawError } from '../../core/index.js';
import { type DomainRules, domainBlock, SafetyBlockedError } from '../../safety/index.js';
import { defineTool, type Tool, type ToolContext } from '../contract.js';
import type { HttpConfig } from './http-config.js';

export interface FetchToolOptions {
  config: HttpConfig;
  /** Checked on the first URL and again on every redirect hop. */
  domains: DomainRules;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin. */
const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];
const textType = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded|yaml)\b)/i;

interface Request {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | undefined;
}

export function fetchTool({ config, domains }: FetchToolOptions): Tool {
  const input = z.strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('http(s) URL to request'),
    method: z.enum(['GET', 'POST']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers'),
    body: z.string().optional().describe('Request body, for POST'),
    timeout_ms: z
      .int()
      .min(100)
      .max(config.maxTimeoutMs)
      .optional()
      .describe(`Give up after this long; default ${config.timeoutMs}`),
  });
  return defineTool({
    name: 'http.fetch',
    description:
      'Request a URL over HTTP(S) with GET or POST and return the status, content type and body ' +
      `(at most ${config.maxBytes} bytes). Redirects are followed, at most ${config.maxRedirects}.`,
    input,
    annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
    intent: ({ url }) => ({ urls: [url] }),
    async execute(ctx, call, signal) {
      const timeoutMs = call.timeout_ms ?? config.timeoutMs;
      const deadline = anySignal([signal, AbortSignal.timeout(timeoutMs)]);
      const request: Request = {
        url: new URL(call.url),
        method: call.method,
        headers: call.headers,
        body: call.method === 'POST' ? call.body : undefined,
      };
      try {
        return await fetchFollowing(ctx, request, { config, domains }, deadline);
      } catch (error) {
        if (signal.aborted || !deadline.aborted) throw error;
        throw new PyclawError(
          'tool.http-timeout',
          `${call.url} gave no complete answer within ${timeoutMs} ms`,
        );
      }
    },
  });
}

/** Follows redirects by hand, so the domain rules see every hop before it is requested. */
async function fetchFollowing(
  ctx: ToolContext,
  first: Request,
  options: FetchToolOptions,
  signal: AbortSignal,
) {
  let request = first;
  const hops: string[] = [];
  for (;;) {
    const block = domainBlock(request.url.href, options.domains);
    if (block) {
      const via = hops.length > 0 ? ` (redirected from ${hops.join(' → ')})` : '';
      throw new SafetyBlockedError({ ...block, reason: `${block.reason}${via}` });
    }
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal,
    });
    const location = response.headers.get('location');
    if (!redirectStatuses.has(response.status) || location === null) {
      return describe(ctx, request.url, response, options.config.maxBytes, signal);
    }
    await response.body?.cancel();
    if (hops.length === options.config.maxRedirects) {
      throw new PyclawError(
        'tool.http-redirects',
        `${first.url.href} redirected more than ${hops.length} times`,
      );
    }
    hops.push(request.url.href);
    request = redirected(request, new URL(location, request.url), response.status);
  }
}

function redirected(request: Request, url: URL, status: number): Request {
  const headers =
    url.origin === request.url.origin
      ? request.headers
      : Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => !credentialHeaders.includes(name.toLowerCase())),
        );
  // As browsers do: 303, and 301/302 after a POST, turn into a GET without the body.
  const keepsMethod = status === 307 || status === 308 || request.method === 'GET';
  return keepsMethod ? { ...request, url, headers } : { url, headers, method: 'GET', body: undefined };
}

async function describe(
  ctx: ToolContext,
  url: URL,
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
) {
  const { bytes, complete } = await readCapped(response, maxBytes, signal);
  const type = response.headers.get('content-type') ?? '';
  const head = `HTTP ${response.status} ${response.statusText} ${url.href}\ncontent-type: ${type || '(none)'}`;
  const cut = complete ? '' : `\n[body cut at ${maxBytes} bytes]`;
  const isError = response.status >= 400;
  if (bytes.length === 0) return { content: `${head}\n(empty body)`, isError };
  if (textType.test(type) || (type === '' && !bytes.includes(0))) {
    return { content: `${head}${cut}\n\n${bytes.toString('utf8')}`, isError };
  }
  const { ref } = await ctx.artifacts.put(bytes, { mime: type || 'application/octet-stream' });
  return {
    content: `${head}${cut}\nbinary body, ${bytes.length} bytes, stored as ${ref}`,
    artifacts: [ref],
    isError,
  };
}

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal) {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return { bytes: Buffer.alloc(0), complete: true };
  const reader = response.body.getReader();
  for (;;) {
    signal.throwIfAborted();
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), complete: true };
    const room = maxBytes - size;
    chunks.push(Buffer.from(value.subarray(0, room)));
    size += Math.min(value.length, room);
    if (value.length > room) {
      await reader.cancel();
      return { bytes: Buffer.concat(chunks), complete: false };
    }
  }
}
