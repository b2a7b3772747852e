import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, hostKeyProblem, knownHostEntries } from '../../../src/tools/ssh/known-hosts.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A fresh key from ssh-keygen: its known_hosts fields and its wire-format blob. */
function newKey(dir: string, name: string): { fields: string; blob: Buffer } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
  const [type, base64] = readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ');
  return { fields: `${type} ${base64}`, blob: Buffer.from(base64 as string, 'base64') };
}

describe('known_hosts lookup', () => {
  it('applies wildcards, negations and @revoked as OpenSSH does', () => {
    const dir = tempDir();
    const good = newKey(dir, 'good');
    const bad = newKey(dir, 'bad');
    const file = join(dir, 'known_hosts');
    writeFileSync(
      file,
      [
        '# fleet',
        `*.example.com,!db.example.com ${good.fields}`,
        `@revoked * ${bad.fields}`,
        `@cert-authority *.example.com ${bad.fields}`,
        'garbage line',
        '',
      ].join('\n'),
    );
    const web = { name: 'web', host: 'WEB.example.com', port: 22, file };
    expect(hostKeyProblem(knownHostEntries(web), good.blob, web)).toBeUndefined();
    expect(hostKeyProblem(knownHostEntries(web), bad.blob, web)?.message).toBe(
      `web (WEB.example.com:22) offered host key ssh-ed25519 ${fingerprint(bad.blob)}, which ${file}:3 marks @revoked; refusing to connect`,
    );
    const db = { ...web, name: 'db', host: 'db.example.com' };
    expect(hostKeyProblem(knownHostEntries(db), good.blob, db)?.code).toBe('ssh.host-key-unknown');
    const otherPort = { ...web, port: 2222 };
    expect(hostKeyProblem(knownHostEntries(otherPort), good.blob, otherPort)?.code).toBe(
      'ssh.host-key-unknown',
    );
  });

  it('prints fingerprints as ssh-keygen does', () => {
    const dir = tempDir();
    const key = newKey(dir, 'key');
    const printed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'key.pub')], { encoding: 'utf8' });
    expect(printed.split(' ')[1]).toBe(fingerprint(key.blob));
  });
});
