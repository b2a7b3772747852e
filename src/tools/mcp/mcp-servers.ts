import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, PyclawError } from '../../core/index.js';
import type { Tool } from '../contract.js';
import type { McpConfig, McpServerConfig } from './mcp-config.js';
import { mcpTool } from './mcp-tools.js';

export interface McpServersOptions {
  /** Turns a secret reference in `env` or `headers` into the secret. */
  resolveSecret: (reference: string) => string;
  /** Where a relative `cwd` points from: PYCLAW_HOME. */
  baseDir: string;
  /** Each line a stdio server writes to stderr (kept off the user's terminal). */
  onStderr?: (server: string, line: string) => void;
}

interface Connection {
  client: Client;
  tools: Tool[];
  close(): Promise<void>;
}

/**
 * The MCP servers of config. A server starts (or is connected to) the first time its tools are asked
 * for; if it exits or drops the connection, the next call starts it again. Closing stops them all.
 */
export class McpServers {
  private readonly connections = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(
    private readonly config: McpConfig,
    private readonly options: McpServersOptions,
  ) {}

  /** The servers a tool of which one of `patterns` (agent tool ids or globs) could select. */
  selectedBy(patterns: readonly string[]): string[] {
    return Object.keys(this.config.servers).filter((server) =>
      patterns.some((pattern) => couldSelect(pattern, `mcp.${server}.`)),
    );
  }

  /** The server's tools, as `mcp.<server>.<tool>`, starting the server if it is not running. */
  async tools(server: string): Promise<Tool[]> {
    return (await this.connection(server)).tools;
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      open.map((connection) =>
        connection.then(
          (c) => c.close(),
          () => undefined, // never started: nothing to stop
        ),
      ),
    );
  }

  private connection(server: string): Promise<Connection> {
    if (this.closed) {
      return Promise.reject(
        new PyclawError('mcp.closed', `MCP server "${server}" was asked for after shutdown`),
      );
    }
    const existing = this.connections.get(server);
    if (existing) return existing;
    const forget = () => {
      if (this.connections.get(server) === connection) this.connections.delete(server);
    };
    const connection = this.connect(server, forget);
    this.connections.set(server, connection);
    connection.catch(forget);
    return connection;
  }

  private async connect(server: string, onClose: () => void): Promise<Connection> {
    const config = this.config.servers[server];
    if (!config) throw new PyclawError('mcp.unknown-server', `no MCP server "${server}" under mcp.servers`);
    let lastStderrLine = '';
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const client = new Client({ name: 'pyclaw', version: pyclawVersion() });
    try {
      const transport = await this.transport(server, config, (line) => {
        lastStderrLine = line;
        this.options.onStderr?.(server, line);
      });
      await client.connect(transport);
      client.onclose = onClose;
      const call = (name: string, input: Record<string, unknown>, signal: AbortSignal) =>
        this.call(server, name, input, signal);
      return {
        client,
        tools: (await listTools(client)).map((descriptor) => mcpTool(server, descriptor, call)),
        close: () => closeClient(client, transport),
      };
    } catch (error) {
      await client.close().catch(() => undefined);
      const reason = [describe(error), lastStderrLine && `(stderr: ${lastStderrLine})`].filter(Boolean);
      throw new PyclawError('mcp.connect', `MCP server "${server}" did not start: ${reason.join(' ')}`, {
        hint: `check mcp.servers.${server} in config.yaml`,
        cause: error,
      });
    }
  }

  private async call(
    server: string,
    name: string,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const { client } = await this.connection(server);
    // The SDK leaves a listener on the signal it is given, and a turn's signal outlives many calls:
    // each call gets its own signal, tied to the turn's only while the call runs.
    const call = new AbortController();
    const abort = () => call.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await client.callTool({ name, arguments: input }, undefined, { signal: call.signal });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  private async transport(
    server: string,
    config: McpServerConfig,
    onStderrLine: (line: string) => void,
  ): Promise<Transport> {
    if (config.url !== undefined) {
      const { StreamableHTTPClientTransport } = await import(
        '@modelcontextprotocol/sdk/client/streamableHttp.js'
      );
      const headers = this.resolveAll(server, 'headers', config.headers);
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers } });
    }
    const { StdioClientTransport, getDefaultEnvironment } = await import(
      '@modelcontextprotocol/sdk/client/stdio.js'
    );
    const transport = new StdioClientTransport({
      command: config.command as string,
      args: config.args,
      env: { ...getDefaultEnvironment(), ...this.resolveAll(server, 'env', config.env) },
      cwd: config.cwd === undefined ? undefined : resolve(this.options.baseDir, config.cwd),
      stderr: 'pipe',
    });
    let partial = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onStderrLine(line.trimEnd());
    });
    return transport;
  }

  private resolveAll(
    server: string,
    key: 'env' | 'headers',
    values: Record<string, string> | undefined,
  ): Record<string, string> {
    return Object.fromEntries(
      Object.entries(values ?? {}).map(([name, value]) => {
        try {
          return [name, this.options.resolveSecret(value)];
        } catch (error) {
          throw new PyclawError(
            'mcp.secret',
            `mcp.servers.${server}.${key}.${name}: ${errorMessage(error)}`,
            { cause: error },
          );
        }
      }),
    );
  }
}

/** Whether a tool id or glob could match an id starting with `prefix` (an over-approximation for globs). */
function couldSelect(pattern: string, prefix: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern.startsWith(prefix);
  const literal = pattern.slice(0, star);
  return literal.startsWith(prefix) || prefix.startsWith(literal);
}

async function listTools(client: Client): Promise<McpTool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

async function closeClient(client: Client, transport: Transport): Promise<void> {
  client.onclose = undefined;
  // A Streamable HTTP server keeps a session until told to end it.
  if ('terminateSession' in transport) {
    await (transport as { terminateSession(): Promise<void> }).terminateSession().catch(() => undefined);
  }
  await client.close().catch(() => undefined);
}

/** One line: the error and, for a failed fetch, what the network said. */
function describe(error: unknown): string {
  const message = errorMessage(error).split('\n', 1)[0] ?? '';
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}

let version: string | undefined;
function pyclawVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
