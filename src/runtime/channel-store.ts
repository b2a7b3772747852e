import type { Db } from '../storage/index.js';

/** The session a channel's chat talks to, kept in the database so it outlives the process. */
export function boundSession(db: Db, channel: string, chatId: string): string | undefined {
  const row = db
    .prepare('SELECT session_id FROM channel_bindings WHERE channel = ? AND chat_id = ?')
    .get(channel, chatId) as { session_id: string } | undefined;
  return row?.session_id;
}

export function bindSession(db: Db, channel: string, chatId: string, sessionId: string, now: number): void {
  db.prepare(
    `INSERT INTO channel_bindings (channel, chat_id, session_id, bound_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel, chat_id) DO UPDATE SET session_id = excluded.session_id, bound_at = excluded.bound_at`,
  ).run(channel, chatId, sessionId, now);
}

/** The chat of `channel` bound to a session, if any. */
export function chatOfSession(db: Db, channel: string, sessionId: string): string | undefined {
  const row = db
    .prepare('SELECT chat_id FROM channel_bindings WHERE channel = ? AND session_id = ?')
    .get(channel, sessionId) as { chat_id: string } | undefined;
  return row?.chat_id;
}

/** Keeps a received update in the inbox; false when it was received before. */
export function receiveUpdate(
  db: Db,
  channel: string,
  updateId: number,
  payload: unknown,
  now: number,
): boolean {
  return (
    db
      .prepare(
        'INSERT OR IGNORE INTO channel_updates (channel, update_id, payload, received_at) VALUES (?, ?, ?, ?)',
      )
      .run(channel, updateId, JSON.stringify(payload), now).changes === 1
  );
}

/** Marks an update handled, so it is not handled again after a restart. */
export function takeUpdate(db: Db, channel: string, updateId: number, now: number): void {
  db.prepare(
    'UPDATE channel_updates SET taken_at = ? WHERE channel = ? AND update_id = ? AND taken_at IS NULL',
  ).run(now, channel, updateId);
}

/** Updates received but never handled (the process stopped first), oldest first. */
export function untakenUpdates(db: Db, channel: string): unknown[] {
  const rows = db
    .prepare('SELECT payload FROM channel_updates WHERE channel = ? AND taken_at IS NULL ORDER BY update_id')
    .all(channel) as Array<{ payload: string }>;
  return rows.map((row) => JSON.parse(row.payload) as unknown);
}

/** The highest update id received, so polling confirms everything up to it. */
export function lastReceivedUpdate(db: Db, channel: string): number | undefined {
  const row = db
    .prepare('SELECT MAX(update_id) AS id FROM channel_updates WHERE channel = ?')
    .get(channel) as {
    id: number | null;
  };
  return row.id ?? undefined;
}
