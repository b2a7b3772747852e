import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { PyclawApp } from '../../runtime/index.js';
import { readSecretsFile, setSecret } from '../../secret/index.js';
import { createHttpApi } from './api.js';

export interface RunningServer {
  url: string;
  /** Where the token comes from, for the start-up message (never the token itself). */
  tokenSource: string;
  close(): Promise<void>;
}

/** Serves the HTTP API on the configured host and port (`port` 0 picks a free one). */
export async function startHttpServer(app: PyclawApp, overrides: { host?: string; port?: number } = {}) {
  const { host, port, maxBodyBytes } = { ...app.config.http, ...overrides };
  const { token, tokenSource } = apiToken(app);
  const api = createHttpApi(app, { token, maxBodyBytes });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: api.fetch, hostname: host, port }, () => resolve(started));
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    tokenSource,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  } satisfies RunningServer;
}

const generatedTokenName = 'api_token';

function apiToken(app: PyclawApp): { token: string; tokenSource: string } {
  if (app.config.http.token) {
    return { token: app.secrets.resolveString(app.config.http.token), tokenSource: app.config.http.token };
  }
  const tokenSource = `secret:${generatedTokenName} in ${app.paths.secrets}`;
  const existing = readSecretsFile(app.paths.secrets).get(generatedTokenName);
  if (existing) return { token: existing, tokenSource };
  const token = randomBytes(32).toString('base64url');
  setSecret(app.paths.secrets, generatedTokenName, token);
  app.redactor.register(token, generatedTokenName);
  return { token, tokenSource };
}
