import { describe, expect, it } from 'vitest';
import { toolIdMatches } from '../../src/core/index.js';
import { decideToolCall, policyConfigSchema } from '../../src/policy/index.js';

describe('tool id patterns', () => {
  it('match exact ids and globs, and nothing else', () => {
    expect(toolIdMatches('fs.read', 'fs.read')).toBe(true);
    expect(toolIdMatches('fs.read', 'fs.readme')).toBe(false);
    expect(toolIdMatches('fs.*', 'fs.write')).toBe(true);
    expect(toolIdMatches('fs.*', 'fsXwrite')).toBe(false);
    expect(toolIdMatches('mcp.*.search', 'mcp.github.search')).toBe(true);
    expect(toolIdMatches('*', 'exec')).toBe(true);
  });
});

describe('policy decisions', () => {
  const config = policyConfigSchema.parse({
    rules: [
      { tool: 'fs.*', decision: 'allow' },
      { tool: 'fs.write', decision: 'ask', reason: 'writes need a look' },
      { tool: 'exec', decision: 'deny' },
      { tool: 'exec', decision: 'allow' },
    ],
  });

  it('lets deny beat ask beat allow among matching rules, naming the rule', () => {
    expect(decideToolCall('fs.write', false, config)).toEqual({
      decision: 'ask',
      reason: 'writes need a look',
      rule: 'fs.write → ask',
    });
    expect(decideToolCall('fs.edit', false, config)).toMatchObject({
      decision: 'allow',
      rule: 'fs.* → allow',
    });
    expect(decideToolCall('exec', false, config)).toMatchObject({ decision: 'deny', rule: 'exec → deny' });
  });

  it('allows read-only tools and asks for the rest when no rule matches', () => {
    const none = policyConfigSchema.parse({});
    expect(decideToolCall('http.fetch', true, none)).toEqual({
      decision: 'allow',
      reason: 'http.fetch is read-only',
    });
    expect(decideToolCall('ssh.exec', false, none).decision).toBe('ask');
  });
});
