import { hostname } from 'node:os';
import { newId } from '../core/index.js';
import {
  type ApprovalPrompt,
  type ApprovalReply,
  type PyclawApp,
  pendingApprovals,
  type RunSessionResult,
  runInSession,
  type TurnOutcome,
} from '../runtime/index.js';
import { inTransaction } from '../storage/index.js';
import type { A2aQueue, A2aTask } from './queue.js';

export type TaskOutcome =
  | { status: 'done'; answer: string }
  | { status: 'failed'; error: string }
  /** The child's turn waits for a human; the task went back to the queue with its child session. */
  | { status: 'waiting'; childSessionId: string; approval: ApprovalPrompt }
  /** Another worker took the task over (this one's lease expired): nothing was recorded. */
  | { status: 'lost' };

export interface RunTaskOptions {
  signal?: AbortSignal;
  /** Where the child's file tools may work (default the current directory). */
  workspaceRoots?: string[];
  /** A human's answer to the child's pending approval, given where it was relayed: recorded first. */
  answer?: ApprovalReply;
}

/** A lease owner unique to this worker: which host and process, and which attempt. */
export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${newId()}`;
}

/**
 * Runs a task `owner` has leased as a turn of the receiving agent in the task's child session, and
 * records its outcome under the lease (renewed while the turn runs). A task leased again after its
 * worker died goes on in the child session it already has: the runtime resumes that turn from its log.
 */
export async function runLeasedTask(
  app: PyclawApp,
  queue: A2aQueue,
  task: A2aTask,
  owner: string,
  options: RunTaskOptions = {},
): Promise<TaskOutcome> {
  const ttlMs = app.config.a2a.leaseSeconds * 1000;
  const heartbeat = setInterval(() => queue.renew(task.id, owner, ttlMs), Math.max(1, ttlMs / 3));
  heartbeat.unref();
  try {
    const childSessionId = task.childSessionId ?? openChildSession(app, queue, task, owner);
    if (childSessionId === undefined) return { status: 'lost' };
    const started = app.log.read(childSessionId).some((event) => event.type === 'user.message');
    const run = await runInSession(app, {
      sessionId: childSessionId,
      message: started ? undefined : task.task,
      answer: stillPending(app, childSessionId, options.answer),
      origin: {
        channel: 'a2a',
        externalUserId: `agent:${task.fromAgent}`,
        externalChatId: task.fromSessionId,
      },
      workspaceRoots: options.workspaceRoots,
      hooks: { signal: options.signal },
    });
    const outcome = lastOutcome(run) ?? recordedOutcome(app, childSessionId);
    if (outcome.status === 'waiting') {
      return queue.release(task.id, owner, ttlMs)
        ? { status: 'waiting', childSessionId, approval: outcome.approval }
        : { status: 'lost' };
    }
    const finished =
      outcome.status === 'completed'
        ? ({ status: 'done', answer: outcome.answer } as const)
        : ({ status: 'failed', error: `${outcome.code}: ${outcome.error}` } as const);
    const result = app.redactor.redactText(finished.status === 'done' ? finished.answer : finished.error);
    return queue.finish(task.id, owner, { status: finished.status, result }) ? finished : { status: 'lost' };
  } finally {
    clearInterval(heartbeat);
  }
}

/** The answer, unless the approval it answers is no longer pending in the child session. */
function stillPending(app: PyclawApp, sessionId: string, answer: ApprovalReply | undefined) {
  if (!answer) return undefined;
  const pending = pendingApprovals(app.db, app.log, sessionId);
  return pending.some((approval) => approval.approvalId === answer.approvalId) ? answer : undefined;
}

/** Creates the child session with `a2a.received` first, and ties it to the task, in one transaction. */
function openChildSession(app: PyclawApp, queue: A2aQueue, task: A2aTask, owner: string): string | undefined {
  try {
    return inTransaction(app.db, () => openChildSessionOrThrow(app, queue, task, owner));
  } catch (error) {
    if (error instanceof LeaseLost) return undefined;
    throw error;
  }
}

class LeaseLost extends Error {}

function openChildSessionOrThrow(app: PyclawApp, queue: A2aQueue, task: A2aTask, owner: string): string {
  const session = app.log.createSession({ agentId: task.toAgent, title: task.task.slice(0, 80) });
  app.log.append(session.id, {
    type: 'a2a.received',
    actor: `agent:${task.fromAgent}`,
    payload: {
      messageId: task.id,
      from: task.fromAgent,
      fromSessionId: task.fromSessionId,
      fromTurnId: task.fromTurnId ?? undefined,
      task: task.task,
      depth: task.depth,
    },
  });
  // Thrown to roll the new session back: another worker holds the task now.
  if (!queue.setChildSession(task.id, owner, session.id)) throw new LeaseLost();
  return session.id;
}

function lastOutcome(run: RunSessionResult): TurnOutcome | undefined {
  return run.outcome ?? run.resumed.at(-1);
}

/** The child's last turn ended before this worker came (a worker died between its end and `finish`). */
function recordedOutcome(app: PyclawApp, sessionId: string): TurnOutcome {
  const end = app.log
    .read(sessionId)
    .findLast((event) => event.type === 'turn.completed' || event.type === 'turn.failed');
  const payload = (end?.payload ?? {}) as { answer?: string; error?: string; code?: string };
  const turnId = end?.turnId ?? '';
  return end?.type === 'turn.completed'
    ? { status: 'completed', turnId, answer: payload.answer ?? '' }
    : {
        status: 'failed',
        turnId,
        code: payload.code ?? 'a2a.no-turn',
        error: payload.error ?? 'the child session has no finished turn',
      };
}
