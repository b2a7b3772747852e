// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:NAME}` is the reference syntax under test
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import {
  createRedactor,
  keychainNotInstalledMessage,
  loadKeychain,
  readSecretsFile,
  SecretResolver,
  setSecret,
} from '../../src/secret/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function secretsPath(): string {
  return join(tempDir(), 'secrets');
}

function thrown(work: () => unknown): PyclawError {
  try {
    work();
  } catch (error) {
    if (error instanceof PyclawError) return error;
    throw error;
  }
  throw new Error('expected a PyclawError');
}

/** A stand-in for @napi-rs/keyring: `Entry(service, account).getPassword()` over a fixed map. */
function fakeKeyring(passwords: Record<string, string>, failure?: string) {
  return async () => ({
    Entry: class {
      constructor(
        readonly service: string,
        readonly account: string,
      ) {
        if (failure) throw new Error(failure);
      }
      getPassword() {
        return this.service === 'pyclaw' ? (passwords[this.account] ?? null) : null;
      }
    },
  });
}

describe('the secrets file', () => {
  it('reads NAME=value lines, skipping comments and blank lines, unquoting quoted values', () => {
    const path = secretsPath();
    writeFileSync(
      path,
      [
        '# PyClaw secrets',
        '',
        'telegram_token=123:abc',
        '  db.password = pw=with=equals  ',
        'padded="  kept as is  "',
        'hash=#not-a-comment',
        'twice=first',
        'twice=second',
      ].join('\r\n'),
      { mode: 0o600 },
    );
    expect(readSecretsFile(path)).toEqual(
      new Map([
        ['telegram_token', '123:abc'],
        ['db.password', 'pw=with=equals'],
        ['padded', '  kept as is  '],
        ['hash', '#not-a-comment'],
        ['twice', 'second'],
      ]),
    );
  });

  it('is empty when the file does not exist', () => {
    expect(readSecretsFile(secretsPath())).toEqual(new Map());
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses mode %o, saying the path, the mode and the fix', (mode) => {
    const path = secretsPath();
    writeFileSync(path, 'a=b\n');
    chmodSync(path, mode);
    const octal = mode.toString(8).padStart(4, '0');
    const error = thrown(() => readSecretsFile(path));
    expect(error.code).toBe('secret.file-permissions');
    expect(error.message).toBe(
      `refusing to read ${path}: mode ${octal} lets group or others access it; run \`chmod 600 ${path}\``,
    );
    expect(error.message).not.toContain('\n');
  });

  it('reads a file with mode 0400', () => {
    const path = secretsPath();
    writeFileSync(path, 'a=bbbbbb\n');
    chmodSync(path, 0o400);
    expect(readSecretsFile(path).get('a')).toBe('bbbbbb');
  });

  it('names the line of a malformed secrets file', () => {
    const path = secretsPath();
    writeFileSync(path, '# comment\n\nok=1\nnot a pair\n', { mode: 0o600 });
    expect(() => readSecretsFile(path)).toThrow(`${path}:4: expected NAME=value`);
  });
});

