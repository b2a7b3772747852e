import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const builtCli = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `pyclaw` command as a child process, with PYCLAW_HOME pointing at `home`. */
export function runCli(home: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [builtCli, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env, PYCLAW_HOME: home },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
