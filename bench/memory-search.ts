import { join } from 'node:path';
import { type Embedder, MemoryStore, rebuildWordsIndex, wordsIndexProblem } from '../src/memory/index.js';
import { openDatabase } from '../src/storage/index.js';
import { embedText } from '../test/emulators/embedding-model.js';
import { type Corpus, generateCorpus } from '../test/memory/corpus.js';
import { median, type Result, timeMs, timeMsAsync } from './measure.js';

const MEMORIES = 100_000;
const QUESTIONS = 200;
const DIMENSIONS = 512;

/** The emulator's embedding model, called in-process so the timings are the search's own. */
const inProcessEmbedder: Embedder = {
  key: `bench/emulated/${DIMENSIONS}`,
  embed: async (texts) => texts.map((text) => embedText(text, DIMENSIONS)),
};

interface Searched {
  p50: number;
  p95: number;
  recall: number;
}

async function searchTimes(store: MemoryStore, corpus: Corpus): Promise<Searched> {
  for (const { query } of corpus.questions.slice(0, 20)) await store.search(query, { limit: 5 });
  const samples: number[] = [];
  let found = 0;
  for (const { query, answer } of corpus.questions) {
    let texts: string[] = [];
    samples.push(
      await timeMsAsync(async () => {
        texts = (await store.search(query, { limit: 5 })).map((hit) => hit.text);
      }),
    );
    if (texts.includes(corpus.memories[answer]?.text as string)) found++;
  }
  samples.sort((a, b) => a - b);
  return {
    p50: median(samples),
    p95: samples[Math.floor(samples.length * 0.95)] as number,
    recall: found / corpus.questions.length,
  };
}

/**
 * Memory search over 100,000 generated memories with paraphrased questions (test/memory/corpus.ts):
 * words alone (FTS5, BM25) and hybrid (plus sqlite-vec sign-bit search re-scored by cosine, fused by
 * rank). The query is embedded in-process; with a real model its HTTP call adds to the hybrid time.
 */
export async function memorySearch(dir: string): Promise<Result[]> {
  const corpus = generateCorpus(MEMORIES, QUESTIONS);
  const db = openDatabase(join(dir, 'memory.db'));
  const hybrid = new MemoryStore(db, { embedder: inProcessEmbedder });
  const storeMs = timeMs(() => hybrid.addMany(corpus.memories));
  const embedMs = await timeMsAsync(async () => {
    await hybrid.embedMissing();
  });
  // what `pyclaw doctor` adds per run, and what `doctor --fix` takes when the index needs it
  const checkMs = timeMs(() => wordsIndexProblem(db));
  const rebuildMs = timeMs(() => rebuildWordsIndex(db));
  const words = await searchTimes(new MemoryStore(db), corpus);
  const both = await searchTimes(hybrid, corpus);
  db.close();
  return [
    { name: 'memory: store 100,000 (one transaction)', value: storeMs / 1000, unit: 's' },
    { name: 'memory: embed and index 100,000 (in-process model)', value: embedMs / 1000, unit: 's' },
    {
      name: 'doctor: memory words index check, 100k',
      value: checkMs,
      unit: 'ms',
      target: { op: '<=', value: 1000 },
    },
    { name: 'doctor --fix: rebuild memory words index, 100k', value: rebuildMs, unit: 'ms' },
    { name: 'memory: search 100k, BM25, p50', value: words.p50, unit: 'ms' },
    { name: 'memory: search 100k, BM25, p95', value: words.p95, unit: 'ms', target: { op: '<=', value: 20 } },
    { name: 'memory: search 100k, hybrid, p50', value: both.p50, unit: 'ms' },
    {
      name: 'memory: search 100k, hybrid, p95',
      value: both.p95,
      unit: 'ms',
      target: { op: '<=', value: 20 },
    },
    { name: 'memory: recall@5, BM25 alone', value: words.recall, unit: 'ratio' },
    { name: 'memory: recall@5, hybrid', value: both.recall, unit: 'ratio', target: { op: '>=', value: 0.9 } },
  ];
}
