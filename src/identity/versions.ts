import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/index.js';
import { type Db, inTransaction } from '../storage/index.js';
import type { IdentityCapsule } from './capsule.js';

export interface IdentityVersion {
  agentId: string;
  version: number;
  hash: string;
  capsule: IdentityCapsule;
  createdAt: number;
}

export interface RecordedIdentity {
  version: number;
  hash: string;
  /** True when this call recorded a new version. */
  changed: boolean;
}

interface IdentityRow {
  agent_id: string;
  version: number;
  hash: string;
  capsule: string;
  created_at: number;
}

/** sha256 of the capsule's canonical JSON: equal capsules, however written, hash the same. */
function identityHash(capsule: IdentityCapsule): string {
  return createHash('sha256').update(canonicalJson(capsule)).digest('hex');
}

/**
 * Records `capsule` as the agent's next identity version, unless it equals the latest one; either way
 * returns the version now in force. Safe against another process recording at the same moment.
 */
export function recordIdentity(
  db: Db,
  agentId: string,
  capsule: IdentityCapsule,
  now: number,
): RecordedIdentity {
  const hash = identityHash(capsule);
  return inTransaction(db, () => {
    const latest = db
      .prepare<[string], Pick<IdentityRow, 'version' | 'hash'>>(
        'SELECT version, hash FROM agent_identities WHERE agent_id = ? ORDER BY version DESC LIMIT 1',
      )
      .get(agentId);
    if (latest?.hash === hash) return { version: latest.version, hash, changed: false };
    const version = (latest?.version ?? 0) + 1;
    db.prepare(
      'INSERT INTO agent_identities (agent_id, version, hash, capsule, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(agentId, version, hash, canonicalJson(capsule), now);
    return { version, hash, changed: true };
  });
}

/** Every recorded identity version of an agent, oldest first. */
export function identityHistory(db: Db, agentId: string): IdentityVersion[] {
  return db
    .prepare<[string], IdentityRow>('SELECT * FROM agent_identities WHERE agent_id = ? ORDER BY version')
    .all(agentId)
    .map((row) => ({
      agentId: row.agent_id,
      version: row.version,
      hash: row.hash,
      // as recorded: a capsule that was valid when written stays readable if the schema moves on
      capsule: JSON.parse(row.capsule) as IdentityCapsule,
      createdAt: row.created_at,
    }));
}
