import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import {
  type AgentConfig,
  agentConfigSchema,
  agentModelsSchema,
  Registry,
} from '../../src/registry/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** Builds the registry over the database at `path`, as a PyClaw process starting at `now` would. */
function withRegistry<T>(
  path: string,
  agents: Record<string, AgentConfig>,
  now: number,
  work: (registry: Registry) => T,
): T {
  const db = openDatabase(path);
  try {
    return work(new Registry(db, agents, { now: () => now }));
  } finally {
    db.close();
  }
}

const versions = (registry: Registry) => registry.list().map((agent) => agent.identityVersion);

describe('agent config', () => {
  it('fills in identity, tools, skills, limits and phases, and leaves models out', () => {
    expect(agentConfigSchema.parse({})).toEqual({
      identity: expect.objectContaining({ riskPosture: 'cautious', constraints: [] }),
      tools: ['fs.read', 'fs.list'],
      skills: ['*'],
      limits: { maxSteps: 12, maxToolCalls: 24, maxWallTimeMs: 600_000, maxRepeats: 3 },
      verify: false,
      reflect: false,
      context: expect.objectContaining({ reserveOutput: 1024, maxTokens: 16_000, maxSkillExcerpts: 1 }),
      governor: expect.objectContaining({ enabled: true }),
      verification: expect.objectContaining({ decide: 'majority' }),
    });
    expect(agentConfigSchema.safeParse({ limits: { maxRepeats: 1 } }).success).toBe(false);
    expect(agentConfigSchema.safeParse({ toolset: [] }).success).toBe(false);
  });

  it('takes model tiers with fallbacks and a budget', () => {
    const models = agentModelsSchema.parse({
      default: {
        provider: 'openai',
        model: 'gpt-4.1-mini',
        fallbacks: [{ provider: 'ollama', model: 'llama3' }],
      },
      strong: { provider: 'claude', model: 'claude-sonnet' },
      budget: { perTurn: { tokens: 50_000 }, perDay: { costUsd: 5 } },
    });
    expect(models.strong?.fallbacks).toEqual([]);
    expect(models.default.fallbacks).toHaveLength(1);
  });

  it('requires a default tier and rejects unknown tiers', () => {
    expect(agentModelsSchema.safeParse({ fast: { provider: 'a', model: 'b' } }).success).toBe(false);
    expect(
      agentModelsSchema.safeParse({
        default: { provider: 'a', model: 'b' },
        turbo: { provider: 'a', model: 'b' },
      }).success,
    ).toBe(false);
  });
});

describe('registry', () => {
  const agents = {
    default: agentConfigSchema.parse({ name: 'PyClaw' }),
    ops: agentConfigSchema.parse({ identity: { role: 'an SRE' }, tools: ['fs.*', 'ssh.exec'] }),
  };

  it('lists agents in config order with their names, system prompts and identity versions', () => {
    const listed = withRegistry(join(tempDir(), 'pyclaw.db'), agents, 1_000, (registry) => registry.list());
    expect(listed.map((a) => [a.id, a.name, a.identityVersion])).toEqual([
      ['default', 'PyClaw', 1],
      ['ops', 'ops', 1],
    ]);
    expect(listed[0]?.systemPrompt).toMatch(/^Your name is PyClaw\.\nYou are a helpful assistant/);
    expect(listed[1]?.systemPrompt).toMatch(/^You are an SRE\./);
    expect(listed[1]?.tools).toEqual(['fs.*', 'ssh.exec']);
  });

  it('records a changed capsule as a new identity version when it is built again', () => {
    const path = join(tempDir(), 'pyclaw.db');
    expect(withRegistry(path, agents, 1_000, versions)).toEqual([1, 1]);
    expect(withRegistry(path, agents, 2_000, versions)).toEqual([1, 1]);
    const edited = { ...agents, ops: agentConfigSchema.parse({ identity: { role: 'an SRE on call' } }) };
    const history = withRegistry(path, edited, 3_000, (registry) => {
      expect(versions(registry)).toEqual([1, 2]);
      return registry.identityHistory('ops');
    });
    expect(history.map((v) => [v.version, v.capsule.role, v.createdAt])).toEqual([
      [1, 'an SRE', 1_000],
      [2, 'an SRE on call', 3_000],
    ]);
  });

  it('names the known agents when asked for an unknown one', () => {
    withRegistry(join(tempDir(), 'pyclaw.db'), agents, 1_000, (registry) => {
      expect(registry.get('ops').id).toBe('ops');
      const unknown = () => registry.get('opz');
      expect(unknown).toThrow(PyclawError);
      expect(unknown).toThrow(
        expect.objectContaining({
          code: 'registry.unknown-agent',
          message: 'no agent "opz" (known: default, ops)',
        }),
      );
    });
  });
});
