import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useToolWorkspace } from './workspace-fixture.js';

const openWorkspace = useToolWorkspace();

const outsideMessage = /is outside the workspace \(/;

describe('workspace confinement', () => {
  it('refuses .. escapes and absolute paths outside every root, for each fs tool', async () => {
    const { run, outside } = openWorkspace();
    writeFileSync(join(outside, 'secret.txt'), 'top secret');
    const escapes = [
      '../outside/secret.txt',
      join(outside, 'secret.txt'),
      'sub/../../outside/secret.txt',
      '/etc/passwd',
    ];
    for (const path of escapes) {
      for (const [tool, input] of [
        ['fs.read', { path }],
        ['fs.list', { path }],
        ['fs.write', { path, content: 'pwned' }],
        ['fs.edit', { path, old_string: 'top', new_string: 'pwned' }],
      ] as const) {
        const result = await run(tool, input);
        expect(result.isError, `${tool} ${path}`).toBe(true);
        expect(result.preview).toMatch(outsideMessage);
      }
    }
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('refuses symlinks that point out of the workspace, to a file or through a directory', async () => {
    const { run, workspace, outside } = openWorkspace();
    writeFileSync(join(outside, 'secret.txt'), 'top secret');
    symlinkSync(join(outside, 'secret.txt'), join(workspace, 'innocent.txt'));
    symlinkSync(outside, join(workspace, 'docs'));
    expect((await run('fs.read', { path: 'innocent.txt' })).preview).toMatch(outsideMessage);
    expect((await run('fs.read', { path: 'docs/secret.txt' })).preview).toMatch(outsideMessage);
    expect((await run('fs.list', { path: 'docs' })).preview).toMatch(outsideMessage);
    expect((await run('fs.write', { path: 'innocent.txt', content: 'x' })).preview).toMatch(outsideMessage);
    expect((await run('fs.write', { path: 'docs/new/planted.txt', content: 'x' })).preview).toMatch(
      outsideMessage,
    );
    expect(existsSync(join(outside, 'new'))).toBe(false);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('refuses a dangling symlink, which a write would follow wherever it points', async () => {
    const { run, workspace, outside } = openWorkspace();
    symlinkSync(join(outside, 'planted.txt'), join(workspace, 'later.txt'));
    const result = await run('fs.write', { path: 'later.txt', content: 'x' });
    expect(result).toMatchObject({
      isError: true,
      preview: 'later.txt goes through a symlink that points nowhere',
    });
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
  });

  it('allows symlinks and .. that stay inside, and paths in any of the roots', async () => {
    const { run, workspace, outside, ctx, host } = openWorkspace();
    mkdirSync(join(workspace, 'real'));
    writeFileSync(join(workspace, 'real/data.txt'), 'inside');
    symlinkSync(join(workspace, 'real'), join(workspace, 'alias'));
    expect((await run('fs.read', { path: 'alias/data.txt' })).preview).toBe('inside');
    expect((await run('fs.read', { path: 'real/../alias/./data.txt' })).preview).toBe('inside');

    writeFileSync(join(outside, 'shared.txt'), 'second root');
    const twoRoots = { ...ctx, workspaceRoots: [workspace, outside] };
    const signal = new AbortController().signal;
    const read = await host.run(
      { tool: 'fs.read', input: { path: '../outside/shared.txt' } },
      twoRoots,
      signal,
    );
    expect(read.preview).toBe('second root');
  });

  it('refuses every path when the call has no workspace roots', async () => {
    const { host, ctx } = openWorkspace();
    const result = await host.run(
      { tool: 'fs.read', input: { path: 'a.txt' } },
      { ...ctx, workspaceRoots: [] },
      new AbortController().signal,
    );
    expect(result).toMatchObject({ isError: true, preview: expect.stringContaining('no workspace roots') });
  });
});
