import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Emulator } from '../emulators/http-emulator.js';
import { startOpenAiEmulator } from '../emulators/openai.js';
import { runCli } from './cli.js';

export interface AgentHomeOptions {
  /** The default agent's tools, as a YAML flow sequence. */
  tools: string;
  /** More YAML lines for the default agent, indented four spaces. */
  agent?: string;
  /** YAML after the agents section, such as `policy:` rules. */
  rest?: string;
  /** The provider's timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Run `pyclaw init` first, as a new user would. */
  init?: boolean;
}

export interface OpenAiHomes {
  /** This test's OpenAI emulator: started before each test, closed after it. */
  readonly emulator: Emulator;
  /** A PYCLAW_HOME whose default agent asks the emulator, and an empty workspace beside it. */
  agentHome(options: AgentHomeOptions): { home: string; workspace: string };
}

export function useOpenAiHomes(tempDir: () => string): OpenAiHomes {
  let current: Emulator | undefined;
  beforeEach(async () => {
    current = await startOpenAiEmulator();
  });
  afterEach(() => current?.close());
  const emulator = (): Emulator => {
    if (!current) throw new Error('the OpenAI emulator runs only inside a test');
    return current;
  };
  return {
    get emulator() {
      return emulator();
    },
    agentHome(options) {
      const home = tempDir();
      const workspace = tempDir();
      if (options.init) expect(runCli(home, ['init']).code).toBe(0);
      writeFileSync(
        join(home, 'config.yaml'),
        `providers:
  emu: { kind: openai, baseURL: "${emulator().url}/v1", maxAttempts: 1, timeoutMs: ${options.timeoutMs ?? 5000} }
agents:
  default:
    models:
      default: { provider: emu, model: gpt-test }
    tools: ${options.tools}
${options.agent ?? ''}
${options.rest ?? ''}
`,
      );
      return { home, workspace };
    },
  };
}
