import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** A greeting form: type a name, press Greet, the page says hello. */
export const greetingPage = `<!doctype html>
<title>Greeter</title>
<h1>Greeter</h1>
<label>Name <input id="name"></label>
<button onclick="document.getElementById('out').textContent = 'Hello, ' + document.getElementById('name').value + '!'">Greet</button>
<p id="out">Nobody greeted yet</p>
<a href="/about">About</a>`;

export const aboutPage = `<!doctype html><title>About</title><p>All about greeting.</p><a href="/">Back</a>`;

export interface TestSite {
  url: string;
  /** Every request the site received, as `host/path`. */
  hits: string[];
}

/**
 * A real HTTP server on 127.0.0.1 serving the greeter, closed after the current test. Also
 * `/redirect?to=URL` (a 302) and `/elsewhere`, a page linking to the same server named `localhost`.
 */
export function useTestSite() {
  const servers: { close(): void; closeAllConnections(): void }[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });
  return async (): Promise<TestSite> => {
    const hits: string[] = [];
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
      hits.push(`${url.host}${url.pathname}`);
      const redirect = url.pathname === '/redirect' ? url.searchParams.get('to') : null;
      if (redirect) {
        response.writeHead(302, { location: redirect });
        return response.end();
      }
      const pages: Record<string, string> = {
        '/': greetingPage,
        '/about': aboutPage,
        '/elsewhere': `<title>Elsewhere</title><a href="http://localhost:${url.port}/about">Away</a>`,
      };
      const page = pages[url.pathname];
      response.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page ?? '<title>Not found</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  };
}

/** The ref a `browser.snapshot` result gives the element with this role and name. */
export function refOf(snapshot: string, role: string, name: string): string {
  const line = snapshot
    .split('\n')
    .find((candidate) => candidate.includes(` ${role} ${JSON.stringify(name)}`));
  const ref = line?.split(' ')[0];
  if (!ref) throw new Error(`no ${role} "${name}" in:\n${snapshot}`);
  return ref;
}
