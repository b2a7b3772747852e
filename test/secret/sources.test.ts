import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  loadKeychain,
  readSecretsFile,
  SecretResolver,
  setSecret,
} from '../../src/secret/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

describe('secret sources', () => {
  it('setSecret writes a 0600 file and keeps other entries', () => {
    const path = join(tempDir(), 'secrets');
    setSecret(path, 'telegram_token', '123:abc');
    setSecret(path, 'db', 'pw=with=equals');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readSecretsFile(path)).toEqual(
      new Map([
        ['telegram_token', '123:abc'],
        ['db', 'pw=with=equals'],
      ]),
    );
  });

  it('refuses a secrets file others can read, saying how to fix it', () => {
    const path = join(tempDir(), 'secrets');
    writeFileSync(path, 'a=b\n');
    chmodSync(path, 0o644);
    expect(() => readSecretsFile(path)).toThrow(
      `${path} is readable by others (mode 0644): run \`chmod 600 ${path}\``,
    );
  });

  it('names the line of a malformed secrets file', () => {
    const path = join(tempDir(), 'secrets');
    writeFileSync(path, '# comment\n\nok=1\nnot a pair\n', { mode: 0o600 });
    expect(() => readSecretsFile(path)).toThrow(`${path}:4: expected NAME=value`);
  });

  it('resolves ${env:NAME} and secret:NAME, inside text and deep in config, registering each value', () => {
    const path = join(tempDir(), 'secrets');
    setSecret(path, 'bot', 'file-secret-value');
    const redactor = createRedactor();
    const resolver = new SecretResolver({ env: { TOKEN: 'env-secret-value' }, secretsFile: path, redactor });
    expect(resolver.resolveString('Bearer ${env:TOKEN}')).toBe('Bearer env-secret-value');
    expect(resolver.resolveAll({ telegram: { token: 'secret:bot' }, list: ['${env:TOKEN}', 3] })).toEqual({
      telegram: { token: 'file-secret-value' },
      list: ['env-secret-value', 3],
    });
    expect(redactor.redactText('env-secret-value file-secret-value')).toBe('[REDACTED:TOKEN] [REDACTED:bot]');
  });

  it('says which reference is missing and where it looked', () => {
    const path = join(tempDir(), 'secrets');
    const resolver = new SecretResolver({ env: {}, secretsFile: path, redactor: createRedactor() });
    expect(() => resolver.resolveString('${env:NOPE}')).toThrow('${env:NOPE} is not set in the environment');
    expect(() => resolver.resolveString('secret:nope')).toThrow(`secret:nope was not found in ${path}`);
  });

  it('falls back with one clear line when the OS keychain is unavailable, and uses it when present', async () => {
    const missing = await loadKeychain(async () => {
      throw new Error('Cannot find package');
    });
    expect(missing).toEqual({
      available: false,
      reason:
        'OS keychain unavailable (@napi-rs/keyring is not installed); using the secrets file and environment',
    });
    const present = await loadKeychain(async () => ({
      Entry: class {
        constructor(
          readonly service: string,
          readonly account: string,
        ) {}
        getPassword() {
          return this.account === 'k' ? 'from-keychain-1' : null;
        }
      },
    }));
    if (!present.available) throw new Error('expected a keychain');
    const resolver = new SecretResolver({
      env: {},
      secretsFile: join(tempDir(), 'secrets'),
      redactor: createRedactor(),
      keychain: present.lookup,
    });
    expect(resolver.resolveString('secret:k')).toBe('from-keychain-1');
  });
});
