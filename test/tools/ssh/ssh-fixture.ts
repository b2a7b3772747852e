import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createRedactor, SecretResolver } from '../../../src/secret/index.js';
import { type SshConfig, sshConfigSchema, sshTools } from '../../../src/tools/index.js';
import { type Sshd, startSshd } from '../../helpers/sshd.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { useToolWorkspace } from '../workspace-fixture.js';

/**
 * Stand-ins for systemctl and journalctl on the remote PATH (this machine runs no systemd): each prints
 * the arguments it got, one per line in <>, so a test sees exactly what the remote shell passed.
 * systemctl exits 3 ("not running") for units named stopped*, as the real one does.
 */
const fakeCommand = (name: string) => `#!/bin/sh
echo ${name}
for arg in "$@"; do printf '<%s>\\n' "$arg"; done
case "$*" in *stopped*) exit 3;; esac
`;

/** A real sshd for the whole file, and a tool host per test whose ssh tools reach it as host `box`. */
export function useSshTools() {
  let sshd: Sshd;
  let binDir: string;
  beforeAll(async () => {
    binDir = mkdtempSync(join(tmpdir(), 'pyclaw-fakebin-'));
    for (const name of ['systemctl', 'journalctl']) {
      writeFileSync(join(binDir, name), fakeCommand(name));
      chmodSync(join(binDir, name), 0o755);
    }
    sshd = await startSshd({ pathPrefix: [binDir] });
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(binDir, { recursive: true, force: true });
  });
  const openWorkspace = useToolWorkspace();
  const tempDir = useTempDirs('pyclaw-ssh-');

  return (options: { knownHosts?: string; ssh?: Partial<SshConfig>; previewBytes?: number } = {}) => {
    const dir = tempDir();
    const knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, options.knownHosts ?? `${sshd.knownHostsLine}\n`);
    const secrets = new SecretResolver({
      env: { BOX_KEY: sshd.clientKey },
      redactor: createRedactor(),
      secretsFile: join(dir, 'secrets'),
    });
    const config = sshConfigSchema.parse({
      hosts: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a secret reference, resolved by the resolver
        box: { host: sshd.host, port: sshd.port, user: sshd.user, key: '${env:BOX_KEY}', knownHostsFile },
      },
      ...options.ssh,
    });
    const tools = sshTools(config, secrets);
    const { run, store } = openWorkspace({ extraTools: tools, previewBytes: options.previewBytes });
    return { run, store, sshd, knownHostsFile };
  };
}

/** A fresh ed25519 public key, as a known_hosts key field: `ssh-ed25519 AAAA…`. */
export function otherHostKey(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pyclaw-otherkey-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
    return readFileSync(join(dir, 'key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether any process's command line contains `text`. */
export function processRunning(text: string): boolean {
  try {
    execFileSync('pgrep', ['-f', text]);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `check` holds, failing after `ms`; for effects a remote command has after it returns. */
export async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${ms}ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
