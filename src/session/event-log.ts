import type { Statement } from 'better-sqlite3';
import {
  type Clock,
  canonicalJson,
  eventPayloadSchemas,
  isKnownEventType,
  type NewEvent,
  newId,
  PyclawError,
  type StoredEvent,
  systemClock,
} from '../core/index.js';
import type { Redactor } from '../secret/index.js';
import { type Db, inTransaction, rollbackCount } from '../storage/index.js';
import { artifactHashesIn } from './artifact-refs.js';
import { eventHash, genesisHash } from './hash-chain.js';
import { type EventRow, eventFromRow } from './rows.js';
import type { SessionInfo, SessionSummary, VerifyReport } from './session-info.js';
import { verifyChain } from './verify-chain.js';

export interface SeqRange {
  fromSeq?: number | undefined;
  toSeq?: number | undefined;
  limit?: number | undefined;
}

type Listener = (event: StoredEvent) => void;
/** A session's last event, as the next append chains from it. */
type Head = { seq: number; hash: string; turn_id: string | null };
/** Events appended inside a transaction, not yet told to subscribers. */
type Untold = { sessionId: string; events: StoredEvent[] }[];
const everySession = '*';

/**
 * The append-only event log. Each append is one IMMEDIATE transaction that reads the session's head
 * from the database itself, so several processes can append to the same file safely.
 * Payloads are validated, then redacted, before they are hashed and stored.
 */
export class EventLog {
  private readonly db: Db;
  private readonly redactor: Redactor | undefined;
  private readonly clock: Clock;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly knownSessions = new Set<string>();
  private readonly statements;
  private readonly typeStatements = new Map<number, Statement>();
  /** Inside `transaction`: what was appended, told to subscribers once it commits. */
  private untold: Untold | undefined;
  /**
   * Inside `transaction`: each session's head as this log's last append there left it. The write lock
   * keeps other processes out until the commit, so only a rollback can make one wrong: any rollback
   * by `inTransaction` (which every savepoint around an append goes through) forgets them all.
   */
  private heads: { known: Map<string, Head>; rollbacks: number } | undefined;

  constructor(db: Db, options: { redactor?: Redactor; clock?: Clock } = {}) {
    this.db = db;
    this.redactor = options.redactor;
    this.clock = options.clock ?? systemClock;
    this.statements = {
      insertSession: db.prepare('INSERT INTO sessions (id, created_at, agent_id, title) VALUES (?, ?, ?, ?)'),
      getSession: db.prepare('SELECT id, created_at, agent_id, title FROM sessions WHERE id = ?'),
      listSessions: db.prepare(
        `SELECT s.id, s.created_at, s.agent_id, s.title,
           (SELECT max(seq) FROM events e WHERE e.session_id = s.id) AS last_seq,
           (SELECT ts FROM events e WHERE e.session_id = s.id ORDER BY seq DESC LIMIT 1) AS last_ts
         FROM sessions s ORDER BY coalesce(last_ts, s.created_at) DESC, s.id DESC LIMIT ?`,
      ),
      head: db.prepare(
        'SELECT seq, hash, turn_id FROM events WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (session_id, seq, id, turn_id, step_id, trace_id, type, ts, actor, payload, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertTurnRun: db.prepare('INSERT INTO turn_runs (session_id, turn_id, first_seq) VALUES (?, ?, ?)'),
      insertArtifactRef: db.prepare(
        'INSERT OR IGNORE INTO event_artifacts (hash, session_id, seq) VALUES (?, ?, ?)',
      ),
      idAt: db.prepare('SELECT id FROM events WHERE session_id = ? AND seq = ?').pluck(),
      range: db.prepare(
        'SELECT * FROM events WHERE session_id = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?',
      ),
      last: db.prepare('SELECT * FROM events WHERE session_id = ? ORDER BY seq DESC LIMIT ?'),
      // each run of the turn, from its first seq up to the next event of another turn (or none)
      byTurn: db.prepare(
        `SELECT e.* FROM turn_runs r CROSS JOIN events e
           ON e.session_id = r.session_id AND e.seq >= r.first_seq AND e.seq < coalesce(
             (SELECT n.seq FROM events n WHERE n.session_id = r.session_id AND n.seq > r.first_seq
                AND n.turn_id IS NOT r.turn_id ORDER BY n.seq LIMIT 1),
             9223372036854775807)
         WHERE r.session_id = ? AND r.turn_id = ?
         ORDER BY r.first_seq, e.seq`,
      ),
      all: db.prepare('SELECT * FROM events WHERE session_id = ? ORDER BY seq'),
    };
  }

  createSession(options: { id?: string; agentId?: string; title?: string } = {}): SessionInfo {
    const session: SessionInfo = {
      id: options.id ?? newId(),
      createdAt: this.clock.now(),
      agentId: options.agentId ?? null,
      title: options.title === undefined ? null : (this.redactor?.redactText(options.title) ?? options.title),
    };
    try {
      this.statements.insertSession.run(session.id, session.createdAt, session.agentId, session.title);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new PyclawError('session.exists', `session ${session.id} already exists`);
      }
      throw error;
    }
    this.knownSessions.add(session.id);
    return session;
  }

