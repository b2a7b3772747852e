import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { usageOf } from '../llm/index.js';
import type { AgentDefinition } from '../registry/index.js';
import { type PyclawApp, type RelayedAnswer, relayedAnswers } from '../runtime/index.js';
import { inTransaction } from '../storage/index.js';
import { defineTool, type ToolContext, type ToolOutput } from '../tools/index.js';
import { A2aQueue, type A2aTask } from './queue.js';
import { leaseOwner, runLeasedTask, type TaskOutcome } from './run-task.js';

const delegateInput = z.object({
  agent: z.string().min(1).optional().describe('the id of the agent to hand the task to'),
  capability: z
    .string()
    .min(1)
    .optional()
    .describe("what the agent must be able to do, matched against the agents' names and roles"),
  task: z.string().min(1).describe('the task, complete in itself: the other agent sees nothing else'),
});
type DelegateInput = z.infer<typeof delegateInput>;

type SettledOutcome = Exclude<TaskOutcome, { status: 'lost' }>;

/** How often a delegating turn looks again at a task another worker holds. */
const pollMs = 500;

/**
 * `agent.delegate`: hands a task to another agent through the a2a queue and answers with that agent's
 * answer. The task runs here, as a turn in a child session of the receiving agent, unless a worker
 * (`pyclaw a2a work`) already holds it, in which case the call waits for its result. The queue's
 * idempotency key is the calling session and tool call, so a resumed turn never delegates twice.
 * When the child waits for a human, the call relays that approval to its own turn, which waits; once
 * it is answered the call runs again and passes the answer on, and the child goes on. What the child
 * spent is recorded with its result (`a2a.received`), counted in the delegating turn's budget.
 */
export function delegateTool(app: PyclawApp) {
  const queue = new A2aQueue(app.db);
  return defineTool({
    name: 'agent.delegate',
    description:
      'Hand a task to another agent (by id, or by what it can do) and get its answer. The other agent works in a session of its own and sees only the task text.',
    input: delegateInput,
    annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
    async execute(ctx, input, signal) {
      const from = app.log.getSession(ctx.sessionId)?.agentId ?? 'default';
      const depth = queue.byChildSession(ctx.sessionId)?.depth ?? 0;
      const limits = app.config.a2a;
      if (depth >= limits.maxDepth) {
        return refusal(
          `this session is ${depth} delegation(s) deep and may not delegate further (a2a.maxDepth ${limits.maxDepth})`,
        );
      }
      const to = receivingAgent(app.registry().list(), from, input);
      if (typeof to === 'string') return refusal(to);
      const idempotencyKey = `${ctx.sessionId}:${ctx.callId}`;
      if (
        !queue.byKey(idempotencyKey) &&
        queue.countFromTurn(ctx.sessionId, ctx.turnId) >= limits.maxFanOut
      ) {
        return refusal(`this turn already delegated ${limits.maxFanOut} task(s) (a2a.maxFanOut)`);
      }
      // The queue row is written outside the event log, so it is redacted here as the log would be.
      const text = app.redactor.redactText(input.task);
      const task = enqueue(app, queue, ctx, { idempotencyKey, from, to: to.id, task: text, depth });
      const answers = relayedAnswers(app.log, ctx);
      const outcome = await settle(app, queue, task, ctx, answers.at(-1), signal);
      if (outcome.status !== 'waiting') recordReceived(app, queue, ctx, task, outcome);
      return toolOutput(task, outcome, answers);
    },
  });
}

/** The agent named, or the first other agent whose name or role mentions every word of the capability. */
function receivingAgent(
  agents: readonly AgentDefinition[],
  from: string,
  input: DelegateInput,
): AgentDefinition | string {
  if (input.agent !== undefined) {
    return agents.find((agent) => agent.id === input.agent) ?? `no agent "${input.agent}"; ${known(agents)}`;
  }
  if (input.capability === undefined) return `name an agent or a capability; ${known(agents)}`;
  const words = input.capability.toLowerCase().split(/\s+/).filter(Boolean);
  const match = agents.find((agent) => {
    const text = `${agent.id} ${agent.name} ${agent.identity.role}`.toLowerCase();
    return agent.id !== from && words.every((word) => text.includes(word));
  });
  return match ?? `no agent can "${input.capability}"; ${known(agents)}`;
}

function known(agents: readonly AgentDefinition[]): string {
  return `the agents are: ${agents.map((agent) => `${agent.id} (${agent.identity.role})`).join('; ')}`;
}

/**
 * The task this call sent, found by its `a2a.sent` event when the call runs again on resume; otherwise
 * an unfinished task the session already sent the same agent with the same text (say, one whose child
 * waited for an approval since answered), or a new one. Recorded as `a2a.sent` with the queue row, together.
 */
