import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PyclawError } from '../../core/index.js';
import { resolveInWorkspace } from '../../safety/index.js';
import { defineTool } from '../contract.js';

/** A recursive listing of a large tree would flood the model; past this it should narrow the path. */
export const maxListEntries = 1000;

const input = z.strictObject({
  path: z.string().min(1).default('.').describe('Directory, relative to the working directory or absolute'),
  recursive: z.boolean().default(false).describe('Also list everything below it'),
});

export const fsList = defineTool({
  name: 'fs.list',
  description: `List a directory in the workspace, one entry per line, directories ending in "/". At most ${maxListEntries} entries.`,
  input,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  intent: ({ path }) => ({ paths: [path] }),
  async execute(ctx, { path, recursive }, signal) {
    const dir = resolveInWorkspace(ctx.workspaceRoots, path);
    if (!(await stat(dir)).isDirectory()) {
      throw new PyclawError('tool.not-a-directory', `${path} is not a directory`);
    }
    const entries: string[] = [];
    for await (const entry of walk(dir, '', recursive, signal)) {
      if (entries.length === maxListEntries) {
        entries.push(`[stopped after ${maxListEntries} entries; list a subdirectory to see more]`);
        break;
      }
      entries.push(entry);
    }
    return { content: entries.length === 0 ? '(empty directory)' : entries.join('\n') };
  },
});

/** Depth first, sorted by name. Symlinked directories are listed but not entered. */
async function* walk(
  dir: string,
  prefix: string,
  recursive: boolean,
  signal: AbortSignal,
): AsyncGenerator<string> {
  signal.throwIfAborted();
  const children = await readdir(dir, { withFileTypes: true });
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) {
    const name = prefix + child.name;
    if (!child.isDirectory()) {
      yield name;
      continue;
    }
    yield `${name}/`;
    if (recursive) yield* walk(join(dir, child.name), `${name}/`, recursive, signal);
  }
}
