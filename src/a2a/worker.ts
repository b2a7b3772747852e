import type { PyclawApp } from '../runtime/index.js';
import { A2aQueue, type A2aTask } from './queue.js';
import { leaseOwner, runLeasedTask, type TaskOutcome } from './run-task.js';

export interface WorkedTask {
  task: A2aTask;
  outcome: TaskOutcome;
}

/**
 * Leases the oldest task that is queued or whose worker's lease expired, and runs it to an outcome.
 * Undefined when the queue has nothing to take.
 */
export async function workOnce(app: PyclawApp, signal?: AbortSignal): Promise<WorkedTask | undefined> {
  const queue = new A2aQueue(app.db);
  const owner = leaseOwner();
  const task = queue.lease(owner, app.config.a2a.leaseSeconds * 1000);
  if (!task) return undefined;
  return { task, outcome: await runLeasedTask(app, queue, task, owner, { signal }) };
}
