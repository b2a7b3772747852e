import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../src/artifact/index.js';
import { PyclawError } from '../../src/core/index.js';
import { createRedactor, SecretResolver } from '../../src/secret/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { McpServers, mcpConfigSchema, type Tool, ToolHost } from '../../src/tools/index.js';
import { type HttpMcpServer, mcpServerCommand, startHttpMcpServer } from '../fixtures/mcp-fixture.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function notesDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'todo.txt'), 'water the plants\n');
  return dir;
}

function servers(config: unknown, env: NodeJS.ProcessEnv = {}): McpServers {
  const mcp = new McpServers(mcpConfigSchema.parse(config), {
    resolveSecret: new SecretResolver({
      env,
      redactor: createRedactor(),
      secretsFile: join(tempDir(), 'secrets'),
    }).resolveString,
    baseDir: tempDir(),
  });
  cleanups.push(() => mcp.close());
  return mcp;
}

function hostOf(tools: Tool[]): {
  host: ToolHost;
  run: (tool: string, input: unknown) => ReturnType<ToolHost['run']>;
} {
  const home = tempDir();
  const db = openDatabase(join(home, 'pyclaw.db'));
  cleanups.push(() => {
    db.close();
  });
  const artifacts = new ArtifactStore(db, join(home, 'artifacts'));
  const host = new ToolHost(tools, { artifacts });
  const ctx = { sessionId: 's', turnId: 't', callId: 'c', workspaceRoots: [home], artifacts };
  return { host, run: (tool, input) => host.run({ tool, input }, ctx, new AbortController().signal) };
}

describe('MCP servers as tools', () => {
  it("mounts a stdio server's tools as mcp.<server>.<tool> with its annotations and runs them", async () => {
    const notes = notesDir();
    const mcp = servers({ servers: { notes: { ...mcpServerCommand, env: { NOTES_DIR: notes } } } });
    const { host, run } = hostOf(await mcp.tools('notes'));

    expect(host.specs(['mcp.notes.*']).map((spec) => spec.name)).toEqual([
      'mcp.notes.read_note',
      'mcp.notes.delete_note',
      'mcp.notes.env_value',
    ]);
    expect(host.specs(['mcp.notes.read_note'])[0]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', description: 'the note to read' } },
      required: ['name'],
    });
    expect(host.facts('mcp.notes.read_note')).toEqual({
      readOnly: true,
      destructive: false,
      idempotent: true,
      openWorld: true,
    });
    expect(host.facts('mcp.notes.delete_note')).toMatchObject({ readOnly: false, destructive: true });

    expect(await run('mcp.notes.read_note', { name: 'todo.txt' })).toEqual({
      isError: false,
      preview: 'water the plants\n',
      artifacts: [],
    });
    const bad = await run('mcp.notes.read_note', { name: 42 });
    expect(bad.isError).toBe(true);
    expect(bad.preview).toMatch(/^invalid input for mcp.notes.read_note: name: .*expected string/);
    const missing = await run('mcp.notes.read_note', { name: 'nope.txt' });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.preview).toContain('ENOENT');
  });

  it('passes only a safe base environment plus the configured env to a stdio server', async () => {
    const mcp = servers(
      { servers: { notes: { ...mcpServerCommand, env: { NOTE_TOKEN: `\${env:NOTE_TOKEN}` } } } },
      { NOTE_TOKEN: 'tok-123' },
    );
    process.env.PYCLAW_TEST_PARENT_ONLY = 'parent-secret';
    cleanups.push(() => {
      delete process.env.PYCLAW_TEST_PARENT_ONLY;
    });
    const { run } = hostOf(await mcp.tools('notes'));
    expect((await run('mcp.notes.env_value', { name: 'NOTE_TOKEN' })).preview).toBe('tok-123');
    expect((await run('mcp.notes.env_value', { name: 'PYCLAW_TEST_PARENT_ONLY' })).preview).toBe('(unset)');
  });

  it('talks Streamable HTTP to a server on loopback, sending the configured headers', async () => {
    const notes = notesDir();
    const server: HttpMcpServer = await startHttpMcpServer({ NOTES_DIR: notes, MCP_HTTP_TOKEN: 'let-me-in' });
    cleanups.push(() => server.stop());
    const mcp = servers(
      { servers: { web: { url: server.url, headers: { Authorization: `Bearer \${env:TOKEN}` } } } },
      { TOKEN: 'let-me-in' },
    );
    const { host, run } = hostOf(await mcp.tools('web'));
    expect(host.facts('mcp.web.delete_note')).toMatchObject({ readOnly: false, destructive: true });
    expect((await run('mcp.web.read_note', { name: 'todo.txt' })).preview).toBe('water the plants\n');
    expect(await run('mcp.web.delete_note', { name: 'todo.txt' })).toMatchObject({ isError: false });
    expect((await run('mcp.web.read_note', { name: 'todo.txt' })).isError).toBe(true);

    const refused = servers({ servers: { web: { url: server.url } } });
    await expect(refused.tools('web')).rejects.toThrow(/^MCP server "web" did not start: .*unauthorized/);
  });

  it('fails to start with one line naming the server, and tries again on the next ask', async () => {
    const closedPort = await freePort();
    const mcp = servers({
      servers: {
        ghost: { command: join(tempDir(), 'no-such-server') },
        crashing: {
          command: process.execPath,
          args: ['-e', 'console.error("boom: bad config"); process.exit(3)'],
        },
        closed: { url: `http://127.0.0.1:${closedPort}/mcp` },
      },
    });
    const ghost = await mcp.tools('ghost').catch((error: unknown) => error);
    expect(ghost).toBeInstanceOf(PyclawError);
    expect((ghost as PyclawError).message).toMatch(/^MCP server "ghost" did not start: .*ENOENT/);
    expect((ghost as PyclawError).message).not.toContain('\n');
    await expect(mcp.tools('crashing')).rejects.toThrow(
      /^MCP server "crashing" did not start: .*\(stderr: boom: bad config\)$/,
    );
    await expect(mcp.tools('closed')).rejects.toThrow(/^MCP server "closed" did not start: .*ECONNREFUSED/);
    await expect(mcp.tools('ghost')).rejects.toThrow(/"ghost" did not start/);
  });

  it("starts only the servers an agent's tool patterns can reach", () => {
    const mcp = servers({
      servers: {
        github: { command: 'gh-mcp' },
        notes: { command: 'notes-mcp' },
        web: { url: 'http://127.0.0.1:1/' },
      },
    });
    expect(mcp.selectedBy(['fs.read', 'fs.*'])).toEqual([]);
    expect(mcp.selectedBy(['mcp.github.search_issues'])).toEqual(['github']);
    expect(mcp.selectedBy(['mcp.no*'])).toEqual(['notes']);
    expect(mcp.selectedBy(['mcp.*'])).toEqual(['github', 'notes', 'web']);
    expect(mcp.selectedBy(['*'])).toEqual(['github', 'notes', 'web']);
  });

  it('rejects a server config that is neither stdio nor HTTP, or mixes the two', () => {
    expect(() => mcpConfigSchema.parse({ servers: { x: {} } })).toThrow(/either command .* or url/);
    expect(() => mcpConfigSchema.parse({ servers: { x: { url: 'http://h/', env: { A: 'b' } } } })).toThrow(
      /env applies only to a stdio server/,
    );
    expect(() => mcpConfigSchema.parse({ servers: { 'a.b': { command: 'x' } } })).toThrow(/server names/);
  });
});
