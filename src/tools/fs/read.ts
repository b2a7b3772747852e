import { z } from 'zod';
import { PyclawError } from '../../core/index.js';
import { resolveInWorkspace } from '../../safety/index.js';
import { defineTool } from '../contract.js';
import { readTextFile } from './text-file.js';

const input = z.strictObject({
  path: z.string().min(1).describe('File path, relative to the working directory or absolute'),
  offset: z.int().min(1).optional().describe('First line to return, counting from 1'),
  limit: z.int().min(1).optional().describe('Most lines to return'),
});

export const fsRead = defineTool({
  name: 'fs.read',
  description:
    'Read a UTF-8 text file in the workspace, whole or a range of lines. Binary files are refused.',
  input,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  intent: ({ path }) => ({ paths: [path] }),
  async execute(ctx, { path, offset, limit }, signal) {
    const text = await readTextFile(resolveInWorkspace(ctx.workspaceRoots, path), path, signal);
    if (offset === undefined && limit === undefined) return { content: text };
    return { content: lineRange(text, path, offset ?? 1, limit) };
  },
});

/** Lines `offset` .. `offset + limit - 1`, each with its own line ending, so the bytes match the file's. */
function lineRange(text: string, path: string, offset: number, limit: number | undefined): string {
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  if (offset > Math.max(lines.length, 1)) {
    throw new PyclawError(
      'tool.bad-offset',
      `offset ${offset} is past the end of ${path}, which has ${lines.length} lines`,
    );
  }
  const end = limit === undefined ? undefined : offset - 1 + limit;
  return lines.slice(offset - 1, end).join('');
}
