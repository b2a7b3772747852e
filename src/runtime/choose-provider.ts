import { PyclawError } from '../core/index.js';
import type { ModelRef } from '../registry/index.js';
import { setInConfig } from './config-document.js';
import { editConfigFile } from './config-file.js';
import type { ProviderDetection } from './provider-detection.js';

/**
 * Writes a detected provider under `providers:` (keys as `${env:NAME}` references, never values) and
 * makes it the `default` agent's default model. Returns that model.
 */
export function useDetectedProvider(configPath: string, detection: ProviderDetection, id: string): ModelRef {
  const option = detection.found.find((found) => found.id === id);
  if (!option) {
    const found = detection.found.map((found) => found.id).join(', ') || 'none';
    throw new PyclawError(
      'init.provider-not-detected',
      `provider "${id}" was not detected (found: ${found})`,
    );
  }
  if ('blocked' in option.setup) {
    throw new PyclawError(
      'init.provider-not-ready',
      `provider "${id}" cannot be used yet: ${option.setup.blocked}`,
    );
  }
  const { provider, model } = option.setup;
  const ref = { provider: id, model };
  editConfigFile(configPath, (doc) => {
    setInConfig(doc, ['providers', id], provider);
    setInConfig(doc, ['agents', 'default', 'models', 'default'], doc.createNode(ref, { flow: true }));
  });
  return ref;
}
