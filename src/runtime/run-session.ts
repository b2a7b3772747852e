import { updateSummaryIfDue } from '../compress/index.js';
import { defaultContextWindow } from '../context/index.js';
import { PyclawError, systemClock } from '../core/index.js';
import { ModelRouter } from '../llm/index.js';
import type { AgentDefinition } from '../registry/index.js';
import { loadSkills, skillDirs, skillsForAgent } from '../skill/index.js';
import type { ToolHost } from '../tools/index.js';
import type { PyclawApp } from './app.js';
import { type ApprovalReply, recordApprovalReply } from './approvals.js';
import { findOpenTurns } from './open-turns.js';
import { SessionLease } from './session-lease.js';
import {
  driveTurn,
  type MessageOrigin,
  newTurn,
  recorderSink,
  type TurnEnvironment,
  type TurnOutcome,
} from './turn-runner.js';

export interface RunSessionOptions {
  /** The agent for a new session (default `default`); an existing session keeps its own. */
  agentId?: string;
  /** An existing session; a new one is created without it. */
  sessionId?: string;
  /** The user's message; without it, only interrupted turns are resumed. */
  message?: string;
  /** The channel the message came by (default the CLI). */
  origin?: MessageOrigin;
  /** An answer to one of the session's pending approvals, recorded (under the lease) before resuming. */
  answer?: ApprovalReply;
  /** Runs in the transaction that records the message, so a channel can mark its update taken with it. */
  onMessageRecorded?: (turnId: string) => void;
  /** Where the agent's file tools may work; defaults to the current directory. */
  workspaceRoots?: string[];
  hooks?: Pick<TurnEnvironment, 'onDelta' | 'askApproval' | 'signal'>;
}

export interface RunSessionResult {
  sessionId: string;
  /** Turns that had been interrupted (or were waiting) and were driven on first. */
  resumed: TurnOutcome[];
  /** The outcome of the new message's turn, when a message was given. */
  outcome?: TurnOutcome;
}

/**
 * Runs one message in a session under the session's lease: first any turn of the session that never
 * ended is resumed from its log, then the new turn runs. A session waiting for an approval does not
 * start a new turn until that approval is answered.
 *
 * With nothing to resume or answer, the lease is taken in the commit that opens the new turn: nothing
 * is written before it, and a process that took the session meanwhile makes that commit fail as busy.
 */
export async function runInSession(app: PyclawApp, options: RunSessionOptions): Promise<RunSessionResult> {
  const existing = options.sessionId === undefined ? undefined : app.log.getSession(options.sessionId);
  if (options.sessionId !== undefined && !existing) {
    throw new PyclawError('runtime.no-session', `no session ${options.sessionId}`, {
      hint: 'see `pyclaw sessions list`, or leave out --session to start a new one',
    });
  }
  const agentId = existing?.agentId ?? options.agentId ?? 'default';
  // Before a new session exists: a plugin or MCP server that fails to load leaves nothing behind.
  const tools = await app.loadTools(app.registry().get(agentId).tools);
  const session = existing ?? app.log.createSession({ agentId, title: options.message?.slice(0, 80) });
  let lease: SessionLease | undefined;
  const takeLease = () => {
    lease ??= SessionLease.acquire(app.db, session.id);
  };
  try {
    const env = turnEnvironment(app, agentId, tools, options);
    const resumed: TurnOutcome[] = [];
    const open = findOpenTurns(app.db, session.id);
    if (options.answer || open.length > 0 || options.message === undefined) {
      takeLease();
      if (options.answer) recordApprovalReply(app, session.id, agentId, options.answer);
      // read again under the lease: another process may have ended or started turns meanwhile
      for (const { turnId } of findOpenTurns(app.db, session.id)) {
        const outcome = await driveTurn(env, session.id, turnId);
        resumed.push(outcome);
        if (outcome.status === 'waiting') return { sessionId: session.id, resumed };
      }
    }
    if (options.message === undefined) return { sessionId: session.id, resumed };
    const turn = newTurn(env, session.id, options.message, options.origin, (turnId) => {
      takeLease();
      options.onMessageRecorded?.(turnId);
    });
    const outcome = await driveTurn(env, session.id, turn);
    if (outcome.status !== 'waiting') await updateSummary(env, session.id);
    return { sessionId: session.id, resumed, outcome };
  } finally {
    lease?.release();
  }
}

/**
 * Brings the session's rolling summary up to date after a turn. The agent's `fast` tier writes it when
 * one is configured (the cheap model); otherwise, or when that call fails, it is extractive.
 */
async function updateSummary(env: TurnEnvironment, sessionId: string): Promise<void> {
  const cheap = env.agent.models?.fast !== undefined;
  await updateSummaryIfDue({
    db: env.db,
    log: env.log,
    sessionId,
    config: env.agent.context.summary,
    summarizer: cheap
      ? async (messages) => {
          const response = await env.router.complete('fast', { messages }, { signal: env.signal });
          return { text: response.text, model: `${response.provider}/${response.model}` };
        }
      : undefined,
  });
}

/** The default model's context window: configured for the agent, else a local model's contextSize. */
function contextWindow(app: PyclawApp, agent: AgentDefinition): number {
  if (agent.context.window) return agent.context.window;
  const provider = agent.models && app.config.providers[agent.models.default.provider];
  const size = provider && 'contextSize' in provider ? provider.contextSize : undefined;
  return typeof size === 'number' ? size : defaultContextWindow;
}

function turnEnvironment(
  app: PyclawApp,
  agentId: string,
  tools: ToolHost,
  options: RunSessionOptions,
): TurnEnvironment {
  const agent = app.registry().get(agentId);
  const workspaceRoots = options.workspaceRoots ?? [process.cwd()];
  return {
    log: app.log,
    db: app.db,
    artifacts: app.artifacts,
    agent,
    contextWindow: contextWindow(app, agent),
    providers: app.providers(),
    router: new ModelRouter({
      providers: app.providers(),
      models: requireModels(agent),
      sink: recorderSink(app.log),
    }),
    tools,
    policy: app.config.policy,
    grants: app.grants,
    panic: app.panic,
    safety: app.config.safety,
    memory: app.memory(),
    workspaceRoots,
    clock: systemClock,
    skills: skillsForAgent(
      loadSkills(skillDirs(app.paths, workspaceRoots[0]), { cacheFile: app.paths.skillCache }),
      agent.skills,
    ),
    ...options.hooks,
  };
}

function requireModels(agent: AgentDefinition) {
  if (agent.models) return agent.models;
  throw new PyclawError('runtime.no-model', `agent "${agent.id}" has no model configured`, {
    hint: 'run `pyclaw init` to pick a detected provider, or set agents.<id>.models.default in config.yaml',
  });
}
