import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { artifactInfoSchema } from '../../src/artifact/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import {
  blobPath,
  canaryRedactor,
  filesUnder,
  generatedBytes,
  manualClock,
  openStore,
} from './store-fixture.js';

const tempDir = useTempDirs();

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('ArtifactStore put and get', () => {
  it('stores bytes read-only under sha256/ab/cd/<hash> and reads them back', async () => {
    const clock = manualClock();
    const { store, root } = openStore(tempDir(), { clock });
    const info = await store.put('hello artifact\n', { createdByEvent: 'evt-1' });
    const hash = sha256('hello artifact\n');
    expect(artifactInfoSchema.parse(info)).toEqual({
      hash,
      ref: `sha256:${hash}`,
      size: 15,
      mime: 'text/plain; charset=utf-8',
      createdAt: clock.now(),
      createdByEvent: 'evt-1',
      retention: 'standard',
      expiresAt: null,
      aliases: [],
    });
    expect(readFileSync(blobPath(root, hash), 'utf8')).toBe('hello artifact\n');
    expect(statSync(blobPath(root, hash)).mode & 0o777).toBe(0o444);
    expect((await store.getBytes(info.ref)).toString()).toBe('hello artifact\n');
    expect(store.stat(hash)).toEqual(info);
    expect((await store.put(Buffer.from([0, 1, 2]))).mime).toBe('application/octet-stream');
  });

  it('takes the space once when the same bytes are stored twice, and only strengthens how they are kept', async () => {
    const clock = manualClock();
    const { store, root } = openStore(tempDir(), { clock });
    const first = await store.put(Buffer.from('same bytes'), {
      alias: 'first',
      mime: 'text/x-first',
      retention: 'ephemeral',
      expiresAt: clock.now() + 1000,
    });
    clock.advance(10);
    const second = await store.put(Readable.from([Buffer.from('same '), Buffer.from('bytes')]), {
      alias: 'second',
      mime: 'text/x-second',
      retention: 'pinned',
      expiresAt: clock.now() + 5000,
    });
    expect(second).toMatchObject({
      hash: first.hash,
      mime: 'text/x-first',
      createdAt: first.createdAt,
      retention: 'pinned',
      expiresAt: clock.now() + 5000,
      aliases: ['first', 'second'],
    });
    const third = await store.put('same bytes', { retention: 'standard', expiresAt: clock.now() + 1 });
    expect(third).toMatchObject({ retention: 'pinned', expiresAt: clock.now() + 5000 });
    expect((await store.put('same bytes')).expiresAt).toBeNull();

    const files = filesUnder(root, 'sha256');
    expect(files).toEqual([blobPath(root, first.hash)]);
    expect(files.reduce((total, file) => total + statSync(file).size, 0)).toBe(first.size);
    expect(filesUnder(root, 'tmp')).toEqual([]);
    expect(store.list()).toHaveLength(1);
  });

  it('streams a 20 MB input to disk and back, hashing what it stores', async () => {
    const { store } = openStore(tempDir());
    const size = 20 * 1024 * 1024;
    const expected = createHash('sha256');
    for (const block of generatedBytes(size)) expected.update(block);
    const info = await store.put(Readable.from(generatedBytes(size)));
    expect(info.size).toBe(size);
    expect(info.hash).toBe(expected.digest('hex'));
    const readBack = createHash('sha256');
    let bytes = 0;
    for await (const chunk of store.get(info.ref)) {
      readBack.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    expect(bytes).toBe(size);
    expect(readBack.digest('hex')).toBe(info.hash);
  });

  it('finds an artifact by ref, bare hash, hash prefix or alias', async () => {
    const { store } = openStore(tempDir());
    const info = await store.put('findable');
    store.alias('report.txt', info.hash.slice(0, 8));
    for (const name of [
      info.ref,
      info.hash,
      info.hash.slice(0, 8),
      `sha256:${info.hash.slice(0, 12)}`,
      'report.txt',
    ]) {
      expect((await store.getBytes(name)).toString()).toBe('findable');
    }
    expect(store.stat('report.txt')?.aliases).toEqual(['report.txt']);
    expect(store.stat(info.hash.slice(0, 7))).toBeUndefined();

    const other = await store.put('moved here');
    store.alias('report.txt', other.ref);
    expect((await store.getBytes('report.txt')).toString()).toBe('moved here');
    expect(store.stat(info.ref)?.aliases).toEqual([]);
  });

  it('names the ref in a one-line error when nothing matches, and refuses aliases that read as hashes', async () => {
    const { store, db } = openStore(tempDir());
    const unknown = `sha256:${'0'.repeat(64)}`;
    expect(() => store.get(unknown)).toThrow(
      expect.objectContaining({ code: 'artifact.unknown', message: `no artifact ${unknown}` }),
    );
    expect(() => store.get('nope.txt')).toThrow('no artifact nope.txt');
    expect(store.stat('nope.txt')).toBeUndefined();

    const info = await store.put('twin one');
    const twin = `${info.hash.slice(0, 8)}${'f'.repeat(56)}`;
    db.prepare(
      "INSERT INTO artifacts (hash, size, mime, created_at, last_stored_at) VALUES (?, 0, 'x', 0, 0)",
    ).run(twin);
    expect(() => store.get(info.hash.slice(0, 8))).toThrow(/matches more than one blob/);

    expect(() => store.alias('deadbeef', info.ref)).toThrow(
      /invalid alias: an alias must not look like a sha256 ref/,
    );
    await expect(store.put('x', { alias: `sha256:${info.hash}` })).rejects.toThrow(
      /invalid artifact options: alias/,
    );
    await expect(store.put('x', { retention: 'forever' as 'pinned' })).rejects.toThrow(
      /invalid artifact options: retention/,
    );
  });

  it('reports a blob whose file is gone, and storing the same bytes again restores it', async () => {
    const { store, root } = openStore(tempDir());
    const info = await store.put('fragile');
    rmSync(blobPath(root, info.hash));
    expect(() => store.get(info.ref)).toThrow(`artifact ${info.ref} has no blob file on disk`);
    await store.put('fragile');
    expect((await store.getBytes(info.ref)).toString()).toBe('fragile');
  });

  it('leaves no blob, no temp file and no row when the source fails mid-stream', async () => {
    const { store, root } = openStore(tempDir());
    let pushed = 0;
    const failing = new Readable({
      read() {
        if (pushed++ < 4) this.push(Buffer.alloc(256 * 1024, 7));
        else this.destroy(new Error('source broke'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('source broke');
    expect(filesUnder(root, 'sha256')).toEqual([]);
    expect(filesUnder(root, 'tmp')).toEqual([]);
    expect(store.list()).toEqual([]);
  });

  it('passes content through the redactor, so the secret never reaches a blob', async () => {
    const canary = 'CANARY-artifact-4411';
    const { store, root } = openStore(tempDir(), { redactor: canaryRedactor(canary) });
    const info = await store.put(
      Readable.from([Buffer.from(`token=${canary}\n`), Buffer.from(`again ${canary}`)]),
    );
    const stored = '[REDACTED:canary]';
    expect((await store.getBytes(info.ref)).toString()).toBe(`token=${stored}\nagain ${stored}`);
    expect(info.hash).toBe(sha256(`token=${stored}\nagain ${stored}`));
    for (const file of filesUnder(root, 'sha256')) expect(readFileSync(file).includes(canary)).toBe(false);
  });

  it('lists newest first, up to a limit', async () => {
    const clock = manualClock();
    const { store } = openStore(tempDir(), { clock });
    const hashes: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      hashes.push((await store.put(text)).hash);
      clock.advance(1);
    }
    expect(store.list().map((info) => info.hash)).toEqual(hashes.reverse());
    expect(store.list({ limit: 2 }).map((info) => info.hash)).toEqual(hashes.slice(0, 2));
  });
});
