import type { Grant, GrantStatus } from '../policy/index.js';
import type { PanicStatus } from '../safety/index.js';
import type { PyclawApp } from './app.js';
import { sessionsWithOpenTurns } from './open-turns.js';

/** Engages panic for every process on this home; each session with an open turn records `panic.engaged`. */
export function engagePanic(app: PyclawApp, by: string, reason?: string): PanicStatus {
  return app.panic.engage(app.log, by, sessionsWithOpenTurns(app), reason);
}

export function releasePanic(app: PyclawApp, by: string): PanicStatus {
  return app.panic.release(app.log, by);
}

/** A grant's status as it applies now: panic suspends every live grant without changing its row. */
export function effectiveGrantStatus(app: PyclawApp, grant: Grant): GrantStatus | 'suspended (panic)' {
  const status = app.grants.status(grant);
  return status === 'live' && app.panic.isEngaged() ? 'suspended (panic)' : status;
}
