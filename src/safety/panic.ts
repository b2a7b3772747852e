import { anySignal, type Clock, newId, PyclawError, systemClock } from '../core/index.js';
import type { EventLog } from '../session/index.js';
import { type Db, inTransaction, preparedOnce } from '../storage/index.js';

export interface PanicStatus {
  engaged: boolean;
  /** The episode: one id per `panic on`, shared by its engaged and released events. */
  episode: string | null;
  /** When it was last engaged or released, and by whom. */
  changedAt: number | null;
  changedBy: string | null;
  reason: string | null;
  /** Sessions the current (or last) episode reached. */
  sessions: string[];
}

interface PanicRow {
  engaged: number;
  episode: string;
  changed_at: number;
  changed_by: string;
  reason: string | null;
}

/** How often a process with running tool calls looks at the panic switch. */
const pollMs = 200;

/** Checked before every tool call, so prepared once per database. */
const engagedStatement = preparedOnce((db) => db.prepare('SELECT engaged FROM panic WHERE id = 1'));

/** The error a tool call stopped by panic sees as its signal's reason. */
export class PanicError extends PyclawError {
  constructor() {
    super('safety.panic', 'panic is engaged: tool calls are stopped and blocked', {
      hint: '`pyclaw panic off` lets them run again',
    });
  }
}

/**
 * The global panic switch: one row in the database, so every process sharing PYCLAW_HOME sees it.
 * While it is on, no tool call starts, and each process aborts its running calls within `pollMs`.
 */
export class PanicSwitch {
  private readonly running = new Set<AbortController>();
  private poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  isEngaged(): boolean {
    const row = engagedStatement(this.db).get() as { engaged: number } | undefined;
    return row?.engaged === 1;
  }

  status(): PanicStatus {
    const row = this.db.prepare('SELECT * FROM panic WHERE id = 1').get() as PanicRow | undefined;
    if (!row) {
      return { engaged: false, episode: null, changedAt: null, changedBy: null, reason: null, sessions: [] };
    }
    const sessions = this.db
      .prepare('SELECT session_id FROM panic_sessions WHERE episode = ? ORDER BY session_id')
      .pluck()
      .all(row.episode) as string[];
    return {
      engaged: row.engaged === 1,
      episode: row.episode,
      changedAt: row.changed_at,
      changedBy: row.changed_by,
      reason: row.reason,
      sessions,
    };
  }

  /**
   * Turns panic on (staying in the current episode when it already is) and records `panic.engaged` in
   * each of `sessions` the episode has not reached yet.
   */
  engage(log: EventLog, by: string, sessions: readonly string[], reason?: string): PanicStatus {
    inTransaction(this.db, () => {
      if (!this.isEngaged()) {
        this.db
          .prepare(
            `INSERT INTO panic (id, engaged, episode, changed_at, changed_by, reason) VALUES (1, 1, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET engaged = 1, episode = excluded.episode,
               changed_at = excluded.changed_at, changed_by = excluded.changed_by, reason = excluded.reason`,
          )
          .run(newId(), this.clock.now(), by, reason ?? null);
      }
      for (const sessionId of sessions) this.reach(log, sessionId);
    });
    return this.status();
  }

  /** Turns panic off and records `panic.released` in every session the episode reached. */
  release(log: EventLog, by: string): PanicStatus {
    inTransaction(this.db, () => {
      const { engaged, episode, sessions } = this.status();
      if (!engaged) return;
      this.db
        .prepare('UPDATE panic SET engaged = 0, changed_at = ?, changed_by = ?, reason = NULL WHERE id = 1')
        .run(this.clock.now(), by);
      for (const sessionId of sessions) {
        log.append(sessionId, { type: 'panic.released', actor: by, payload: { by, episode } });
      }
    });
    return this.status();
  }

  /** While panic is on, records `panic.engaged` in `sessionId` unless the episode already reached it. */
  reach(log: EventLog, sessionId: string): void {
    inTransaction(this.db, () => {
      const row = this.db.prepare('SELECT * FROM panic WHERE id = 1 AND engaged = 1').get() as
        | PanicRow
        | undefined;
      if (!row) return;
      const added = this.db
        .prepare('INSERT OR IGNORE INTO panic_sessions (episode, session_id) VALUES (?, ?)')
        .run(row.episode, sessionId);
      if (added.changes === 0) return;
      log.append(sessionId, {
        type: 'panic.engaged',
        actor: row.changed_by,
        payload: { by: row.changed_by, reason: row.reason ?? undefined, episode: row.episode },
      });
    });
  }

  /**
   * Runs a tool call under the switch: `work` gets a signal that aborts when `outer` does or when panic
   * engages, in this process or any other. While calls run, the switch is polled every `pollMs`.
   */
  async guard<T>(outer: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.add(controller);
    this.poller ??= setInterval(() => this.poll(), pollMs).unref();
    try {
      return await work(anySignal([outer, controller.signal]));
    } finally {
      this.running.delete(controller);
      if (this.running.size === 0) this.stopPolling();
    }
  }

  private poll(): void {
    if (!this.isEngaged()) return;
    for (const controller of this.running) controller.abort(new PanicError());
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }
}
