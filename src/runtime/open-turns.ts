import type { Db } from '../storage/index.js';

export interface OpenTurn {
  sessionId: string;
  turnId: string;
}

// Repeating the partial index's own condition lets SQLite prove the index applies (migration 2).
const turnBounds = "type IN ('turn.started', 'turn.completed', 'turn.failed')";

/** Turns that started and never completed or failed: interrupted, or waiting for an approval. */
export function findOpenTurns(db: Db, sessionId?: string): OpenTurn[] {
  return db
    .prepare(
      `SELECT s.session_id AS sessionId, s.turn_id AS turnId FROM events s
       WHERE ${turnBounds} AND s.type = 'turn.started' AND (@session IS NULL OR s.session_id = @session)
         AND NOT EXISTS (SELECT 1 FROM events e WHERE ${turnBounds} AND e.type <> 'turn.started'
           AND e.session_id = s.session_id AND e.turn_id = s.turn_id)
       ORDER BY s.session_id, s.seq`,
    )
    .all({ session: sessionId ?? null }) as OpenTurn[];
}

/** Sessions with at least one open turn, each once. */
export function sessionsWithOpenTurns(app: { db: Db }): string[] {
  return [...new Set(findOpenTurns(app.db).map((turn) => turn.sessionId))];
}
