import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createRedactor, registerSecretsFromEnv } from '../../src/secret/index.js';

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
  ['github-token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
  ['aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE'],
  ['slack-token', 'xoxb-1234567890-abcdefghij'],
  ['telegram-bot-token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawx'],
  ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['private-key', pem],
];

async function redactStream(redactor: ReturnType<typeof createRedactor>, chunks: Buffer[]): Promise<Buffer> {
  return buffer(Readable.from(chunks).pipe(redactor.createStream()));
}

describe('redactor', () => {
  it.each(shapes)('redacts an unregistered %s', (name, secret) => {
    const redactor = createRedactor();
    const out = redactor.redactText(`before ${secret} after`);
    expect(out).toBe(`before [REDACTED:${name}] after`);
  });

  it('keeps the scheme word of bearer tokens and authorization headers', () => {
    const redactor = createRedactor();
    expect(redactor.redactText('Authorization: Bearer abc123def456ghi789')).toBe(
      'Authorization: Bearer [REDACTED:bearer-token]',
    );
    expect(redactor.redactText('"authorization": "zz9Yx8Wv7Ut6Sr5Qp4"')).toBe(
      '"authorization": "[REDACTED:authorization-header]"',
    );
  });

  it('leaves ordinary text alone', () => {
    const redactor = createRedactor();
    const text =
      'task-list sk-learn commit 3f2a9c1e8b7d6f5a4e3d2c1b0a9f8e7d6c5b4a3f bearer of news, key=value, 2026-11-25T04:41:28Z';
    expect(redactor.redactText(text)).toBe(text);
  });

  it('redacts registered values by name, longest first, and ignores very short ones', () => {
    const redactor = createRedactor();
    redactor.register('hunter2-prod', 'db_password');
    redactor.register('hunter2-prod-replica', 'replica_password');
    redactor.register('abc', 'too_short');
    expect(redactor.redactText('a=hunter2-prod-replica b=hunter2-prod c=abc')).toBe(
      'a=[REDACTED:replica_password] b=[REDACTED:db_password] c=abc',
    );
  });

  it('redacts every string of a value, keys included, without touching the input', () => {
    const redactor = createRedactor();
    redactor.register('p4ssw0rd-xyz', 'pw');
    const input = { list: ['p4ssw0rd-xyz', 3, null], nested: { 'p4ssw0rd-xyz': true, ok: 'fine' } };
    expect(redactor.redactValue(input)).toEqual({
      list: ['[REDACTED:pw]', 3, null],
      nested: { '[REDACTED:pw]': true, ok: 'fine' },
    });
    expect(input.list[0]).toBe('p4ssw0rd-xyz');
  });

  it('registers secret-looking environment variables', () => {
    const redactor = createRedactor();
    registerSecretsFromEnv(redactor, {
      DEPLOY_API_KEY: 'value-of-key-1',
      GITHUB_TOKEN: 'value-of-token-2',
      DB_PASSWORD: 'value-of-pass-3',
      HOME: '/root/home/dir',
    });
    expect(redactor.redactText('value-of-key-1 value-of-token-2 value-of-pass-3 /root/home/dir')).toBe(
      '[REDACTED:DEPLOY_API_KEY] [REDACTED:GITHUB_TOKEN] [REDACTED:DB_PASSWORD] /root/home/dir',
    );
  });

  it('redacts a secret split at every possible chunk boundary of a stream', async () => {
    const redactor = createRedactor();
    const secret = 'zq-Üñï-secret-7781';
    redactor.register(secret, 'api');
    const text = Buffer.from(`${'a'.repeat(40_000)} ${secret} tail`);
    const start = text.indexOf(Buffer.from(secret));
    const secretBytes = Buffer.byteLength(secret);
    for (let split = start; split <= start + secretBytes; split++) {
      const out = await redactStream(redactor, [text.subarray(0, split), text.subarray(split)]);
      expect(out.toString()).toBe(`${'a'.repeat(40_000)} [REDACTED:api] tail`);
    }
  });

  it('redacts a private key block delivered in small chunks', async () => {
    const redactor = createRedactor();
    const text = Buffer.from(`${'x'.repeat(50_000)}\n${pem}\nBearer tok3n-abcdef-123456 done`);
    const chunks = Array.from({ length: Math.ceil(text.length / 100) }, (_, i) =>
      text.subarray(i * 100, i * 100 + 100),
    );
    const out = (await redactStream(redactor, chunks)).toString();
    expect(out).toBe(`${'x'.repeat(50_000)}\n[REDACTED:private-key]\nBearer [REDACTED:bearer-token] done`);
  });

  it('passes binary data without secrets through byte-identical', async () => {
    const redactor = createRedactor();
    redactor.register('registered-but-absent', 'x');
    const data = randomBytes(3 * 1024 * 1024);
    const chunks = Array.from({ length: 48 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    expect((await redactStream(redactor, chunks)).equals(data)).toBe(true);
  });
});
