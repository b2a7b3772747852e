import { PyclawError } from '../core/index.js';
import { type Db, inTransaction } from '../storage/index.js';

/** The embedding model the stored vectors came from, their size, and how many there are. */
export interface StoredVectors {
  model: string;
  dimensions: number;
  vectors: number;
}

/** Databases this process has loaded sqlite-vec into. */
const withVec = new WeakSet<Db>();

// sqlite-vec is a native extension: only processes that search by meaning load it.
async function loadVec(db: Db): Promise<void> {
  if (withVec.has(db)) return;
  const { load } = await import('sqlite-vec');
  load(db);
  withVec.add(db);
}

/**
 * Vectors of one embedding model. sqlite-vec scans sign bits (`bit[D]`, hamming distance), partitioned
 * by scope, which at 100,000 memories is several times faster than scanning float32 vectors; the best
 * few are then re-scored by exact cosine on the float32 vectors kept in `memory_vectors`.
 */
export class VectorIndex {
  private constructor(
    private readonly db: Db,
    private readonly model: string,
    private dimensions: number | undefined,
  ) {}

  /** What vectors the database holds, if any. */
  static stored(db: Db): StoredVectors | undefined {
    const stored = db.prepare('SELECT model, dimensions FROM memory_vector_model').get() as
      | Omit<StoredVectors, 'vectors'>
      | undefined;
    if (!stored) return undefined;
    const { n } = db.prepare('SELECT count(*) AS n FROM memory_vectors').get() as { n: number };
    return { ...stored, vectors: n };
  }

  /** Opens the index for `model`; vectors another model made are dropped, to be made again. */
  static async open(db: Db, model: string): Promise<VectorIndex> {
    await loadVec(db);
    const stored = VectorIndex.stored(db);
    const index = new VectorIndex(db, model, stored?.model === model ? stored.dimensions : undefined);
    if (stored && stored.model !== model) inTransaction(db, () => index.clear());
    return index;
  }

  /** Drops every vector (the next `put` sets the size); call inside the caller's transaction. */
  clear(): void {
    this.db.exec(
      'DROP TABLE IF EXISTS memory_vec; DELETE FROM memory_vectors; DELETE FROM memory_vector_model',
    );
    this.dimensions = undefined;
  }

  /** Memories after rowid `after` that have no vector from this model yet, in rowid order. */
  missing(after: number, limit: number): { rowid: number; scope: string; text: string }[] {
    return this.db
      .prepare(
        `SELECT m.rowid, m.scope, m.text FROM memories m
         WHERE m.rowid > ? AND NOT EXISTS (SELECT 1 FROM memory_vectors v WHERE v.memory_rowid = m.rowid)
         ORDER BY m.rowid LIMIT ?`,
      )
      .all(after, limit) as { rowid: number; scope: string; text: string }[];
  }

  /** Stores vectors; call inside the caller's transaction. */
  put(rows: readonly { rowid: number; scope: string; vector: Float32Array }[]): void {
    if (rows.length === 0) return;
    const dimensions = this.ensureTable((rows[0] as { vector: Float32Array }).vector.length);
    const insertFull = this.db.prepare(
      'INSERT OR REPLACE INTO memory_vectors (memory_rowid, model, vector) VALUES (?, ?, ?)',
    );
    const insertBits = this.db.prepare(
      'INSERT INTO memory_vec (rowid, scope, embedding) VALUES (?, ?, vec_bit(?))',
    );
    for (const { rowid, scope, vector } of rows) {
      if (vector.length !== dimensions) throw this.sizeChanged(vector.length, dimensions);
      const unit = normalized(vector);
      insertFull.run(rowid, this.model, Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength));
      insertBits.run(BigInt(rowid), scope, signBits(unit));
    }
  }

  /** Removes a memory's vector (its float32 copy goes with the memory's row). */
  remove(rowid: number): void {
    if (this.dimensions !== undefined)
      this.db.prepare('DELETE FROM memory_vec WHERE rowid = ?').run(BigInt(rowid));
  }

  /**
   * The memories nearest `query`, best first: `pool` per scope by hamming distance on sign bits, then
   * re-ranked by cosine on the full vectors.
   */
  nearest(query: Float32Array, scopes: readonly string[] | undefined, pool: number): number[] {
    if (this.dimensions === undefined) return [];
    if (query.length !== this.dimensions) throw this.sizeChanged(query.length, this.dimensions);
    const unit = normalized(query);
    const bits = signBits(unit);
    const knn = this.db.prepare(
      `SELECT rowid FROM memory_vec WHERE embedding MATCH vec_bit(?) AND k = ?${scopes ? ' AND scope = ?' : ''}`,
    );
    const rowids = scopes
      ? scopes.flatMap((scope) => knn.all(bits, pool, scope) as { rowid: number }[])
      : (knn.all(bits, pool) as { rowid: number }[]);
    if (rowids.length === 0) return [];
    const full = this.db
      .prepare(
        `SELECT memory_rowid AS rowid, vector FROM memory_vectors
         WHERE memory_rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(rowids.map((row) => row.rowid))) as { rowid: number; vector: Buffer }[];
    return full
      .map(({ rowid, vector }) => ({ rowid, similarity: dot(unit, asFloat32(vector)) }))
      .sort((a, b) => b.similarity - a.similarity)
      .map((scored) => scored.rowid);
  }

  /** The model behind the same name now answers in another size: the stored vectors are stale. */
  private sizeChanged(now: number, stored: number): PyclawError {
    return new PyclawError(
      'memory.stale-vectors',
      `embedding model ${this.model} now returns ${now} dimensions, the stored vectors have ${stored}`,
      { hint: '`pyclaw memory reembed` makes them again' },
    );
  }

  private ensureTable(dimensions: number): number {
    if (this.dimensions !== undefined) return this.dimensions;
    if (dimensions % 8 !== 0) {
      throw new Error(`embedding model ${this.model} returned ${dimensions} dimensions, not a multiple of 8`);
    }
    this.db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS memory_vec USING vec0(scope TEXT PARTITION KEY, embedding bit[${dimensions}])`,
    );
    this.db
      .prepare('INSERT OR REPLACE INTO memory_vector_model (only_row, model, dimensions) VALUES (1, ?, ?)')
      .run(this.model, dimensions);
    this.dimensions = dimensions;
    return dimensions;
  }
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return vector.map((value) => value * scale);
}

/** One bit per dimension, set where the value is positive. */
function signBits(vector: Float32Array): Buffer {
  const bits = Buffer.alloc(vector.length / 8);
  for (let i = 0; i < vector.length; i++) {
    if ((vector[i] as number) > 0) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  }
  return bits;
}

function asFloat32(blob: Buffer): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
