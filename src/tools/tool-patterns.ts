import { PyclawError } from '../core/index.js';

/**
 * The names among `names` that `patterns` select, in `names` order. A pattern is a tool id or a glob
 * where `*` matches any run of characters, dots included (`mcp.*` covers `mcp.github.search`). A plain
 * id that names no tool is an error (a typo in config); a glob that matches nothing selects nothing.
 */
export function selectToolNames(patterns: readonly string[], names: readonly string[]): string[] {
  const matchers = patterns.map((pattern) => {
    if (!pattern.includes('*')) {
      if (!names.includes(pattern)) {
        throw new PyclawError('tool.unknown', `no tool named "${pattern}"`, {
          hint: `known tools: ${names.join(', ')}`,
        });
      }
      return (name: string) => name === pattern;
    }
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
    return (name: string) => regex.test(name);
  });
  return names.filter((name) => matchers.some((matches) => matches(name)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
