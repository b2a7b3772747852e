import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace } from '../../safety/index.js';
import { defineTool } from '../contract.js';

const input = z.strictObject({
  path: z.string().min(1).describe('File path, relative to the working directory or absolute'),
  content: z.string().describe('The whole new content of the file'),
});

export const fsWrite = defineTool({
  name: 'fs.write',
  description:
    'Write a UTF-8 text file in the workspace, replacing it if it exists and creating missing directories.',
  input,
  // Not idempotent on purpose: between two runs the file may have been changed by someone else, and a
  // re-run after a crash would silently undo that.
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  intent: ({ path }) => ({ paths: [path] }),
  async execute(ctx, { path, content }, signal) {
    const file = resolveInWorkspace(ctx.workspaceRoots, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { signal });
    return { content: `wrote ${Buffer.byteLength(content)} bytes to ${path}` };
  },
});
