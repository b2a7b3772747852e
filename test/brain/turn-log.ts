import type { EventPayload, EventType, StoredEvent } from '../../src/core/index.js';

/** Builds one session's events in memory, as the event log would store them (hashes left empty). */
export class TurnLog {
  readonly events: StoredEvent[] = [];
  /** The time the next event is stamped with; tests move it forward. */
  now = 1_700_000_000_000;
  turnId = 'turn-1';

  constructor(readonly sessionId = 'session-1') {}

  append<T extends EventType>(type: T, payload: EventPayload<T>, stepId?: string): StoredEvent {
    const seq = this.events.length + 1;
    const event: StoredEvent = {
      seq,
      id: `event-${seq}`,
      sessionId: this.sessionId,
      turnId: this.turnId,
      stepId: stepId ?? null,
      traceId: 'trace-1',
      type,
      ts: this.now,
      actor: 'test',
      payload,
      prevHash: '',
      hash: '',
    };
    this.events.push(event);
    return event;
  }

  /** The events of the current turn. */
  turnEvents(): StoredEvent[] {
    return this.events.filter((event) => event.turnId === this.turnId);
  }
}
