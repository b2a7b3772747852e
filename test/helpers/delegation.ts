import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';

/**
 * Agent `default` delegates "count the plants" to agent `helper` (both scripted); the task lease lasts
 * ten minutes, so only a worker that is gone lets it go sooner.
 */
export function delegatingConfig(helperRole = 'a gardener'): string {
  return `providers:
  boss:
    kind: scripted
    responses:
      - toolCalls: [{ name: agent.delegate, arguments: { agent: helper, task: "count the plants" } }]
      - text: "The helper counted 12 plants."
  worker:
    kind: scripted
    responses: [{ text: "12 plants" }]
agents:
  default:
    models:
      default: { provider: boss, model: demo }
    tools: [agent.delegate]
  helper:
    identity: { role: ${helperRole} }
    models:
      default: { provider: worker, model: demo }
policy:
  rules:
    - { tool: agent.delegate, decision: allow }
a2a: { leaseSeconds: 600 }
`;
}

/**
 * Writes `delegatingConfig` into `home` and runs a turn that is killed (SIGKILL) as it hands the task
 * to the helper: the turn stays open, and the dead process still holds the session's lease and the
 * task's. Returns the session.
 */
export function crashWhileDelegating(home: string, workspace: string): string {
  writeFileSync(join(home, 'config.yaml'), delegatingConfig());
  const crashed = runCli(
    home,
    ['run', 'how many plants?'],
    { PYCLAW_TEST_CRASH_AFTER: 'a2a.received' },
    workspace,
  );
  if (crashed.code !== null) throw new Error(`the run was not killed: ${crashed.code} ${crashed.stderr}`);
  const [session] = JSON.parse(runCli(home, ['sessions', 'list', '--json']).stdout) as Array<{ id: string }>;
  if (!session) throw new Error('the killed run left no session');
  return session.id;
}
