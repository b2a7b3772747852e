import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { startOpenAiEmulator } from '../emulators/openai.js';
import { type CliResult, runCliAsync } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

function configure(home: string, embeddings: string | undefined): void {
  writeFileSync(
    join(home, 'config.yaml'),
    [
      'providers:',
      '  oa:',
      '    kind: openai',
      `    baseURL: ${emulator.url}/v1`,
      '    maxAttempts: 1',
      ...(embeddings ? ['memory:', `  embeddings: ${embeddings}`] : []),
    ].join('\n'),
  );
}

function ok(result: CliResult): string {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** The stored vectors, read from the database file itself. */
function storedVectors(home: string) {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    return {
      model: db.prepare('SELECT model, dimensions FROM memory_vector_model').get(),
      byModel: db.prepare('SELECT model, count(*) AS n FROM memory_vectors GROUP BY model').all(),
    };
  } finally {
    db.close();
  }
}

const embeddingRequests = () =>
  emulator.requests
    .filter((request) => request.path === '/v1/embeddings')
    .map((request) => request.body as { model: string; dimensions?: number; input: string[] });

describe('pyclaw memory reembed', () => {
  it('after the embedding model changes, replaces every stale vector and search finds by meaning again', async () => {
    const home = tempDir();
    configure(home, '{ provider: oa, model: text-embedding-3-small, dimensions: 256 }');
    for (const text of ['Enjoys oolong tea after lunch', 'Owns a hatchback', 'Fears spiders']) {
      ok(await runCliAsync(home, ['memory', 'add', text, '--kind', 'fact']));
    }
    expect(storedVectors(home)).toEqual({
      model: { model: 'oa/text-embedding-3-small/256', dimensions: 256 },
      byModel: [{ model: 'oa/text-embedding-3-small/256', n: 3 }],
    });

    configure(home, '{ provider: oa, model: text-embedding-3-large, dimensions: 512 }');
    emulator.requests.length = 0;
    const report = JSON.parse(ok(await runCliAsync(home, ['memory', 'reembed', '--json'])));
    expect(report).toEqual({
      model: 'oa/text-embedding-3-large/512',
      dimensions: 512,
      embedded: 3,
      replaced: 3,
      stale: 3,
      staleModel: 'oa/text-embedding-3-small/256',
    });
    expect(embeddingRequests()).toEqual([
      expect.objectContaining({ model: 'text-embedding-3-large', dimensions: 512, input: expect.any(Array) }),
    ]);
    expect(embeddingRequests()[0]?.input).toHaveLength(3);
    expect(storedVectors(home)).toEqual({
      model: { model: 'oa/text-embedding-3-large/512', dimensions: 512 },
      byModel: [{ model: 'oa/text-embedding-3-large/512', n: 3 }],
    });

    const hits = JSON.parse(
      ok(await runCliAsync(home, ['memory', 'search', 'favourite beverage', '--limit', '1', '--json'])),
    );
    expect(hits).toEqual([
      expect.objectContaining({ text: 'Enjoys oolong tea after lunch', matchedBy: ['meaning'] }),
    ]);

    // nothing stale the second time; every vector is made again all the same
    expect(ok(await runCliAsync(home, ['memory', 'reembed']))).toBe(
      'embedded 3 memories with oa/text-embedding-3-large/512 (512 dimensions); replaced 3 vectors\n',
    );
  });

  it('keeps the old vectors when the model cannot be reached, and refuses without a model, in one line', async () => {
    const home = tempDir();
    configure(home, '{ provider: oa, model: text-embedding-3-small, dimensions: 256 }');
    ok(await runCliAsync(home, ['memory', 'add', 'Owns a hatchback', '--kind', 'fact']));
    const before = storedVectors(home);

    configure(home, '{ provider: oa, model: text-embedding-3-large, dimensions: 512 }');
    await emulator.close();
    const unreachable = await runCliAsync(home, ['memory', 'reembed']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^pyclaw: .*oa/)]);
    expect(storedVectors(home)).toEqual(before);

    configure(home, undefined);
    const unset = await runCliAsync(home, ['memory', 'reembed']);
    expect([unset.code, unset.stderr]).toEqual([
      1,
      'pyclaw: memory.embeddings is not set: there is no model to embed with (set memory.embeddings { provider, model } in config.yaml)\n',
    ]);
    expect(storedVectors(home)).toEqual(before);
  });
});
