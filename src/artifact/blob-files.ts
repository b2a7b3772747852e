import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../core/index.js';

/** Large buffers keep syscalls few: streaming throughput is measured in bench/. */
const ioChunkBytes = 1 << 20;
const hexDigest = /^[0-9a-f]{64}$/;

/** A complete, fsynced temp file and the digest of its bytes, waiting to be placed. */
export interface StagedBlob {
  hash: string;
  size: number;
  tempPath: string;
}

/** A file on disk and when it was last written. */
export interface FileEntry {
  path: string;
  mtimeMs: number;
}

/** The blob files: `<root>/sha256/ab/cd/<hash>`, with temp files in `<root>/tmp` (same filesystem, so rename is atomic). */
export class BlobFiles {
  private readonly blobDir: string;
  private readonly tempDir: string;

  constructor(root: string) {
    this.blobDir = join(root, 'sha256');
    this.tempDir = join(root, 'tmp');
  }

  pathOf(hash: string): string {
    return join(this.blobDir, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  /**
   * Streams `source` through `transforms` into a new temp file, hashing the bytes that reach the file.
   * The file is fsynced before this resolves (unless not `durable`); on any failure it is removed and
   * the error rethrown.
   */
  async stage(source: Readable, transforms: Transform[], durable = true): Promise<StagedBlob> {
    await mkdir(this.tempDir, { recursive: true });
    const tempPath = join(this.tempDir, newId());
    const hasher = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      highWaterMark: ioChunkBytes,
      transform(chunk: Buffer, _encoding, done) {
        hasher.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    // Created read-only: the descriptor that creates the file may still write it, nothing else can.
    const sink = createWriteStream(tempPath, {
      flags: 'wx',
      mode: 0o444,
      flush: durable,
      highWaterMark: ioChunkBytes,
    });
    try {
      await pipeline([source, ...transforms, measure, sink]);
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
    return { hash: hasher.digest('hex'), size, tempPath };
  }

  /** Writes bytes already in memory to a new temp file, synchronously; fsynced unless not `durable`. */
  stageBytes(bytes: Buffer, durable = true): StagedBlob {
    const tempPath = join(this.tempDir, newId());
    const fd = retryInMissingDir(this.tempDir, () => openSync(tempPath, 'wx', 0o444)).result;
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      if (durable) fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      unlinkIfPresent(tempPath);
      throw error;
    }
    closeSync(fd);
    return { hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, tempPath };
  }

  /**
   * Renames a staged file to its blob path, replacing any file already there: the bytes are the same
   * by construction, and a damaged or missing blob is repaired. Synchronous on purpose: the caller
   * writes the metadata row in the same tick, so no gc in this process can run in between.
   */
  place(staged: StagedBlob, durable = true): void {
    const path = this.pathOf(staged.hash);
    const dir = dirname(path);
    try {
      const { firstCreated } = retryInMissingDir(dir, () => renameSync(staged.tempPath, path));
      if (durable) syncDirectoriesUpTo(dir, firstCreated === undefined ? dir : dirname(firstCreated));
    } catch (error) {
      unlinkIfPresent(staged.tempPath);
      throw error;
    }
  }

  /** A stream of the blob's bytes, or undefined when it has no file. Opened now, so a later unlink cannot break it. */
  open(hash: string): Readable | undefined {
    let fd: number;
    try {
      fd = openSync(this.pathOf(hash), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return createReadStream('', { fd, highWaterMark: ioChunkBytes });
  }

  /** The sha256 of the blob file's current bytes, or undefined when it has no file. */
  async digest(hash: string): Promise<string | undefined> {
    const stream = this.open(hash);
    if (!stream) return undefined;
    const hasher = createHash('sha256');
    for await (const chunk of stream) hasher.update(chunk as Buffer);
    return hasher.digest('hex');
  }

  /** Removes a file now; returns the bytes freed (0 when it was already gone). */
  remove(path: string): number {
    const size = lstatSync(path, { throwIfNoEntry: false })?.size ?? 0;
    unlinkIfPresent(path);
    return size;
  }

  /** Every file at a blob path, with the hash its name claims. Other files under `sha256/` are not ours. */
  async blobEntries(): Promise<(FileEntry & { hash: string })[]> {
    const names = await readdir(this.blobDir, { recursive: true }).catch(ignoreMissing);
    const paths = names.map((name) => join(this.blobDir, name));
    const blobPaths = paths.filter((path) => {
      const hash = basename(path);
      return hexDigest.test(hash) && this.pathOf(hash) === path;
    });
    const entries = await withModifiedTimes(blobPaths);
    return entries.map((entry) => ({ ...entry, hash: basename(entry.path) }));
  }

  async tempEntries(): Promise<FileEntry[]> {
    const names = await readdir(this.tempDir).catch(ignoreMissing);
    return withModifiedTimes(names.map((name) => join(this.tempDir, name)));
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): string[] {
  if (error.code === 'ENOENT') return [];
  throw error;
}

/** Files that vanish while being listed are skipped. */
async function withModifiedTimes(paths: string[]): Promise<FileEntry[]> {
  const found = await Promise.all(
    paths.map(async (path) => ({ path, stats: await stat(path).catch(() => undefined) })),
  );
  return found.flatMap(({ path, stats }) => (stats?.isFile() ? [{ path, mtimeMs: stats.mtimeMs }] : []));
}

/**
 * Runs `create` (a call that makes an entry in `dir`); only when `dir` is missing, creates it and runs
 * `create` again. Most writes land in directories that exist, so they skip the mkdir calls.
 */
function retryInMissingDir<T>(dir: string, create: () => T): { result: T; firstCreated?: string } {
  try {
    return { result: create() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const firstCreated = mkdirSync(dir, { recursive: true });
  return { result: create(), ...(firstCreated === undefined ? {} : { firstCreated }) };
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Makes a rename (and any directories just created for it) survive power loss: fsync `dir`, then each parent up to `top`. */
function syncDirectoriesUpTo(dir: string, top: string): void {
  for (let current = dir; ; current = dirname(current)) {
    const fd = openSync(current, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (current === top) return;
  }
}
