import pc from 'picocolors';
import { stringify } from 'yaml';
import { PyclawError } from '../../core/index.js';
import { type AgentReset, resetAgent } from '../../diagnostics/index.js';
import type { AgentDefinition, ModelRef } from '../../registry/index.js';
import { addAgent } from '../../runtime/index.js';
import { resolveHome } from '../../storage/index.js';
import { formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

/** `pyclaw agents list`: one row per agent in config.yaml. */
export function list(options: JsonOption): Promise<void> {
  return withApp((app) => {
    const agents = app.registry().list().map(summary);
    if (options.json) return printJson(agents);
    printTable(
      agents,
      [
        { header: 'AGENT', value: (a) => a.id },
        { header: 'NAME', value: (a) => a.name },
        { header: 'MODEL', value: (a) => (a.defaultModel ? modelText(a.defaultModel) : pc.dim('none')) },
        { header: 'TOOLS', value: (a) => a.tools.join(', ') },
        { header: 'IDENTITY', value: (a) => `v${a.identityVersion}` },
      ],
      'no agents: add one with `pyclaw agents add <id>`',
    );
  });
}

/** `pyclaw agents show <id>`: the agent's full definition and every recorded identity version. */
export function show(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const registry = app.registry();
    const agent = registry.get(id);
    const identityHistory = registry.identityHistory(id);
    if (options.json) return printJson({ ...agent, identityHistory });
    const { id: _id, name, identityVersion, identityHash, systemPrompt: _prompt, ...definition } = agent;
    process.stdout.write(`${pc.bold('agent')}     ${id}\nname      ${name}\n`);
    process.stdout.write(`identity  v${identityVersion} (${identityHash.slice(0, 12)})\n\n`);
    process.stdout.write(stringify(definition, { lineWidth: 0 }));
    process.stdout.write(`\n${pc.bold('identity history')}\n`);
    printTable(
      identityHistory,
      [
        { header: 'VERSION', value: (v) => `v${v.version}` },
        { header: 'RECORDED', value: (v) => formatTime(v.createdAt) },
        { header: 'HASH', value: (v) => v.hash.slice(0, 12) },
        { header: 'ROLE', value: (v) => v.capsule.role },
      ],
      'none recorded',
    );
  });
}

/** `pyclaw agents add <id>`: writes the agent into config.yaml, keeping the file's comments. */
export function add(id: string, options: { name?: string; role?: string; model?: string }): void {
  const { config } = resolveHome(process.env);
  const model = options.model === undefined ? undefined : parseModelRef(options.model);
  addAgent(config, { id, name: options.name, role: options.role, model });
  process.stdout.write(`${pc.green('✓')} added agent "${id}" to ${config}\n`);
  if (!model)
    process.stdout.write(`  it has no model yet: set agents.${id}.models.default there to run it\n`);
}

/**
 * `pyclaw agents reset <id>`: frees what a gone process left held in the agent's sessions and tasks,
 * records its identity from config, and says what is left for the user (open turns, approvals).
 */
export function reset(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const done = resetAgent(app, id);
    if (options.json) return printJson(done);
    process.stdout.write(`${pc.bold('agent')} ${id}\n`);
    for (const line of resetLines(done)) process.stdout.write(`  ${line}\n`);
  });
}

function resetLines(done: AgentReset): string[] {
  const { identity } = done;
  return [
    done.releasedLeases.length > 0
      ? `${pc.green('released')} the leases of ${done.releasedLeases.length} session(s) held by a process that is gone: ${done.releasedLeases.join(', ')}`
      : 'no session lease held by a process that is gone',
    ...done.busyLeases.map(
      (lease) =>
        `session ${lease.sessionId} is busy: process ${lease.pid} on ${lease.host} runs a turn in it (left alone; stop that process if it hangs, then reset again)`,
    ),
    done.requeuedTasks.length > 0
      ? `${pc.green('queued again')} ${done.requeuedTasks.length} delegated task(s) whose worker is gone: ${done.requeuedTasks.join(', ')}`
      : 'no delegated task held by a worker that is gone',
    ...(done.queuedTasks.length > 0
      ? [
          `${done.queuedTasks.length} delegated task(s) wait in the queue: \`pyclaw a2a work\`, or resuming the turn that delegated one, runs them`,
        ]
      : []),
    identity.recorded
      ? `${pc.green('recorded')} identity v${identity.version} from config.yaml${identity.previousVersion === null ? '' : ` (was v${identity.previousVersion})`}`
      : `identity v${identity.version} matches config.yaml`,
    ...[...new Set(done.interruptedTurns.map((turn) => turn.sessionId))].map(
      (session) =>
        `an interrupted turn in session ${session}: \`pyclaw resume --session ${session}\` finishes it`,
    ),
    ...done.pendingApprovals.map(
      (pending) =>
        `session ${pending.sessionId} waits for approval ${pending.approvalId} (${pending.tool}): \`pyclaw approvals approve|deny ${pending.approvalId}\``,
    ),
  ];
}

function summary(agent: AgentDefinition) {
  const choice = agent.models?.default;
  return {
    id: agent.id,
    name: agent.name,
    defaultModel: choice ? { provider: choice.provider, model: choice.model } : null,
    tools: agent.tools,
    identityVersion: agent.identityVersion,
  };
}

function modelText(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}

/** `provider/model`; the model part may itself hold slashes (`openrouter/meta-llama/llama-3`). */
function parseModelRef(text: string): ModelRef {
  const slash = text.indexOf('/');
  if (slash > 0 && slash < text.length - 1)
    return { provider: text.slice(0, slash), model: text.slice(slash + 1) };
  throw new PyclawError(
    'cli.bad-model',
    `--model takes provider/model, e.g. ollama/llama3.1 (got "${text}")`,
  );
}
