import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainNotInstalledMessage } from '../../src/secret/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { completion, error, startOpenAiEmulator } from '../emulators/openai.js';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const apiKey = 'sk-emulator-canary-3f9a1c7d5e2b';
let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

/** A home whose config has one OpenAI-compatible provider (the emulator) used by the default agent. */
function homeWithProvider(options: { apiKey?: string; extra?: string } = {}): string {
  const home = tempDir();
  expect(runCli(home, ['init']).code).toBe(0);
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  emu:
    kind: openai
    baseURL: ${emulator.url}/v1
    apiKey: ${options.apiKey ?? '$' + '{env:EMU_API_KEY}'}
    maxAttempts: 1
${options.extra ?? ''}
agents:
  default:
    models:
      default: { provider: emu, model: llama3.1 }
`,
  );
  return home;
}

const llmTest = (home: string, args: string[] = []) =>
  runCliAsync(home, ['llm', 'test', ...args], { EMU_API_KEY: apiKey });

describe('pyclaw llm test', () => {
  it("sends one tiny request with the agent's model and the resolved key, and reports the latency", async () => {
    const home = homeWithProvider();
    emulator.reply(completion({ text: 'ok', model: 'llama3.1:8b' }));
    const result = await llmTest(home);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^emu\s+openai\s+llama3\.1:8b\s+ok\s+\d+ ms\s+"ok"$/m);
    expect(emulator.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(emulator.requests[0]?.body).toMatchObject({ model: 'llama3.1', max_tokens: 16 });
  });

  it('reports the exact error and exits 1, as a table or JSON', async () => {
    const home = homeWithProvider();
    emulator.reply(error(401, 'Incorrect API key provided'), error(401, 'Incorrect API key provided'));
    const table = await llmTest(home);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/emu\s+openai\s+llama3\.1\s+auth\s+emu: 401 Incorrect API key provided/);
    const json = await llmTest(home, ['--json', '--model', 'gpt-4o']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        provider: 'emu',
        providerKind: 'openai',
        model: 'gpt-4o',
        ok: false,
        kind: 'auth',
        message: 'emu: 401 Incorrect API key provided',
      },
    ]);
  });

  it('gives up on a provider that hangs at its timeout', async () => {
    const home = homeWithProvider({ extra: '    timeoutMs: 300' });
    emulator.reply({ type: 'hang' });
    const result = await llmTest(home);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/timeout\s+emu: no complete answer within 300 ms/);
  });

  it('names an unknown provider, and a provider no agent gives a model, in one line', async () => {
    const home = homeWithProvider();
    const unknown = await llmTest(home, ['--provider', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^pyclaw: no provider "nope" in .*config\.yaml \(configured: emu\)\n$/);

    writeFileSync(
      join(home, 'config.yaml'),
      `providers:\n  emu: { kind: openai, baseURL: ${emulator.url}/v1 }\n`,
    );
    const noModel = await llmTest(home);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(
      /^pyclaw: no agent uses provider "emu", so there is no model to try \(pass --model/,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('says where it looked for a missing secret, the OS keychain fallback included, without calling', async () => {
    const home = homeWithProvider({ apiKey: 'secret:emu_key' });
    const result = await llmTest(home);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `emu: cannot resolve apiKey "secret:emu_key": secret:emu_key was not found in ${join(home, 'secrets')} (${keychainNotInstalledMessage})`,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses a config whose agent names a provider that does not exist, naming the line', async () => {
    const home = tempDir();
    expect(runCli(home, ['init']).code).toBe(0);
    writeFileSync(
      join(home, 'config.yaml'),
      'providers:\n  emu: { kind: openai }\nagents:\n  default:\n    models:\n      default: { provider: emo, model: m }\n',
    );
    const result = await llmTest(home);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^pyclaw: .*config\.yaml:6: agents\.default\.models\.default\.provider: no provider "emo" under providers: \(/,
    );
  });
});
