import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxListEntries } from '../../src/tools/fs/list.js';
import { useToolWorkspace } from './workspace-fixture.js';

const openWorkspace = useToolWorkspace();

describe('fs.read', () => {
  it('reads a whole file, or a range of lines with their own line endings', async () => {
    const { run, workspace } = openWorkspace();
    writeFileSync(join(workspace, 'notes.txt'), 'one\ntwo\r\nthree\nfour');
    expect(await run('fs.read', { path: 'notes.txt' })).toEqual({
      isError: false,
      preview: 'one\ntwo\r\nthree\nfour',
      artifacts: [],
    });
    expect((await run('fs.read', { path: 'notes.txt', offset: 2, limit: 2 })).preview).toBe('two\r\nthree\n');
    expect((await run('fs.read', { path: 'notes.txt', offset: 4 })).preview).toBe('four');
    expect((await run('fs.read', { path: join(workspace, 'notes.txt'), limit: 1 })).preview).toBe('one\n');
  });

  it('says when the offset is past the end or the file is missing', async () => {
    const { run, workspace } = openWorkspace();
    writeFileSync(join(workspace, 'short.txt'), 'a\nb\n');
    expect(await run('fs.read', { path: 'short.txt', offset: 5 })).toMatchObject({
      isError: true,
      preview: 'offset 5 is past the end of short.txt, which has 2 lines',
    });
    expect(await run('fs.read', { path: 'missing.txt' })).toMatchObject({
      isError: true,
      preview: expect.stringContaining('no such file or directory'),
    });
  });

  it('refuses a binary file and a directory', async () => {
    const { run, workspace } = openWorkspace();
    writeFileSync(join(workspace, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    expect(await run('fs.read', { path: 'image.png' })).toMatchObject({
      isError: true,
      preview: 'image.png is a binary file (6 bytes); fs tools read and edit text only',
    });
    mkdirSync(join(workspace, 'src'));
    expect(await run('fs.read', { path: 'src' })).toMatchObject({
      isError: true,
      preview: 'src is not a regular file',
    });
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const { run, workspace } = openWorkspace();
    execFileSync('mkfifo', [join(workspace, 'pipe')]);
    expect(await run('fs.read', { path: 'pipe' })).toMatchObject({
      isError: true,
      preview: 'pipe is not a regular file',
    });
  });

  it('reads small files at once and large ones through the thread pool, the same way', async () => {
    const { run, workspace } = openWorkspace();
    const line = (n: number) => `line ${n}: ${'x'.repeat(60)}\n`;
    const large = Array.from({ length: 8_000 }, (_, n) => line(n + 1)).join('');
    expect(large.length).toBeGreaterThan(256 * 1024);
    writeFileSync(join(workspace, 'large.txt'), large);
    writeFileSync(join(workspace, 'small.txt'), large.slice(0, 10 * line(1).length));
    for (const path of ['large.txt', 'small.txt']) {
      expect(await run('fs.read', { path, offset: 3, limit: 2 })).toMatchObject({
        isError: false,
        preview: line(3) + line(4),
      });
    }
    expect((await run('fs.read', { path: 'large.txt', offset: 8_000 })).preview).toBe(line(8_000));
  });
});

describe('fs.list', () => {
  it('lists one level, sorted, directories marked with a slash', async () => {
    const { run, workspace } = openWorkspace();
    mkdirSync(join(workspace, 'src/deep'), { recursive: true });
    writeFileSync(join(workspace, 'b.txt'), '');
    writeFileSync(join(workspace, 'a.txt'), '');
    writeFileSync(join(workspace, 'src/deep/c.ts'), '');
    expect((await run('fs.list', {})).preview).toBe('a.txt\nb.txt\nsrc/');
    expect((await run('fs.list', { path: '.', recursive: true })).preview).toBe(
      'a.txt\nb.txt\nsrc/\nsrc/deep/\nsrc/deep/c.ts',
    );
    expect((await run('fs.list', { path: 'src/deep' })).preview).toBe('c.ts');
    expect((await run('fs.list', { path: 'src/deep/c.ts' })).preview).toBe(
      'src/deep/c.ts is not a directory',
    );
  });

  it('says a directory is empty and stops a large listing at the cap', async () => {
    const { run, workspace } = openWorkspace({ previewBytes: 64 * 1024 });
    expect((await run('fs.list', {})).preview).toBe('(empty directory)');
    mkdirSync(join(workspace, 'many'));
    for (let i = 0; i < maxListEntries + 5; i++) writeFileSync(join(workspace, 'many', `f${i}`), '');
    const lines = (await run('fs.list', { recursive: true })).preview.split('\n');
    expect(lines).toHaveLength(maxListEntries + 1);
    expect(lines.at(-1)).toMatch(/^\[stopped after 1000 entries/);
  });
});

describe('fs.write', () => {
  it('creates a file and its missing directories, then replaces it', async () => {
    const { run, workspace } = openWorkspace();
    expect(await run('fs.write', { path: 'out/new/hello.txt', content: 'héllo\n' })).toEqual({
      isError: false,
      preview: 'wrote 7 bytes to out/new/hello.txt',
      artifacts: [],
    });
    expect(readFileSync(join(workspace, 'out/new/hello.txt'), 'utf8')).toBe('héllo\n');
    await run('fs.write', { path: 'out/new/hello.txt', content: 'bye' });
    expect(readFileSync(join(workspace, 'out/new/hello.txt'), 'utf8')).toBe('bye');
  });
});

describe('fs.edit', () => {
  it('replaces the one occurrence of old_string, $ patterns and all, taken literally', async () => {
    const { run, workspace } = openWorkspace();
    const file = join(workspace, 'app.ts');
    writeFileSync(file, 'const port = 80;\nconst host = "a";\n');
    expect(await run('fs.edit', { path: 'app.ts', old_string: '80', new_string: "$&$' 8080" })).toEqual({
      isError: false,
      preview: 'replaced 1 occurrence in app.ts',
      artifacts: [],
    });
    expect(readFileSync(file, 'utf8')).toBe('const port = $&$\' 8080;\nconst host = "a";\n');
  });

  it('refuses old_string that is missing or ambiguous, and replaces all when asked', async () => {
    const { run, workspace } = openWorkspace();
    const file = join(workspace, 'list.txt');
    writeFileSync(file, 'x\nx\ny\n');
    expect((await run('fs.edit', { path: 'list.txt', old_string: 'z', new_string: 'w' })).preview).toBe(
      'old_string does not occur in list.txt',
    );
    expect((await run('fs.edit', { path: 'list.txt', old_string: 'x', new_string: 'w' })).preview).toBe(
      'old_string occurs 2 times in list.txt; include more context or set replace_all',
    );
    expect(readFileSync(file, 'utf8')).toBe('x\nx\ny\n');
    const all = await run('fs.edit', {
      path: 'list.txt',
      old_string: 'x',
      new_string: 'w',
      replace_all: true,
    });
    expect(all.preview).toBe('replaced 2 occurrences in list.txt');
    expect(readFileSync(file, 'utf8')).toBe('w\nw\ny\n');
  });

  it('names new_string when it equals old_string', async () => {
    const { run, workspace } = openWorkspace();
    writeFileSync(join(workspace, 'a.txt'), 'a');
    expect((await run('fs.edit', { path: 'a.txt', old_string: 'a', new_string: 'a' })).preview).toBe(
      'invalid input for fs.edit: new_string: must differ from old_string',
    );
  });
});
