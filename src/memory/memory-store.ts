import { type Clock, errorMessage, newId, PyclawError, systemClock } from '../core/index.js';
import { type Db, inTransaction, preparedOnce } from '../storage/index.js';
import type { Embedder } from './embedder.js';
import { ftsMatchExpression } from './fts-query.js';
import { reciprocalRankFusion } from './fuse.js';
import { type MemoryKind, memoryKindSchema, memoryScopeSchema } from './memory-config.js';
import {
  findById,
  type Memory,
  type MemoryRow,
  memoryFromRow,
  type Provenance,
  provenanceOf,
} from './memory-rows.js';
import { normalizeText, textHash } from './normalize.js';
import { VectorIndex } from './vector-index.js';

export interface NewMemory {
  kind: MemoryKind;
  scope: string;
  text: string;
}

export interface SearchOptions {
  /** Only memories in this scope or these scopes (`global`, `agent:<id>`, `user:<id>`); all when absent. */
  scope?: string | readonly string[];
  limit?: number;
  /** Called when the query could not be embedded and the search fell back to words alone. */
  onVectorError?: (message: string) => void;
}

export interface MemoryHit extends Memory {
  /** Reciprocal-rank-fusion score: higher is better. */
  score: number;
  /** Which searches found it: `words` (FTS5, BM25) and/or `meaning` (vectors). */
  matchedBy: ('words' | 'meaning')[];
}

/** What `reembed` did. */
export interface ReembedReport {
  /** The embedder the vectors now come from: provider/model/dimensions. */
  model: string;
  /** Their size; null when there are no memories to embed. */
  dimensions: number | null;
  /** Memories given a new vector. */
  embedded: number;
  /** Vectors there were before, all replaced. */
  replaced: number;
  /** Of those, the ones another model made or of another size: search by meaning could not use them. */
  stale: number;
  /** The model that made the stale ones. */
  staleModel: string | null;
}

export interface MemoryStoreOptions {
  /** Searches by meaning too, and gives every new memory a vector. */
  embedder?: Embedder;
  clock?: Clock;
  /** Applied to every text before it is stored (secrets must never reach a prompt through memory). */
  redact?: (text: string) => string;
}

/**
 * How many best matches each search contributes to the fusion, at the least. The vector search's cost
 * grows with its pool (sqlite-vec keeps the k best while scanning), so it takes fewer.
 */
const wordsPool = 40;
const meaningPool = 10;
const embedBatchSize = 512;

/** Whether the store holds any memory: a search of an empty store stops there. */
const anyMemory = preparedOnce((db) => db.prepare('SELECT 1 FROM memories LIMIT 1'));

/** BM25 searches run at every turn, so prepared once per database. */
const wordSearches = preparedOnce((db) => ({
  inScopes: db.prepare(
    `SELECT f.rowid FROM memories_fts f JOIN memories m ON m.rowid = f.rowid
     WHERE memories_fts MATCH ? AND m.scope IN (SELECT value FROM json_each(?))
     ORDER BY f.rank LIMIT ?`,
  ),
  anywhere: db.prepare('SELECT rowid FROM memories_fts WHERE memories_fts MATCH ? ORDER BY rank LIMIT ?'),
}));

/**
 * Durable memories with retrieval: FTS5 (BM25) always, vectors (sqlite-vec) when an embedder is set,
 * fused by reciprocal rank.
 */
export class MemoryStore {
  private readonly clock: Clock;
  private readonly redact: (text: string) => string;
  private vectors: Promise<VectorIndex> | undefined;

  constructor(
    readonly db: Db,
    private readonly options: MemoryStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.redact = options.redact ?? ((text) => text);
  }

  get searchesByMeaning(): boolean {
    return this.options.embedder !== undefined;
  }

  /**
   * Stores one memory; the same text twice in a scope is refused. Its vector comes from `embedMissing`
   * (a network call), so a memory is kept even while the embedding model is unreachable.
   */
  add(memory: NewMemory, promotedBy = 'user'): Memory {
    return inTransaction(this.db, () => this.insert([memory], promotedBy, null)[0] as Memory);
  }

  /** Stores many memories in one transaction. */
  addMany(memories: readonly NewMemory[], promotedBy = 'user'): number {
    return inTransaction(this.db, () => this.insert(memories, promotedBy, null).length);
  }

