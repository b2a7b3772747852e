import { toolIdMatches } from '../core/index.js';
import type { PyclawApp } from '../runtime/index.js';

/** Whether any agent's `tools:` selects one of the tools `patterns` name (a missing prerequisite fails then). */
export function agentsUse(app: PyclawApp, patterns: readonly string[]): boolean {
  const specs = app.tools().specs(patterns);
  return app
    .registry()
    .list()
    .some((agent) => specs.some((spec) => agent.tools.some((pattern) => toolIdMatches(pattern, spec.name))));
}
