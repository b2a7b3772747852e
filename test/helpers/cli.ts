import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const builtCli = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cliCommand(home: string, args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined) {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
  return {
    argv: [builtCli, ...args],
    options: {
      env: { ...process.env, NO_COLOR: '1', ...env, PYCLAW_HOME: home },
      cwd,
      timeout: 30_000,
    },
  };
}

/**
 * Runs the built `pyclaw` command as a child process, with PYCLAW_HOME pointing at `home`, in `cwd`
 * (an agent's default workspace) when given.
 */
export function runCli(home: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): CliResult {
  const { argv, options } = cliCommand(home, args, env, cwd);
  const result = spawnSync(process.execPath, argv, { ...options, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `runCli` without blocking this process, for commands that talk to a server the test runs. */
export function runCliAsync(
  home: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<CliResult> {
  const running = startCli(home, args, env, cwd);
  running.child.stdin.end();
  return running.result;
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** What the command printed so far. */
  output(): { stdout: string; stderr: string };
  result: Promise<CliResult>;
}

/** Starts the built `pyclaw` with its stdin open, for a test that types into it or signals it. */
export function startCli(
  home: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): RunningCli {
  const { argv, options } = cliCommand(home, args, env, cwd);
  const child = spawn(process.execPath, argv, options);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), result };
}
