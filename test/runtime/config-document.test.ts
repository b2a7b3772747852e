import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { configText, setInConfig } from '../../src/runtime/config-document.js';

function edited(text: string, path: string[], value: unknown): string {
  const doc = parseDocument(text);
  setInConfig(doc, path, value);
  return configText(doc);
}

describe('setInConfig', () => {
  it('puts a new key under its commented-out example, with the comments above it', () => {
    const text = [
      'logging:',
      '  level: info',
      '',
      '# Providers, by id.',
      '# providers:',
      '#  openai: { kind: openai }',
      '',
      '# Agents.',
      'agents: {}',
      '',
    ].join('\n');
    expect(edited(text, ['providers', 'ollama', 'kind'], 'openai')).toBe(
      [
        'logging:',
        '  level: info',
        '',
        '# Providers, by id.',
        '# providers:',
        '#  openai: { kind: openai }',
        'providers:',
        '  ollama:',
        '    kind: openai',
        '',
        '# Agents.',
        'agents: {}',
        '',
      ].join('\n'),
    );
  });

  it('finds the example in comments closing the file (an older config.yaml), and appends a key without one', () => {
    const older = 'storage:\n  durability: normal\n\n# Agents:\n# agents:\n#  default: {}\n';
    expect(edited(older, ['agents', 'default', 'name'], 'A')).toBe(
      `${older}agents:\n  default:\n    name: A\n`,
    );
    expect(edited('storage:\n  durability: full\n', ['logging', 'level'], 'debug')).toBe(
      'storage:\n  durability: full\nlogging:\n  level: debug\n',
    );
  });

  it('replaces an existing value, or a null one on the way, and starts an empty file', () => {
    expect(edited('agents:\n  a:\n    name: A\n', ['agents', 'a', 'name'], 'B')).toBe(
      'agents:\n  a:\n    name: B\n',
    );
    expect(edited('agents:\n', ['agents', 'a', 'name'], 'A')).toBe('agents:\n  a:\n    name: A\n');
    expect(edited('', ['agents', 'a', 'name'], 'A')).toBe('agents:\n  a:\n    name: A\n');
  });
});
