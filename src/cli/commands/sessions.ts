import pc from 'picocolors';
import type { StoredEvent } from '../../core/index.js';
import { PyclawError } from '../../core/index.js';
import { clearSessionCaches } from '../../diagnostics/index.js';
import { type PyclawApp, replaySession } from '../../runtime/index.js';
import { formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

function requireSession(app: PyclawApp, id: string) {
  const session = app.log.getSession(id);
  if (!session)
    throw new PyclawError('cli.no-session', `no session ${id}`, { hint: 'see `pyclaw sessions list`' });
  return session;
}

export function list(options: JsonOption & { limit: number }): Promise<void> {
  return withApp((app) => {
    const sessions = app.log.listSessions({ limit: options.limit });
    if (options.json) return printJson(sessions);
    printTable(
      sessions,
      [
        { header: 'SESSION', value: (s) => s.id },
        { header: 'AGENT', value: (s) => s.agentId },
        { header: 'EVENTS', value: (s) => s.eventCount },
        { header: 'LAST ACTIVITY', value: (s) => formatTime(s.lastTs ?? s.createdAt) },
        { header: 'TITLE', value: (s) => s.title },
      ],
      'no sessions yet',
    );
  });
}

export function show(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const session = requireSession(app, id);
    const latest = app.log.last(id, 10);
    if (options.json) return printJson({ session, latestEvents: latest });
    process.stdout.write(`${pc.bold('session')}  ${session.id}\n`);
    process.stdout.write(`agent    ${session.agentId ?? ''}\ntitle    ${session.title ?? ''}\n`);
    process.stdout.write(`created  ${formatTime(session.createdAt)}\n\n`);
    printEvents(latest);
  });
}

export function events(
  id: string,
  options: JsonOption & { from?: number; to?: number; last?: number; type?: string[]; turn?: string },
): Promise<void> {
  return withApp((app) => {
    requireSession(app, id);
    const range = { fromSeq: options.from, toSeq: options.to };
    let selected: StoredEvent[];
    if (options.turn) selected = app.log.byTurn(id, options.turn);
    else if (options.type) selected = app.log.byType(id, options.type, range);
    else if (options.last) selected = app.log.last(id, options.last);
    else selected = app.log.read(id, range);
    if (options.json) return printJson(selected);
    printEvents(selected);
  });
}

function printEvents(events: StoredEvent[]): void {
  printTable(
    events,
    [
      { header: 'SEQ', value: (e) => e.seq },
      { header: 'TIME', value: (e) => formatTime(e.ts) },
      { header: 'TYPE', value: (e) => e.type },
      { header: 'ACTOR', value: (e) => e.actor },
      { header: 'PAYLOAD', value: (e) => truncate(JSON.stringify(e.payload), 100) },
    ],
    'no events',
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function verify(id: string | undefined, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const ids = id
      ? [requireSession(app, id).id]
      : app.log.listSessions({ limit: Number.MAX_SAFE_INTEGER }).map((s) => s.id);
    const reports = ids.map((sessionId) => ({ sessionId, ...app.log.verify(sessionId) }));
    const failed = reports.filter((report) => !report.ok);
    if (failed.length > 0) process.exitCode = 1;
    if (options.json) return printJson(reports);
    for (const report of reports) {
      if (report.ok)
        process.stdout.write(
          `${pc.green('ok')}   ${report.sessionId}: ${report.count} events, chain intact\n`,
        );
      else
        process.stdout.write(
          `${pc.red('FAIL')} ${report.sessionId}: first bad seq ${report.firstBadSeq}: ${report.reason}\n`,
        );
    }
    if (reports.length === 0) process.stdout.write(`${pc.dim('no sessions to verify')}\n`);
  });
}

/**
 * `pyclaw sessions replay <id>`: rebuilds every turn from the log alone, checking each one's phase
 * transitions and that the brain, given the turn's events, finds nothing left to do; then prints the
 * transcript. No model or tool is called.
 */
export function replay(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const { transcript, problems } = replaySession(app, requireSession(app, id).id);
    if (problems.length > 0) process.exitCode = 1;
    if (options.json) return printJson({ sessionId: id, transcript, problems });
    process.stdout.write(transcript);
    for (const problem of problems) process.stderr.write(`pyclaw: ${problem}\n`);
  });
}

/**
 * `pyclaw sessions clear-cache <id>`: drops the rows derived from the session's events and makes them
 * again from the events; says which had drifted from the log.
 */
export function clearCache(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const session = requireSession(app, id);
    const caches = clearSessionCaches(app.db, session.id);
    if (options.json) return printJson({ sessionId: session.id, caches });
    printTable(
      caches,
      [
        { header: 'CACHE', value: (c) => c.table },
        { header: 'DROPPED', value: (c) => c.dropped },
        { header: 'REBUILT', value: (c) => c.rebuilt },
        {
          header: 'STATE',
          value: (c) => (c.changed ? pc.yellow('had drifted, now in step') : 'was in step'),
        },
        { header: 'HOLDS', value: (c) => c.holds },
      ],
      '',
    );
    process.stdout.write(
      `rebuilt from the ${app.log.headSeq(session.id)} events of session ${session.id}; the events were not changed\n`,
    );
  });
}
