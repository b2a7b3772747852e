/**
 * Whether a tool id matches a pattern from config: an exact id, or a glob where `*` stands for any run
 * of characters (`fs.*`, `mcp.github.*`, `*`).
 */
export function toolIdMatches(pattern: string, toolId: string): boolean {
  if (!pattern.includes('*')) return pattern === toolId;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(toolId);
}
