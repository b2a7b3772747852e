import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configTemplate, loadConfig } from '../../src/runtime/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { startOllamaEmulator, tags } from '../emulators/ollama.js';
import { runCliAsync } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const openAiKey = 'sk-canary-openai-6c1e9a07d2f4';
let ollama: Emulator;
beforeEach(async () => {
  ollama = await startOllamaEmulator();
});
afterEach(() => ollama.close());

/** The machine as `pyclaw init` sees it: these keys set, and the emulator standing in for Ollama. */
const machine = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  OPENAI_API_KEY: '',
  ANTHROPIC_API_KEY: '',
  CORTENSOR_API_KEY: '',
  OLLAMA_HOST: ollama.url,
  ...env,
});

const configOf = (home: string) => readFileSync(join(home, 'config.yaml'), 'utf8');

describe('pyclaw init on first run', () => {
  it('lists the providers it detects, each in one line, and the exact command to choose one', async () => {
    const home = tempDir();
    ollama.reply(tags('llama3.1:8b', 'qwen2.5:0.5b'));
    const result = await runCliAsync(home, ['init'], machine({ OPENAI_API_KEY: openAiKey }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ {2}openai +OPENAI_API_KEY is set: OpenAI's hosted models, gpt-4\.1-mini/m,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `^ {2}ollama +an Ollama server at ${ollama.url}: .*\\(llama3\\.1:8b, qwen2\\.5:0\\.5b; `,
        'm',
      ),
    );
    expect(result.stdout).toMatch(
      /^ {2}not found: ANTHROPIC_API_KEY, CORTENSOR_API_KEY, \*\.gguf files in /m,
    );
    expect(result.stdout).toContain(
      'choose one with: pyclaw init --provider openai (or --provider ollama, demo)',
    );
    // without a terminal to ask on and without --provider, nothing beyond the template is written
    expect(configOf(home)).toBe(configTemplate);
  });

  it('init --provider ollama writes a config that loads, whose default agent uses the first Ollama model', async () => {
    const home = tempDir();
    ollama.reply(tags('llama3.1:8b'), tags('llama3.1:8b'));
    expect((await runCliAsync(home, ['init'], machine())).code).toBe(0);
    const chosen = await runCliAsync(home, ['init', '--provider', 'ollama'], machine());
    expect(chosen.stderr).toBe('');
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain('added provider "ollama"; the default agent uses ollama/llama3.1:8b');

    const config = loadConfig(join(home, 'config.yaml'));
    expect(config.providers.ollama).toMatchObject({ kind: 'openai', baseURL: `${ollama.url}/v1` });
    expect(config.agents.default?.models?.default).toEqual({
      provider: 'ollama',
      model: 'llama3.1:8b',
      fallbacks: [],
    });
    // the template's comments all survive the edit
    const text = configOf(home);
    for (const comment of configTemplate.split('\n').filter((line) => /^\s*#/.test(line))) {
      expect(text).toContain(comment);
    }
    const listed = JSON.parse((await runCliAsync(home, ['agents', 'list', '--json'])).stdout);
    expect(listed).toMatchObject([
      { id: 'default', defaultModel: { provider: 'ollama', model: 'llama3.1:8b' } },
    ]);
  });

  it('writes an API key as an env reference, never its value (canary)', async () => {
    const home = tempDir();
    ollama.reply(tags());
    const result = await runCliAsync(
      home,
      ['init', '--provider', 'openai'],
      machine({ OPENAI_API_KEY: openAiKey }),
    );
    expect(result.code).toBe(0);
    const text = configOf(home);
    expect(text).not.toContain(openAiKey);
    expect(text).toContain(`apiKey: ${'$'}{env:OPENAI_API_KEY}`);
    expect(loadConfig(join(home, 'config.yaml')).agents.default?.models?.default).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini',
    });
  });

  it('refuses a provider it did not detect, in one line, and writes nothing', async () => {
    const home = tempDir();
    ollama.reply(tags('llama3.1'));
    const result = await runCliAsync(home, ['init', '--provider', 'anthropic'], machine());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('pyclaw: provider "anthropic" was not detected (found: ollama, demo)\n');
    expect(configOf(home)).toBe(configTemplate);
  });

  it('with no model anywhere, points at the offline demo, which runs a real turn with a tool call', async () => {
    const home = tempDir();
    const workspace = tempDir();
    writeFileSync(join(workspace, 'plan.md'), '# plan\n');
    const bare = await runCliAsync(home, ['init'], { ...machine(), OLLAMA_HOST: '127.0.0.1:9' });
    expect(bare.stdout).toContain('try PyClaw offline now: pyclaw init --provider demo\n');

    expect((await runCliAsync(home, ['init', '--provider', 'demo'], machine())).code).toBe(0);
    const turn = await runCliAsync(home, ['run', 'What is in this folder?', '--json'], {}, workspace);
    expect(turn.code).toBe(0);
    const { sessionId, outcome } = JSON.parse(turn.stdout);
    expect(outcome).toMatchObject({
      status: 'completed',
      answer: expect.stringMatching(/^This is the offline demo/),
    });
    const replay = await runCliAsync(home, ['sessions', 'replay', sessionId]);
    expect(replay.stdout).toContain('→ fs.list {"path":"."}\n← ok: plan.md');
  });
});
