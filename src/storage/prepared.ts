import type { Db } from './database.js';

/**
 * `prepare` run once per database and its statements kept: a turn runs the same few small queries
 * every time, and preparing one costs more than running it.
 */
export function preparedOnce<T>(prepare: (db: Db) => T): (db: Db) => T {
  const prepared = new WeakMap<Db, T>();
  return (db) => {
    let statements = prepared.get(db);
    if (statements === undefined) {
      statements = prepare(db);
      prepared.set(db, statements);
    }
    return statements;
  };
}
