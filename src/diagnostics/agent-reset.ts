import { A2aQueue } from '../a2a/index.js';
import { systemClock } from '../core/index.js';
import { identityHistory } from '../identity/index.js';
import {
  findOpenTurns,
  type HeldLease,
  heldLeases,
  type OpenTurn,
  type PendingApproval,
  type PyclawApp,
  pendingApprovals,
  releaseStaleLeases,
} from '../runtime/index.js';

/** What `pyclaw agents reset` did, and what it left for the user to decide. */
export interface AgentReset {
  agentId: string;
  /** Sessions whose lease a process that is gone still held; released, so a run may take them. */
  releasedLeases: string[];
  /** Leases a live process holds: a turn is running there, and was left alone. */
  busyLeases: HeldLease[];
  /** Delegated tasks for this agent whose worker is gone, queued again (child session kept). */
  requeuedTasks: string[];
  /** Tasks for this agent waiting in the queue for a worker (`pyclaw a2a work`). */
  queuedTasks: string[];
  identity: { version: number; previousVersion: number | null; recorded: boolean };
  /** Turns a crash left open, which `pyclaw resume --session <id>` finishes. */
  interruptedTurns: OpenTurn[];
  /** Approvals open turns wait for (`pyclaw approvals list`). */
  pendingApprovals: PendingApproval[];
}

/**
 * Guided recovery for an agent that seems stuck. It only frees what is held by something gone and
 * records the identity config holds; it appends no event and deletes none, runs no turn and calls no
 * tool or model. Open turns and approvals are listed for the user to resume or answer.
 */
export function resetAgent(app: PyclawApp, agentId: string): AgentReset {
  const previousVersion = identityHistory(app.db, agentId).at(-1)?.version ?? null;
  // building the registry records the identity capsule from config when it changed
  const agent = app.registry().get(agentId);
  const sessions = new Set(sessionsOf(app, agentId));
  const releasedLeases = releaseStaleLeases(app.db, systemClock, (id) => sessions.has(id));
  const queue = new A2aQueue(app.db);
  const requeuedTasks = queue.releaseStale(agentId).map((task) => task.id);
  const open = findOpenTurns(app.db).filter((turn) => sessions.has(turn.sessionId));
  const waiting = [...new Set(open.map((turn) => turn.sessionId))].flatMap((session) =>
    pendingApprovals(app.db, app.log, session),
  );
  return {
    agentId,
    releasedLeases,
    busyLeases: heldLeases(app.db).filter((lease) => sessions.has(lease.sessionId)),
    requeuedTasks,
    queuedTasks: queue
      .list()
      .filter((task) => task.toAgent === agentId && task.status === 'queued')
      .map((task) => task.id),
    identity: {
      version: agent.identityVersion,
      previousVersion,
      recorded: agent.identityVersion !== previousVersion,
    },
    interruptedTurns: open.filter((turn) => !waiting.some((pending) => pending.turnId === turn.turnId)),
    pendingApprovals: waiting,
  };
}

function sessionsOf(app: PyclawApp, agentId: string): string[] {
  return (
    app.db.prepare('SELECT id FROM sessions WHERE agent_id = ?').all(agentId) as Array<{ id: string }>
  ).map((row) => row.id);
}
