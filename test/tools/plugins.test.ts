import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import { loadPlugins } from '../../src/tools/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { useToolWorkspace } from './workspace-fixture.js';

const tempDir = useTempDirs();
const openWorkspace = useToolWorkspace();

/** A plugin module's source: an `upper` tool with a JSON Schema input, exported as `exportLine` says. */
function upperPlugin(exportLine: string): string {
  return `const upper = {
  name: 'text.upper',
  description: 'Upper-case some text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async execute(_ctx, { text }) {
    return { content: text.toUpperCase() };
  },
};
${exportLine}
`;
}

async function loadError(plugins: string[], baseDir: string): Promise<PyclawError> {
  const error = await loadPlugins(plugins, baseDir).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PyclawError);
  expect((error as PyclawError).message).not.toContain('\n');
  return error as PyclawError;
}

describe('plugins', () => {
  it('loads tools from a local module path, relative to PYCLAW_HOME, and runs them', async () => {
    const home = tempDir();
    mkdirSync(join(home, 'plugins'));
    writeFileSync(join(home, 'plugins', 'text.mjs'), upperPlugin('export const tools = [upper];'));
    const tools = await loadPlugins(['./plugins/text.mjs'], home);
    expect(tools.map((tool) => tool.name)).toEqual(['text.upper']);

    const { run } = openWorkspace({ extraTools: tools });
    expect(await run('text.upper', { text: 'shout' })).toMatchObject({ isError: false, preview: 'SHOUT' });
    expect((await run('text.upper', {})).preview).toMatch(/^invalid input for text.upper: text:/);
  });

  it('loads an npm package installed in PYCLAW_HOME, whose default export is one tool', async () => {
    const home = tempDir();
    const pkg = join(home, 'node_modules', 'pyclaw-plugin-upper');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'pyclaw-plugin-upper', main: 'index.mjs' }),
    );
    writeFileSync(join(pkg, 'index.mjs'), upperPlugin('export default upper;'));
    const [tool] = await loadPlugins(['pyclaw-plugin-upper'], home);
    expect(tool?.name).toBe('text.upper');
  });

  it('fills left-out annotations with the cautious values, so policy asks before each call', async () => {
    const home = tempDir();
    writeFileSync(
      join(home, 'bare.mjs'),
      upperPlugin('export default [{ ...upper, annotations: undefined }];').replace(
        'annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },',
        '',
      ),
    );
    const [tool] = await loadPlugins(['./bare.mjs'], home);
    expect(tool?.annotations).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
      openWorld: true,
    });
  });

  it('says in one line which plugin is missing or exports something that is not a tool', async () => {
    const home = tempDir();
    expect((await loadError(['./missing.mjs'], home)).message).toBe(
      `plugin ./missing.mjs: no file at ${join(home, 'missing.mjs')}`,
    );
    expect((await loadError(['no-such-pyclaw-plugin'], home)).message).toBe(
      'plugin no-such-pyclaw-plugin is not installed',
    );
    writeFileSync(join(home, 'empty.mjs'), 'export const answer = 42;\n');
    expect((await loadError(['./empty.mjs'], home)).message).toBe('plugin ./empty.mjs exports no tools');
    writeFileSync(
      join(home, 'half.mjs'),
      "export const tools = [{ name: 'half.tool', description: 'no body' }];\n",
    );
    expect((await loadError(['./half.mjs'], home)).message).toMatch(
      /^plugin \.\/half\.mjs: tools\[0\] \(half\.tool\): execute: expected a function$/,
    );
    writeFileSync(
      join(home, 'both.mjs'),
      upperPlugin('export const tools = [{ ...upper, input: undefined, inputSchema: undefined }];'),
    );
    expect((await loadError(['./both.mjs'], home)).message).toMatch(/give either input .* or inputSchema/);
    writeFileSync(join(home, 'broken.mjs'), 'export const tools = [;\n');
    expect((await loadError(['./broken.mjs'], home)).message).toMatch(
      /^plugin \.\/broken\.mjs failed to load: /,
    );
  });
});
