import type { ContextConfig } from '../registry/index.js';
import type { PackBudgets } from './pack-document.js';

/** The window assumed for a model whose window is neither configured nor known from its provider. */
export const defaultContextWindow = 8192;

/**
 * The pack's budgets: the window less the answer's reserve, capped by `maxTokens`, divided by the
 * provider's token ratio; each fixed section gets its share, the conversation the rest.
 */
export function packBudgets(config: ContextConfig, window: number, ratio = 1): PackBudgets {
  const usable = Math.max(0, Math.min(window - config.reserveOutput, config.maxTokens));
  const total = Math.floor(usable / ratio);
  const { shares } = config;
  const part = (share: number) => Math.floor(total * share);
  return {
    window,
    reserveOutput: config.reserveOutput,
    ratio,
    total,
    identity: part(shares.identity),
    summary: part(shares.summary),
    memory: part(shares.memory),
    skills: part(shares.skills),
    tools: part(shares.tools),
  };
}
