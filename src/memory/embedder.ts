import { PyclawError } from '../core/index.js';
import type { Provider } from '../llm/index.js';

/** Turns texts into vectors; vectors of embedders with different keys are never compared. */
export interface Embedder {
  /** Provider, model and size, e.g. `openai/text-embedding-3-small/512`. */
  readonly key: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** An embedder backed by a provider's embeddings endpoint. */
export function providerEmbedder(provider: Provider, model: string, dimensions?: number): Embedder {
  const embed = provider.embed?.bind(provider);
  if (!embed) {
    throw new PyclawError('memory.no-embeddings', `provider "${provider.id}" cannot make embeddings`, {
      hint: 'memory.embeddings.provider must name an OpenAI-compatible provider (kind: openai)',
    });
  }
  return {
    key: `${provider.id}/${model}/${dimensions ?? 'native'}`,
    async embed(texts) {
      if (texts.length === 0) return [];
      return (await embed({ model, texts, dimensions })).vectors;
    },
  };
}
