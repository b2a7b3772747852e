import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviders, type Provider, providersConfigSchema } from '../../src/llm/index.js';
import { MemoryStore, providerEmbedder } from '../../src/memory/index.js';
import { openDatabase } from '../../src/storage/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { startOpenAiEmulator } from '../emulators/openai.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { type Corpus, generateCorpus } from './corpus.js';

const tempDir = useTempDirs();
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startOpenAiEmulator();
});
afterAll(() => emulator.close());

function embeddingProvider(): Provider {
  const config = providersConfigSchema.parse({ oa: { kind: 'openai', baseURL: `${emulator.url}/v1` } });
  return createProviders(config).get('oa') as Provider;
}

/** The share of questions whose memory is among the top 5 hits. */
async function recallAt5(store: MemoryStore, corpus: Corpus): Promise<number> {
  let found = 0;
  for (const { query, answer } of corpus.questions) {
    const hits = await store.search(query, { limit: 5 });
    if (hits.some((hit) => hit.text === corpus.memories[answer]?.text)) found++;
  }
  return found / corpus.questions.length;
}

describe('memory recall among 100,000 memories', () => {
  it('puts the right memory in the top 5 for paraphrased questions when vectors are on (recall@5 >= 0.9)', async () => {
    const corpus = generateCorpus(100_000, 200);
    const db = openDatabase(join(tempDir(), 'pyclaw.db'));
    const embedder = providerEmbedder(embeddingProvider(), 'text-embedding-3-small', 256);
    const hybrid = new MemoryStore(db, { embedder });
    const started = Date.now();
    expect(hybrid.addMany(corpus.memories)).toBe(100_000);
    const stored = Date.now();
    expect(await hybrid.embedMissing()).toBe(100_000);
    const embedded = Date.now();

    const withVectors = await recallAt5(hybrid, corpus);
    const wordsOnly = await recallAt5(new MemoryStore(db), corpus);
    console.log(
      `memory recall@5 over 100,000 memories, ${corpus.questions.length} paraphrased questions: ` +
        `BM25 + vectors ${withVectors.toFixed(3)}, BM25 alone ${wordsOnly.toFixed(3)} ` +
        `(stored in ${stored - started} ms, embedded in ${embedded - stored} ms)`,
    );
    expect(withVectors).toBeGreaterThanOrEqual(0.9);
    db.close();
  }, 600_000);
});
