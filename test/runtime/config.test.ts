import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../src/registry/index.js';
import { configTemplate, parseConfig } from '../../src/runtime/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('config.yaml as documented', () => {
  it('the template `pyclaw init` writes loads as the defaults, with a default agent that has no models', () => {
    const defaults = parseConfig('', 'config.yaml');
    expect(parseConfig(configTemplate, 'config.yaml')).toEqual({
      ...defaults,
      agents: { default: agentConfigSchema.parse({ name: 'PyClaw' }) },
    });
    expect(defaults).toMatchObject({
      storage: { durability: 'normal' },
      providers: {},
      policy: { rules: [] },
    });
  });

  it("the template's commented examples load once uncommented", () => {
    const uncommented = configTemplate
      .replace(/^# ([a-z][a-zA-Z0-9]*):$/gm, '$1:')
      .replace(/^( *)# (models):/gm, '$1$2:')
      .replace(/^( *)# {2}/gm, '$1  ');
    const config = parseConfig(uncommented, 'config.yaml');
    expect(Object.keys(config.providers)).toEqual(['openai', 'ollama', 'claude', 'cortensor', 'gguf']);
    expect(config.agents.default?.models?.strong).toMatchObject({ provider: 'claude' });
    expect(config.policy.rules).toEqual([{ tool: 'fs.write', decision: 'allow' }]);
    expect(config.http).toMatchObject({ port: 7420, token: 'secret:api_token' });
    expect(config.browser).toMatchObject({ backend: 'auto', pinchtab: { token: 'secret:pinchtab_token' } });
    expect(Object.keys(config.mcp.servers)).toEqual(['files', 'remote']);
    expect(config.plugins).toEqual(['./plugins/my-tools.mjs']);
    expect(config.a2a).toEqual({ maxDepth: 2, maxFanOut: 4, leaseSeconds: 60 });
  });

  it("the README's example loads", () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = parseConfig(example ?? '', 'README.md');
    expect(Object.keys(config.providers)).toEqual(['ollama', 'claude', 'router', 'gguf']);
    expect(config.agents.default?.models?.default.fallbacks).toEqual([
      { provider: 'claude', model: 'claude-sonnet-4-5' },
    ]);
  });
});
