import { chmodSync, closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir.js';
import { blobPath, openStore } from './store-fixture.js';

const tempDir = useTempDirs();

describe('ArtifactStore.checkIntegrity', () => {
  it('re-hashes every blob and reports the corrupt and the missing ones', async () => {
    const { store, root } = openStore(tempDir());
    const good = await store.put('good');
    const corrupted = await store.put('will be corrupted');
    const lost = await store.put('will be lost');
    expect(await store.checkIntegrity()).toEqual({ checked: 3, corrupt: [], missing: [] });

    const path = blobPath(root, corrupted.hash);
    chmodSync(path, 0o644);
    const fd = openSync(path, 'r+');
    writeSync(fd, 'W', 0);
    closeSync(fd);
    rmSync(blobPath(root, lost.hash));

    expect(await store.checkIntegrity()).toEqual({
      checked: 3,
      corrupt: [corrupted.hash],
      missing: [lost.hash],
    });
    expect((await store.getBytes(corrupted.ref)).toString()).toBe('Will be corrupted');
    expect((await store.getBytes(good.ref)).toString()).toBe('good');
  });
});
