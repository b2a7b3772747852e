import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, otherHostKey, processRunning, useSshTools } from './ssh-fixture.js';

const openSsh = useSshTools();

describe('ssh.exec against a real sshd', () => {
  it('runs a command and returns its stdout, stderr and exit code', async () => {
    const { run, sshd } = openSsh();
    const failed = await run('ssh.exec', {
      host: 'box',
      command: 'echo hello from $(id -un); echo oops >&2; exit 3',
    });
    expect(failed).toEqual({
      isError: true,
      preview: `hello from ${sshd.user}\n--- stderr ---\noops\n[exit code 3]`,
      artifacts: [],
    });
    const succeeded = await run('ssh.exec', { host: 'box', command: "printf 'a\\nb'" });
    expect(succeeded).toMatchObject({ isError: false, preview: 'a\nb\n[exit code 0]' });
  });

  it('moves a large output to an artifact and ends a command whose output passes the limit', async () => {
    const { run, store } = openSsh({ previewBytes: 1024, ssh: { maxOutputBytes: 65_536 } });
    const large = await run('ssh.exec', { host: 'box', command: "head -c 20000 /dev/zero | tr '\\0' x" });
    expect(large.isError).toBe(false);
    expect(large.artifacts).toHaveLength(1);
    expect(Buffer.byteLength(large.preview)).toBeLessThanOrEqual(1024);
    const full = (await store.getBytes(large.artifacts[0] as string)).toString('utf8');
    expect(full).toBe(`${'x'.repeat(20_000)}\n[exit code 0]`);

    const endless = await run('ssh.exec', { host: 'box', command: 'yes pyclaw-output-limit' });
    expect(endless.isError).toBe(true);
    expect(endless.preview).toMatch(/\[output passed 65536 bytes: the command was killed\]$/);
    const kept = (await store.getBytes(endless.artifacts[0] as string)).toString('utf8');
    expect(kept.startsWith('pyclaw-output-limit\n'.repeat(100))).toBe(true);
    await eventually(() => !processRunning('yes pyclaw-output-limit'), 'the remote `yes` ended');
  });

  it('refuses a host key the known-hosts file does not list, naming the host and fingerprint', async () => {
    const { run, sshd } = openSsh({ knownHosts: `[127.0.0.1]:1 ${otherHostKey()}\n` });
    const marker = join(sshd.dir, 'ran-unknown');
    const result = await run('ssh.exec', { host: 'box', command: `touch ${marker}` });
    expect(result.isError).toBe(true);
    expect(result.preview).toContain(
      `box (127.0.0.1:${sshd.port}) offered host key ssh-ed25519 ${sshd.hostKeyFingerprint}`,
    );
    expect(result.preview).toMatch(/does not list; refusing to connect$/);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a changed host key, pointing at the line that holds the old one', async () => {
    const { run, sshd, knownHostsFile } = openSsh();
    writeFileSync(knownHostsFile, `# servers\n[127.0.0.1]:${sshd.port} ${otherHostKey()}\n`);
    const marker = join(sshd.dir, 'ran-changed');
    const result = await run('ssh.exec', { host: 'box', command: `touch ${marker}` });
    expect(result.isError).toBe(true);
    expect(result.preview).toContain(sshd.hostKeyFingerprint);
    expect(result.preview).toContain(`but ${knownHostsFile}:2 has another ssh-ed25519 key for it`);
    expect(existsSync(marker)).toBe(false);
  });

  it('accepts a key listed under a hashed name, and says when the known-hosts file is missing', async () => {
    const { run, knownHostsFile } = openSsh();
    execFileSync('ssh-keygen', ['-H', '-f', knownHostsFile], { stdio: 'ignore' });
    expect(readFileSync(knownHostsFile, 'utf8')).toMatch(/^\|1\|/);
    expect(await run('ssh.exec', { host: 'box', command: 'echo ok' })).toMatchObject({ isError: false });

    rmSync(knownHostsFile);
    const result = await run('ssh.exec', { host: 'box', command: 'echo ok' });
    expect(result.isError).toBe(true);
    expect(result.preview).toMatch(/^cannot read .*known_hosts, the known hosts for box: ENOENT/);
  });

  it('a timeout kills the remote command and keeps what it printed', async () => {
    const { run } = openSsh();
    const result = await run('ssh.exec', {
      host: 'box',
      command: 'echo started; sleep 987.25; echo never',
      timeoutSeconds: 1,
    });
    expect(result).toMatchObject({
      isError: true,
      preview: 'started\n[timed out after 1s: the command was killed]',
    });
    await eventually(() => !processRunning('sleep 987.25'), 'the remote sleep ended');
  });

  it('an abort ends the remote command', async () => {
    const { run } = openSsh();
    const controller = new AbortController();
    const running = run('ssh.exec', { host: 'box', command: 'sleep 987.5; echo never' }, controller.signal);
    await eventually(() => processRunning('sleep 987.5'), 'the remote sleep started');
    controller.abort();
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.preview).toMatch(/^ssh\.exec was cancelled: the command on box was cancelled and ended/);
    await eventually(() => !processRunning('sleep 987.5'), 'the remote sleep ended');
  });

  it('says plainly when the server does not accept the key', async () => {
    const { run, sshd } = openSsh();
    writeFileSync(join(sshd.dir, 'authorized_keys'), '');
    const result = await run('ssh.exec', { host: 'box', command: 'echo ok' });
    writeFileSync(join(sshd.dir, 'authorized_keys'), sshd.authorizedKey);
    expect(result).toMatchObject({
      isError: true,
      preview: `box (127.0.0.1:${sshd.port}) refused user ${sshd.user} with key \${env:BOX_KEY}`,
    });
  });
});
