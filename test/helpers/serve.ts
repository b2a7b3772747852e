import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { type RunningCli, runCli, startCli } from './cli.js';
import { useTempDirs } from './temp-dir.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON whose shape the assertions check
export type Json = any;

export interface Server {
  url: string;
  token: string;
  home: string;
  workspace: string;
  process: RunningCli;
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: Json }>;
}

/** The agent of a served home, scripted: write a file (which asks for approval), then answer. */
export const writeThenAnswer = `providers:
  script:
    kind: scripted
    repeat: true
    responses:
      - toolCalls: [{ name: fs.write, arguments: { path: hello.txt, content: "hi\\n" } }]
      - text: "Wrote hello.txt."
agents:
  default:
    models:
      default: { provider: script, model: demo }
    tools: [fs.write]
`;

/**
 * `pyclaw serve` as a child process on a free port, killed after each test. Call in a test file's top
 * level; the returned function starts a server for the current test.
 */
export function useServer(): (config?: string) => Promise<Server> {
  const tempDir = useTempDirs();
  const running: RunningCli[] = [];
  afterEach(async () => {
    for (const served of running.splice(0)) {
      served.child.kill('SIGKILL');
      await served.result;
    }
  });
  return async (config = writeThenAnswer) => {
    const home = tempDir();
    const workspace = tempDir();
    expect(runCli(home, ['init']).code).toBe(0);
    writeFileSync(join(home, 'config.yaml'), config);
    const served = startCli(home, ['serve', '--port', '0'], {}, workspace);
    running.push(served);
    while (!served.output().stdout.includes('serving on')) {
      if (served.child.exitCode !== null) throw new Error(served.output().stderr);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const url = served.output().stdout.match(/serving on (\S+)/)?.[1] as string;
    const token = readFileSync(join(home, 'secrets'), 'utf8').match(/^api_token=(.+)$/m)?.[1] as string;
    return {
      url,
      token,
      home,
      workspace,
      process: served,
      async call(path, init = {}) {
        const response = await fetch(`${url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
          body: init.json === undefined ? init.body : JSON.stringify(init.json),
        });
        return { status: response.status, body: await response.json() };
      },
    };
  };
}