  getSession(id: string): SessionInfo | undefined {
    const row = this.statements.getSession.get(id) as SessionRow | undefined;
    return row && sessionFromRow(row);
  }

  /** Sessions, most recently active first. */
  listSessions(options: { limit?: number } = {}): SessionSummary[] {
    const rows = this.statements.listSessions.all(options.limit ?? -1) as (SessionRow & {
      last_seq: number | null;
      last_ts: number | null;
    })[];
    return rows.map((row) => ({
      ...sessionFromRow(row),
      eventCount: row.last_seq ?? 0,
      lastTs: row.last_ts,
    }));
  }

  append(sessionId: string, event: NewEvent): StoredEvent {
    return this.appendBatch(sessionId, [event])[0] as StoredEvent;
  }

  /** Appends all the events in one transaction: either every one is stored, or none is. */
  appendBatch(sessionId: string, events: NewEvent[]): StoredEvent[] {
    this.requireSession(sessionId);
    const prepared = events.map((event) => this.prepare(event));
    const stored = inTransaction(this.db, () => this.write(sessionId, prepared));
    if (this.untold) this.untold.push({ sessionId, events: stored });
    else this.notify(sessionId, stored);
    return stored;
  }

  /**
   * Runs `work` in one IMMEDIATE transaction: what it appends (and writes beside) commits together or
   * not at all, and subscribers hear of those events only once they are committed.
   */
  transaction<T>(work: () => T): T {
    if (this.untold) return this.nestedTransaction(this.untold, work);
    const untold: Untold = [];
    this.untold = untold;
    this.heads = { known: new Map(), rollbacks: rollbackCount(this.db) };
    let result: T;
    try {
      result = inTransaction(this.db, work);
    } finally {
      this.untold = undefined;
      this.heads = undefined;
    }
    for (const { sessionId, events } of untold) this.notify(sessionId, events);
    return result;
  }

  /** A transaction inside another: a savepoint, whose events are forgotten if it rolls back. */
  private nestedTransaction<T>(untold: Untold, work: () => T): T {
    const before = untold.length;
    try {
      return inTransaction(this.db, work);
    } catch (error) {
      untold.length = before;
      throw error;
    }
  }

  /**
   * Runs inside the write transaction: reads the head from the database, so other processes' appends
   * count (or, inside `transaction`, as its last append left it).
   */
  private write(sessionId: string, prepared: PreparedEvent[]): StoredEvent[] {
    const head = this.headOf(sessionId);
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? genesisHash;
    let prevTurnId = head?.turn_id ?? null;
    const ts = this.clock.now();
    const appended = prepared.map(({ event, payload, payloadJson }) => {
      const turnId = event.turnId ?? null;
      const stored: StoredEvent = {
        seq: ++seq,
        id: event.id ?? newId(),
        sessionId,
        turnId,
        stepId: event.stepId ?? null,
        traceId: event.traceId ?? turnId ?? newId(),
        type: event.type,
        ts,
        actor: event.actor,
        payload,
        prevHash,
        hash: '',
      };
      stored.hash = eventHash(prevHash, stored, payloadJson);
      this.statements.insertEvent.run(
        sessionId,
        seq,
        stored.id,
        turnId,
        stored.stepId,
        stored.traceId,
        stored.type,
        ts,
        stored.actor,
        payloadJson,
        prevHash,
        stored.hash,
      );
      if (turnId !== null && turnId !== prevTurnId) this.statements.insertTurnRun.run(sessionId, turnId, seq);
      prevTurnId = turnId;
      for (const artifactHash of artifactHashesIn(payloadJson)) {
        this.statements.insertArtifactRef.run(artifactHash, sessionId, seq);
      }
      prevHash = stored.hash;
      return stored;
    });
    this.heads?.known.set(sessionId, { seq, hash: prevHash, turn_id: prevTurnId });
    return appended;
  }

