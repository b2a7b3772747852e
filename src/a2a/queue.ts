import { type Clock, newId, systemClock } from '../core/index.js';
import { holderIsAlive } from '../runtime/index.js';
import { type Db, inTransaction } from '../storage/index.js';

export const taskStatuses = ['queued', 'leased', 'done', 'failed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** One delegated task as the queue holds it. */
export interface A2aTask {
  id: string;
  idempotencyKey: string;
  fromAgent: string;
  fromSessionId: string;
  fromTurnId: string | null;
  toAgent: string;
  task: string;
  /** How many delegations deep the child session is (a task from a user's session is depth 1). */
  depth: number;
  status: TaskStatus;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  attempts: number;
  childSessionId: string | null;
  result: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface NewTask {
  idempotencyKey: string;
  fromAgent: string;
  fromSessionId: string;
  fromTurnId?: string;
  toAgent: string;
  task: string;
  depth: number;
}

interface TaskRow {
  id: string;
  idempotency_key: string;
  from_agent: string;
  from_session_id: string;
  from_turn_id: string | null;
  to_agent: string;
  task: string;
  depth: number;
  status: TaskStatus;
  lease_owner: string | null;
  lease_expires_at: number | null;
  attempts: number;
  child_session_id: string | null;
  result: string | null;
  created_at: number;
  finished_at: number | null;
}

/**
 * The durable agent-to-agent queue in SQLite. Delivery is at least once: a worker leases a task for a
 * while and renews the lease as it works; a worker that dies stops renewing, and once the lease expires
 * another worker takes the task. Finishing is exactly once: only the current lease holder can record
 * the result, and only while the task is leased.
 */
export class A2aQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Adds a task, or returns the one already queued under the same idempotency key. */
  enqueue(task: NewTask): { task: A2aTask; created: boolean } {
    return inTransaction(this.db, () => {
      const existing = this.byKey(task.idempotencyKey);
      if (existing) return { task: existing, created: false };
      const id = newId();
      this.db
        .prepare(
          `INSERT INTO a2a_messages (id, idempotency_key, from_agent, from_session_id, from_turn_id, to_agent,
               task, depth, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
        )
        .run(
          id,
          task.idempotencyKey,
          task.fromAgent,
          task.fromSessionId,
          task.fromTurnId ?? null,
          task.toAgent,
          task.task,
          task.depth,
          this.clock.now(),
        );
      return { task: this.get(id) as A2aTask, created: true };
    });
  }

  get(id: string): A2aTask | undefined {
    const row = this.db.prepare('SELECT * FROM a2a_messages WHERE id = ?').get(id) as TaskRow | undefined;
    return row && taskFromRow(row);
  }

  byKey(idempotencyKey: string): A2aTask | undefined {
    const row = this.db.prepare('SELECT * FROM a2a_messages WHERE idempotency_key = ?').get(idempotencyKey) as
      | TaskRow
      | undefined;
    return row && taskFromRow(row);
  }

  /** The task whose child session this is, if the session was started by a delegation. */
  byChildSession(sessionId: string): A2aTask | undefined {
    const row = this.db.prepare('SELECT * FROM a2a_messages WHERE child_session_id = ?').get(sessionId) as
      | TaskRow
      | undefined;
    return row && taskFromRow(row);
  }

  /** An unfinished task a session already sent the same agent with the same text. */
  pendingFrom(sessionId: string, toAgent: string, task: string): A2aTask | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM a2a_messages WHERE from_session_id = ? AND to_agent = ? AND task = ?
           AND status IN ('queued', 'leased') ORDER BY created_at, id LIMIT 1`,
      )
      .get(sessionId, toAgent, task) as TaskRow | undefined;
    return row && taskFromRow(row);
  }

  /** Tasks delegated from one turn of a session. */
  countFromTurn(sessionId: string, turnId: string): number {
    const row = this.db
      .prepare('SELECT count(*) AS n FROM a2a_messages WHERE from_session_id = ? AND from_turn_id = ?')
      .get(sessionId, turnId) as { n: number };
    return row.n;
  }

  /** Most recent first. */
  list(options: { limit?: number } = {}): A2aTask[] {
    const rows = this.db
      .prepare('SELECT * FROM a2a_messages ORDER BY created_at DESC, id DESC LIMIT ?')
      .all(options.limit ?? -1) as TaskRow[];
    return rows.map(taskFromRow);
  }

  /**
   * Leases `id` when given, otherwise the oldest task that is queued or whose lease expired, for
   * `owner` until `ttlMs` from now. Undefined when there is nothing to take.
   */
  lease(owner: string, ttlMs: number, id?: string): A2aTask | undefined {
    return inTransaction(this.db, () => {
      const now = this.clock.now();
      const expired = `(status = 'leased' AND lease_expires_at <= ?)`;
      // A task given back (its child waits for a human) rests before a worker looks again, so it
      // does not starve the tasks behind it; asked for by id, it is free at once.
      const row = (
        id === undefined
          ? this.db
              .prepare(
                `SELECT id FROM a2a_messages WHERE (status = 'queued' AND coalesce(lease_expires_at, 0) <= ?)
                     OR ${expired} ORDER BY created_at, id LIMIT 1`,
              )
              .get(now, now)
          : this.db
              .prepare(`SELECT id FROM a2a_messages WHERE id = ? AND (status = 'queued' OR ${expired})`)
              .get(id, now)
      ) as { id: string } | undefined;
      if (!row) return undefined;
      this.db
        .prepare(
          `UPDATE a2a_messages SET status = 'leased', lease_owner = ?, lease_expires_at = ?,
               attempts = attempts + 1 WHERE id = ?`,
        )
        .run(owner, now + ttlMs, row.id);
      return this.get(row.id);
    });
  }

  /**
   * Leased tasks whose worker is gone: the lease expired, or the worker's process on this host died
   * (before its lease runs out). Only those sent to `toAgent`, when given.
   */
  staleLeases(toAgent?: string): A2aTask[] {
    const now = this.clock.now();
    const rows = this.db
      .prepare(
        `SELECT * FROM a2a_messages WHERE status = 'leased' AND (@agent IS NULL OR to_agent = @agent)
           ORDER BY created_at, id`,
      )
      .all({ agent: toAgent ?? null }) as TaskRow[];
    return rows
      .map(taskFromRow)
      .filter((task) => (task.leaseExpiresAt ?? 0) <= now || !workerIsAlive(task.leaseOwner));
  }

  /**
   * Gives the stale leased tasks back to the queue, free to take at once, with their child session and
   * attempts kept; returns those released. A lease renewed in the meantime is left alone.
   */
  releaseStale(toAgent?: string): A2aTask[] {
    return inTransaction(this.db, () => {
      const release = this.db.prepare(
        `UPDATE a2a_messages SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL
             WHERE id = ? AND status = 'leased' AND lease_owner IS ? AND lease_expires_at IS ?`,
      );
      return this.staleLeases(toAgent).filter(
        (task) => release.run(task.id, task.leaseOwner, task.leaseExpiresAt).changes === 1,
      );
    });
  }

  /** Extends the lease; false when `owner` no longer holds it. */
  renew(id: string, owner: string, ttlMs: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE a2a_messages SET lease_expires_at = ?
             WHERE id = ? AND status = 'leased' AND lease_owner = ?`,
        )
        .run(this.clock.now() + ttlMs, id, owner).changes === 1
    );
  }

  /** Records the child session the task runs in (once: a re-leased task goes on in the same one). */
  setChildSession(id: string, owner: string, childSessionId: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE a2a_messages SET child_session_id = ?
             WHERE id = ? AND status = 'leased' AND lease_owner = ? AND child_session_id IS NULL`,
        )
        .run(childSessionId, id, owner).changes === 1
    );
  }

  /**
   * Records the outcome; false, and nothing changed, when `owner` no longer holds the lease (another
   * worker took the task over) or the task is already finished.
   */
  finish(id: string, owner: string, outcome: { status: 'done' | 'failed'; result: string }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE a2a_messages SET status = ?, result = ?, finished_at = ?, lease_owner = NULL,
             lease_expires_at = NULL WHERE id = ? AND status = 'leased' AND lease_owner = ?`,
        )
        .run(outcome.status, outcome.result, this.clock.now(), id, owner).changes === 1
    );
  }

  /**
   * Gives the task back to the queue (its child waits for a human), keeping its child session; a worker
   * taking the next task passes it over for `restMs`.
   */
  release(id: string, owner: string, restMs: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE a2a_messages SET status = 'queued', lease_owner = NULL, lease_expires_at = ?
             WHERE id = ? AND status = 'leased' AND lease_owner = ?`,
        )
        .run(this.clock.now() + restMs, id, owner).changes === 1
    );
  }
}

/** A lease owner reads `host:pid:attempt` (see `leaseOwner`); one in another form counts as alive. */
function workerIsAlive(owner: string | null): boolean {
  const match = owner === null ? null : /^(.+):(\d+):[^:]+$/.exec(owner);
  return !match || holderIsAlive({ host: match[1] as string, pid: Number(match[2]) });
}

function taskFromRow(row: TaskRow): A2aTask {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    fromAgent: row.from_agent,
    fromSessionId: row.from_session_id,
    fromTurnId: row.from_turn_id,
    toAgent: row.to_agent,
    task: row.task,
    depth: row.depth,
    status: row.status,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    attempts: row.attempts,
    childSessionId: row.child_session_id,
    result: row.result,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
