/**
 * The schema, as numbered migrations. A database's `user_version` is the number of the last one
 * applied. Never edit a released migration: add a new one.
 */
export const migrations: readonly string[] = [
  // 1: sessions, the append-only event log, artifact metadata
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    agent_id TEXT,
    title TEXT
  );

  CREATE TABLE events (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    turn_id TEXT,
    step_id TEXT,
    trace_id TEXT NOT NULL,
    type TEXT NOT NULL,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;

  CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
  CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;

  -- where each run of consecutive events of one turn starts: a turn's events are read run by run, so
  -- appends pay for a row here once per run instead of an index entry per event
  CREATE TABLE turn_runs (
    session_id TEXT NOT NULL,
    turn_id TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    PRIMARY KEY (session_id, turn_id, first_seq)
  ) WITHOUT ROWID;

  -- artifacts an event names (as "sha256:<hex>" anywhere in its payload); gc keeps these
  CREATE TABLE event_artifacts (
    hash TEXT NOT NULL,
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (hash, session_id, seq)
  ) WITHOUT ROWID;

  -- last_stored_at is the latest put of the same bytes: gc's grace period counts from it, so storing
  -- known bytes again protects them until the event that names them is appended
  CREATE TABLE artifacts (
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_stored_at INTEGER NOT NULL,
    created_by_event TEXT,
    retention TEXT NOT NULL DEFAULT 'standard' CHECK (retention IN ('ephemeral', 'standard', 'pinned')),
    expires_at INTEGER
  );
  CREATE INDEX artifacts_by_created_at ON artifacts (created_at);
  CREATE TABLE artifact_aliases (
    alias TEXT PRIMARY KEY,
    hash TEXT NOT NULL REFERENCES artifacts (hash) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX artifact_aliases_by_hash ON artifact_aliases (hash);
  `,
  // 2: turn bounds (to find turns that never ended) and the one-turn-at-a-time lease per session
  `
  CREATE INDEX events_turn_bounds ON events (type, session_id, turn_id)
    WHERE type IN ('turn.started', 'turn.completed', 'turn.failed');
  CREATE TABLE session_leases (
    session_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // 3: every version of each agent's identity capsule; a new version only when the capsule changed
  `
  CREATE TABLE agent_identities (
    agent_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    hash TEXT NOT NULL,
    capsule TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (agent_id, version)
  ) WITHOUT ROWID;
  `,
  // 4: turns that started and have not ended, kept by triggers in the appending transaction, so finding
  // them costs the number of open turns rather than the session's history
  `
  CREATE TABLE open_turns (
    session_id TEXT NOT NULL,
    turn_id TEXT NOT NULL,
    started_seq INTEGER NOT NULL,
    PRIMARY KEY (session_id, turn_id)
  ) WITHOUT ROWID;
  CREATE TRIGGER turn_opens AFTER INSERT ON events
    WHEN NEW.type = 'turn.started' AND NEW.turn_id IS NOT NULL
  BEGIN INSERT OR IGNORE INTO open_turns VALUES (NEW.session_id, NEW.turn_id, NEW.seq); END;
  CREATE TRIGGER turn_closes AFTER INSERT ON events
    WHEN NEW.type IN ('turn.completed', 'turn.failed')
  BEGIN DELETE FROM open_turns WHERE session_id = NEW.session_id AND turn_id = NEW.turn_id; END;
  INSERT OR IGNORE INTO open_turns
    SELECT s.session_id, s.turn_id, s.seq FROM events s
    WHERE s.type = 'turn.started' AND s.turn_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM events e WHERE e.type IN ('turn.completed', 'turn.failed')
        AND e.session_id = s.session_id AND e.turn_id = s.turn_id);
  DROP INDEX events_turn_bounds;
  `,
  // 5: which session a channel's chat talks to, and a durable inbox of channel updates: an update is
  // kept when received and marked taken when handled, so a restart neither loses nor repeats one
  `
  CREATE TABLE channel_bindings (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    bound_at INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
  ) WITHOUT ROWID;
  CREATE INDEX channel_bindings_session ON channel_bindings (session_id);
  CREATE TABLE channel_updates (
    channel TEXT NOT NULL,
    update_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    taken_at INTEGER,
    PRIMARY KEY (channel, update_id)
  ) WITHOUT ROWID;
  `,
  // 6: long-term memory: memories (FTS5-indexed), candidates the reflect phase proposed (rejected ones
  // kept so they are not proposed again) and the events each came from; vectors per embedding model
  `
  -- AUTOINCREMENT: a forgotten memory's rowid is never reused, so a stale vector row can never point
  -- at another memory
  CREATE TABLE memories (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('fact', 'preference', 'lesson', 'procedure')),
    scope TEXT NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    promoted_by TEXT NOT NULL,
    candidate_id TEXT
  );
  CREATE UNIQUE INDEX memories_by_text ON memories (scope, text_hash);
  CREATE VIRTUAL TABLE memories_fts USING fts5(
    text, content = 'memories', content_rowid = 'rowid', tokenize = 'porter unicode61'
  );
  CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories
  BEGIN INSERT INTO memories_fts (rowid, text) VALUES (NEW.rowid, NEW.text); END;
  CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories
  BEGIN INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', OLD.rowid, OLD.text); END;

  CREATE TABLE memory_candidates (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('fact', 'preference', 'lesson', 'procedure')),
    scope TEXT NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'promoted', 'rejected')),
    proposals INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by TEXT,
    memory_id TEXT
  );
  CREATE UNIQUE INDEX memory_candidates_by_text ON memory_candidates (scope, text_hash);
  CREATE INDEX memory_candidates_by_status ON memory_candidates (status, created_at);
  -- each proposal of a candidate: the memory.candidate event it was recorded as
  CREATE TABLE memory_provenance (
    candidate_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    turn_id TEXT,
    PRIMARY KEY (candidate_id, session_id, seq)
  ) WITHOUT ROWID;

  -- full vectors of one embedding model (float32), re-scored after the sign-bit search in sqlite-vec
  CREATE TABLE memory_vectors (
    memory_rowid INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
  );
  -- the embedding model the stored vectors came from: another model's vectors are not comparable
  CREATE TABLE memory_vector_model (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    model TEXT NOT NULL,
    dimensions INTEGER NOT NULL
  );
  CREATE TRIGGER memory_vectors_forgotten AFTER DELETE ON memories
  BEGIN DELETE FROM memory_vectors WHERE memory_rowid = OLD.rowid; END;
  `,
  // 7: scheduled runs claimed by their schedule and planned time, so no time runs twice, even across
  // restarts or with two daemons on one home
  `
  CREATE TABLE schedule_runs (
    schedule_id TEXT NOT NULL,
    planned_at INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, planned_at)
  ) WITHOUT ROWID;
  `,
  // 8: each session's latest rolling summary and latest PromptPack, kept by triggers in the appending
  // transaction, so a turn finds them without scanning a long session
  `
  CREATE TABLE session_context (
    session_id TEXT PRIMARY KEY,
    summary_seq INTEGER,
    pack_seq INTEGER
  ) WITHOUT ROWID;
  CREATE TRIGGER summary_marked AFTER INSERT ON events WHEN NEW.type = 'summary.updated'
  BEGIN INSERT INTO session_context (session_id, summary_seq) VALUES (NEW.session_id, NEW.seq)
    ON CONFLICT (session_id) DO UPDATE SET summary_seq = NEW.seq; END;
  CREATE TRIGGER pack_marked AFTER INSERT ON events WHEN NEW.type = 'context.packed'
  BEGIN INSERT INTO session_context (session_id, pack_seq) VALUES (NEW.session_id, NEW.seq)
    ON CONFLICT (session_id) DO UPDATE SET pack_seq = NEW.seq; END;
  INSERT INTO session_context (session_id, summary_seq, pack_seq)
    SELECT session_id, MAX(CASE WHEN type = 'summary.updated' THEN seq END),
      MAX(CASE WHEN type = 'context.packed' THEN seq END)
    FROM events WHERE type IN ('summary.updated', 'context.packed') GROUP BY session_id;
  `,
  // 9: durable grants (an approval answered for longer than one call) and the global panic switch
  `
  CREATE TABLE grants (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    match TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('once', 'until', 'session', 'forever')),
    expires_at INTEGER,
    session_id TEXT,
    origin_session_id TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL,
    created_at_event TEXT NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT,
    revoked_at_event TEXT
  );
  CREATE INDEX live_grants_by_agent ON grants (agent_id) WHERE revoked_at IS NULL;
  CREATE TABLE panic (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    engaged INTEGER NOT NULL,
    episode TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    reason TEXT
  );
  -- the sessions an episode of panic reached, each told once when it engaged and once when it ended
  CREATE TABLE panic_sessions (
    episode TEXT NOT NULL,
    session_id TEXT NOT NULL,
    PRIMARY KEY (episode, session_id)
  ) WITHOUT ROWID;
  `,
  // 10: the agent-to-agent queue: a delegated task, leased by one worker at a time, done exactly once
  `
  CREATE TABLE a2a_messages (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    from_agent TEXT NOT NULL,
    from_session_id TEXT NOT NULL,
    from_turn_id TEXT,
    to_agent TEXT NOT NULL,
    task TEXT NOT NULL,
    depth INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'leased', 'done', 'failed')),
    lease_owner TEXT,
    lease_expires_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    child_session_id TEXT,
    result TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX a2a_messages_by_status ON a2a_messages (status, created_at);
  CREATE INDEX a2a_messages_by_turn ON a2a_messages (from_session_id, from_turn_id);
  CREATE INDEX a2a_messages_by_child ON a2a_messages (child_session_id);
  `,
];
