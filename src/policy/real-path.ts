import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** `~/x` → the user's home; anything else unchanged. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/**
 * The real absolute path `path` names (relative to `cwd`), symlinks resolved: the nearest existing
 * ancestor goes through realpath and the missing tail (a file about to be created) is kept as written.
 */
export function realPathOf(path: string, cwd: string): string {
  const missing: string[] = [];
  let existing = resolve(cwd, expandHome(path));
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return join(existing, ...missing);
      missing.unshift(basename(existing));
      existing = parent;
    }
  }
}
