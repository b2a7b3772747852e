import { hostname } from 'node:os';
import { type Clock, newId, PyclawError, systemClock } from '../core/index.js';
import { type Db, inTransaction, preparedOnce } from '../storage/index.js';

export interface LeaseOptions {
  /** A lease not renewed for this long is free to take; it is renewed at a third of it. */
  ttlMs?: number;
  clock?: Clock;
}

interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  expires_at: number;
}

const defaultTtlMs = 15_000;

const statementsFor = preparedOnce((db) => ({
  held: db.prepare<[string], LeaseRow>(
    'SELECT owner, host, pid, expires_at FROM session_leases WHERE session_id = ?',
  ),
  take: db.prepare(
    `INSERT INTO session_leases (session_id, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET owner = excluded.owner, host = excluded.host,
       pid = excluded.pid, expires_at = excluded.expires_at`,
  ),
  renew: db.prepare('UPDATE session_leases SET expires_at = ? WHERE session_id = ? AND owner = ?'),
  release: db.prepare('DELETE FROM session_leases WHERE session_id = ? AND owner = ?'),
}));

/**
 * One turn at a time per session, across processes: a row in `session_leases`, taken in an IMMEDIATE
 * transaction. A lease is free when it expired, or when its holder on this host is no longer alive
 * (so a killed process does not block the restart that resumes its turn).
 */
export class SessionLease {
  private readonly heartbeat: NodeJS.Timeout;
  private released = false;

  private constructor(
    private readonly db: Db,
    readonly sessionId: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {
    this.heartbeat = setInterval(() => this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.heartbeat.unref();
  }

  static acquire(db: Db, sessionId: string, options: LeaseOptions = {}): SessionLease {
    const ttlMs = options.ttlMs ?? defaultTtlMs;
    const clock = options.clock ?? systemClock;
    const owner = newId();
    const sql = statementsFor(db);
    inTransaction(db, () => {
      const now = clock.now();
      const held = sql.held.get(sessionId);
      if (held && held.expires_at > now && holderIsAlive(held)) {
        throw new PyclawError(
          'runtime.session-busy',
          `session ${sessionId} is busy: pyclaw process ${held.pid} on ${held.host} is running a turn in it`,
          { hint: 'wait for that turn to finish, or use another --session' },
        );
      }
      sql.take.run(sessionId, owner, hostname(), process.pid, now + ttlMs);
    });
    return new SessionLease(db, sessionId, owner, ttlMs, clock);
  }

  private renew(): void {
    if (this.released) return;
    statementsFor(this.db).renew.run(this.clock.now() + this.ttlMs, this.sessionId, this.owner);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    statementsFor(this.db).release.run(this.sessionId, this.owner);
  }
}

export interface HeldLease {
  sessionId: string;
  host: string;
  pid: number;
  expiresAt: number;
}

/** Every lease recorded, stale or not. */
export function heldLeases(db: Db): HeldLease[] {
  return db
    .prepare('SELECT session_id AS sessionId, host, pid, expires_at AS expiresAt FROM session_leases')
    .all() as HeldLease[];
}

/** Leases whose holder is gone (expired, or a dead process on this host): safe to release. */
export function staleLeases(db: Db, clock: Clock = systemClock): Array<{ sessionId: string; pid: number }> {
  return heldLeases(db)
    .filter((lease) => lease.expiresAt <= clock.now() || !holderIsAlive(lease))
    .map(({ sessionId, pid }) => ({ sessionId, pid }));
}

/**
 * Releases the stale leases (of the sessions `only` accepts, when given); returns the sessions freed.
 */
export function releaseStaleLeases(
  db: Db,
  clock: Clock = systemClock,
  only: (sessionId: string) => boolean = () => true,
): string[] {
  const stale = staleLeases(db, clock).filter((lease) => only(lease.sessionId));
  const release = db.prepare('DELETE FROM session_leases WHERE session_id = ? AND pid = ?');
  for (const { sessionId, pid } of stale) release.run(sessionId, pid);
  return stale.map((lease) => lease.sessionId);
}

/** Whether the process `pid` on `host` may still be running: one on another host is assumed to be. */
export function holderIsAlive(held: { host: string; pid: number }): boolean {
  if (held.host !== hostname()) return true;
  if (held.pid === process.pid) return true;
  try {
    process.kill(held.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
