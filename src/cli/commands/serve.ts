import pc from 'picocolors';
import { startHttpServer } from '../../controlplane/index.js';
import { openApp, runInSession, sessionsWithOpenTurns } from '../../runtime/index.js';
import { reportError } from '../report-error.js';

export interface ServeOptions {
  host?: string;
  port?: number;
}

/**
 * `pyclaw serve`: hosts the HTTP API until SIGTERM or SIGINT, resuming interrupted turns at start. On a
 * signal it stops listening and exits; a turn still running then is left in the log to resume later.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const app = await openApp();
  const server = await startHttpServer(app, options);
  process.stdout.write(
    `${pc.green('✓')} PyClaw serving on ${server.url} (bearer token: ${server.tokenSource})\n`,
  );
  void resumeInterruptedTurns(app);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  process.stdout.write(pc.dim(`${signal}: stopping\n`));
  await server.close();
  await app.close();
  process.exit(0);
}

async function resumeInterruptedTurns(app: Awaited<ReturnType<typeof openApp>>): Promise<void> {
  for (const sessionId of sessionsWithOpenTurns(app)) {
    try {
      await runInSession(app, { sessionId });
    } catch (error) {
      reportError(error);
    }
  }
}
