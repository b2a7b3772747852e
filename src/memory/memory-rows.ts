import { PyclawError } from '../core/index.js';
import type { Db } from '../storage/index.js';
import type { MemoryKind } from './memory-config.js';

/** Where a memory came from: a `memory.candidate` event (one per time it was proposed), oldest first. */
export interface Provenance {
  sessionId: string;
  seq: number;
  eventId: string;
  turnId: string | null;
}

export interface Memory {
  id: string;
  kind: MemoryKind;
  scope: string;
  text: string;
  createdAt: number;
  /** `user:<channel>`, `evidence` (proposed often enough) or `rule` (an autoPromote rule). */
  promotedBy: string;
  candidateId: string | null;
}

export interface MemoryRow {
  rowid: number;
  id: string;
  kind: MemoryKind;
  scope: string;
  text: string;
  created_at: number;
  promoted_by: string;
  candidate_id: string | null;
}

export function memoryFromRow(row: MemoryRow): Memory {
  return {
    id: row.id,
    kind: row.kind,
    scope: row.scope,
    text: row.text,
    createdAt: row.created_at,
    promotedBy: row.promoted_by,
    candidateId: row.candidate_id,
  };
}

export function provenanceOf(db: Db, candidateId: string | null): Provenance[] {
  if (!candidateId) return [];
  return db
    .prepare(
      `SELECT session_id AS sessionId, seq, event_id AS eventId, turn_id AS turnId FROM memory_provenance
       WHERE candidate_id = ? ORDER BY event_id`,
    )
    .all(candidateId) as Provenance[];
}

/**
 * The one row of `table` whose id is `idOrPrefix` or starts with it; a missing or ambiguous id is a
 * clear error naming what was looked for.
 */
export function findById<Row>(db: Db, table: 'memories' | 'memory_candidates', idOrPrefix: string): Row {
  const what = table === 'memories' ? 'memory' : 'candidate';
  const rows = db
    .prepare(
      `SELECT ${table === 'memories' ? 'rowid, ' : ''}* FROM ${table} WHERE id >= ? AND id < ? LIMIT 2`,
    )
    .all(idOrPrefix, `${idOrPrefix}\uffff`) as Row[];
  if (rows.length === 1) return rows[0] as Row;
  throw new PyclawError(
    `memory.${rows.length === 0 ? 'not-found' : 'ambiguous'}`,
    rows.length === 0 ? `no ${what} "${idOrPrefix}"` : `"${idOrPrefix}" names more than one ${what}`,
    { hint: `\`pyclaw memory ${table === 'memories' ? 'list' : 'candidates'}\` shows the ids` },
  );
}
