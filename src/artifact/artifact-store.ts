import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import { type Clock, PyclawError, systemClock } from '../core/index.js';
import type { Redactor } from '../secret/index.js';
import type { Db } from '../storage/index.js';
import {
  type ArtifactInfo,
  aliasSchema,
  type PutOptions,
  parseArtifactInput,
  putOptionsSchema,
} from './artifact-info.js';
import { parseArtifactQuery, refOf } from './artifact-ref.js';
import { ArtifactRows } from './artifact-rows.js';
import { BlobFiles, type StagedBlob } from './blob-files.js';

/** A text written to a temp file with its hash known, stored only once `putStaged` places it. */
export interface StagedText extends StagedBlob {
  meta: PutOptions;
}

export interface GcReport {
  /** Hashes whose blob (and row, if it had one) was removed. */
  removed: string[];
  /** Bytes of every file removed: blobs and stale temp files. */
  freedBytes: number;
}

export interface IntegrityReport {
  checked: number;
  /** Blobs whose bytes no longer hash to their name. */
  corrupt: string[];
  /** Rows whose blob file is gone. */
  missing: string[];
}

const defaultGraceMs = 60 * 60 * 1000;
const gcOptionsSchema = z.object({ graceMs: z.number().nonnegative().default(defaultGraceMs) });

/**
 * The content-addressed artifact store: each blob lives in a file named by the sha256 of its bytes,
 * its metadata in SQLite. Content passes through the redactor on its way in, so no blob ever holds a
 * secret the redactor knows.
 */
export class ArtifactStore {
  private readonly rows: ArtifactRows;
  private readonly files: BlobFiles;
  private readonly redactor: Redactor | undefined;
  private readonly clock: Clock;

