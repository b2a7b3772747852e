import pc from 'picocolors';
import { engagePanic, releasePanic } from '../../runtime/index.js';
import type { PanicStatus } from '../../safety/index.js';
import { formatTime, printJson } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

/**
 * `pyclaw panic on`: stops running tool calls in every PyClaw process on this home and blocks new ones
 * until `pyclaw panic off`; every session with an open turn records `panic.engaged`.
 */
export function on(options: JsonOption & { reason?: string }): Promise<void> {
  return withApp((app) => show(engagePanic(app, 'user:cli', options.reason), options));
}

/** `pyclaw panic off`: tool calls may run again; the sessions the panic reached record `panic.released`. */
export function off(options: JsonOption): Promise<void> {
  return withApp((app) => show(releasePanic(app, 'user:cli'), options));
}

export function status(options: JsonOption): Promise<void> {
  return withApp((app) => show(app.panic.status(), options));
}

function show(status: PanicStatus, options: JsonOption): void {
  if (options.json) {
    printJson(status);
  } else if (!status.engaged) {
    const since = status.changedAt ? ` (since ${formatTime(status.changedAt)})` : '';
    process.stdout.write(`panic is off${since}\n`);
  } else {
    const reason = status.reason ? `: ${status.reason}` : '';
    process.stdout.write(
      `${pc.red('panic is ON')} since ${formatTime(status.changedAt)} by ${status.changedBy}${reason}\n` +
        `tool calls are stopped and blocked, grants suspended; sessions told: ${status.sessions.length}\n`,
    );
  }
}
