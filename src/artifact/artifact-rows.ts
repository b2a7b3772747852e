import type { Db } from '../storage/index.js';
import type { ArtifactInfo, Retention } from './artifact-info.js';
import { refOf } from './artifact-ref.js';
import { type KeepTerms, strongerTerms } from './retention.js';

interface InfoRow {
  hash: string;
  size: number;
  mime: string;
  created_at: number;
  created_by_event: string | null;
  retention: Retention;
  expires_at: number | null;
  /** JSON array of alias names, sorted. */
  aliases: string;
}

export interface StoredBytes extends KeepTerms {
  hash: string;
  size: number;
  mime: string;
  createdByEvent: string | null;
}

const selectInfo = `
  SELECT a.hash, a.size, a.mime, a.created_at, a.created_by_event, a.retention, a.expires_at,
    (SELECT json_group_array(alias) FROM
      (SELECT alias FROM artifact_aliases WHERE hash = a.hash ORDER BY alias)) AS aliases
  FROM artifacts a`;

/** Prepared once per store: preparing is the costly part of a small query. */
function prepareStatements(db: Db) {
  return {
    byHash: db.prepare<[string], InfoRow>(`${selectInfo} WHERE a.hash = ?`),
    newestFirst: db.prepare<[number], InfoRow>(
      `${selectInfo} ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?`,
    ),
    aliasTarget: db.prepare<[string], { hash: string }>('SELECT hash FROM artifact_aliases WHERE alias = ?'),
    /** Every hex digit sorts below 'g', so this range is exactly the hashes starting with the prefix. */
    prefixRange: db.prepare<[string, string], { hash: string }>(
      "SELECT hash FROM artifacts WHERE hash >= ? AND hash < ? || 'g' ORDER BY hash LIMIT 2",
    ),
    rowExists: db.prepare<[string], { hash: string }>('SELECT hash FROM artifacts WHERE hash = ?'),
    everyHash: db.prepare<[], { hash: string }>('SELECT hash FROM artifacts ORDER BY hash'),
    insertRow: db.prepare(
      `INSERT INTO artifacts (hash, size, mime, created_at, last_stored_at, created_by_event, retention, expires_at)
     VALUES (@hash, @size, @mime, @now, @now, @createdByEvent, @retention, @expiresAt)`,
    ),
    restoreRow: db.prepare(
      `UPDATE artifacts SET last_stored_at = @now, retention = @retention, expires_at = @expiresAt
     WHERE hash = @hash`,
    ),
    upsertAlias: db.prepare(
      `INSERT INTO artifact_aliases (alias, hash, created_at) VALUES (?, ?, ?)
     ON CONFLICT (alias) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at`,
    ),
    // The gc rules, documented on ArtifactStore.gc. Aliases go with their row (ON DELETE CASCADE).
    deleteCollectableRows: db.prepare<{ now: number; storedBefore: number }, { hash: string }>(
      `DELETE FROM artifacts AS a
     WHERE a.retention != 'pinned'
       AND a.last_stored_at <= @storedBefore
       AND NOT EXISTS (SELECT 1 FROM event_artifacts e WHERE e.hash = a.hash)
       AND (a.expires_at <= @now OR a.retention = 'ephemeral'
            OR NOT EXISTS (SELECT 1 FROM artifact_aliases l WHERE l.hash = a.hash))
     RETURNING hash`,
    ),
  };
}

/** The artifact metadata tables: `artifacts` (one row per blob) and `artifact_aliases`. */
export class ArtifactRows {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly saveInTransaction;

  constructor(db: Db) {
    const sql = prepareStatements(db);
    this.sql = sql;
    this.saveInTransaction = db.transaction((stored: StoredBytes, alias: string | undefined, now: number) => {
      const existing = sql.byHash.get(stored.hash);
      if (existing) {
        const terms = strongerTerms(
          { retention: existing.retention, expiresAt: existing.expires_at },
          stored,
        );
        sql.restoreRow.run({ hash: stored.hash, now, ...terms });
      } else {
        sql.insertRow.run({ ...stored, now });
      }
      if (alias !== undefined) sql.upsertAlias.run(alias, stored.hash, now);
    });
  }

  find(hash: string): ArtifactInfo | undefined {
    const row = this.sql.byHash.get(hash);
    return row && toInfo(row);
  }

  list(limit: number | undefined): ArtifactInfo[] {
    return this.sql.newestFirst.all(limit ?? -1).map(toInfo);
  }

  exists(hash: string): boolean {
    return this.sql.rowExists.get(hash) !== undefined;
  }

  hashOfAlias(alias: string): string | undefined {
    return this.sql.aliasTarget.get(alias)?.hash;
  }

  /** Up to two hashes starting with `prefix`: two means the prefix is ambiguous. */
  hashesStartingWith(prefix: string): string[] {
    return this.sql.prefixRange.all(prefix, prefix).map((row) => row.hash);
  }

  hashes(): string[] {
    return this.sql.everyHash.all().map((row) => row.hash);
  }

  /**
   * Records stored bytes and points `alias` at them. Bytes stored before keep their first mime and
   * origin; their keep terms only ever get stronger, and their grace period restarts.
   */
  save(stored: StoredBytes, alias: string | undefined, now: number): void {
    this.saveInTransaction.immediate(stored, alias, now);
  }

  setAlias(alias: string, hash: string, now: number): void {
    this.sql.upsertAlias.run(alias, hash, now);
  }

  /** Deletes, in one statement, the rows gc may collect; returns their hashes. */
  deleteCollectable(now: number, storedBefore: number): string[] {
    return this.sql.deleteCollectableRows.all({ now, storedBefore }).map((row) => row.hash);
  }
}

function toInfo(row: InfoRow): ArtifactInfo {
  return {
    hash: row.hash,
    ref: refOf(row.hash),
    size: row.size,
    mime: row.mime,
    createdAt: row.created_at,
    createdByEvent: row.created_by_event,
    retention: row.retention,
    expiresAt: row.expires_at,
    aliases: JSON.parse(row.aliases) as string[],
  };
}
