import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { ArtifactStore } from '../../src/artifact/index.js';
import type { Clock } from '../../src/core/index.js';
import type { Redactor } from '../../src/secret/index.js';
import { openDatabase } from '../../src/storage/index.js';

/** A store over a real SQLite file and a real directory under `home`. */
export function openStore(home: string, options: { redactor?: Redactor; clock?: Clock } = {}) {
  const db = openDatabase(join(home, 'pyclaw.db'));
  const root = join(home, 'artifacts');
  return { db, root, store: new ArtifactStore(db, root, options) };
}

export function blobPath(root: string, hash: string): string {
  return join(root, 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash);
}

/** Every file under `<root>/<sub>`, recursively. */
export function filesUnder(root: string, sub: 'sha256' | 'tmp'): string[] {
  try {
    return readdirSync(join(root, sub), { recursive: true })
      .map((name) => join(root, sub, String(name)))
      .filter((path) => statSync(path).isFile());
  } catch {
    return [];
  }
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/** Deterministic, non-repeating-looking bytes, produced a block at a time. */
export function* generatedBytes(totalBytes: number, blockBytes = 64 * 1024): Generator<Buffer> {
  for (let offset = 0; offset < totalBytes; offset += blockBytes) {
    const block = Buffer.alloc(Math.min(blockBytes, totalBytes - offset));
    for (let i = 0; i < block.length; i++) block[i] = ((offset + i) * 2654435761) >>> 24;
    yield block;
  }
}

/** Stands in for the real redactor: replaces one canary, as long as it arrives within one chunk. */
export function canaryRedactor(canary: string): Redactor {
  const redactText = (text: string) => text.replaceAll(canary, '[REDACTED:canary]');
  return {
    register() {},
    redactText,
    redactValue: (value) => value,
    createStream: () =>
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          done(null, Buffer.from(redactText(chunk.toString('latin1')), 'latin1'));
        },
      }),
  };
}
