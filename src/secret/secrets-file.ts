import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PyclawError } from '../core/index.js';

/**
 * The secrets file: one `NAME=value` per line; `#` starts a comment line; blank lines are ignored; the
 * value is everything after the first `=` (surrounding double quotes are removed). It must be readable
 * by its owner only (chmod 600), or PyClaw refuses to read it.
 */
const namePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function readSecretsFile(path: string): Map<string, string> {
  let text: string;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new PyclawError(
        'secret.file-permissions',
        `${path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}): run \`chmod 600 ${path}\``,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const secrets = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const equals = trimmed.indexOf('=');
    const name = trimmed.slice(0, equals).trim();
    if (equals < 0 || !namePattern.test(name)) {
      throw new PyclawError('secret.file-syntax', `${path}:${index + 1}: expected NAME=value`);
    }
    secrets.set(
      name,
      trimmed
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  });
  return secrets;
}

/** Sets one secret, keeping the others; the file is replaced atomically and created with mode 0600. */
export function setSecret(path: string, name: string, value: string): void {
  if (!namePattern.test(name)) {
    throw new PyclawError(
      'secret.bad-name',
      `secret name "${name}" must be letters, digits, "_", "." or "-"`,
    );
  }
  if (/[\r\n]/.test(value))
    throw new PyclawError('secret.bad-value', `secret ${name}: value must be one line`);
  const secrets = readSecretsFile(path);
  secrets.set(name, value);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const lines = [...secrets].map(([key, secret]) => `${key}=${secret}\n`).join('');
  writeFileSync(temp, `# PyClaw secrets: NAME=value, one per line. Keep this file chmod 600.\n${lines}`, {
    mode: 0o600,
  });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}
