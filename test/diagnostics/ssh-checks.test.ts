import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setSecret } from '../../src/secret/index.js';
import { runCli } from '../helpers/cli.js';
import { check, doctor } from '../helpers/doctor.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A fresh ed25519 key pair from ssh-keygen: the private key file's text and the public key line. */
function keyPair(dir: string, name: string, passphrase = ''): { privateKey: string; publicKey: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file]);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * Four hosts: web1 is ready; locked's key has a passphrase; nokey's key variable is unset and its
 * known_hosts file missing; stranger is not in known_hosts. `tools` is what the agent may use.
 */
function sshHome(tools: string): { home: string; knownHosts: string; missingKnownHosts: string } {
  const home = tempDir();
  const keys = tempDir();
  const hostKey = keyPair(keys, 'host_key').publicKey.split(' ').slice(0, 2).join(' ');
  const knownHosts = join(keys, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:2222 ${hostKey}\n10.0.0.6 ${hostKey}\n`);
  const missingKnownHosts = join(keys, 'no_known_hosts');
  setSecret(join(home, 'secrets'), 'web1_key', base64(keyPair(keys, 'web1').privateKey));
  setSecret(join(home, 'secrets'), 'locked_key', base64(keyPair(keys, 'locked', 'a passphrase').privateKey));
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script: { kind: scripted, responses: [{ text: "hi" }] }
agents:
  default:
    models:
      default: { provider: script, model: demo }
    tools: ${tools}
ssh:
  hosts:
    web1: { host: 127.0.0.1, port: 2222, user: deploy, key: "secret:web1_key", knownHostsFile: ${knownHosts} }
    locked: { host: 10.0.0.6, user: deploy, key: "secret:locked_key", knownHostsFile: ${knownHosts} }
    nokey: { host: 10.0.0.7, user: deploy, key: "\${env:NOKEY_SSH_KEY}", knownHostsFile: ${missingKnownHosts} }
    stranger: { host: 10.0.0.8, user: deploy, key: "secret:web1_key", knownHostsFile: ${knownHosts} }
`,
  );
  return { home, knownHosts, missingKnownHosts };
}

describe('pyclaw doctor: SSH prerequisites', () => {
  it("checks each host's key and known_hosts entry, naming the fix for each problem", () => {
    const { home, knownHosts, missingKnownHosts } = sshHome('[ssh.exec]');
    const { code, checks } = doctor(home);
    expect(code).toBe(1);
    expect(check(checks, 'ssh web1 key')).toMatchObject({
      status: 'ok',
      detail: 'ssh-ed25519 private key from secret:web1_key',
    });
    expect(check(checks, 'ssh web1 known host')).toMatchObject({
      status: 'ok',
      detail: `${knownHosts} lists 1 key(s) for it`,
    });
    expect(check(checks, 'ssh locked key')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('Encrypted private OpenSSH key detected'),
      fix: expect.stringContaining("ssh-keygen -p -N ''"),
    });
    expect(check(checks, 'ssh locked known host').status).toBe('ok');
    expect(check(checks, 'ssh nokey key')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('NOKEY_SSH_KEY is not set in the environment'),
      fix: 'export NOKEY_SSH_KEY=... before starting PyClaw',
    });
    expect(check(checks, 'ssh nokey known host')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`cannot read ${missingKnownHosts}`),
      fix: `check the host's fingerprint, then: ssh-keyscan -p 22 10.0.0.7 >> ${missingKnownHosts}`,
    });
    expect(check(checks, 'ssh stranger known host')).toMatchObject({
      status: 'fail',
      detail: `${knownHosts} lists no key for 10.0.0.8, so connecting is refused`,
      fix: `check the host's fingerprint, then: ssh-keyscan -p 22 10.0.0.8 >> ${knownHosts}`,
    });
    // no key text reaches the report
    const secrets = readFileSync(join(home, 'secrets'), 'utf8');
    const keyLine = secrets.split('\n').find((line) => line.startsWith('web1_key=')) as string;
    expect(JSON.stringify(checks)).not.toContain(keyLine.slice('web1_key='.length, 60));
  });

  it('only warns while no agent uses the SSH tools', () => {
    const { home } = sshHome('[fs.read]');
    const { code, checks } = doctor(home);
    expect(code).toBe(0);
    expect(check(checks, 'ssh locked key').status).toBe('warn');
    expect(check(checks, 'ssh web1 key').status).toBe('ok');
  });

  it('refuses a secrets file holding the keys that group or others can read, saying to chmod 600', () => {
    const { home } = sshHome('[ssh.exec]');
    chmodSync(join(home, 'secrets'), 0o644);
    const result = runCli(home, ['doctor']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `pyclaw: refusing to read ${join(home, 'secrets')}: mode 0644 lets group or others access it; run \`chmod 600 ${join(home, 'secrets')}\` (chmod 600 ${join(home, 'secrets')})\n`,
    );
  });
});
