import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/runtime/index.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
/** No key, no Ollama (port 9 refuses), no GGUF: init detects nothing and changes nothing. */
const bareMachine = {
  OPENAI_API_KEY: '',
  ANTHROPIC_API_KEY: '',
  CORTENSOR_API_KEY: '',
  OLLAMA_HOST: '127.0.0.1:9',
};

/** A fresh home whose one provider, "openai", `pyclaw init --provider` wrote. */
function homeWithProvider(): string {
  const home = tempDir();
  const init = runCli(home, ['init', '--provider', 'openai'], { ...bareMachine, OPENAI_API_KEY: 'sk-test' });
  expect(init.code).toBe(0);
  return home;
}

const configOf = (home: string) => readFileSync(join(home, 'config.yaml'), 'utf8');
const json = (home: string, args: string[]) => JSON.parse(runCli(home, [...args, '--json']).stdout);

describe('pyclaw agents', () => {
  it('lists the default agent init leaves, without a model, at identity version 1', () => {
    const home = tempDir();
    expect(runCli(home, ['init'], bareMachine).code).toBe(0);
    expect(json(home, ['agents', 'list'])).toEqual([
      {
        id: 'default',
        name: 'PyClaw',
        defaultModel: null,
        tools: ['fs.read', 'fs.list'],
        identityVersion: 1,
      },
    ]);
    expect(runCli(home, ['agents', 'list']).stdout).toMatch(
      /^default +PyClaw +none +fs\.read, fs\.list +v1$/m,
    );
  });

  it('adds an agent to config.yaml, keeping every comment, and shows it', () => {
    const home = homeWithProvider();
    const before = configOf(home);
    const added = runCli(home, [
      'agents',
      'add',
      'ops',
      '--name',
      'Ops',
      '--role',
      'an SRE who keeps production up',
      '--model',
      'openai/gpt-4.1',
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    // the file is exactly as it was, comments and all, plus the new agent
    const addedBlock = [
      '  ops:',
      '    name: Ops',
      '    identity:',
      '      role: an SRE who keeps production up',
      '    models:',
      '      default: { provider: openai, model: gpt-4.1 }',
    ].join('\n');
    expect(configOf(home)).toBe(`${before}${addedBlock}\n`);

    const ops = loadConfig(join(home, 'config.yaml')).agents.ops;
    expect(ops).toMatchObject({
      name: 'Ops',
      identity: { role: 'an SRE who keeps production up', riskPosture: 'cautious' },
      models: { default: { provider: 'openai', model: 'gpt-4.1' } },
      tools: ['fs.read', 'fs.list'],
    });
    expect(json(home, ['agents', 'list']).map((agent: { id: string }) => agent.id)).toEqual([
      'default',
      'ops',
    ]);
    const shown = json(home, ['agents', 'show', 'ops']);
    expect(shown).toMatchObject({ id: 'ops', name: 'Ops', identityVersion: 1, limits: { maxSteps: 12 } });
    expect(shown.identityHistory).toMatchObject([
      { version: 1, capsule: { role: 'an SRE who keeps production up' } },
    ]);
    const table = runCli(home, ['agents', 'show', 'ops']).stdout;
    expect(table).toContain('role: an SRE who keeps production up');
    expect(table).toMatch(
      /^v1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +[0-9a-f]{12} +an SRE who keeps production up$/m,
    );
  });

  it('refuses an existing id, an unknown provider and a malformed model, each in one line, changing nothing', () => {
    const home = homeWithProvider();
    const before = configOf(home);
    const refusals: [string[], string][] = [
      [['add', 'default'], 'pyclaw: agent "default" already exists in '],
      [
        ['add', 'x', '--model', 'openia/gpt-4.1'],
        `pyclaw: no provider "openia" under providers: in ${join(home, 'config.yaml')} (configured: openai)`,
      ],
      [['add', 'x', '--model', 'gpt-4.1'], 'pyclaw: --model takes provider/model, e.g. ollama/llama3.1'],
      [['add', 'Bad Id'], 'pyclaw: "Bad Id" is not an agent id: agent ids use a-z, 0-9, "_" and "-"'],
    ];
    for (const [args, message] of refusals) {
      const result = runCli(home, ['agents', ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    }
    expect(configOf(home)).toBe(before);
  });

  it('records an edited identity as a new version and names known agents for an unknown one', () => {
    const home = tempDir();
    expect(runCli(home, ['init'], bareMachine).code).toBe(0);
    expect(json(home, ['agents', 'show', 'default']).identityVersion).toBe(1);
    writeFileSync(
      join(home, 'config.yaml'),
      configOf(home).replace('riskPosture: cautious', 'riskPosture: balanced'),
    );
    const shown = json(home, ['agents', 'show', 'default']);
    expect(shown.identityVersion).toBe(2);
    expect(
      shown.identityHistory.map((v: { capsule: { riskPosture: string } }) => v.capsule.riskPosture),
    ).toEqual(['cautious', 'balanced']);
    expect(json(home, ['agents', 'list'])[0].identityVersion).toBe(2);

    const unknown = runCli(home, ['agents', 'show', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^pyclaw: no agent "nobody" \(known: default\) \(/);
  });
});