  constructor(db: Db, root: string, options: { redactor?: Redactor; clock?: Clock } = {}) {
    this.rows = new ArtifactRows(db);
    this.files = new BlobFiles(root);
    this.redactor = options.redactor;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Stores the bytes of `source` (a string is stored as UTF-8). The same bytes stored again take no
   * more space: the blob is shared, aliases accumulate, and the stronger retention and later expiry
   * win. If the source fails, nothing is stored.
   */
  async put(source: Readable | Buffer | string, options: PutOptions = {}): Promise<ArtifactInfo> {
    const meta = parseArtifactInput(putOptionsSchema, options, 'artifact options');
    const durable = meta.durable ?? true;
    const staged = await this.files.stage(
      asStream(source),
      this.redactor ? [this.redactor.createStream()] : [],
      durable,
    );
    const defaultMime = typeof source === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    return this.placeAndRecord(staged, meta, defaultMime);
  }

  /**
   * `put` for a text already in memory, done synchronously: far cheaper for small texts (a prompt
   * pack) than streaming. Same redaction, addressing and retention.
   */
  putText(text: string, options: PutOptions = {}): ArtifactInfo {
    return this.putStaged(this.stageText(text, options));
  }

  /** The text as this store would keep it: through the redactor. */
  redacted(text: string): string {
    return this.redactor ? this.redactor.redactText(text) : text;
  }

  /**
   * The first half of `putText`: the text redacted, written to a temp file and hashed. Nothing is
   * stored until `putStaged`; a staged text never put is a stray temp file, which gc removes.
   */
  stageText(text: string, options: PutOptions = {}): StagedText {
    const meta = parseArtifactInput(putOptionsSchema, options, 'artifact options');
    return { ...this.files.stageBytes(Buffer.from(this.redacted(text)), meta.durable ?? true), meta };
  }

  /** The second half of `putText`: places the staged file and records its row. */
  putStaged(staged: StagedText): ArtifactInfo {
    return this.placeAndRecord(staged, staged.meta, 'text/plain; charset=utf-8');
  }

  /**
   * No await in here: placing the file and saving its row happen in one tick, so a gc in this process
   * never sees the one without the other.
   */
  private placeAndRecord(staged: StagedBlob, meta: PutOptions, defaultMime: string): ArtifactInfo {
    this.files.place(staged, meta.durable ?? true);
    const stored = {
      hash: staged.hash,
      size: staged.size,
      mime: meta.mime ?? defaultMime,
      createdByEvent: meta.createdByEvent ?? null,
      retention: meta.retention ?? 'standard',
      expiresAt: meta.expiresAt ?? null,
    };
    this.rows.save(stored, meta.alias, this.clock.now());
    return this.rows.find(staged.hash) as ArtifactInfo;
  }

  /** The blob's bytes as a stream. Nothing is verified on the way: see `checkIntegrity`. */
  get(refOrAlias: string): Readable {
    const hash = this.resolve(refOrAlias);
    const stream = this.files.open(hash);
    if (!stream) {
      throw new PyclawError('artifact.missing-blob', `artifact ${refOf(hash)} has no blob file on disk`, {
        hint: 'run `pyclaw artifacts verify`; storing the same bytes again restores it',
      });
    }
    return stream;
  }

  getBytes(refOrAlias: string): Promise<Buffer> {
    return buffer(this.get(refOrAlias));
  }

  stat(refOrAlias: string): ArtifactInfo | undefined {
    const hash = this.hashOf(refOrAlias);
    return hash === undefined ? undefined : this.rows.find(hash);
  }

  /** Newest first. */
  list(options: { limit?: number } = {}): ArtifactInfo[] {
    return this.rows.list(options.limit);
  }

  /** Points `alias` at an artifact, moving it if it named another one. */
  alias(alias: string, refOrAlias: string): void {
    const name = parseArtifactInput(aliasSchema, alias, 'alias');
    this.rows.setAlias(name, this.resolve(refOrAlias), this.clock.now());
  }

  /**
   * Removes what nothing keeps. A stored blob is removed, with its row and aliases, when ALL of:
   *
   * 1. no event references it (a `sha256:<hash>` in any event payload, indexed in `event_artifacts`),
   *    whatever its retention or expiry: an event's blob is never collected;
   * 2. its retention is not `pinned`;
   * 3. it was last stored at least `graceMs` ago (default one hour), so bytes put just before the
   *    event naming them is appended survive;
   * 4. and ANY of: it has expired (`expiresAt <= now`), its retention is `ephemeral`, or it has no alias.
   *
   * Also removed, once older than `graceMs` by modification time: blob files that have no row (left by
   * a crash between file and row) and temp files (left by an interrupted put). A put still streaming
   * into a temp file older than that fails, so run gc with a short grace only when nothing is writing.
   */
  async gc(options: { graceMs?: number } = {}): Promise<GcReport> {
    const { graceMs } = parseArtifactInput(gcOptionsSchema, options, 'gc options');
    const now = this.clock.now();
    const cutoff = now - graceMs;
    const report: GcReport = { removed: [], freedBytes: 0 };
    // The row is checked right before each unlink: another process may have stored the same bytes since.
    const removeUnclaimed = (hash: string, path: string) => {
      if (this.rows.exists(hash)) return;
      report.freedBytes += this.files.remove(path);
      report.removed.push(hash);
    };
    for (const hash of this.rows.deleteCollectable(now, cutoff))
      removeUnclaimed(hash, this.files.pathOf(hash));
    for (const blob of await this.files.blobEntries()) {
      if (blob.mtimeMs <= cutoff) removeUnclaimed(blob.hash, blob.path);
    }
    for (const temp of await this.files.tempEntries()) {
      if (temp.mtimeMs <= cutoff) report.freedBytes += this.files.remove(temp.path);
    }
    return report;
  }

  /** Re-hashes every blob that has a row, one stream at a time. */
  async checkIntegrity(): Promise<IntegrityReport> {
    const hashes = this.rows.hashes();
    const report: IntegrityReport = { checked: hashes.length, corrupt: [], missing: [] };
    for (const hash of hashes) {
      const actual = await this.files.digest(hash);
      if (actual === undefined) report.missing.push(hash);
      else if (actual !== hash) report.corrupt.push(hash);
    }
    return report;
  }

  private resolve(refOrAlias: string): string {
    const hash = this.hashOf(refOrAlias);
    if (hash === undefined) {
      throw new PyclawError('artifact.unknown', `no artifact ${refOrAlias}`, {
        hint: 'name it by sha256:<hash>, a hash prefix of 8+ digits, or an alias; see `pyclaw artifacts list`',
      });
    }
    return hash;
  }

  private hashOf(refOrAlias: string): string | undefined {
    const query = parseArtifactQuery(refOrAlias);
    if ('hash' in query) return this.rows.exists(query.hash) ? query.hash : undefined;
    if ('alias' in query) return this.rows.hashOfAlias(query.alias);
    const [first, second] = this.rows.hashesStartingWith(query.prefix);
    if (second !== undefined) {
      throw new PyclawError(
        'artifact.ambiguous',
        `artifact prefix ${refOrAlias} matches more than one blob`,
        {
          hint: 'give more digits of the hash',
        },
      );
    }
    return first;
  }
}

function asStream(source: Readable | Buffer | string): Readable {
  if (source instanceof Readable) return source;
  return Readable.from([typeof source === 'string' ? Buffer.from(source) : source]);
}
