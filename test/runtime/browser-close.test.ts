import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/runtime/index.js';
import { isRunning } from '../helpers/process.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { useTestSite } from '../tools/browser/test-site.js';

const tempDir = useTempDirs();
const startSite = useTestSite();

/** Pids of the Chromium processes this test process started. */
function chromiumChildren(): number[] {
  const lines = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return lines
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, command]) => command?.startsWith('chrom'))
    .map(([pid]) => Number(pid));
}

describe('the browser and the app', () => {
  it('one Chromium starts on the first browser call and ends when the app closes', async () => {
    const app = await openApp({ env: { PYCLAW_HOME: tempDir() } });
    const { url: site } = await startSite();
    expect(chromiumChildren()).toEqual([]);
    const ctx = {
      sessionId: 'session-1',
      turnId: 'turn-1',
      callId: 'call-1',
      workspaceRoots: [app.paths.root],
      artifacts: app.artifacts,
    };
    const signal = new AbortController().signal;
    const tools = app.tools();
    for (const sessionId of ['session-1', 'session-2']) {
      const opened = await tools.run(
        { tool: 'browser.open', input: { url: `${site}/` } },
        { ...ctx, sessionId },
        signal,
      );
      expect(opened.isError).toBe(false);
    }
    const started = chromiumChildren();
    expect(started).toHaveLength(1);
    await app.close();
    expect(started.filter(isRunning)).toEqual([]);
  });

  it('a Chromium that dies is started again: the sessions reopen their pages', async () => {
    const app = await openApp({ env: { PYCLAW_HOME: tempDir() } });
    const { url: site } = await startSite();
    const ctx = {
      sessionId: 'session-1',
      turnId: 'turn-1',
      callId: 'call-1',
      workspaceRoots: [app.paths.root],
      artifacts: app.artifacts,
    };
    const signal = new AbortController().signal;
    const run = (tool: string, input: unknown) => app.tools().run({ tool, input }, ctx, signal);
    try {
      await run('browser.open', { url: `${site}/` });
      const [first] = chromiumChildren();
      process.kill(first as number, 'SIGKILL');
      await expect.poll(() => isRunning(first as number)).toBe(false);
      await expect
        .poll(async () => (await run('browser.text', {})).preview)
        .toBe('no page is open in this session');
      expect(await run('browser.open', { url: `${site}/about` })).toMatchObject({ isError: false });
      expect((await run('browser.text', {})).preview).toContain('All about greeting.');
      expect(chromiumChildren()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
