import type { CheckResult } from '../../src/diagnostics/index.js';
import { runCli } from './cli.js';

/** Runs the built `pyclaw doctor --json` on `home` with `flags`. */
export function doctor(home: string, ...flags: string[]): { code: number | null; checks: CheckResult[] } {
  const result = runCli(home, ['doctor', '--json', ...flags]);
  if (!result.stdout) throw new Error(`doctor printed nothing (exit ${result.code}): ${result.stderr}`);
  return { code: result.code, checks: JSON.parse(result.stdout) as CheckResult[] };
}

/** The check named `name` (it must be there). */
export function check(checks: CheckResult[], name: string): CheckResult {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`doctor has no check "${name}": ${checks.map((c) => c.name).join(', ')}`);
  return found;
}
