import { errorMessage } from '../core/index.js';
import type { PyclawApp } from '../runtime/index.js';
import { type CheckResult, ok } from './check-result.js';

/** Each plugin loads and each MCP server starts and lists its tools (doctor stops them again on close). */
export async function toolChecks(app: PyclawApp): Promise<CheckResult[]> {
  const { plugins, mcp } = app.config;
  const checks: Promise<CheckResult>[] = Object.keys(mcp.servers).map((server) =>
    attempt(
      `mcp ${server}`,
      async () => `started, ${(await app.mcp().tools(server)).length} tools`,
      `check mcp.servers.${server} in config.yaml`,
    ),
  );
  if (plugins.length > 0) {
    checks.unshift(
      attempt(
        'plugins',
        async () => {
          await app.loadTools([]);
          return `${plugins.length} loaded`;
        },
        'fix or remove the entry under plugins:',
      ),
    );
  }
  return Promise.all(checks);
}

async function attempt(name: string, check: () => Promise<string>, fix: string): Promise<CheckResult> {
  try {
    return ok('tools', name, await check());
  } catch (error) {
    return { area: 'tools', name, status: 'fail', detail: errorMessage(error), fix };
  }
}
