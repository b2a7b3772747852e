import type { ArtifactStore } from '../artifact/index.js';
import type { Logger } from '../core/index.js';
import type { Redactor } from '../secret/index.js';
import { loadPlugins, McpServers, type Tool, ToolHost } from '../tools/index.js';
import type { Config } from './config.js';
import { configuredTools, type ToolSources } from './tool-set.js';

export interface AppToolsOptions {
  artifacts: ArtifactStore;
  /** Tool outputs pass through it before they are cut into a preview. */
  redactor: Redactor;
  sources: ToolSources;
  /** PYCLAW_HOME: where relative plugin paths and MCP `cwd`s point from. */
  baseDir: string;
  logger: Logger;
}

/**
 * The process's one ToolHost. It starts with the tools config declares (built at once, nothing
 * started); `load` adds plugin tools and the tools of the MCP servers a set of patterns selects, which
 * needs imports and server connections, so it is async and done when a turn first needs them.
 */
export class AppTools {
  private host: ToolHost | undefined;
  /** Tools offered beyond config before the host was built: they join it when it is. */
  private readonly offered: Tool[] = [];
  private plugins: Promise<void> | undefined;
  private readonly mounted = new Set<string>();
  /** The MCP servers of config, started on demand. */
  readonly mcp: McpServers;

  constructor(
    private readonly config: Config,
    private readonly options: AppToolsOptions,
  ) {
    this.mcp = new McpServers(config.mcp, {
      resolveSecret: options.sources.secrets.resolveString,
      baseDir: options.baseDir,
      onStderr: (server, line) => options.logger.info({ mcpServer: server }, line),
    });
  }

  /**
   * The tools known without loading anything: enough for replay, which runs no tool. Built on first
   * use (it describes every tool's input as JSON Schema), so a command that needs no tool never pays.
   */
  declared(): ToolHost {
    this.host ??= new ToolHost([...configuredTools(this.config, this.options.sources), ...this.offered], {
      artifacts: this.options.artifacts,
      redactor: this.options.redactor,
    });
    return this.host;
  }

  /** Adds tools from beyond config (`agent.delegate`): to the host now if it is built, else when it is. */
  offer(tools: readonly Tool[]): void {
    if (this.host) this.host.add(tools);
    else this.offered.push(...tools);
  }

  /**
   * Loads the plugins (once) and starts the MCP servers `patterns` (an agent's tool ids or globs) could
   * use, mounting their tools. Each source loads even when another fails, and then the first failure is
   * thrown; a failure is not remembered, so the next call tries again.
   */
  async load(patterns: readonly string[]): Promise<ToolHost> {
    const host = this.declared();
    this.plugins ??= loadPlugins(this.config.plugins, this.options.baseDir).then(
      (tools) => host.add(tools),
      (error: unknown) => {
        this.plugins = undefined;
        throw error;
      },
    );
    const servers = this.mcp.selectedBy(patterns).filter((server) => !this.mounted.has(server));
    const loaded = await Promise.allSettled([
      this.plugins,
      ...servers.map(async (server) => {
        const tools = await this.mcp.tools(server);
        if (this.mounted.has(server)) return;
        host.add(tools);
        this.mounted.add(server);
      }),
    ]);
    const failed = loaded.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return host;
  }

  /** Frees what the tools hold and stops every MCP server started; each runs even if another fails. */
  async close(): Promise<void> {
    const [host, mcp] = await Promise.allSettled([this.host?.close(), this.mcp.close()]);
    for (const result of [host, mcp]) if (result.status === 'rejected') throw result.reason;
  }
}
