import { agentModelRefs } from '../registry/index.js';
import type { Config } from './config.js';

/** The model an agent uses with this provider (providers that serve one model need no name). */
export function modelToTry(config: Config, providerId: string): string | undefined {
  for (const { models } of Object.values(config.agents)) {
    if (!models) continue;
    for (const { ref } of agentModelRefs(models)) if (ref.provider === providerId) return ref.model;
  }
  const kind = config.providers[providerId]?.kind;
  if (kind === 'local' || kind === 'cortensor' || kind === 'scripted') return kind;
  return undefined;
}
