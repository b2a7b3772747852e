import type { PyclawApp } from '../runtime/index.js';
import { delegateTool } from './delegate-tool.js';

export { A2aQueue, type A2aTask, type NewTask, type TaskStatus, taskStatuses } from './queue.js';
export type { TaskOutcome } from './run-task.js';
export { type WorkedTask, workOnce } from './worker.js';

/** Adds `agent.delegate` to the app's tools; agents still call it only when their `tools:` select it. */
export function enableDelegation(app: PyclawApp): void {
  app.offerTools([delegateTool(app)]);
}
