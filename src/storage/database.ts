import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { PyclawError } from '../core/index.js';
import { migrations } from './migrations.js';
import { preparedOnce } from './prepared.js';

export type Db = Database.Database;

/**
 * `normal` (the default) keeps the database consistent after any crash but may lose the last few
 * commits on power loss; `full` fsyncs every commit, so a commit that returned survives power loss too.
 * Either way a killed process loses nothing that was committed.
 */
export const durabilitySchema = z.enum(['normal', 'full']);
export type Durability = z.infer<typeof durabilitySchema>;

export interface OpenDatabaseOptions {
  durability?: Durability;
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

export const latestSchemaVersion = migrations.length;

/** Opens (creating if needed) PyClaw's SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (error) {
    throw new PyclawError('storage.open', `cannot open database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('journal_mode = WAL');
    // Each checkpoint copies pages back and fsyncs twice; at SQLite's default of every 1,000 pages (4 MB)
    // that was about a third of a small commit's cost here. Every 10,000 pages (a WAL of up to 40 MB)
    // amortises it over ten times as many commits, and a one-event commit rewrites the same few pages.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`synchronous = ${(options.durability ?? 'normal').toUpperCase()}`);
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof PyclawError) throw error;
    throw new PyclawError('storage.open', `cannot use database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, path: string): void {
  const apply = db.transaction(() => {
    const current = schemaVersion(db);
    if (current > latestSchemaVersion) {
      throw new PyclawError(
        'storage.newer-schema',
        `database ${path} has schema version ${current}, but this PyClaw knows only up to ${latestSchemaVersion}`,
        { hint: 'upgrade PyClaw, or point PYCLAW_HOME at another directory' },
      );
    }
    for (let version = current + 1; version <= latestSchemaVersion; version++) {
      db.exec(migrations[version - 1] as string);
      db.pragma(`user_version = ${version}`);
    }
  });
  apply.immediate();
}

/** One transaction function per database, reused: `db.transaction` builds four wrappers at each call. */
const transactionRunner = preparedOnce((db) => db.transaction((work: () => unknown) => work()));

/** How many transactions and savepoints `inTransaction` rolled back, per database. */
const rollbacks = new WeakMap<Db, number>();

/**
 * Runs `work` in one IMMEDIATE transaction: all of it commits, or none of it. Inside a transaction
 * already open it is a savepoint, which rolls back alone if `work` throws.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  try {
    return transactionRunner(db).immediate(work) as T;
  } catch (error) {
    rollbacks.set(db, rollbackCount(db) + 1);
    throw error;
  }
}

/** Changes whenever `inTransaction` rolls back work on `db`: what was read inside it may be gone. */
export function rollbackCount(db: Db): number {
  return rollbacks.get(db) ?? 0;
}