describe('setSecret', () => {
  it('creates the file with mode 0600 even under a permissive umask', () => {
    const path = join(tempDir(), 'home', 'secrets');
    const previous = process.umask(0);
    try {
      setSecret(path, 'telegram_token', '123:abc');
    } finally {
      process.umask(previous);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readSecretsFile(path)).toEqual(new Map([['telegram_token', '123:abc']]));
  });

  it('keeps other entries and comments, replaces a value in place, and leaves no temp file', () => {
    const dir = tempDir();
    const path = join(dir, 'secrets');
    writeFileSync(path, '# mine\nfirst=1111111\nsecond=2222222\nfirst=old-duplicate\n', { mode: 0o600 });
    setSecret(path, 'first', 'new-value');
    setSecret(path, 'third', 'added-value');
    expect(readFileSync(path, 'utf8')).toBe('# mine\nfirst=new-value\nsecond=2222222\nthird=added-value\n');
    expect(readdirSync(dir)).toEqual(['secrets']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('round-trips values with spaces, quotes, equals signs and hashes', () => {
    const path = secretsPath();
    const values = ['  padded  ', '"quoted"', 'a=b=c', '#hash', 'ünïcødé ключ'];
    values.forEach((value, i) => {
      setSecret(path, `v${i}`, value);
    });
    expect([...readSecretsFile(path).values()]).toEqual(values);
  });

  it('refuses bad names and values, and will not rewrite a file others can read', () => {
    const path = secretsPath();
    expect(() => setSecret(path, 'has space', 'value1')).toThrow('secret name "has space" must be');
    expect(() => setSecret(path, 'ends.', 'value1')).toThrow('secret name "ends." must be');
    expect(() => setSecret(path, 'ok', 'two\nlines')).toThrow(
      'secret ok: the value must be one non-empty line',
    );
    expect(() => setSecret(path, 'ok', '')).toThrow('secret ok: the value must be one non-empty line');
    writeFileSync(path, 'a=b\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(() => setSecret(path, 'ok', 'value1')).toThrow('run `chmod 600');
    expect(readFileSync(path, 'utf8')).toBe('a=b\n');
  });
});

describe('the OS keychain', () => {
  it('falls back with one clear line when @napi-rs/keyring is not installed', async () => {
    // Not a stub: the package really is absent here.
    const keychain = await loadKeychain();
    expect(keychain.unavailableReason()).toBe(
      'OS keychain unavailable (@napi-rs/keyring not installed); using the secrets file and environment',
    );
    expect(keychainNotInstalledMessage).toBe(keychain.unavailableReason());
    expect(keychain.get('anything')).toBeUndefined();
  });

  it('says why when the binding fails to load', async () => {
    const keychain = await loadKeychain(async () => {
      throw new Error('libsecret-1.so.0: cannot open shared object file\nmore detail');
    });
    expect(keychain.unavailableReason()).toBe(
      'OS keychain unavailable (@napi-rs/keyring failed to load: libsecret-1.so.0: cannot open shared object file); using the secrets file and environment',
    );
  });

  it('reads entries of the service "pyclaw", also from a CommonJS default export', async () => {
    const keychain = await loadKeychain(fakeKeyring({ bot: 'from-keychain' }));
    expect(keychain.get('bot')).toBe('from-keychain');
    expect(keychain.get('absent')).toBeUndefined();
    expect(keychain.unavailableReason()).toBeUndefined();
    const wrapped = await loadKeychain(async () => ({ default: await fakeKeyring({ bot: 'wrapped' })() }));
    expect(wrapped.get('bot')).toBe('wrapped');
  });

  it('stops using a keychain whose service is missing, instead of failing each lookup', async () => {
    const keychain = await loadKeychain(
      fakeKeyring({}, 'Failed to create LinuxCredentialBuilder: org.freedesktop.DBus.Error.ServiceUnknown'),
    );
    expect(keychain.unavailableReason()).toBeUndefined();
    expect(keychain.get('bot')).toBeUndefined();
    expect(keychain.unavailableReason()).toBe(
      'OS keychain unavailable (Failed to create LinuxCredentialBuilder: org.freedesktop.DBus.Error.ServiceUnknown); using the secrets file and environment',
    );
  });
});

describe('SecretResolver', () => {
  it('resolves ${env:NAME} and secret:NAME, whole or inside text, deep in config, registering each value', () => {
    const path = secretsPath();
    setSecret(path, 'bot', 'file-secret-value');
    const redactor = createRedactor();
    const resolver = new SecretResolver({ env: { TOKEN: 'env-secret-value' }, secretsFile: path, redactor });
    expect(resolver.resolveString('Bearer ${env:TOKEN}')).toBe('Bearer env-secret-value');
    expect(resolver.resolveString('secret:bot')).toBe('file-secret-value');
    expect(resolver.resolveString('use secret:bot.')).toBe('use file-secret-value.');
    const config = { telegram: { token: 'secret:bot' }, list: ['x ${env:TOKEN} y', 3, true, null] };
    expect(resolver.resolveAll(config)).toEqual({
      telegram: { token: 'file-secret-value' },
      list: ['x env-secret-value y', 3, true, null],
    });
    expect(config.telegram.token).toBe('secret:bot');
    expect(redactor.redactText('env-secret-value file-secret-value')).toBe('[REDACTED:TOKEN] [REDACTED:bot]');
  });

  it('leaves text without references alone, including words that merely end in "secret:"', () => {
    const resolver = new SecretResolver({ env: {}, secretsFile: secretsPath(), redactor: createRedactor() });
    for (const text of [
      'plain',
      'client_secret:abc',
      'mysecret:abc',
      '$env:X',
      '{env:X}',
      'secret: spaced',
    ]) {
      expect(resolver.resolveString(text)).toBe(text);
    }
  });

  it('reads PYCLAW_HOME/secrets by default', () => {
    const home = tempDir();
    setSecret(join(home, 'secrets'), 'bot', 'home-secret-value');
    const resolver = new SecretResolver({ env: { PYCLAW_HOME: home }, redactor: createRedactor() });
    expect(resolver.resolveString('secret:bot')).toBe('home-secret-value');
  });

  it('asks the keychain only when the secrets file has no such name', async () => {
    const path = secretsPath();
    setSecret(path, 'both', 'from-the-file');
    const resolver = new SecretResolver({
      env: { only: 'from-the-env' },
      secretsFile: path,
      redactor: createRedactor(),
      keychain: await loadKeychain(fakeKeyring({ both: 'from-the-keychain', kc: 'keychain-only' })),
    });
    expect(resolver.resolveString('secret:both secret:kc')).toBe('from-the-file keychain-only');
    expect(() => resolver.resolveString('secret:only')).toThrow(
      `secret:only was not found in ${path} or the OS keychain`,
    );
  });

  it('says which reference is missing and where it looked', async () => {
    const path = secretsPath();
    const resolver = new SecretResolver({
      env: { EMPTY: '' },
      secretsFile: path,
      redactor: createRedactor(),
    });
    const missingEnv = thrown(() => resolver.resolveString('Bearer ${env:NOPE}'));
    expect(missingEnv.code).toBe('secret.missing');
    expect(missingEnv.message).toBe('${env:NOPE}: NOPE is not set in the environment');
    expect(() => resolver.resolveString('${env:EMPTY}')).toThrow('EMPTY is not set in the environment');
    const missingSecret = thrown(() => resolver.resolveAll({ a: ['secret:nope'] }));
    expect(missingSecret.message).toBe(`secret:nope was not found in ${path}`);
    expect(missingSecret.hint).toBe(`add a line nope=<value> to ${path} (chmod 600)`);

    const withoutKeychain = new SecretResolver({
      env: {},
      secretsFile: path,
      redactor: createRedactor(),
      keychain: await loadKeychain(),
    });
    expect(() => withoutKeychain.resolveString('secret:nope')).toThrow(
      `secret:nope was not found in ${path} (${keychainNotInstalledMessage})`,
    );
  });

  it('refuses to resolve from a secrets file others can read', () => {
    const path = secretsPath();
    writeFileSync(path, 'bot=value-abc\n');
    chmodSync(path, 0o644);
    const resolver = new SecretResolver({ env: {}, secretsFile: path, redactor: createRedactor() });
    expect(() => resolver.resolveString('secret:bot')).toThrow('mode 0644 lets group or others access it');
  });

  it('registerAll registers every secrets-file value; methods work unbound', () => {
    const path = secretsPath();
    setSecret(path, 'one', 'first-file-value');
    setSecret(path, 'two', 'second-file-value');
    const redactor = createRedactor();
    const { registerAll, resolveString } = new SecretResolver({ env: {}, secretsFile: path, redactor });
    registerAll();
    expect(redactor.redactText('first-file-value second-file-value')).toBe('[REDACTED:one] [REDACTED:two]');
    expect(resolveString('secret:two')).toBe('second-file-value');
  });
});
