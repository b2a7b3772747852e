import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { StoredEvent } from '../../core/index.js';
import type { EventLog } from '../../session/index.js';

const pageSize = 500;
/** Events appended by other processes reach this one only through the database, so it is polled too. */
const pollMs = 250;

/**
 * A session's events as Server-Sent Events (`id` is the seq, `event` the type, `data` the event as JSON),
 * from the seq after `afterSeq` on, then live until the client goes away.
 */
export function sessionEventsStream(
  c: Context,
  log: EventLog,
  sessionId: string,
  afterSeq: number,
): Response {
  return streamSSE(c, async (stream) => {
    let lastSeq = afterSeq;
    let wake: (() => void) | undefined;
    const unsubscribe = log.subscribe(sessionId, () => wake?.());
    stream.onAbort(() => wake?.());
    try {
      while (!stream.aborted) {
        const events = log.read(sessionId, { fromSeq: lastSeq + 1, limit: pageSize });
        for (const event of events) await stream.writeSSE(message(event));
        lastSeq = events.at(-1)?.seq ?? lastSeq;
        if (events.length === pageSize) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribe();
    }
  });
}

function message(event: StoredEvent) {
  return { id: String(event.seq), event: event.type, data: JSON.stringify(event) };
}
