import { accessSync, constants, statfsSync } from 'node:fs';
import type { PyclawApp } from '../runtime/index.js';
import { type CheckResult, ok } from './check-result.js';
import { agentsUse } from './tool-use.js';

const diskWarnBytes = 1024 ** 3;
const diskFailBytes = 100 * 1024 ** 2;
const clockSlackMs = 60_000;
const telegramWaitMs = 10_000;

/** Chromium for the browser tools, unless a PinchTab server drives the browser instead. */
export function chromiumCheck(app: PyclawApp): CheckResult[] {
  const { backend, pinchtab, executablePath } = app.config.browser;
  if (backend === 'pinchtab' || (backend === 'auto' && pinchtab)) return [];
  try {
    accessSync(executablePath, constants.X_OK);
    return [ok('tools', 'chromium', executablePath)];
  } catch {
    const used = agentsUse(app, ['browser.*']);
    return [
      {
        area: 'tools',
        name: 'chromium',
        status: used ? 'fail' : 'warn',
        detail: `no executable at ${executablePath}${used ? '' : ' (no agent uses the browser tools yet)'}`,
        fix: 'apt-get install chromium (or set browser.executablePath, or browser.pinchtab.url)',
      },
    ];
  }
}

export async function channelChecks(app: PyclawApp): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (app.config.http.token) results.push(secretCheck(app, 'HTTP API token', app.config.http.token));
  const { token, apiRoot } = app.config.telegram;
  if (token) {
    const resolved = secretCheck(app, 'Telegram token', token);
    results.push(resolved.status === 'ok' ? await telegramCheck(app, token, apiRoot) : resolved);
  }
  return results;
}

function secretCheck(app: PyclawApp, name: string, reference: string): CheckResult {
  try {
    app.secrets.resolveString(reference);
    return ok('channels', name, `${reference} resolves`);
  } catch (error) {
    return {
      area: 'channels',
      name,
      status: 'fail',
      detail: (error as Error).message,
      fix: `set the secret ${reference} (pyclaw init writes PYCLAW_HOME/secrets, chmod 600)`,
    };
  }
}

async function telegramCheck(app: PyclawApp, reference: string, apiRoot?: string): Promise<CheckResult> {
  const url = `${apiRoot ?? 'https://api.telegram.org'}/bot${app.secrets.resolveString(reference)}/getMe`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(telegramWaitMs) });
    const body = (await response.json()) as {
      ok: boolean;
      description?: string;
      result?: { username?: string };
    };
    if (body.ok) return ok('channels', 'Telegram bot', `@${body.result?.username} answers`);
    return telegramFailed(app, `Telegram says: ${body.description ?? response.status}`);
  } catch (error) {
    return telegramFailed(app, (error as Error).message);
  }
}

function telegramFailed(app: PyclawApp, detail: string): CheckResult {
  return {
    area: 'channels',
    name: 'Telegram bot',
    status: 'fail',
    detail: app.redactor.redactText(detail),
    fix: 'check telegram.token (a fresh one from @BotFather) and that the machine reaches the Bot API',
  };
}

export function diskCheck(app: PyclawApp): CheckResult {
  const stats = statfsSync(app.paths.root);
  const free = stats.bavail * stats.bsize;
  const detail = `${(free / 1024 ** 3).toFixed(1)} GiB free under ${app.paths.root}`;
  if (free >= diskWarnBytes) return ok('system', 'disk space', detail);
  return {
    area: 'system',
    name: 'disk space',
    status: free < diskFailBytes ? 'fail' : 'warn',
    detail,
    fix: 'free space, or `pyclaw artifacts gc` to remove unreferenced artifacts',
  };
}

/** The clock must not be behind the newest event: ordering and grant expiry rely on it. */
export function clockCheck(app: PyclawApp): CheckResult {
  const newest = app.log.listSessions({ limit: 1 })[0]?.lastTs;
  const now = Date.now();
  if (newest === null || newest === undefined || newest <= now + clockSlackMs) {
    return ok('system', 'clock', new Date(now).toISOString());
  }
  return {
    area: 'system',
    name: 'clock',
    status: 'fail',
    detail: `the newest event is ${Math.round((newest - now) / 1000)} s in the future`,
    fix: 'set the system clock right (enable NTP: timedatectl set-ntp true)',
  };
}
