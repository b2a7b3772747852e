import { A2aQueue } from '../a2a/index.js';
import type { PyclawApp } from '../runtime/index.js';
import { releaseStaleLeases, staleLeases } from '../runtime/index.js';
import { type CheckResult, ok } from './check-result.js';

export function leaseCheck(app: PyclawApp, fix: boolean): CheckResult {
  const stale = staleLeases(app.db);
  if (stale.length === 0) return ok('runtime', 'session leases', 'none stale');
  if (fix) {
    const released = releaseStaleLeases(app.db);
    return {
      ...ok('runtime', 'session leases', 'none stale'),
      fixed: `released ${released.length} stale lease(s)`,
    };
  }
  return {
    area: 'runtime',
    name: 'session leases',
    status: 'warn',
    detail: `${stale.length} held by a process that is gone (session ${stale[0]?.sessionId}, pid ${stale[0]?.pid})`,
    fix: 'pyclaw doctor --fix (releases them; the next run in the session takes over)',
  };
}

/** Delegated tasks leased by a worker that is gone: no one works on them until they are queued again. */
export function a2aLeaseCheck(app: PyclawApp, fix: boolean): CheckResult {
  const queue = new A2aQueue(app.db);
  const stale = queue.staleLeases();
  if (stale.length === 0) return ok('a2a', 'task leases', 'none stale');
  if (fix) {
    const released = queue.releaseStale();
    return {
      ...ok('a2a', 'task leases', 'none stale'),
      fixed: `returned ${released.length} task(s) to the queue`,
    };
  }
  const first = stale[0] as (typeof stale)[number];
  return {
    area: 'a2a',
    name: 'task leases',
    status: 'warn',
    detail: `${stale.length} leased by a worker that is gone (task ${first.id} to ${first.toAgent}, owner ${first.leaseOwner})`,
    fix: 'pyclaw doctor --fix (queues them again; `pyclaw a2a work` resumes each in its child session)',
  };
}
