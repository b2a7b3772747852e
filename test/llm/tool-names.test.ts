import { describe, expect, it } from 'vitest';
import { createToolNameMap, LlmError, wireToolName } from '../../src/llm/index.js';

describe('tool wire names', () => {
  it('maps dotted ids to wire-safe names and back', () => {
    const names = createToolNameMap('p', ['fs.read', 'mcp.github.create_issue', 'ssh-exec']);
    expect(names.toWire('fs.read')).toBe('fs_read');
    expect(names.toWire('mcp.github.create_issue')).toBe('mcp_github_create_issue');
    expect(names.fromWire('fs_read')).toBe('fs.read');
    expect(names.fromWire('mcp_github_create_issue')).toBe('mcp.github.create_issue');
    expect(names.fromWire('ssh-exec')).toBe('ssh-exec');
  });

  it('keeps over-long ids within 64 characters and still distinct', () => {
    const long = `mcp.server.${'x'.repeat(80)}`;
    const longer = `${long}y`;
    expect(wireToolName(long)).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(wireToolName(long)).not.toBe(wireToolName(longer));
    expect(createToolNameMap('p', [long]).fromWire(wireToolName(long))).toBe(long);
  });

  it('rejects two ids that would share a wire name', () => {
    expect(() => createToolNameMap('p', ['web.fetch', 'web_fetch'])).toThrow(LlmError);
    expect(() => createToolNameMap('p', ['a:b', 'a.b'])).toThrow(
      'tools "a:b" and "a.b" both map to the wire name "a_b"',
    );
  });

  it('accepts the same id mentioned twice', () => {
    expect(createToolNameMap('p', ['fs.read', 'fs.read']).fromWire('fs_read')).toBe('fs.read');
  });
});