  /**
   * Inserts memories in the caller's transaction (candidate promotion records its event in the same
   * one).
   */
  insert(memories: readonly NewMemory[], promotedBy: string, candidateId: string | null): Memory[] {
    const statement = this.db.prepare(
      `INSERT INTO memories (id, kind, scope, text, text_hash, created_at, promoted_by, candidate_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = this.clock.now();
    return memories.map((memory) => {
      const kind = parseField(memoryKindSchema, memory.kind, 'kind');
      const scope = parseField(memoryScopeSchema, memory.scope, 'scope');
      const text = this.clean(memory.text);
      if (normalizeText(text) === '') throw new PyclawError('memory.empty', 'a memory needs some text');
      const id = newId();
      try {
        statement.run(id, kind, scope, text, textHash(text), now, promotedBy, candidateId);
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        throw new PyclawError('memory.duplicate', `${scope} already remembers "${oneLine(text)}"`);
      }
      return { id, kind, scope, text, createdAt: now, promotedBy, candidateId };
    });
  }

  /** A text as it would be stored: trimmed, secrets redacted. */
  clean(text: string): string {
    return this.redact(text.trim());
  }

  /** Gives memories without a vector one (all of them after the embedding model changed). */
  async embedMissing(): Promise<number> {
    const embedder = this.options.embedder;
    if (!embedder) return 0;
    const index = await this.vectorIndex(embedder);
    let embedded = 0;
    let after = 0;
    for (;;) {
      const batch = index.missing(after, embedBatchSize);
      if (batch.length === 0) return embedded;
      after = (batch.at(-1) as { rowid: number }).rowid;
      const vectors = await embedder.embed(batch.map((row) => row.text));
      inTransaction(this.db, () => index.put(withVectors(batch, vectors)));
      embedded += batch.length;
    }
  }

  /**
   * Makes every memory's vector again with the configured embedder, replacing all stored ones: after
   * the embedding model or its size changed, or when the model behind the same name was replaced. The
   * first batch is embedded before anything is dropped, so an unreachable model leaves the old vectors
   * in place; if it fails later, the memories still without a vector get one on the next run.
   */
  async reembed(): Promise<ReembedReport> {
    const embedder = this.options.embedder;
    if (!embedder) {
      throw new PyclawError(
        'memory.no-embedder',
        'memory.embeddings is not set: there is no model to embed with',
        {
          hint: 'set memory.embeddings { provider, model } in config.yaml',
        },
      );
    }
    const before = VectorIndex.stored(this.db);
    const first = this.db
      .prepare('SELECT rowid, scope, text FROM memories ORDER BY rowid LIMIT ?')
      .all(embedBatchSize) as { rowid: number; scope: string; text: string }[];
    const vectors = await embedder.embed(first.map((row) => row.text));
    const index = await this.vectorIndex(embedder);
    inTransaction(this.db, () => {
      index.clear();
      index.put(withVectors(first, vectors));
    });
    const embedded = first.length + (await this.embedMissing());
    const dimensions = vectors[0]?.length ?? null;
    const stale =
      before && (before.model !== embedder.key || (dimensions !== null && before.dimensions !== dimensions))
        ? before.vectors
        : 0;
    return {
      model: embedder.key,
      dimensions,
      embedded,
      replaced: before?.vectors ?? 0,
      stale,
      staleModel: stale > 0 ? (before?.model ?? null) : null,
    };
  }

  get(idOrPrefix: string): Memory & { provenance: Provenance[] } {
    const memory = memoryFromRow(findById<MemoryRow>(this.db, 'memories', idOrPrefix));
    return { ...memory, provenance: provenanceOf(this.db, memory.candidateId) };
  }

  /** Memories, newest first. */
  list(options: { scope?: string; kind?: MemoryKind; limit?: number } = {}): Memory[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM memories WHERE (@scope IS NULL OR scope = @scope) AND (@kind IS NULL OR kind = @kind)
         ORDER BY rowid DESC LIMIT @limit`,
      )
      .all({
        scope: options.scope ?? null,
        kind: options.kind ?? null,
        limit: options.limit ?? -1,
      }) as MemoryRow[];
    return rows.map(memoryFromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM memories').get() as { n: number }).n;
  }

  /**
   * Deletes a memory for good (its words and vector too); returns what was forgotten. Its candidate
   * counts as rejected from then on, so reflection does not bring back what the user asked to forget.
   */
  async forget(idOrPrefix: string, by = 'user'): Promise<Memory> {
    const row = findById<MemoryRow>(this.db, 'memories', idOrPrefix);
    const index = this.options.embedder ? await this.vectorIndex(this.options.embedder) : undefined;
    inTransaction(this.db, () => {
      this.db.prepare('DELETE FROM memories WHERE rowid = ?').run(row.rowid);
      this.db
        .prepare(
          `UPDATE memory_candidates SET status = 'rejected', decided_at = ?, decided_by = ?, memory_id = NULL
             WHERE id = ?`,
        )
        .run(this.clock.now(), by, row.candidate_id);
      index?.remove(row.rowid);
    });
    return memoryFromRow(row);
  }

  /**
   * The memories that best match `query`, best first. A store with no memories answers at once,
   * without embedding the query or querying the words index (which costs a query even when empty).
   */
  async search(query: string, options: SearchOptions = {}): Promise<MemoryHit[]> {
    if (!anyMemory(this.db).get()) return [];
    const limit = options.limit ?? 8;
    const scopes = options.scope === undefined ? undefined : [options.scope].flat();
    const byWords = this.searchWords(query, scopes, Math.max(limit * 4, wordsPool));
    const byMeaning = await this.searchMeaning(
      query,
      scopes,
      Math.max(limit * 2, meaningPool),
      options.onVectorError,
    );
    const fused = reciprocalRankFusion([byWords, byMeaning]).slice(0, limit);
    if (fused.length === 0) return [];
    const rows = new Map(
      (
        this.db
          .prepare('SELECT rowid, * FROM memories WHERE rowid IN (SELECT value FROM json_each(?))')
          .all(JSON.stringify(fused.map((hit) => hit.id))) as MemoryRow[]
      ).map((row) => [row.rowid, row]),
    );
    const words = new Set(byWords);
    const meaning = new Set(byMeaning);
    return fused.flatMap(({ id, score }) => {
      const row = rows.get(id);
      if (!row) return [];
      const matchedBy = [
        ...(words.has(id) ? ['words' as const] : []),
        ...(meaning.has(id) ? ['meaning' as const] : []),
      ];
      return [{ ...memoryFromRow(row), score, matchedBy }];
    });
  }

  /** Rowids by BM25 over the memories' words. */
  private searchWords(query: string, scopes: readonly string[] | undefined, pool: number): number[] {
    const match = ftsMatchExpression(query);
    if (!match) return [];
    const statements = wordSearches(this.db);
    const rows = scopes
      ? statements.inScopes.all(match, JSON.stringify(scopes), pool)
      : statements.anywhere.all(match, pool);
    return (rows as { rowid: number }[]).map((row) => row.rowid);
  }

  /** Rowids by vector similarity, or none without an embedder (or when embedding the query failed). */
  private async searchMeaning(
    query: string,
    scopes: readonly string[] | undefined,
    pool: number,
    onError: ((message: string) => void) | undefined,
  ): Promise<number[]> {
    const embedder = this.options.embedder;
    if (!embedder || query.trim() === '') return [];
    try {
      const index = await this.vectorIndex(embedder);
      const [vector] = await embedder.embed([query]);
      return vector ? index.nearest(vector, scopes, pool) : [];
    } catch (error) {
      if (!(error instanceof PyclawError)) throw error;
      onError?.(errorMessage(error));
      return [];
    }
  }

  private vectorIndex(embedder: Embedder): Promise<VectorIndex> {
    this.vectors ??= VectorIndex.open(this.db, embedder.key);
    return this.vectors;
  }
}

function withVectors(
  rows: readonly { rowid: number; scope: string }[],
  vectors: readonly Float32Array[],
): { rowid: number; scope: string; vector: Float32Array }[] {
  return rows.map((row, i) => ({ rowid: row.rowid, scope: row.scope, vector: vectors[i] as Float32Array }));
}

function parseField<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  name: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new PyclawError('memory.invalid', `memory ${name} "${String(value)}" is not valid`, {
    hint:
      name === 'kind'
        ? 'kinds: fact, preference, lesson, procedure'
        : 'scopes: global, agent:<id>, user:<id>',
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
