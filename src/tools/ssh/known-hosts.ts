import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PyclawError } from '../../core/index.js';

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  /** 1-based, for messages that point the user at it. */
  line: number;
  revoked: boolean;
  /** `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, … */
  type: string;
  blob: Buffer;
}

/** Who is being checked, for the messages. */
export interface HostKeyWhere {
  name: string;
  host: string;
  port: number;
  file: string;
}

/** The entries of `file` that apply to `host` on `port`, as OpenSSH looks them up. */
export function knownHostEntries(where: HostKeyWhere): KnownHostEntry[] {
  const lookup = where.port === 22 ? where.host : `[${where.host}]:${where.port}`;
  return readKnownHostsText(where)
    .split(/\r?\n/)
    .flatMap((text, index) => {
      const entry = parseLine(text, index + 1);
      return entry && patternsMatch(entry.patterns, lookup) ? [entry] : [];
    });
}

/**
 * Undefined when `blob` is a key `entries` trust; otherwise the refusal to report. A key is never
 * trusted on first use: an unknown key is refused like a changed one, each with its fingerprint.
 */
export function hostKeyProblem(
  entries: readonly KnownHostEntry[],
  blob: Buffer,
  where: HostKeyWhere,
): PyclawError | undefined {
  const type = keyType(blob);
  const offered = `${where.name} (${where.host}:${where.port}) offered host key ${type} ${fingerprint(blob)}`;
  const same = entries.filter((entry) => entry.blob.equals(blob));
  const revoked = same.find((entry) => entry.revoked);
  if (revoked) {
    return new PyclawError(
      'ssh.host-key-revoked',
      `${offered}, which ${where.file}:${revoked.line} marks @revoked; refusing to connect`,
    );
  }
  if (same.length > 0) return undefined;
  const other = entries.find((entry) => !entry.revoked && entry.type === type);
  if (other) {
    return new PyclawError(
      'ssh.host-key-changed',
      `${offered}, but ${where.file}:${other.line} has another ${type} key for it: the host was re-keyed or someone is intercepting; refusing to connect`,
      { hint: `only if you know the host was re-keyed, replace line ${other.line} of ${where.file}` },
    );
  }
  return new PyclawError(
    'ssh.host-key-unknown',
    `${offered}, which ${where.file} does not list; refusing to connect`,
    {
      hint: `if that is the host's fingerprint (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${type.replace(/^ssh-|-.*$/g, '')}_key.pub), add it: ssh-keyscan -p ${where.port} -t ${type} ${where.host} >> ${where.file}`,
    },
  );
}

/** Host key algorithms, those `entries` hold a key for first, so the server offers a key we can check. */
export function hostKeyAlgorithms(entries: readonly KnownHostEntry[]): string[] {
  const known = entries
    .filter((entry) => !entry.revoked)
    .flatMap((entry) => (entry.type === 'ssh-rsa' ? rsaAlgorithms : [entry.type]));
  return [
    ...new Set([...known.filter((type) => supportedAlgorithms.includes(type)), ...supportedAlgorithms]),
  ];
}

/** As `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

const rsaAlgorithms = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
/** ssh2's default host key algorithms, in its order. */
const supportedAlgorithms = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  ...rsaAlgorithms,
];

function readKnownHostsText(where: HostKeyWhere): string {
  try {
    return readFileSync(where.file, 'utf8');
  } catch (error) {
    throw new PyclawError(
      'ssh.known-hosts-unreadable',
      `cannot read ${where.file}, the known hosts for ${where.name}: ${(error as Error).message}`,
      {
        hint: `check the host's fingerprint, then: ssh-keyscan -p ${where.port} ${where.host} >> ${where.file}`,
        cause: error,
      },
    );
  }
}

/** A key's algorithm name, the first string of its wire-format blob. */
function keyType(blob: Buffer): string {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** Lines OpenSSH would skip (comments, garbage, @cert-authority which ssh2 cannot use) give undefined. */
function parseLine(text: string, line: number): (KnownHostEntry & { patterns: string }) | undefined {
  const fields = text.trim().split(/\s+/);
  const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
  const [patterns, type, base64] = fields;
  if (!patterns || patterns.startsWith('#') || !type || !base64 || marker === '@cert-authority')
    return undefined;
  if (marker !== undefined && marker !== '@revoked') return undefined;
  const blob = Buffer.from(base64, 'base64');
  if (keyType(blob) !== type) return undefined;
  return { line, revoked: marker === '@revoked', type, blob, patterns };
}

/**
 * OpenSSH's rules: comma-separated patterns with `*` and `?`, case-insensitive; a matching `!pattern`
 * excludes the line; `|1|salt|hash` is an HMAC-SHA1 of the name.
 */
function patternsMatch(patterns: string, lookup: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (!patternMatches(body, lookup)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function patternMatches(pattern: string, lookup: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [salt, hash] = pattern.slice(3).split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(lookup).digest('base64') === hash;
  }
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(lookup);
}
