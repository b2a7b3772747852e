import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PyclawError } from '../core/index.js';

/**
 * Resolves `path` (relative to the first root) to the real absolute path it names, and refuses it unless
 * that lies inside one of `roots`. Symlinks and `..` are resolved before the check: the nearest existing
 * ancestor goes through realpath, so a link pointing out of the workspace cannot smuggle a path in.
 * The checks are synchronous: a few local syscalls cost less than a thread-pool round trip each.
 */
export function resolveInWorkspace(roots: readonly string[], path: string): string {
  const [cwd] = roots;
  if (cwd === undefined) {
    throw new PyclawError('tool.no-workspace', 'this call has no workspace roots, so no path is allowed');
  }
  const target = realTarget(resolve(cwd, path), path);
  const realRoots = roots.map((root) => realpathSync.native(root));
  if (!realRoots.some((root) => isInside(root, target))) {
    throw new PyclawError(
      'tool.outside-workspace',
      `${path} is outside the workspace (${roots.join(', ')})`,
      { hint: 'use a path inside a workspace root' },
    );
  }
  return target;
}

/** The real path of `absolute`, whose missing tail (a file about to be created) is kept as written. */
function realTarget(absolute: string, shownAs: string): string {
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...missing);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    // A dangling symlink would be followed by a later write, wherever it points: refuse it outright.
    if (lstatSync(existing, { throwIfNoEntry: false })) {
      throw new PyclawError('tool.dangling-symlink', `${shownAs} goes through a symlink that points nowhere`);
    }
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
