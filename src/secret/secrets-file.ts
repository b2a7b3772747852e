import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { PyclawError } from '../core/index.js';

/**
 * The secrets file, `PYCLAW_HOME/secrets`:
 *
 *     # comment lines start with "#"; blank lines are ignored
 *     telegram_token=123456789:AAH...
 *     db.password = "  a value with spaces kept  "
 *
 * One `NAME=value` per line. NAME is letters, digits, `_`, `.` and `-`, starting with a letter or `_`
 * and not ending in `.` or `-` (so `secret:NAME.` at the end of a sentence means NAME). The value is
 * everything after the first `=`, trimmed; if it is wrapped in double quotes, those two quotes are
 * removed and the rest is kept verbatim (there are no escapes). A name defined twice takes the last value.
 *
 * The file must be accessible by its owner only (mode 0600), or PyClaw refuses to read it.
 */
export const secretNameSource = '[A-Za-z_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';
const secretName = new RegExp(`^${secretNameSource}$`);

const newFileHeader = '# PyClaw secrets: NAME=value, one per line. Keep this file chmod 600.\n';

/** The file's text, or undefined when it does not exist; refuses a file that group or others can access. */
function readPrivateFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PyclawError('secret.file-unreadable', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    // Windows has no POSIX mode bits to check; there the file's ACL protects it.
    const mode = fstatSync(fd).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      const octal = mode.toString(8).padStart(4, '0');
      throw new PyclawError(
        'secret.file-permissions',
        `refusing to read ${path}: mode ${octal} lets group or others access it; run \`chmod 600 ${path}\``,
        { hint: `chmod 600 ${path}` },
      );
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The name a line defines (with its value), or undefined for a blank or comment line. */
function parseLine(line: string, where: string): { name: string; value: string } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const equals = trimmed.indexOf('=');
  const name = trimmed.slice(0, equals).trim();
  if (equals < 0 || !secretName.test(name)) {
    throw new PyclawError('secret.file-syntax', `${where}: expected NAME=value (NAME like telegram_token)`);
  }
  const value = trimmed.slice(equals + 1).trim();
  return { name, value: /^".*"$/s.test(value) ? value.slice(1, -1) : value };
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Every secret in the file (empty when the file does not exist). */
export function readSecretsFile(path: string): Map<string, string> {
  const secrets = new Map<string, string>();
  splitLines(readPrivateFile(path) ?? '').forEach((line, index) => {
    const entry = parseLine(line, `${path}:${index + 1}`);
    if (entry) secrets.set(entry.name, entry.value);
  });
  return secrets;
}

/** Quotes a value whose surrounding spaces or quotes the reader would otherwise strip. */
function formatValue(value: string): string {
  return value !== value.trim() || /^".*"$/s.test(value) ? `"${value}"` : value;
}

/**
 * Sets one secret in the secrets file at `path`, keeping every other line (comments too). The new file
 * is written beside the old one with mode 0600, flushed, then renamed over it, so a crash leaves the old
 * file or the new one, never half of either. Concurrent writers are not coordinated: the last one wins.
 */
export function setSecret(path: string, name: string, value: string): void {
  if (!secretName.test(name)) {
    throw new PyclawError(
      'secret.bad-name',
      `secret name "${name}" must be letters, digits, "_", "." or "-", starting with a letter or "_"`,
    );
  }
  if (value === '' || /[\r\n]/.test(value)) {
    throw new PyclawError('secret.bad-value', `secret ${name}: the value must be one non-empty line`);
  }
  const existing = readPrivateFile(path);
  const line = `${name}=${formatValue(value)}`;
  let replaced = false;
  const lines = splitLines(existing ?? newFileHeader).flatMap((current, index) => {
    if (parseLine(current, `${path}:${index + 1}`)?.name !== name) return [current];
    if (replaced) return [];
    replaced = true;
    return [line];
  });
  if (!replaced) lines.splice(lines.at(-1) === '' ? -1 : lines.length, 0, line);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomically(path, lines.join('\n'));
}

function writeFileAtomically(path: string, text: string): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600); // the umask may have removed owner bits; it never adds group or other ones
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new PyclawError('secret.file-write', `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
