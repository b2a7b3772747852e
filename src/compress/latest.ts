import { type EventPayload, eventPayloadSchemas, type StoredEvent, safeParsePayload } from '../core/index.js';
import type { EventLog } from '../session/index.js';
import { type Db, preparedOnce } from '../storage/index.js';

export type SummaryUpdate = EventPayload<'summary.updated'>;

interface ContextMarks {
  summary_seq: number | null;
  pack_seq: number | null;
}

const marksStatement = preparedOnce((db) =>
  db.prepare<[string], ContextMarks>(
    'SELECT summary_seq, pack_seq FROM session_context WHERE session_id = ?',
  ),
);

function marks(db: Db, sessionId: string): ContextMarks | undefined {
  return marksStatement(db).get(sessionId);
}

function eventAt(log: EventLog, sessionId: string, seq: number | null | undefined): StoredEvent | undefined {
  return seq ? log.read(sessionId, { fromSeq: seq, toSeq: seq })[0] : undefined;
}

type SummaryAt = SummaryUpdate & { seq: number };

/** Each session's summary as last read: events never change, so one at the same seq is not read again. */
const summariesRead = preparedOnce(() => new Map<string, SummaryAt | undefined>());

/** The session's latest rolling summary, found by key whatever the session's length. */
export function latestSummary(db: Db, log: EventLog, sessionId: string): SummaryAt | undefined {
  const seq = marks(db, sessionId)?.summary_seq;
  const bySession = summariesRead(db);
  const known = bySession.get(sessionId);
  if (known?.seq === seq) return known;
  const event = eventAt(log, sessionId, seq);
  const parsed = event && safeParsePayload(eventPayloadSchemas['summary.updated'], event.payload);
  const summary = parsed?.success ? { ...parsed.data, seq: (event as StoredEvent).seq } : undefined;
  bySession.set(sessionId, summary);
  return summary;
}

/** The session's latest `context.packed` event. */
export function latestPackEvent(db: Db, log: EventLog, sessionId: string): StoredEvent | undefined {
  return eventAt(log, sessionId, marks(db, sessionId)?.pack_seq);
}
