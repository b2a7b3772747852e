import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/runtime/index.js';

const configError = (text: string) => {
  try {
    parseConfig(text, 'config.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
};

describe('memory: in config.yaml', () => {
  it('defaults to promotion after 3 proposals, no rules, no embeddings', () => {
    expect(parseConfig('', 'config.yaml').memory).toEqual({
      promoteAfter: 3,
      autoPromote: [],
      retrieval: { limit: 8 },
    });
  });

  it('names the bad key and its line', () => {
    expect(configError('memory:\n  autoPromote:\n    - { pattern: "(" }\n')).toBe(
      'config.yaml:3: memory.autoPromote.0.pattern: not a valid regular expression',
    );
    expect(configError('memory:\n  autoPromote: [{}]\n')).toBe(
      'config.yaml:2: memory.autoPromote.0: give a kind, a pattern or both',
    );
    expect(configError('memory:\n  embeddings: { provider: nope, model: m }\n')).toBe(
      'config.yaml:2: memory.embeddings.provider: no provider "nope" under providers:',
    );
    expect(
      configError(
        'providers:\n  claude: { kind: anthropic, apiKey: "secret:k" }\nmemory:\n  embeddings: { provider: claude, model: m, dimensions: 12 }\n',
      ),
    ).toBe('config.yaml:4: memory.embeddings.dimensions: a multiple of 8');
    expect(
      configError(
        'providers:\n  claude: { kind: anthropic, apiKey: "secret:k" }\nmemory:\n  embeddings: { provider: claude, model: m }\n',
      ),
    ).toBe(
      'config.yaml:4: memory.embeddings.provider: provider "claude" (kind anthropic) serves no embeddings; name a kind: openai provider',
    );
  });
});
