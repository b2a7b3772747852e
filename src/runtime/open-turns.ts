import { type Db, preparedOnce } from '../storage/index.js';

export interface OpenTurn {
  sessionId: string;
  turnId: string;
}

const openTurnsQuery = preparedOnce((db) =>
  db.prepare<{ session: string | null }, OpenTurn>(
    `SELECT session_id AS sessionId, turn_id AS turnId FROM open_turns
     WHERE @session IS NULL OR session_id = @session ORDER BY session_id, started_seq`,
  ),
);

/** Turns that started and never completed or failed: interrupted, or waiting for an approval. */
export function findOpenTurns(db: Db, sessionId?: string): OpenTurn[] {
  return openTurnsQuery(db).all({ session: sessionId ?? null });
}

/** Sessions with at least one open turn, each once. */
export function sessionsWithOpenTurns(app: { db: Db }): string[] {
  return [...new Set(findOpenTurns(app.db).map((turn) => turn.sessionId))];
}
