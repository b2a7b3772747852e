import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openApp, runInSession } from '../../src/runtime/index.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const wordCountPlugin = `export default {
  name: 'text.words',
  description: 'Count the words in some text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async execute(_ctx, { text }) {
    return { content: String(text.split(/\\s+/).filter(Boolean).length) };
  },
};
`;

function pluginHome(plugins: string[]): string {
  const home = tempDir();
  mkdirSync(join(home, 'plugins'));
  writeFileSync(join(home, 'plugins', 'words.mjs'), wordCountPlugin);
  const script = [
    { toolCalls: [{ name: 'text.words', arguments: { text: 'one two  three' } }] },
    { text: 'Three words.' },
  ];
  writeFileSync(
    join(home, 'config.yaml'),
    stringify({
      providers: { script: { kind: 'scripted', responses: script } },
      agents: {
        default: { models: { default: { provider: 'script', model: 'script' } }, tools: ['text.*'] },
      },
      plugins,
    }),
  );
  return home;
}

describe('plugin tools in a turn', () => {
  it('runs a tool from a local plugin module and records its result', async () => {
    const app = await openApp({ env: { PYCLAW_HOME: pluginHome(['./plugins/words.mjs']) } });
    try {
      const { sessionId, outcome } = await runInSession(app, { message: 'How many words?' });
      expect(outcome).toMatchObject({ status: 'completed', answer: 'Three words.' });
      const results = app.log.read(sessionId).filter((event) => event.type === 'tool.result');
      expect(results.map((event) => event.payload)).toMatchObject([{ isError: false, preview: '3' }]);
    } finally {
      await app.close();
    }
  });

  it('refuses to start a turn when a plugin is missing, saying which', async () => {
    const home = pluginHome(['./plugins/word.mjs']);
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      await expect(runInSession(app, { message: 'How many words?' })).rejects.toThrow(
        `plugin ./plugins/word.mjs: no file at ${join(home, 'plugins', 'word.mjs')}`,
      );
      expect(app.log.listSessions()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('pyclaw run uses a plugin tool, and names a plugin it cannot load in one line with a non-zero exit', () => {
    const ok = runCli(pluginHome(['./plugins/words.mjs']), ['run', 'How many words?', '--json']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout).outcome).toMatchObject({ status: 'completed', answer: 'Three words.' });

    const home = pluginHome(['./plugins/word.mjs']);
    const bad = runCli(home, ['run', 'How many words?']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `pyclaw: plugin ./plugins/word.mjs: no file at ${join(home, 'plugins', 'word.mjs')}\n`,
    );
  });
});
