#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

// Only commander loads up front; each command imports its modules when it runs, so
// `pyclaw --version` and `--help` stay fast.

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function integerAtLeast(min: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min) {
      throw new InvalidArgumentError(`expected ${min === 0 ? 'a whole number' : 'a positive integer'}`);
    }
    return number;
  };
}
const positiveInt = integerAtLeast(1);
const wholeNumber = integerAtLeast(0);

/** `15m`, `2h`, `30s`, `1d`; a bare number counts minutes. */
function duration(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match?.[2] || 'm') as 's'];
  if (!match || Number(match[1]) === 0)
    throw new InvalidArgumentError('expected a duration like 15m, 2h or 30s');
  return Number(match[1]) * unitMs;
}

const jsonOption = () => new Option('--json', 'print JSON instead of a table');

function buildProgram(): Command {
  const program = new Command('pyclaw')
    .description('Local-first agent orchestration with a durable, auditable event log')
    .version(version, '-V, --version', 'print the version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`pyclaw: ${text.replace(/^error: /, '')}`) });

  program
    .command('init')
    .description('create PYCLAW_HOME with a commented config.yaml and the database')
    .option('--force', 'overwrite an existing config.yaml')
    .option('--provider <id>', 'use this detected provider for the default agent (ollama, openai, …)')
    .action(async (options) => (await import('./commands/init.js')).init(options));

  program
    .command('run <message>')
    .description('run one agent turn and print the answer (streamed in a terminal)')
    .option('--agent <id>', 'the agent for a new session', 'default')
    .option('--session <id>', 'continue this session (its interrupted turns are resumed first)')
    .addOption(jsonOption())
    .action(async (message, options) => (await import('./commands/run.js')).run(message, options));
  program
    .command('chat')
    .description('talk to an agent turn after turn (/help inside lists the slash commands)')
    .option('--agent <id>', 'the agent for new sessions', 'default')
    .option('--session <id>', 'continue this session')
    .action(async (options) => (await import('./commands/chat.js')).chat(options));
  program
    .command('resume')
    .description('finish turns a crash or a pending approval left open')
    .option('--session <id>', 'only this session')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/run.js')).resume(options));

  program
    .command('serve')
    .description('host the HTTP API (loopback, bearer token); resumes interrupted turns at start')
    .option('--host <host>', 'listen on this address instead of http.host')
    .option('--port <port>', 'listen on this port instead of http.port', wholeNumber)
    .action(async (options) => (await import('./commands/serve.js')).serve(options));

  const approvals = program.command('approvals').description('tool calls waiting for your decision');
  approvals
    .command('list')
    .description('approvals that open turns are waiting for')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/approvals.js')).list(options));
  approvals
    .command('approve <approval>')
    .description(
      'approve (id or unique prefix), then let the turn go on; once unless a grant option says longer',
    )
    .option('--for <duration>', 'also grant calls like it for this long (15m, 2h, 30s)', duration)
    .option('--session', 'also grant calls like it for the rest of this session')
    .option('--always', 'also grant calls like it until `pyclaw grants revoke`')
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/approvals.js')).answer('approve')(id, options));
  approvals
    .command('deny <approval>')
    .description('deny (id or unique prefix), then let the turn go on')
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/approvals.js')).answer('deny')(id, options));

  const grants = program.command('grants').description('approvals that hold beyond one call');
  grants
    .command('list')
    .description('every grant, newest first, and whether it holds now')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/grants.js')).list(options));
  grants
    .command('revoke <grant>')
    .description('stop a grant (id or unique prefix) from covering any further call')
    .option('--reason <text>', 'recorded with the revocation')
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/grants.js')).revoke(id, options));

  const panic = program
    .command('panic')
    .description('stop every running tool call and block new ones, across all PyClaw processes');
  panic
    .command('on')
    .description('engage: running tool calls end within a second, new ones are blocked, grants suspended')
    .option('--reason <text>', 'recorded in each affected session')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/panic.js')).on(options));
  panic
    .command('off')
    .description('release: tool calls may run again')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/panic.js')).off(options));
  panic
    .command('status')
    .description('whether panic is engaged, since when and by whom')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/panic.js')).status(options));

  const sessions = program.command('sessions').description('inspect sessions and their event logs');
  sessions
    .command('list')
    .description('list sessions, newest first')
    .option('--limit <n>', 'how many to show', positiveInt, 50)
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/sessions.js')).list(options));
  sessions
    .command('show <session>')
    .description("a session's details and latest events")
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/sessions.js')).show(id, options));
  sessions
    .command('events <session>')
    .description("print a session's events")
    .option('--from <seq>', 'first seq', positiveInt)
    .option('--to <seq>', 'last seq', positiveInt)
    .option('--last <n>', 'only the last N events', positiveInt)
    .option('--type <type...>', 'only these event types')
    .option('--turn <turnId>', 'only events of this turn')
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/sessions.js')).events(id, options));
  sessions
    .command('verify [session]')
    .description('check the hash chain of a session (or of all sessions) and name the first bad seq')
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/sessions.js')).verify(id, options));

  sessions
    .command('clear-cache <session>')
    .description(
      "drop the rows derived from a session's events (turn index, open turns, latest summary and pack marks, artifact refs) and rebuild them from the log; the events are never changed",
    )
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/sessions.js')).clearCache(id, options));

  sessions
    .command('replay <session>')
    .description('rebuild every turn from the log, without calling any model, and print the transcript')
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/sessions.js')).replay(id, options));

  program
    .command('context')
    .description('what the model was shown')
    .command('show <turn>')
    .description(
      'print the prompt packs of a turn (or `last`) section by section, with what was left out and why',
    )
    .option('--session <id>', 'the session the turn is in (default: found by turn id; for last, the newest)')
    .addOption(jsonOption())
    .action(async (turn, options) => (await import('./commands/context.js')).show(turn, options));

  const artifacts = program.command('artifacts').description('the content-addressed artifact store');
  artifacts
    .command('list')
    .description('list stored artifacts, newest first')
    .option('--limit <n>', 'how many to show', positiveInt, 100)
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/artifacts.js')).list(options));
  artifacts
    .command('cat <ref>')
    .description('write an artifact (sha256:<hash>, hash prefix or alias) to stdout')
    .action(async (ref) => (await import('./commands/artifacts.js')).cat(ref));
  artifacts
    .command('gc')
    .description('remove blobs no event references and that are expired or unkept')
    .option('--grace <minutes>', 'keep anything younger than this', wholeNumber, 60)
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/artifacts.js')).gc(options));
  artifacts
    .command('verify')
    .description('re-hash every blob and report corrupt or missing ones')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/artifacts.js')).verify(options));

  const skills = program.command('skills').description('SKILL.md playbooks the agents draw on');
  skills
    .command('list')
    .description('skills in PYCLAW_HOME/skills and ./skills, with their one-line cards')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/skills.js')).list(options));
  skills
    .command('show <skill>')
    .description("a skill's fields, content hash and playbook")
    .addOption(jsonOption())
    .action(async (name, options) => (await import('./commands/skills.js')).show(name, options));
  skills
    .command('add <path>')
    .description('check a skill folder (or its SKILL.md) and copy it into PYCLAW_HOME/skills')
    .option('--replace', 'replace an installed skill of the same name')
    .action(async (path, options) => (await import('./commands/skills.js')).add(path, options));

  program
    .command('doctor')
    .description(
      'check storage, memory index, event chains, artifacts, leases, providers, tools (SSH keys and known hosts too), channels, disk and clock',
    )
    .option(
      '--fix',
      'apply the safe repairs: checkpoint the WAL, rebuild the memory words index, gc unreferenced artifacts, release leases of processes that are gone, queue again delegated tasks whose worker is gone',
    )
    .option('--full', "verify every session's hash chain (default: the 20 most recent)")
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/doctor.js')).doctor(options));

  const llm = program.command('llm').description('model providers');
  llm
    .command('test')
    .description('send one tiny request to each provider (or one) and report latency or the exact error')
    .option('--provider <id>', 'only this provider')
    .option('--model <name>', 'the model to ask (default: the one an agent uses with the provider)')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/llm.js')).test(options));

  const agents = program.command('agents').description('the agents defined in config.yaml');
  agents
    .command('list')
    .description('list agents with their default model, tools and identity version')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/agents.js')).list(options));
  agents
    .command('show <agent>')
    .description("an agent's full definition and identity history")
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/agents.js')).show(id, options));
  agents
    .command('add <agent>')
    .description('add an agent to config.yaml (comments kept)')
    .option('--name <name>', 'display name')
    .option('--role <role>', 'the identity\'s role, e.g. "a careful release engineer"')
    .option('--model <provider/model>', 'default model, e.g. ollama/llama3.1')
    .action(async (id, options) => (await import('./commands/agents.js')).add(id, options));

  agents
    .command('reset <agent>')
    .description(
      "recover a stuck agent: release leases its sessions' dead processes hold, queue again its delegated tasks whose worker is gone, record its identity from config.yaml if it changed, and name its interrupted turns and pending approvals; never runs a turn, never deletes an event",
    )
    .addOption(jsonOption())
    .action(async (id, options) => (await import('./commands/agents.js')).reset(id, options));

  const a2a = program.command('a2a').description('tasks agents delegate to each other (agent.delegate)');
  a2a
    .command('list')
    .description('delegated tasks, most recent first, with their status and attempts')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/a2a.js')).list(options));
  a2a
    .command('work')
    .description('run queued delegated tasks (and those whose worker died) until stopped')
    .option('--once', 'run at most one task, then exit')
    .addOption(jsonOption())
    .action(async (options) => (await import('./commands/a2a.js')).work(options));

  const memory = program.command('memory').description("agents' long-term memory and the candidates for it");
  const memoryCommand = () => import('./commands/memory.js');
  memory
    .command('list')
    .description('memories, newest first')
    .option('--scope <scope>', 'only this scope: global, agent:<id> or user:<id>')
    .option('--kind <kind>', 'only this kind: fact, preference, lesson or procedure')
    .option('--limit <n>', 'how many to show', positiveInt, 100)
    .addOption(jsonOption())
    .action(async (options) => (await memoryCommand()).list(options));
  memory
    .command('show <memory>')
    .description('one memory (id or unique prefix) with the events it came from')
    .addOption(jsonOption())
    .action(async (id, options) => (await memoryCommand()).show(id, options));
  memory
    .command('search <query>')
    .description('the best matches, by words (BM25) and, with memory.embeddings, by meaning')
    .option('--scope <scope...>', 'only these scopes')
    .option('--limit <n>', 'how many to show', positiveInt, 8)
    .addOption(jsonOption())
    .action(async (query, options) => (await memoryCommand()).search(query, options));
  memory
    .command('add <text>')
    .description('remember something yourself')
    .requiredOption('--kind <kind>', 'fact, preference, lesson or procedure')
    .option('--scope <scope>', 'global, agent:<id> or user:<id>', 'global')
    .addOption(jsonOption())
    .action(async (text, options) => (await memoryCommand()).add(text, options));
  memory
    .command('candidates')
    .description('what reflection proposed to remember, newest first')
    .option('--status <status>', 'pending, promoted, rejected or all', 'pending')
    .option('--limit <n>', 'how many to show', positiveInt, 100)
    .addOption(jsonOption())
    .action(async (options) => (await memoryCommand()).candidates(options));
  memory
    .command('promote <candidate>')
    .description('make a candidate (id or unique prefix) a memory')
    .option('--scope <scope>', "remember it in this scope instead of the candidate's")
    .addOption(jsonOption())
    .action(async (id, options) => (await memoryCommand()).promote(id, options));
  memory
    .command('reject <candidate>')
    .description('turn a candidate down; the same text is not proposed again')
    .addOption(jsonOption())
    .action(async (id, options) => (await memoryCommand()).reject(id, options));
  memory
    .command('forget <memory>')
    .description('delete a memory for good; reflection will not propose it again')
    .addOption(jsonOption())
    .action(async (id, options) => (await memoryCommand()).forget(id, options));
  memory
    .command('reembed')
    .description("make every memory's vector again with memory.embeddings (after changing the model)")
    .addOption(jsonOption())
    .action(async (options) => (await memoryCommand()).reembed(options));

  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit through here with code 0; usage errors were already printed
      return error.exitCode === 0 ? 0 : 2;
    }
    const { reportError } = await import('./report-error.js');
    return reportError(error);
  }
}

process.exitCode = await main(process.argv);
