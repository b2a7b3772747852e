import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { safetyConfigSchema } from '../../src/safety/index.js';
import { fetchTool, httpConfigSchema } from '../../src/tools/index.js';
import { useToolWorkspace } from './workspace-fixture.js';

const openWorkspace = useToolWorkspace();

type Route = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    }),
  );
});

/** A real HTTP server on loopback; `seen` lists every path it was asked for. */
async function serve(routes: Record<string, Route>) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push(`${request.method} ${request.url}`);
      const route = routes[request.url ?? ''];
      if (route) route(request, body, response);
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    });
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return { seen, port, url: `http://127.0.0.1:${port}` };
}

function openFetch(options: { http?: Record<string, unknown>; safety?: Record<string, unknown> } = {}) {
  const tool = fetchTool({
    config: httpConfigSchema.parse(options.http ?? {}),
    domains: safetyConfigSchema.parse(options.safety ?? {}).domains,
  });
  return openWorkspace({ extraTools: [tool], previewBytes: 64 * 1024 });
}

const redirect =
  (location: string, status = 302): Route =>
  (_request, _body, response) =>
    response.writeHead(status, { location }).end();

describe('http.fetch', () => {
  it('GETs a page and POSTs a body, reporting status, type and body', async () => {
    const server = await serve({
      '/hello': (_q, _b, response) =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end('hi there'),
      '/echo': (request, body, response) =>
        response
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ method: request.method, body, token: request.headers['x-token'] })),
    });
    const { run } = openFetch();
    expect(await run('http.fetch', { url: `${server.url}/hello` })).toEqual({
      isError: false,
      preview: `HTTP 200 OK ${server.url}/hello\ncontent-type: text/plain\n\nhi there`,
      artifacts: [],
    });
    const posted = await run('http.fetch', {
      url: `${server.url}/echo`,
      method: 'POST',
      body: 'a=1',
      headers: { 'x-token': 't' },
    });
    expect(posted.preview).toContain('HTTP 201 Created');
    expect(posted.preview).toContain('{"method":"POST","body":"a=1","token":"t"}');
    expect(await run('http.fetch', { url: `${server.url}/nothing` })).toMatchObject({
      isError: true,
      preview: expect.stringContaining('HTTP 404 Not Found'),
    });
  });

  it('follows redirects, relative ones too, turning a POST into a GET on 303', async () => {
    const server = await serve({
      '/a': redirect('/b', 301),
      '/b': redirect('/c', 303),
      '/c': (request, _b, response) =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end(`at c by ${request.method}`),
    });
    const { run } = openFetch();
    const result = await run('http.fetch', { url: `${server.url}/a`, method: 'POST', body: 'x' });
    expect(result.preview).toBe(`HTTP 200 OK ${server.url}/c\ncontent-type: text/plain\n\nat c by GET`);
    expect(server.seen).toEqual(['POST /a', 'GET /b', 'GET /c']);
  });

  it('applies the domain rules to every redirect hop and never requests a denied host', async () => {
    const denied = await serve({ '/loot': (_q, _b, response) => response.end('secret stuff') });
    const server = await serve({
      '/start': redirect(`http://localhost:${denied.port}/loot`),
      '/chain': redirect('/start', 307),
    });
    const { run } = openFetch({ safety: { domains: { deny: ['localhost'] } } });
    const result = await run('http.fetch', { url: `${server.url}/chain` });
    expect(result).toMatchObject({
      isError: true,
      preview:
        `blocked by safety: localhost is denied by safety.domains.deny (localhost) ` +
        `(redirected from ${server.url}/chain → ${server.url}/start)`,
      blocked: { rule: 'domain.deny' },
    });
    expect(denied.seen).toEqual([]);

    const { run: runAllowList } = openFetch({ safety: { domains: { allow: ['127.0.0.1'] } } });
    expect((await runAllowList('http.fetch', { url: `${server.url}/start` })).blocked).toMatchObject({
      rule: 'domain.allow',
    });
    expect(denied.seen).toEqual([]);
  });

  it('stops after the configured number of redirects', async () => {
    const server = await serve({ '/loop': redirect('/loop') });
    const { run } = openFetch({ http: { maxRedirects: 3 } });
    expect(await run('http.fetch', { url: `${server.url}/loop` })).toMatchObject({
      isError: true,
      preview: `${server.url}/loop redirected more than 3 times`,
    });
    expect(server.seen).toHaveLength(4);
  });

  it('keeps at most maxBytes of a body and stores a binary body as an artifact', async () => {
    const server = await serve({
      '/big': (_q, _b, response) =>
        response.writeHead(200, { 'content-type': 'text/plain' }).end('z'.repeat(50_000)),
      '/png': (_q, _b, response) =>
        response
          .writeHead(200, { 'content-type': 'image/png' })
          .end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1])),
    });
    const { run, store } = openFetch({ http: { maxBytes: 2048 } });
    const big = await run('http.fetch', { url: `${server.url}/big` });
    expect(big.preview).toBe(
      `HTTP 200 OK ${server.url}/big\ncontent-type: text/plain\n[body cut at 2048 bytes]\n\n${'z'.repeat(2048)}`,
    );
    const png = await run('http.fetch', { url: `${server.url}/png` });
    const ref = png.artifacts[0] as string;
    expect(png.preview).toBe(
      `HTTP 200 OK ${server.url}/png\ncontent-type: image/png\nbinary body, 6 bytes, stored as ${ref}`,
    );
    expect(await store.getBytes(ref)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]));
    expect(store.stat(ref)?.mime).toBe('image/png');
  });

  it('gives up on a server that does not answer in time', async () => {
    const server = await serve({ '/hang': () => {} });
    const { run } = openFetch();
    expect(await run('http.fetch', { url: `${server.url}/hang`, timeout_ms: 200 })).toMatchObject({
      isError: true,
      preview: `${server.url}/hang gave no complete answer within 200 ms`,
    });
  });

  it('refuses a URL that is not http(s)', async () => {
    const { run } = openFetch();
    expect(await run('http.fetch', { url: 'file:///etc/passwd' })).toMatchObject({
      isError: true,
      preview: expect.stringContaining('invalid input for http.fetch: url'),
    });
  });
});
