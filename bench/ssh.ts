import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from '../src/runtime/index.js';
import { setSecret } from '../src/secret/index.js';
import { startSshd } from '../test/helpers/sshd.js';
import { median, type Result, timeMsAsync } from './measure.js';

const ROUNDS = 10;
const OUTPUT_BYTES = 1_000_000;

/**
 * ssh.exec through the app's tool host against a real sshd on 127.0.0.1: a whole call (connect, host key
 * check, auth, run `true`, close), OpenSSH's own client doing the same for comparison, and a call printing
 * 1 MB. Both include the remote user's shell startup files.
 */
export async function sshTools(dir: string): Promise<Result[]> {
  const sshd = await startSshd();
  const home = join(dir, 'ssh-home');
  mkdirSync(home, { recursive: true });
  const knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
  writeFileSync(join(sshd.dir, 'client_key'), sshd.clientKey, { mode: 0o600 });
  setSecret(join(home, 'secrets'), 'bench_key', Buffer.from(sshd.clientKey).toString('base64'));
  const box = {
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    key: 'secret:bench_key',
    knownHostsFile: knownHosts,
  };
  writeFileSync(join(home, 'config.yaml'), JSON.stringify({ ssh: { hosts: { box } } }));
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  const signal = new AbortController().signal;
  const ctx = { sessionId: 's', turnId: 't', callId: 'c', workspaceRoots: [home], artifacts: app.artifacts };
  const exec = async (command: string) => {
    const result = await app.tools().run({ tool: 'ssh.exec', input: { host: 'box', command } }, ctx, signal);
    if (result.isError) throw new Error(`ssh.exec: ${result.preview}`);
  };
  const openssh = [
    ...[
      '-i',
      join(sshd.dir, 'client_key'),
      '-p',
      String(sshd.port),
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
    ],
    ...['-o', 'BatchMode=yes', `${sshd.user}@${sshd.host}`, 'true'],
  ];
  try {
    const calls: number[] = [];
    const baseline: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      calls.push(await timeMsAsync(() => exec('true')));
      baseline.push(await timeMsAsync(async () => void execFileSync('ssh', openssh)));
      large.push(await timeMsAsync(() => exec(`head -c ${OUTPUT_BYTES} /dev/zero | tr '\\0' x`)));
    }
    return [
      { name: 'ssh.exec `true` on 127.0.0.1 p50', value: median(calls), unit: 'ms' },
      { name: 'OpenSSH ssh `true` on 127.0.0.1 p50 (baseline)', value: median(baseline), unit: 'ms' },
      { name: 'ssh.exec printing 1 MB p50 (to an artifact)', value: median(large), unit: 'ms' },
    ];
  } finally {
    await app.close();
    await sshd.stop();
  }
}
