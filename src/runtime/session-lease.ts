import { hostname } from 'node:os';
import { type Clock, newId, PyclawError, systemClock } from '../core/index.js';
import type { Db } from '../storage/index.js';

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
    const take = db.transaction(() => {
      const now = clock.now();
      const held = db
        .prepare('SELECT owner, host, pid, expires_at FROM session_leases WHERE session_id = ?')
        .get(sessionId) as LeaseRow | undefined;
      if (held && held.expires_at > now && holderIsAlive(held)) {
        throw new PyclawError(
          'runtime.session-busy',
          `session ${sessionId} is busy: pyclaw process ${held.pid} on ${held.host} is running a turn in it`,
          { hint: 'wait for that turn to finish, or use another --session' },
        );
      }
      db.prepare(
        `INSERT INTO session_leases (session_id, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET owner = excluded.owner, host = excluded.host,
           pid = excluded.pid, expires_at = excluded.expires_at`,
      ).run(sessionId, owner, hostname(), process.pid, now + ttlMs);
    });
    take.immediate();
    return new SessionLease(db, sessionId, owner, ttlMs, clock);
  }

  private renew(): void {
    if (this.released) return;
    this.db
      .prepare('UPDATE session_leases SET expires_at = ? WHERE session_id = ? AND owner = ?')
      .run(this.clock.now() + this.ttlMs, this.sessionId, this.owner);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    this.db
      .prepare('DELETE FROM session_leases WHERE session_id = ? AND owner = ?')
      .run(this.sessionId, this.owner);
  }
}

/** Leases whose holder is gone (expired, or a dead process on this host): safe to release. */
export function staleLeases(db: Db, clock: Clock = systemClock): Array<{ sessionId: string; pid: number }> {
  const rows = db
    .prepare('SELECT session_id, owner, host, pid, expires_at FROM session_leases')
    .all() as Array<LeaseRow & { session_id: string }>;
  return rows
    .filter((row) => row.expires_at <= clock.now() || !holderIsAlive(row))
    .map((row) => ({ sessionId: row.session_id, pid: row.pid }));
}

/** Releases the stale leases; returns the sessions freed. */
export function releaseStaleLeases(db: Db, clock: Clock = systemClock): string[] {
  const stale = staleLeases(db, clock);
  const release = db.prepare('DELETE FROM session_leases WHERE session_id = ? AND pid = ?');
  for (const { sessionId, pid } of stale) release.run(sessionId, pid);
  return stale.map((lease) => lease.sessionId);
}

function holderIsAlive(held: LeaseRow): boolean {
  if (held.host !== hostname()) return true;
  if (held.pid === process.pid) return true;
  try {
    process.kill(held.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
