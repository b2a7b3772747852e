import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../src/artifact/index.js';
import type { Db } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { blobPath, filesUnder, manualClock, openStore } from './store-fixture.js';

const tempDir = useTempDirs();
const hour = 3_600_000;

/** What the session log does on append when a payload names `sha256:<hash>`. */
function referenceFromEvent(db: Db, hash: string): void {
  db.prepare("INSERT INTO event_artifacts (hash, session_id, seq) VALUES (?, 'session-1', 1)").run(hash);
}

async function storeText(
  store: ArtifactStore,
  text: string,
  options: Parameters<ArtifactStore['put']>[1] = {},
) {
  return (await store.put(text, options)).hash;
}

describe('ArtifactStore.gc', () => {
  it('removes a blob only when unreferenced, not pinned, past grace, and expired, ephemeral or unaliased', async () => {
    const clock = manualClock();
    const { store, db, root } = openStore(tempDir(), { clock });
    const soon = clock.now() + 10;
    const later = clock.now() + 10 * hour;
    const kept = {
      referencedExpiredEphemeral: await storeText(store, 'a', { retention: 'ephemeral', expiresAt: soon }),
      referencedUnaliased: await storeText(store, 'b'),
      pinnedExpired: await storeText(store, 'c', { retention: 'pinned', expiresAt: soon }),
      aliased: await storeText(store, 'd', { alias: 'keep-me' }),
      aliasedNotYetExpired: await storeText(store, 'e', { alias: 'until-later', expiresAt: later }),
    };
    const removed = {
      aliasedExpired: await storeText(store, 'f', { alias: 'old', expiresAt: soon }),
      ephemeralAliased: await storeText(store, 'g', { retention: 'ephemeral', alias: 'scratch' }),
      unaliased: await storeText(store, 'h'),
    };
    referenceFromEvent(db, kept.referencedExpiredEphemeral);
    referenceFromEvent(db, kept.referencedUnaliased);
    clock.advance(2 * hour);

    const report = await store.gc();
    expect(report.removed.sort()).toEqual(Object.values(removed).sort());
    expect(report.freedBytes).toBe(3);
    expect(
      store
        .list()
        .map((info) => info.hash)
        .sort(),
    ).toEqual(Object.values(kept).sort());
    expect(filesUnder(root, 'sha256').sort()).toEqual(
      Object.values(kept)
        .map((hash) => blobPath(root, hash))
        .sort(),
    );
    expect(store.stat('old')).toBeUndefined();
    expect(store.stat('keep-me')?.hash).toBe(kept.aliased);
  });

  it('never removes a blob an event references, even expired and ephemeral with no grace', async () => {
    const clock = manualClock();
    const { store, db } = openStore(tempDir(), { clock });
    const hash = await storeText(store, 'named by an event', {
      retention: 'ephemeral',
      expiresAt: clock.now(),
    });
    referenceFromEvent(db, hash);
    clock.advance(1000 * hour);
    expect(await store.gc({ graceMs: 0 })).toEqual({ removed: [], freedBytes: 0 });
    expect((await store.getBytes(hash)).toString()).toBe('named by an event');
  });

  it('keeps blobs stored within the grace period, counting from the latest put of the same bytes', async () => {
    const clock = manualClock();
    const { store } = openStore(tempDir(), { clock });
    const hash = await storeText(store, 'about to be named by an event');
    clock.advance(hour - 1);
    expect((await store.gc()).removed).toEqual([]);
    await storeText(store, 'about to be named by an event');
    clock.advance(hour - 1);
    expect((await store.gc()).removed).toEqual([]);
    clock.advance(1);
    expect((await store.gc()).removed).toEqual([hash]);
    await expect(store.gc({ graceMs: -1 })).rejects.toThrow(/invalid gc options: graceMs/);
  });

  it('removes blob files with no row and stale temp files once past the grace period', async () => {
    const { store, root } = openStore(tempDir());
    const kept = await storeText(store, 'kept', { alias: 'k' });
    const orphan = 'ab'.repeat(32);
    mkdirSync(dirname(blobPath(root, orphan)), { recursive: true });
    writeFileSync(blobPath(root, orphan), 'no row for me');
    writeFileSync(join(root, 'tmp', 'interrupted-put'), 'partial');
    writeFileSync(join(root, 'sha256', 'not-a-blob'), 'left alone');

    expect(await store.gc()).toEqual({ removed: [], freedBytes: 0 });
    const twoHoursAgo = new Date(Date.now() - 2 * hour);
    utimesSync(blobPath(root, orphan), twoHoursAgo, twoHoursAgo);
    utimesSync(join(root, 'tmp', 'interrupted-put'), twoHoursAgo, twoHoursAgo);

    expect(await store.gc()).toEqual({
      removed: [orphan],
      freedBytes: 'no row for me'.length + 'partial'.length,
    });
    expect(filesUnder(root, 'sha256').sort()).toEqual([
      blobPath(root, kept),
      join(root, 'sha256', 'not-a-blob'),
    ]);
    expect(filesUnder(root, 'tmp')).toEqual([]);
  });
});
