import pc from 'picocolors';
import { enableDelegation } from '../../a2a/index.js';
import { startHttpServer, TelegramChannel } from '../../controlplane/index.js';
import {
  openApp,
  type PyclawApp,
  runInSession,
  Scheduler,
  sessionsWithOpenTurns,
} from '../../runtime/index.js';
import { reportError } from '../report-error.js';

export interface ServeOptions {
  host?: string;
  port?: number;
}

/**
 * `pyclaw serve`: hosts the HTTP API, the Telegram channel when a bot token is configured, and the
 * configured schedules, until SIGTERM or SIGINT, resuming interrupted turns at start. On a signal it stops listening and exits; a
 * turn still running then is left in the log to resume later.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  const app = await openApp();
  enableDelegation(app);
  const server = await startHttpServer(app, options);
  process.stdout.write(
    `${pc.green('✓')} PyClaw serving on ${server.url} (bearer token: ${server.tokenSource})\n` +
      `  web console: ${server.url}/ (paste the token, or open ${server.url}/#token=<token>)\n`,
  );
  const telegram = await startTelegram(app);
  void resumeInterruptedTurns(app, telegram);
  const scheduler = new Scheduler(app, (id, { sessionId, outcome }) =>
    process.stdout.write(`schedule ${id}: ${outcome?.status ?? 'waiting'} in session ${sessionId}\n`),
  ).start();
  const signal = await stopSignal;
  process.stdout.write(pc.dim(`${signal}: stopping\n`));
  scheduler.stop();
  await telegram?.stop();
  await server.close();
  await app.close();
  process.exit(0);
}

async function startTelegram(app: PyclawApp): Promise<TelegramChannel | undefined> {
  const { token } = app.config.telegram;
  if (!token) return undefined;
  const telegram = await TelegramChannel.start(app, { token: app.secrets.resolveString(token) });
  process.stdout.write(
    `${pc.green('✓')} Telegram bot connected (${app.config.telegram.allowedUsers.length} allowed users)\n`,
  );
  return telegram;
}

/** Drives interrupted turns on; an outcome of a Telegram chat's session goes back to that chat. */
async function resumeInterruptedTurns(app: PyclawApp, telegram: TelegramChannel | undefined): Promise<void> {
  for (const sessionId of sessionsWithOpenTurns(app)) {
    try {
      const { resumed } = await runInSession(app, { sessionId });
      for (const outcome of resumed) await telegram?.deliver(sessionId, outcome);
    } catch (error) {
      reportError(error);
    }
  }
}
