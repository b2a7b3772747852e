import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { credentialPatternReach } from '../../src/secret/credential-patterns.js';
import { createRedactor, type Redactor, registerSecretsFromEnv } from '../../src/secret/index.js';

const pem = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  ...Array.from(
    { length: 40 },
    (_, i) => `b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW${i}`,
  ),
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

const shapes: [string, string][] = [
  ['openai-key', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ['openai-key', 'sk-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['anthropic-key', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345'],
  ['github-token', 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ['github-token', 'gho_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ['github-token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
  ['aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE'],
  ['slack-token', 'xoxb-1234567890-abcdefghij'],
  ['slack-token', 'xoxp-1234567890-1234567890-abcdefghij'],
  ['telegram-bot-token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawx'],
  ['telegram-bot-token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw-'],
  ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['private-key', pem],
  ['private-key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'],
  ['private-key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----'],
];

/** Ordinary text that must come out unchanged. */
const ordinaryText = [
  'task-list sk-learn risk-assessment-framework-for-everyone desk-lamp',
  'commit 3f2a9c1e8b7d6f5a4e3d2c1b0a9f8e7d6c5b4a3f, uuid 123e4567-e89b-12d3-a456-426614174000',
  'the bearer of news; Basic understanding; Bearer authentication; Authorization: required',
  'key=value, 2026-11-25T04:41:28Z, 1700000000:12, AKIA is a prefix, xoxb- alone',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
  'éàü ключ 密钥 😀',
].join('\n');

function chunksOf(data: Buffer, size: number): Buffer[] {
  return Array.from({ length: Math.ceil(data.length / size) }, (_, i) =>
    data.subarray(i * size, (i + 1) * size),
  );
}

function redactStream(redactor: Redactor, chunks: Buffer[]): Promise<Buffer> {
  return buffer(Readable.from(chunks).pipe(redactor.createStream()));
}

describe('redactText', () => {
  it.each(shapes)('redacts an unregistered %s', (name, secret) => {
    const redactor = createRedactor();
    expect(redactor.redactText(`before ${secret} after`)).toBe(`before [REDACTED:${name}] after`);
    expect(redactor.redactText(`"${secret}"`)).toBe(`"[REDACTED:${name}]"`);
  });

  it('keeps the scheme word of bearer tokens and the name of authorization headers', () => {
    const redactor = createRedactor();
    expect(redactor.redactText('curl -H "Bearer abc123def456ghi789"')).toBe(
      'curl -H "Bearer [REDACTED:bearer-token]"',
    );
    expect(redactor.redactText('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic [REDACTED:bearer-token]');
    expect(redactor.redactText('Authorization: Bearer abc123def456ghi789')).toBe(
      'Authorization: Bearer [REDACTED:authorization-header]',
    );
    expect(redactor.redactText('authorization: Token 9f8e7d6c5b4a3f2e')).toBe(
      'authorization: Token [REDACTED:authorization-header]',
    );
    expect(redactor.redactText('{"authorization":"zz9Yx8Wv7Ut6Sr5Qp4"}')).toBe(
      '{"authorization":"[REDACTED:authorization-header]"}',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(createRedactor().redactText(ordinaryText)).toBe(ordinaryText);
  });

  it('redacts registered values by name, longest first, and ignores values under 6 characters', () => {
    const redactor = createRedactor();
    redactor.register('hunter2-prod', 'db_password');
    redactor.register('hunter2-prod-replica', 'replica_password');
    redactor.register('abcde', 'too_short');
    redactor.register('a.b*c(d)', 'regex_chars');
    expect(redactor.redactText('a=hunter2-prod-replica b=hunter2-prod c=abcde d=a.b*c(d) e=aXb*c(d)')).toBe(
      'a=[REDACTED:replica_password] b=[REDACTED:db_password] c=abcde d=[REDACTED:regex_chars] e=aXb*c(d)',
    );
  });

  it('redacts a registered value whole even when a credential shape starts before it', () => {
    const redactor = createRedactor();
    redactor.register('prefix123!tail-part', 'api');
    expect(redactor.redactText('Authorization: Bearer prefix123!tail-part')).toBe(
      'Authorization: Bearer [REDACTED:api]',
    );
  });

  it('redacts every occurrence in a megabyte with twenty registered values', () => {
    const redactor = createRedactor();
    for (let i = 0; i < 20; i++) redactor.register(`registered-secret-${i}-${'q'.repeat(i)}`, `s${i}`);
    const text = `${ordinaryText} registered-secret-7-qqqqqqq\n`.repeat(2500);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(redactor.redactText(text).split('[REDACTED:s7]').length - 1).toBe(2500);
  });

  it('redacts a credential or a registered value that is the whole text, however short', () => {
    const redactor = createRedactor();
    redactor.register('hunter', 'pw');
    // "Basic " and eight token characters: the shortest text a credential shape matches
    expect(redactor.redactText('Basic dXNlcjpw')).toBe('Basic [REDACTED:bearer-token]');
    expect(redactor.redactText('hunter')).toBe('[REDACTED:pw]');
    expect(redactor.redactValue({ hunter: 'x', key: 'hunter' })).toEqual({
      '[REDACTED:pw]': 'x',
      key: '[REDACTED:pw]',
    });
    for (const [name, secret] of shapes) expect(redactor.redactText(secret)).toBe(`[REDACTED:${name}]`);
  });
});

describe('redactValue', () => {
  it('redacts every string of a value, keys included, without touching the input', () => {
    const redactor = createRedactor();
    redactor.register('p4ssw0rd-xyz', 'pw');
    const input = { list: ['p4ssw0rd-xyz', 3, null, true], nested: { 'p4ssw0rd-xyz': true, ok: 'fine' } };
    expect(redactor.redactValue(input)).toEqual({
      list: ['[REDACTED:pw]', 3, null, true],
      nested: { '[REDACTED:pw]': true, ok: 'fine' },
    });
    expect(input.list[0]).toBe('p4ssw0rd-xyz');
  });

  it('returns a value with nothing to redact as it is, and copies only what changed', () => {
    const redactor = createRedactor();
    redactor.register('p4ssw0rd-xyz', 'pw');
    const clean = { text: 'task-list done', tags: ['a', 'b'], nested: { n: 1, ok: true } };
    expect(redactor.redactValue(clean)).toBe(clean);
    const mixed = { clean: clean.nested, list: ['a', 'p4ssw0rd-xyz', 'b'] };
    const out = redactor.redactValue(mixed);
    expect(out).not.toBe(mixed);
    expect(out.clean).toBe(clean.nested);
    expect(out.list).toEqual(['a', '[REDACTED:pw]', 'b']);
    expect(mixed.list[1]).toBe('p4ssw0rd-xyz');
  });

  it('keeps a "__proto__" key as a key and class instances as they are', () => {
    const redactor = createRedactor();
    const date = new Date(0);
    const out = redactor.redactValue(JSON.parse('{"__proto__": {"token": "Bearer abc123def456ghi789"}}'));
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({
      token: 'Bearer [REDACTED:bearer-token]',
    });
    expect(redactor.redactValue({ date }).date).toBe(date);
  });
});

describe('registerSecretsFromEnv', () => {
  it('registers variables named like secrets, and not PWD, HOME or PATH', () => {
    const redactor = createRedactor();
    const env = {
      DEPLOY_API_KEY: 'value-of-key-1',
      GITHUB_TOKEN: 'value-of-token-2',
      DB_PASSWORD: 'value-of-pass-3',
      CLIENT_SECRET: 'value-of-secret-4',
      PGPASSWORD: 'value-of-pass-5',
      PWD: '/work/project',
      OLDPWD: '/work/previous',
      HOME: '/root/home/dir',
      PATH: '/usr/local/bin:/usr/bin',
      KEYBOARD_LAYOUT: 'us-international',
    };
    registerSecretsFromEnv(redactor, env);
    expect(redactor.redactText(Object.values(env).join(' '))).toBe(
      '[REDACTED:DEPLOY_API_KEY] [REDACTED:GITHUB_TOKEN] [REDACTED:DB_PASSWORD] [REDACTED:CLIENT_SECRET] ' +
        '[REDACTED:PGPASSWORD] /work/project /work/previous /root/home/dir /usr/local/bin:/usr/bin us-international',
    );
  });
});

describe('createStream', () => {
  it('redacts a multibyte registered secret split at every possible byte boundary', async () => {
    const redactor = createRedactor();
    const secret = 'zq-Üñï-secret-7781';
    redactor.register(secret, 'ключ');
    const text = Buffer.from(`${'a'.repeat(40_000)} ${secret} tail`);
    const start = text.indexOf(Buffer.from(secret));
    for (let split = start; split <= start + Buffer.byteLength(secret); split++) {
      const out = await redactStream(redactor, [text.subarray(0, split), text.subarray(split)]);
      expect(out.toString()).toBe(`${'a'.repeat(40_000)} [REDACTED:ключ] tail`);
    }
  });

  it('redacts a credential shape split at every possible boundary', async () => {
    const redactor = createRedactor();
    const key = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const text = Buffer.from(`${'b'.repeat(30_000)} key ${key}\nnext`);
    const start = text.indexOf(key) - 1;
    for (let split = start; split <= start + key.length + 1; split++) {
      const out = await redactStream(redactor, [text.subarray(0, split), text.subarray(split)]);
      expect(out.toString()).toBe(`${'b'.repeat(30_000)} key [REDACTED:openai-key]\nnext`);
    }
  });

  it('redacts a private key block split at every possible boundary, and delivered in small chunks', async () => {
    const redactor = createRedactor();
    const text = Buffer.from(`${'x'.repeat(20_000)}\n${pem}\nBearer tok3n-abcdef-123456 done`);
    const expected = `${'x'.repeat(20_000)}\n[REDACTED:private-key]\nBearer [REDACTED:bearer-token] done`;
    const start = text.indexOf('-----BEGIN');
    for (let split = start; split <= start + pem.length; split++) {
      const out = await redactStream(redactor, [text.subarray(0, split), text.subarray(split)]);
      expect(out.toString()).toBe(expected);
    }
    expect((await redactStream(redactor, chunksOf(text, 7))).toString()).toBe(expected);
  });

  it('does not treat the point where it stops emitting as the start of a word', async () => {
    const redactor = createRedactor();
    // "xsk-..." is not a key: "sk-" must start a word. Sweep the emit point across it.
    const text = Buffer.from(
      `${'a'.repeat(40_000)} xsk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 ${'b'.repeat(40_000)}`,
    );
    const nearMiss = text.indexOf('xsk-');
    for (let emitPoint = nearMiss - 2; emitPoint <= nearMiss + 3; emitPoint++) {
      const split = emitPoint + credentialPatternReach;
      const out = await redactStream(redactor, [text.subarray(0, split), text.subarray(split)]);
      expect(out.equals(text)).toBe(true);
    }
  });

  it('gives the same bytes as redactText for any chunking', async () => {
    const redactor = createRedactor();
    redactor.register('registered-secret-value', 'reg');
    const parts = [...shapes.map(([, secret]) => secret), 'registered-secret-value', ordinaryText];
    const text = Array.from(
      { length: 300 },
      (_, i) => `${parts[i % parts.length]} ${'w'.repeat(i * 7)}`,
    ).join('\n');
    const expected = Buffer.from(redactor.redactText(text));
    for (const size of [1, 13, 1000, 4096, 65_536, 1_000_000]) {
      expect((await redactStream(redactor, chunksOf(Buffer.from(text), size))).equals(expected)).toBe(true);
    }
  });

  it('passes binary data without secrets through byte-identical, and redacts one inside binary', async () => {
    const redactor = createRedactor();
    redactor.register('registered-but-absent', 'x');
    const data = randomBytes(3 * 1024 * 1024);
    expect((await redactStream(redactor, chunksOf(data, 65_536))).equals(data)).toBe(true);

    const secret = Buffer.from('AKIAIOSFODNN7EXAMPLE');
    const withSecret = Buffer.concat([
      data.subarray(0, 100_000),
      Buffer.from([0]),
      secret,
      Buffer.from([0xff]),
    ]);
    const out = await redactStream(redactor, chunksOf(withSecret, 999));
    expect(
      out.equals(
        Buffer.concat([
          data.subarray(0, 100_000),
          Buffer.from('\0[REDACTED:aws-access-key-id]\xff', 'latin1'),
        ]),
      ),
    ).toBe(true);
  });

  it('applies values registered after the stream was created to data not yet emitted', async () => {
    const redactor = createRedactor();
    const stream = redactor.createStream();
    const output = buffer(stream);
    stream.write('first part ');
    redactor.register('late-registered-value', 'late');
    stream.end('then late-registered-value');
    expect((await output).toString()).toBe('first part then [REDACTED:late]');
  });

  it('holds back a bounded tail, even inside an endless run of token characters', async () => {
    const stream = createRedactor().createStream();
    let emitted = 0;
    stream.on('data', (chunk: Buffer) => {
      emitted += chunk.length;
    });
    const run = Buffer.from(`Bearer 9${'a'.repeat(1024 * 1024)}`);
    for (const chunk of chunksOf(run, 65_536)) stream.write(chunk);
    await setImmediate();
    expect(run.length - emitted).toBeLessThan(3 * 17 * 1024);
    stream.end();
  });
});
