import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/runtime/index.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('ssh: in config.yaml', () => {
  it("the README's example loads, with defaults filled in", () => {
    const example = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].find((block) =>
      block[1]?.startsWith('ssh:'),
    );
    const config = parseConfig(example?.[1] ?? '', 'README.md');
    expect(config.ssh.hosts.web1).toEqual({
      host: '10.0.0.5',
      port: 22,
      user: 'deploy',
      key: 'secret:web1_key',
      knownHostsFile: '~/.ssh/known_hosts',
    });
  });

  it('refuses a private key written into config, naming the key and line', () => {
    const text = `ssh:
  hosts:
    web1:
      host: 10.0.0.5
      user: deploy
      key: "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----"
`;
    expect(() => parseConfig(text, 'config.yaml')).toThrow(
      /^config\.yaml:6: ssh\.hosts\.web1\.key: must be a secret reference like secret:web1_key/,
    );
    expect(() =>
      parseConfig(text.replace(/key: .*/, 'key: secret:web1_key\n      prot: 22'), 'config.yaml'),
    ).toThrow(/ssh\.hosts\.web1\.prot/);
  });
});
