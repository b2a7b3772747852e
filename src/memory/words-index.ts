import { type Db, inTransaction } from '../storage/index.js';

/**
 * Whether the words index (`memories_fts`, an FTS5 table over the `memories` table's text) agrees with
 * that table, by FTS5's own integrity-check, which with rank 1 also compares it with the table. A
 * memory its index lacks is never found by words; the message when they disagree, else undefined.
 */
export function wordsIndexProblem(db: Db): string | undefined {
  try {
    db.prepare("INSERT INTO memories_fts (memories_fts, rank) VALUES ('integrity-check', 1)").run();
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('SQLITE_CORRUPT')) throw error;
    return `the words index of memories is damaged or out of step with them (${(error as Error).message})`;
  }
}

/** Builds the words index again from the memories table, in one transaction. */
export function rebuildWordsIndex(db: Db): void {
  inTransaction(db, () => {
    db.prepare("INSERT INTO memories_fts (memories_fts) VALUES ('rebuild')").run();
  });
}
