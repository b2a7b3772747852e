import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Json, useServer } from '../helpers/serve.js';

const startServer = useServer();

/** Reads Server-Sent Events until `count` have arrived. */
async function readEvents(url: string, token: string, count: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: { id: string; event: string; data: Json }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const fields = Object.fromEntries(
        buffer
          .slice(0, end)
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
      );
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (fields.data !== undefined) {
        events.push({ id: fields.id ?? '', event: fields.event ?? '', data: JSON.parse(fields.data) });
      }
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events.slice(0, count);
}

/**
 * A POST through node:http, which still reads the answer when the server refuses the body before it has
 * all arrived (fetch gives up on such a request).
 */
function rawPost(url: string, token: string, body: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    request.on('response', async (response) => {
      let text = '';
      for await (const chunk of response) text += chunk;
      resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
    });
    request.on('error', (error) => {
      if (!request.writableFinished) return;
      reject(error);
    });
    request.end(body);
  });
}

describe('the HTTP API of pyclaw serve', () => {
  it('refuses calls without the bearer token, in JSON, but answers health', async () => {
    const server = await startServer();
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${server.token}`]) {
      const response = await fetch(`${server.url}/v1/sessions`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'http.unauthorized', message: 'missing or wrong bearer token' },
      });
    }
  });

  it('runs a turn per message, waits on approvals and resumes when one is answered', async () => {
    const server = await startServer();
    const created = await server.call('/v1/sessions', { method: 'POST', json: {} });
    expect(created.status).toBe(201);
    const sessionId = created.body.id;

    const asked = await server.call(`/v1/sessions/${sessionId}/messages`, {
      method: 'POST',
      json: { text: 'say hi in a file', userId: 'ana' },
    });
    expect(asked.status).toBe(200);
    expect(asked.body.outcome).toMatchObject({ status: 'waiting', approval: { tool: 'fs.write' } });
    const pending = await server.call(`/v1/approvals?session=${sessionId}`);
    expect(pending.body).toEqual([expect.objectContaining({ sessionId, tool: 'fs.write' })]);

    const busy = await server.call(`/v1/sessions/${sessionId}/messages`, {
      method: 'POST',
      json: { text: 'more' },
    });
    expect(busy.body.outcome).toBeUndefined();
    expect(busy.body.resumed).toEqual([expect.objectContaining({ status: 'waiting' })]);

    const approved = await server.call(`/v1/approvals/${pending.body[0].approvalId}`, {
      method: 'POST',
      json: { decision: 'approve' },
    });
    expect(approved.body.resumed).toEqual([
      expect.objectContaining({ status: 'completed', answer: 'Wrote hello.txt.' }),
    ]);
    expect(readFileSync(join(server.workspace, 'hello.txt'), 'utf8')).toBe('hi\n');

    const events = await readEvents(`${server.url}/v1/sessions/${sessionId}/events`, server.token, 3);
    expect(events[0]).toMatchObject({
      id: '1',
      event: 'user.message',
      data: { payload: { text: 'say hi in a file', channel: 'http', externalUserId: 'ana' } },
    });
  });

  it('streams session events live and resumes after the seq a client last saw', async () => {
    const server = await startServer();
    const sessionId = (await server.call('/v1/sessions', { method: 'POST', json: {} })).body.id;
    const live = readEvents(`${server.url}/v1/sessions/${sessionId}/events`, server.token, 5);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await server.call(`/v1/sessions/${sessionId}/messages`, { method: 'POST', json: { text: 'go' } });
    const first = await live;
    expect(first.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(first.map((event) => event.event).slice(0, 2)).toEqual(['user.message', 'turn.started']);

    const resumed = await readEvents(`${server.url}/v1/sessions/${sessionId}/events`, server.token, 2, {
      'last-event-id': '3',
    });
    expect(resumed.map((event) => event.id)).toEqual(['4', '5']);
    const byQuery = await readEvents(
      `${server.url}/v1/sessions/${sessionId}/events?after=4`,
      server.token,
      1,
    );
    expect(byQuery[0]?.id).toBe('5');
  });

  it('says what is wrong with a request in one JSON line, with a fitting status', async () => {
    const server = await startServer();
    const sessionId = (await server.call('/v1/sessions', { method: 'POST', json: {} })).body.id;
    expect(await server.call('/v1/sessions/nope')).toEqual({
      status: 404,
      body: { error: { code: 'http.not-found', message: 'no session nope' } },
    });
    expect(
      await server.call(`/v1/sessions/${sessionId}/messages`, { method: 'POST', body: '{not json' }),
    ).toEqual({
      status: 400,
      body: { error: { code: 'http.bad-request', message: 'the body is not JSON' } },
    });
    expect(
      (await server.call(`/v1/sessions/${sessionId}/messages`, { method: 'POST', json: { text: '' } })).body
        .error.message,
    ).toMatch(/^text: /);
    const huge = await rawPost(
      `${server.url}/v1/sessions/${sessionId}/messages`,
      server.token,
      JSON.stringify({ text: 'x'.repeat(2_000_000) }),
    );
    expect(huge).toEqual({
      status: 413,
      body: { error: { code: 'http.too-large', message: 'request body over 1048576 bytes' } },
    });
    expect((await server.call('/v1/sessions', { method: 'POST', json: { agentId: 'ghost' } })).status).toBe(
      404,
    );
    expect((await server.call('/v1/nothing')).status).toBe(404);
  });

  it('stops cleanly on SIGTERM', async () => {
    const server = await startServer();
    server.process.child.kill('SIGTERM');
    const result = await server.process.result;
    expect(result?.code).toBe(0);
    expect(result?.stdout).toContain('SIGTERM: stopping');
  });
});