  private headOf(sessionId: string): Head | undefined {
    const heads = this.heads;
    if (heads) {
      const rollbacks = rollbackCount(this.db);
      if (heads.rollbacks !== rollbacks) {
        heads.known.clear();
        heads.rollbacks = rollbacks;
      }
      const known = heads.known.get(sessionId);
      if (known) return known;
    }
    return this.statements.head.get(sessionId) as Head | undefined;
  }

  /** The seq of the session's last event, 0 when it has none. */
  headSeq(sessionId: string): number {
    return (this.statements.head.get(sessionId) as { seq: number } | undefined)?.seq ?? 0;
  }

  /** The id of the event at `seq`, or undefined when there is none: a cheap check of what is there. */
  idAt(sessionId: string, seq: number): string | undefined {
    return this.statements.idAt.get(sessionId, seq) as string | undefined;
  }

  read(sessionId: string, range: SeqRange = {}): StoredEvent[] {
    const rows = this.statements.range.all(
      sessionId,
      range.fromSeq ?? 1,
      range.toSeq ?? Number.MAX_SAFE_INTEGER,
      range.limit ?? -1,
    ) as EventRow[];
    return rows.map(eventFromRow);
  }

  /** The last `n` events, oldest first. */
  last(sessionId: string, n: number): StoredEvent[] {
    const rows = this.statements.last.all(sessionId, n) as EventRow[];
    return rows.reverse().map(eventFromRow);
  }

  byTurn(sessionId: string, turnId: string): StoredEvent[] {
    return (this.statements.byTurn.all(sessionId, turnId) as EventRow[]).map(eventFromRow);
  }

  /** Events of the given types. Not indexed (an index would slow every append): bound it with a range. */
  byType(sessionId: string, types: string | string[], range: SeqRange = {}): StoredEvent[] {
    const list = Array.isArray(types) ? types : [types];
    const rows = this.typeStatement(list.length).all(
      sessionId,
      ...list,
      range.fromSeq ?? 1,
      range.toSeq ?? Number.MAX_SAFE_INTEGER,
      range.limit ?? -1,
    ) as EventRow[];
    return rows.map(eventFromRow);
  }

  /** Calls `listener` after each commit of an event appended through this log; returns the unsubscribe. */
  subscribe(sessionId: string, listener: Listener): () => void {
    const set = this.listeners.get(sessionId) ?? new Set<Listener>();
    this.listeners.set(sessionId, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Recomputes the session's hash chain from its first event and names the first bad seq, if any. */
  verify(sessionId: string): VerifyReport {
    return verifyChain(this.statements.all.iterate(sessionId) as Iterable<EventRow>);
  }

  private prepare(event: NewEvent): PreparedEvent {
    if (!isKnownEventType(event.type)) {
      throw new PyclawError('session.unknown-type', `cannot append event of unknown type "${event.type}"`);
    }
    const result = eventPayloadSchemas[event.type].safeParse(event.payload);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') || '(payload)';
      throw new PyclawError('session.bad-payload', `${event.type} payload: ${field}: ${issue?.message}`);
    }
    const payload = this.redactor ? this.redactor.redactValue(result.data) : result.data;
    return { event, payload, payloadJson: canonicalJson(payload) };
  }

  private requireSession(sessionId: string): void {
    if (this.knownSessions.has(sessionId)) return;
    if (!this.statements.getSession.get(sessionId)) {
      throw new PyclawError('session.unknown', `no session ${sessionId}`, { hint: 'create it first' });
    }
    this.knownSessions.add(sessionId);
  }

  private typeStatement(count: number): Statement {
    let statement = this.typeStatements.get(count);
    if (!statement) {
      const placeholders = Array.from({ length: count }, () => '?').join(', ');
      statement = this.db.prepare(
        `SELECT * FROM events WHERE session_id = ? AND type IN (${placeholders}) AND seq BETWEEN ? AND ?
         ORDER BY seq LIMIT ?`,
      );
      this.typeStatements.set(count, statement);
    }
    return statement;
  }

  private notify(sessionId: string, events: StoredEvent[]): void {
    const own = this.listeners.get(sessionId);
    const all = this.listeners.get(everySession);
    if (!own?.size && !all?.size) return;
    for (const event of events) {
      for (const listener of own ?? []) listener(event);
      for (const listener of all ?? []) listener(event);
    }
  }
}

interface PreparedEvent {
  event: NewEvent;
  /** The validated, redacted payload; `payloadJson` is its canonical JSON, the text stored and hashed. */
  payload: unknown;
  payloadJson: string;
}

interface SessionRow {
  id: string;
  created_at: number;
  agent_id: string | null;
  title: string | null;
}

function sessionFromRow(row: SessionRow): SessionInfo {
  return { id: row.id, createdAt: row.created_at, agentId: row.agent_id, title: row.title };
}
