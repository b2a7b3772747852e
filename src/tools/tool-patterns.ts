import { PyclawError, toolIdMatches } from '../core/index.js';

/**
 * The names among `names` that `patterns` select, in `names` order. A pattern is a tool id or a glob
 * where `*` matches any run of characters, dots included (`mcp.*` covers `mcp.github.search`). A plain
 * id that names no tool is an error (a typo in config); a glob that matches nothing selects nothing.
 */
export function selectToolNames(patterns: readonly string[], names: readonly string[]): string[] {
  for (const pattern of patterns) {
    if (!pattern.includes('*') && !names.includes(pattern)) {
      throw new PyclawError('tool.unknown', `no tool named "${pattern}"`, {
        hint: `known tools: ${names.join(', ')}`,
      });
    }
  }
  return names.filter((name) => patterns.some((pattern) => toolIdMatches(pattern, name)));
}
