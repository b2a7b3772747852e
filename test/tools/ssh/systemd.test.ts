import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSshTools } from './ssh-fixture.js';

const openSsh = useSshTools();

/** The fake systemctl and journalctl print their name, then each argument they received in <>. */
describe('systemd and journalctl over SSH (fake systemctl/journalctl on the remote PATH)', () => {
  it('start, stop and restart pass the unit as one argument after --, without a password prompt', async () => {
    const { run } = openSsh();
    for (const action of ['start', 'stop', 'restart']) {
      const result = await run(`ssh.systemd.${action}`, { host: 'box', unit: 'app@blue\\x2dgreen.service' });
      expect(result).toEqual({
        isError: false,
        preview: `systemctl\n<--no-ask-password>\n<${action}>\n<-->\n<app@blue\\x2dgreen.service>\n[exit code 0]`,
        artifacts: [],
      });
    }
  });

  it('status reports a stopped unit (exit 3) as an answer, not a failure', async () => {
    const { run } = openSsh();
    expect(await run('ssh.systemd.status', { host: 'box', unit: 'stopped.service' })).toEqual({
      isError: false,
      preview: 'systemctl\n<--no-pager>\n<--full>\n<status>\n<-->\n<stopped.service>\n[exit code 3]',
      artifacts: [],
    });
    expect((await run('ssh.systemd.restart', { host: 'box', unit: 'stopped.service' })).isError).toBe(true);
  });

  it('journalctl gets the unit, the line count and a since that no shell interprets', async () => {
    const { run, sshd } = openSsh();
    const marker = join(sshd.dir, 'injected');
    const since = `'; touch ${marker}; echo '$(touch ${marker})\``;
    const result = await run('ssh.journalctl', { host: 'box', unit: 'nginx.service', lines: 20, since });
    expect(result.preview).toBe(
      `journalctl\n<--no-pager>\n<--unit=nginx.service>\n<--lines=20>\n<--since=${since}>\n[exit code 0]`,
    );
    expect(existsSync(marker)).toBe(false);
    expect((await run('ssh.journalctl', { host: 'box', unit: 'nginx.service' })).preview).toContain(
      '<--lines=100>\n[exit code 0]',
    );
  });

  it('refuses a unit name that is not one, before connecting', async () => {
    const { run, sshd } = openSsh();
    const marker = join(sshd.dir, 'injected-unit');
    const result = await run('ssh.systemd.stop', { host: 'box', unit: `nginx; touch ${marker}` });
    expect(result).toMatchObject({ isError: true });
    expect(result.preview).toMatch(
      /^invalid input for ssh\.systemd\.stop: unit: expected a systemd unit name/,
    );
    expect((await run('ssh.exec', { host: 'elsewhere', command: 'true' })).preview).toMatch(
      /^invalid input for ssh\.exec: host: /,
    );
    expect(existsSync(marker)).toBe(false);
  });
});