function enqueue(
  app: PyclawApp,
  queue: A2aQueue,
  ctx: ToolContext,
  sent: { idempotencyKey: string; from: string; to: string; task: string; depth: number },
): A2aTask {
  return inTransaction(app.db, () => {
    const earlier = app.log
      .byTurn(ctx.sessionId, ctx.turnId)
      .map((event) =>
        event.type === 'a2a.sent' ? (event.payload as { messageId: string; callId?: string }) : undefined,
      )
      .find((payload) => payload?.callId === ctx.callId);
    const recorded = earlier && queue.get(earlier.messageId);
    if (recorded) return recorded;
    const pending = queue.pendingFrom(ctx.sessionId, sent.to, sent.task);
    const task =
      pending ??
      queue.enqueue({
        idempotencyKey: sent.idempotencyKey,
        fromAgent: sent.from,
        fromSessionId: ctx.sessionId,
        fromTurnId: ctx.turnId,
        toAgent: sent.to,
        task: sent.task,
        depth: sent.depth + 1,
      }).task;
    app.log.append(ctx.sessionId, {
      type: 'a2a.sent',
      actor: `agent:${sent.from}`,
      turnId: ctx.turnId,
      payload: {
        messageId: task.id,
        to: sent.to,
        task: sent.task,
        callId: ctx.callId,
        ...(pending ? { continues: true } : {}),
      },
    });
    return task;
  });
}

/**
 * Runs the task here when it is free to lease, passing on the latest answer to an approval the child
 * relayed; otherwise waits for the worker that holds it.
 */
async function settle(
  app: PyclawApp,
  queue: A2aQueue,
  task: A2aTask,
  ctx: ToolContext,
  relayed: RelayedAnswer | undefined,
  signal: AbortSignal,
): Promise<SettledOutcome> {
  const owner = leaseOwner();
  const ttlMs = app.config.a2a.leaseSeconds * 1000;
  for (;;) {
    const now = queue.get(task.id) as A2aTask;
    if (now.status === 'done') return { status: 'done', answer: now.result ?? '' };
    if (now.status === 'failed') return { status: 'failed', error: now.result ?? '' };
    const leased = queue.lease(owner, ttlMs, task.id);
    if (leased) {
      const outcome = await runLeasedTask(app, queue, leased, owner, {
        signal,
        workspaceRoots: [...ctx.workspaceRoots],
        answer: relayed?.reply,
      });
      if (outcome.status !== 'lost') return outcome;
    }
    await sleep(pollMs, undefined, { signal });
  }
}

/**
 * Records the task's result in the delegating turn, once per call, with what its child session spent
 * (which that session's own delegations already include).
 */
function recordReceived(
  app: PyclawApp,
  queue: A2aQueue,
  ctx: ToolContext,
  task: A2aTask,
  outcome: Exclude<SettledOutcome, { status: 'waiting' }>,
): void {
  inTransaction(app.db, () => {
    const recorded = app.log
      .byTurn(ctx.sessionId, ctx.turnId)
      .some(
        (event) =>
          event.type === 'a2a.received' && (event.payload as { callId?: string }).callId === ctx.callId,
      );
    if (recorded) return;
    const childSessionId = queue.get(task.id)?.childSessionId;
    const { costUsd, ...usage } = usageOf(childSessionId ? app.log.read(childSessionId) : []);
    app.log.append(ctx.sessionId, {
      type: 'a2a.received',
      actor: `agent:${task.toAgent}`,
      turnId: ctx.turnId,
      payload: {
        messageId: task.id,
        from: task.toAgent,
        callId: ctx.callId,
        status: outcome.status,
        result: outcome.status === 'done' ? outcome.answer : outcome.error,
        usage,
        costUsd,
      },
    });
  });
}

function toolOutput(task: A2aTask, outcome: SettledOutcome, answers: readonly RelayedAnswer[]): ToolOutput {
  switch (outcome.status) {
    case 'done':
      return { content: `${outcome.answer}${denials(answers)}` };
    case 'failed':
      return {
        content: `agent "${task.toAgent}" failed the task: ${outcome.error}${denials(answers)}`,
        isError: true,
      };
    case 'waiting': {
      const { approval } = outcome;
      const summary = `agent "${task.toAgent}" asks: ${approval.summary}`;
      return {
        content: `waiting for a human to answer: ${summary}`,
        awaits: {
          sessionId: outcome.childSessionId,
          approvalId: approval.approvalId,
          summary,
          inDoubt: approval.inDoubt,
        },
      };
    }
  }
}

/** The child's requests a human denied along the way, so the delegating model knows why it got what it got. */
function denials(answers: readonly RelayedAnswer[]): string {
  return answers
    .filter(({ reply }) => reply.decision === 'deny')
    .map(({ reply, summary }) => `\n(${reply.by} denied: ${summary})`)
    .join('');
}

function refusal(reason: string): ToolOutput {
  return { content: `delegation refused: ${reason}`, isError: true };
}
