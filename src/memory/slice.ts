import type { MemoryHit, MemoryStore, SearchOptions } from './memory-store.js';

export interface SliceOptions extends SearchOptions {
  /** The most the slice may cost, in the unit of `measure` (characters by default). */
  budget: number;
  /** The cost of one memory's text, e.g. a token counter; defaults to its length in characters. */
  measure?: (text: string) => number;
}

export interface MemorySlice {
  /** Best first, together within the budget. */
  included: (MemoryHit & { cost: number })[];
  /** Matches left out, with why, for the pack's telemetry. */
  dropped: (MemoryHit & { cost: number; reason: string })[];
}

/**
 * The memories that best match `query`, as many as fit `budget` (up to `limit`): what a PromptPack
 * takes for its memory section. A match too large for what is left is dropped and smaller later ones
 * may still fit.
 */
export async function memorySlice(
  store: MemoryStore,
  query: string,
  options: SliceOptions,
): Promise<MemorySlice> {
  const measure = options.measure ?? ((text: string) => text.length);
  const hits = await store.search(query, options);
  const slice: MemorySlice = { included: [], dropped: [] };
  let left = options.budget;
  for (const hit of hits) {
    const cost = measure(hit.text);
    if (cost <= left) {
      slice.included.push({ ...hit, cost });
      left -= cost;
    } else {
      slice.dropped.push({ ...hit, cost, reason: `needs ${cost}, ${left} of ${options.budget} left` });
    }
  }
  return slice;
}
