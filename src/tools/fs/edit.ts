import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { PyclawError } from '../../core/index.js';
import { resolveInWorkspace } from '../../safety/index.js';
import { defineTool } from '../contract.js';
import { readTextFile } from './text-file.js';

const input = z
  .strictObject({
    path: z.string().min(1).describe('File path, relative to the working directory or absolute'),
    old_string: z.string().min(1).describe('Exact text to replace, including whitespace'),
    new_string: z.string().describe('Text to put in its place'),
    replace_all: z.boolean().default(false).describe('Replace every occurrence, not just the only one'),
  })
  .refine((edit) => edit.old_string !== edit.new_string, {
    message: 'must differ from old_string',
    path: ['new_string'],
  });

export const fsEdit = defineTool({
  name: 'fs.edit',
  description:
    'Replace exact text in a workspace file. old_string must occur exactly once unless replace_all is set.',
  input,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: false },
  intent: ({ path }) => ({ paths: [path] }),
  async execute(ctx, edit, signal) {
    const file = resolveInWorkspace(ctx.workspaceRoots, edit.path);
    const parts = (await readTextFile(file, edit.path, signal)).split(edit.old_string);
    const occurrences = parts.length - 1;
    if (occurrences === 0) {
      throw new PyclawError('tool.edit-not-found', `old_string does not occur in ${edit.path}`);
    }
    if (occurrences > 1 && !edit.replace_all) {
      throw new PyclawError(
        'tool.edit-ambiguous',
        `old_string occurs ${occurrences} times in ${edit.path}; include more context or set replace_all`,
      );
    }
    await writeFile(file, parts.join(edit.new_string), { signal });
    return { content: `replaced ${occurrences} occurrence${occurrences === 1 ? '' : 's'} in ${edit.path}` };
  },
});
