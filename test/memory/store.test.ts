import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import { createProviders, type Provider, providersConfigSchema } from '../../src/llm/index.js';
import { MemoryStore, providerEmbedder } from '../../src/memory/index.js';
import { createRedactor } from '../../src/secret/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { type Emulator, jsonBody } from '../emulators/http-emulator.js';
import { startOpenAiEmulator } from '../emulators/openai.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
let emulator: Emulator;
beforeEach(async () => {
  emulator = await startOpenAiEmulator();
});
afterEach(() => emulator.close());

const dbPath = () => join(tempDir(), 'pyclaw.db');

function embeddingProvider(): Provider {
  const config = providersConfigSchema.parse({ oa: { kind: 'openai', baseURL: `${emulator.url}/v1` } });
  return createProviders(config).get('oa') as Provider;
}

function thrown(work: () => unknown): PyclawError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PyclawError);
    return error as PyclawError;
  }
  throw new Error('expected an error');
}

describe('memory store', () => {
  it('keeps memories across reopening the file, lists newest first and finds them by their words', async () => {
    const path = dbPath();
    const first = new MemoryStore(openDatabase(path));
    first.add({ kind: 'preference', scope: 'user:local', text: 'Prefers tabs over spaces in Go code' });
    first.add({ kind: 'fact', scope: 'agent:default', text: 'The staging database runs PostgreSQL 15' });
    first.add({ kind: 'lesson', scope: 'global', text: 'Run the migrations before restarting the API' });
    first.db.close();

    const store = new MemoryStore(openDatabase(path));
    expect(store.list().map((memory) => memory.kind)).toEqual(['lesson', 'fact', 'preference']);
    const hits = await store.search('which postgres version does staging use?');
    expect(hits[0]).toMatchObject({ text: 'The staging database runs PostgreSQL 15', matchedBy: ['words'] });
    // stemming: "restarting" matches "restart"
    expect((await store.search('restart api'))[0]?.kind).toBe('lesson');
    expect(await store.search('the of and')).toEqual([]);
  });

  it('searches only the scopes asked for', async () => {
    const store = new MemoryStore(openDatabase(dbPath()));
    store.add({ kind: 'fact', scope: 'agent:ops', text: 'deploys happen on Tuesday' });
    store.add({ kind: 'fact', scope: 'agent:research', text: 'deploys of the paper site happen on Friday' });
    store.add({ kind: 'fact', scope: 'global', text: 'nobody deploys on holidays' });
    const texts = async (scope: string | string[]) =>
      (await store.search('deploys', { scope })).map((hit) => hit.scope).sort();
    expect(await texts('agent:ops')).toEqual(['agent:ops']);
    expect(await texts(['global', 'agent:ops'])).toEqual(['agent:ops', 'global']);
  });

  it('refuses a duplicate (case and end punctuation aside), a bad kind or scope, and empty text', () => {
    const store = new MemoryStore(openDatabase(dbPath()));
    store.add({ kind: 'fact', scope: 'global', text: 'The VPN needs MFA.' });
    expect(thrown(() => store.add({ kind: 'fact', scope: 'global', text: 'the vpn needs mfa' })).code).toBe(
      'memory.duplicate',
    );
    // the same text in another scope is another memory
    store.add({ kind: 'fact', scope: 'agent:ops', text: 'the vpn needs mfa' });
    const badKind = thrown(() => store.add({ kind: 'rumour' as 'fact', scope: 'global', text: 'x' }));
    expect([badKind.code, badKind.message]).toEqual(['memory.invalid', 'memory kind "rumour" is not valid']);
    expect(thrown(() => store.add({ kind: 'fact', scope: 'team:a', text: 'x' })).message).toBe(
      'memory scope "team:a" is not valid',
    );
    expect(thrown(() => store.add({ kind: 'fact', scope: 'global', text: '  ' })).code).toBe('memory.empty');
    expect(store.count()).toBe(2);
  });

  it('forgets a memory by id or unique prefix: it is no longer listed or found', async () => {
    const store = new MemoryStore(openDatabase(dbPath()));
    const kept = store.add({ kind: 'fact', scope: 'global', text: 'the printer is on the third floor' });
    const gone = store.add({ kind: 'fact', scope: 'global', text: 'the printer password is on a sticker' });
    // ids made in the same millisecond share all but their last characters: the shortest unique prefix
    const differsAt = [...gone.id].findIndex((char, i) => char !== kept.id[i]);
    expect((await store.forget(gone.id.slice(0, differsAt + 1))).id).toBe(gone.id);
    expect(store.list().map((memory) => memory.id)).toEqual([kept.id]);
    expect((await store.search('printer')).map((hit) => hit.id)).toEqual([kept.id]);
    expect(thrown(() => store.get(gone.id)).message).toBe(`no memory "${gone.id}"`);
  });

  it('redacts registered secrets before storing', async () => {
    const redactor = createRedactor();
    redactor.register('hunter2-canary-secret', 'db_password');
    const store = new MemoryStore(openDatabase(dbPath()), { redact: (text) => redactor.redactText(text) });
    const memory = store.add({ kind: 'fact', scope: 'global', text: 'db password is hunter2-canary-secret' });
    expect(memory.text).not.toContain('hunter2');
    expect(JSON.stringify(store.list())).not.toContain('hunter2');
  });

  it('with an embedding provider, finds a memory by meaning that shares no word with the question', async () => {
    const embedder = providerEmbedder(embeddingProvider(), 'text-embedding-3-small', 256);
    const store = new MemoryStore(openDatabase(dbPath()), { embedder });
    store.add({ kind: 'preference', scope: 'user:local', text: 'Enjoys oolong tea in the afternoon' });
    store.add({ kind: 'fact', scope: 'user:local', text: 'Owns a hatchback' });
    expect(await store.embedMissing()).toBe(2);
    const request = jsonBody(emulator, 0);
    expect(request).toMatchObject({
      model: 'text-embedding-3-small',
      dimensions: 256,
      encoding_format: 'base64',
    });

    expect(await new MemoryStore(store.db).search('which beverage does the user like?')).toEqual([]);
    const hits = await store.search('which beverage does the user like?', { limit: 1 });
    expect(hits).toEqual([
      expect.objectContaining({ text: 'Enjoys oolong tea in the afternoon', matchedBy: ['meaning'] }),
    ]);
  });

  it('falls back to words when the embedding model is unreachable, and says so', async () => {
    const embedder = providerEmbedder(embeddingProvider(), 'text-embedding-3-small');
    const store = new MemoryStore(openDatabase(dbPath()), { embedder });
    store.add({ kind: 'fact', scope: 'global', text: 'backups run at 02:00' });
    await emulator.close();
    const warnings: string[] = [];
    const hits = await store.search('backups', { onVectorError: (message) => warnings.push(message) });
    expect(hits.map((hit) => hit.text)).toEqual(['backups run at 02:00']);
    expect(warnings).toHaveLength(1);
  });

  it('a provider without embeddings is refused in one line', () => {
    const config = providersConfigSchema.parse({ s: { kind: 'scripted', responses: [] } });
    const provider = createProviders(config).get('s') as Provider;
    expect(thrown(() => providerEmbedder(provider, 'm')).message).toBe('provider "s" cannot make embeddings');
  });
});
