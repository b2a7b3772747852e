import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp, Scheduler } from '../../src/runtime/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function homeWithSchedule(cron: string): string {
  const home = tempDir();
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script:
    kind: scripted
    repeat: true
    responses: [{ text: "Report done." }]
agents:
  default:
    models:
      default: { provider: script, model: demo }
schedules:
  report:
    cron: "${cron}"
    message: Write the report
`,
  );
  return home;
}

const messagesIn = (home: string) =>
  openApp({ env: { PYCLAW_HOME: home } }).then(async (app) => {
    const sessions = app.log.listSessions();
    const texts = sessions.flatMap((s) =>
      app.log
        .read(s.id)
        .filter((e) => e.type === 'user.message')
        .map((e) => e.payload as { channel: string }),
    );
    await app.close();
    return { sessions: sessions.length, messages: texts };
  });

describe('schedules', () => {
  it('run a planned time once, in the schedule’s own session, even when fired again or by a second process', async () => {
    const home = homeWithSchedule('0 9 * * *');
    const planned = new Date('2026-12-04T09:00:00Z');
    const first = await openApp({ env: { PYCLAW_HOME: home } });
    const second = await openApp({ env: { PYCLAW_HOME: home } });
    const [a, b] = await Promise.all([
      new Scheduler(first).fire('report', planned),
      new Scheduler(second).fire('report', planned),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((a ?? b)?.outcome).toMatchObject({ status: 'completed', answer: 'Report done.' });
    expect(await new Scheduler(first).fire('report', planned)).toBeUndefined();
    const next = await new Scheduler(second).fire('report', new Date('2026-12-05T09:00:00Z'));
    expect(next?.sessionId).toBe((a ?? b)?.sessionId);
    await first.close();
    await second.close();
    const { sessions, messages } = await messagesIn(home);
    expect(sessions).toBe(1);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ channel: 'schedule', externalUserId: 'report' });
  });

  it('run inside pyclaw serve on their cron pattern', async () => {
    const home = homeWithSchedule('* * * * * *');
    const served = startCli(home, ['serve', '--port', '0'], {}, tempDir());
    while ((served.output().stdout.match(/schedule report: completed/g) ?? []).length < 2) {
      if (served.child.exitCode !== null) throw new Error(served.output().stderr);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    served.child.kill('SIGTERM');
    expect((await served.result).code).toBe(0);
    const { sessions, messages } = await messagesIn(home);
    expect(sessions).toBe(1);
    expect(messages.length).toBeGreaterThanOrEqual(2);
  });

  it('refuse a bad cron pattern when config loads, naming the key', () => {
    const home = homeWithSchedule('every morning');
    const result = runCli(home, ['doctor']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/schedules\.report\.cron: not a cron pattern/);
  });
});
