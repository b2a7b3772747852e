import { setTimeout as sleep } from 'node:timers/promises';
import { A2aQueue, type WorkedTask, workOnce } from '../../a2a/index.js';
import { formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

/** `pyclaw a2a list`: the delegated tasks, most recent first. */
export function list(options: JsonOption): Promise<void> {
  return withApp((app) => {
    const tasks = new A2aQueue(app.db).list({ limit: 50 });
    if (options.json) return printJson(tasks);
    printTable(
      tasks,
      [
        { header: 'TASK', value: (t) => t.id },
        { header: 'FROM', value: (t) => t.fromAgent },
        { header: 'TO', value: (t) => t.toAgent },
        { header: 'STATUS', value: (t) => t.status },
        { header: 'TRIES', value: (t) => t.attempts },
        { header: 'CREATED', value: (t) => formatTime(t.createdAt) },
        { header: 'TASK TEXT', value: (t) => t.task.slice(0, 60) },
      ],
      'no delegated tasks',
    );
  });
}

/** How long an idle worker waits before looking at the queue again. */
const idleMs = 1000;

/**
 * `pyclaw a2a work [--once]`: takes queued tasks (and those whose worker's lease expired) and runs
 * each as a turn of its receiving agent; until SIGINT or SIGTERM, or after one task with --once.
 */
export function work(options: JsonOption & { once?: boolean }): Promise<void> {
  return withApp(async (app) => {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    try {
      for (;;) {
        const worked = await workOnce(app, stop.signal);
        report(worked, options);
        if (options.once || stop.signal.aborted) return;
        if (!worked || worked.outcome.status === 'waiting') {
          await sleep(idleMs, undefined, { signal: stop.signal }).catch(() => undefined);
        }
      }
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  });
}

function report(worked: WorkedTask | undefined, options: JsonOption): void {
  if (worked?.outcome.status === 'failed') process.exitCode = 1;
  if (options.json) {
    printJson(worked ?? null);
    return;
  }
  process.stdout.write(`${worked ? describe(worked) : 'no task to work on'}\n`);
}

function describe({ task, outcome }: WorkedTask): string {
  const detail =
    outcome.status === 'done'
      ? outcome.answer
      : outcome.status === 'failed'
        ? outcome.error
        : outcome.status === 'waiting'
          ? `approval ${outcome.approval.approvalId} in session ${outcome.childSessionId}`
          : 'another worker took it over';
  return `${task.id} (${task.fromAgent} → ${task.toAgent}) ${outcome.status}: ${detail}`;
}
