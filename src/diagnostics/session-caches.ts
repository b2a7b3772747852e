import { artifactHashesIn } from '../session/index.js';
import { type Db, inTransaction } from '../storage/index.js';

/**
 * A table of rows derived from a session's events (kept beside them by the appending transaction or by
 * triggers), which can always be made again from the events alone.
 */
interface DerivedCache {
  table: string;
  holds: string;
  rebuild(db: Db, sessionId: string): void;
}

const derivedCaches: readonly DerivedCache[] = [
  {
    table: 'turn_runs',
    holds: "where each run of a turn's events starts (reading one turn)",
    rebuild: (db, sessionId) =>
      db
        .prepare(
          `INSERT INTO turn_runs (session_id, turn_id, first_seq)
           SELECT e.session_id, e.turn_id, e.seq FROM events e
             LEFT JOIN events p ON p.session_id = e.session_id AND p.seq = e.seq - 1
           WHERE e.session_id = ? AND e.turn_id IS NOT NULL AND p.turn_id IS NOT e.turn_id`,
        )
        .run(sessionId),
  },
  {
    table: 'open_turns',
    holds: 'turns started and not ended (resume, pending approvals)',
    rebuild: (db, sessionId) =>
      db
        .prepare(
          `INSERT INTO open_turns (session_id, turn_id, started_seq)
           SELECT session_id, turn_id, min(seq) FROM events
           WHERE session_id = ? AND turn_id IS NOT NULL
             AND type IN ('turn.started', 'turn.completed', 'turn.failed')
           GROUP BY turn_id
           HAVING max(type = 'turn.started') = 1 AND max(type <> 'turn.started') = 0`,
        )
        .run(sessionId),
  },
  {
    table: 'session_context',
    holds: 'the latest rolling summary and prompt pack (the next prompt, context show)',
    rebuild: (db, sessionId) =>
      db
        .prepare(
          `INSERT INTO session_context (session_id, summary_seq, pack_seq)
           SELECT session_id, max(CASE WHEN type = 'summary.updated' THEN seq END),
             max(CASE WHEN type = 'context.packed' THEN seq END)
           FROM events WHERE session_id = ? AND type IN ('summary.updated', 'context.packed')
           GROUP BY session_id`,
        )
        .run(sessionId),
  },
  {
    table: 'event_artifacts',
    holds: 'the artifacts its events name (what artifacts gc keeps)',
    rebuild: (db, sessionId) => {
      const insert = db.prepare(
        'INSERT OR IGNORE INTO event_artifacts (hash, session_id, seq) VALUES (?, ?, ?)',
      );
      const events = db
        .prepare("SELECT seq, payload FROM events WHERE session_id = ? AND payload LIKE '%sha256:%'")
        .all(sessionId) as Array<{ seq: number; payload: string }>;
      for (const { seq, payload } of events) {
        for (const hash of artifactHashesIn(payload)) insert.run(hash, sessionId, seq);
      }
    },
  },
];

export interface ClearedCache {
  table: string;
  holds: string;
  /** Rows dropped, and rows made again from the events. */
  dropped: number;
  rebuilt: number;
  /** Whether the rebuilt rows differ from the dropped ones: the cache had drifted from the log. */
  changed: boolean;
}

/**
 * Drops every cache derived from a session's events and makes it again from the events, in one
 * transaction, so no reader ever sees it missing. The events themselves are only read.
 */
export function clearSessionCaches(db: Db, sessionId: string): ClearedCache[] {
  return inTransaction(db, () =>
    derivedCaches.map(({ table, holds, rebuild }) => {
      const before = rowsOf(db, table, sessionId);
      db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(sessionId);
      rebuild(db, sessionId);
      const after = rowsOf(db, table, sessionId);
      return {
        table,
        holds,
        dropped: before.length,
        rebuilt: after.length,
        changed: before.join('\n') !== after.join('\n'),
      };
    }),
  );
}

/** The session's rows of `table`, each as JSON, sorted, to compare before and after. */
function rowsOf(db: Db, table: string, sessionId: string): string[] {
  return db
    .prepare(`SELECT * FROM ${table} WHERE session_id = ?`)
    .all(sessionId)
    .map((row) => JSON.stringify(row))
    .sort();
}
