import type { Retention } from './artifact-info.js';

/** How long a blob is kept: its retention class and optional expiry (null: never expires). */
export interface KeepTerms {
  retention: Retention;
  expiresAt: number | null;
}

const strength: Record<Retention, number> = { ephemeral: 0, standard: 1, pinned: 2 };

/**
 * Storing bytes that are already stored never shortens how long they are kept: the stronger retention
 * wins, and the later expiry wins, "never" being the latest.
 */
export function strongerTerms(existing: KeepTerms, requested: KeepTerms): KeepTerms {
  const retention =
    strength[requested.retention] > strength[existing.retention] ? requested.retention : existing.retention;
  const expiresAt =
    existing.expiresAt === null || requested.expiresAt === null
      ? null
      : Math.max(existing.expiresAt, requested.expiresAt);
  return { retention, expiresAt };
}
