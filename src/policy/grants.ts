import { z } from 'zod';
import { type Clock, newId, PyclawError, systemClock } from '../core/index.js';
import type { EventLog } from '../session/index.js';
import { type Db, inTransaction } from '../storage/index.js';
import { type CallPattern, callMatches, hostOf, type PolicyCall } from './call-pattern.js';

/**
 * How long an approval holds. `once` covers the approved call alone and leaves no grant; the others
 * become grant rows: `until` a time, `session` the rest of that session, `forever` until revoked.
 */
export type GrantTerm =
  | { scope: 'once' }
  | { scope: 'until'; durationMs: number }
  | { scope: 'session' }
  | { scope: 'forever' };
export type LastingTerm = Exclude<GrantTerm, { scope: 'once' }>;

const callPatternSchema = z.object({
  tool: z.string(),
  command: z.string().optional(),
  path: z.string().optional(),
  domain: z.string().optional(),
});

export interface Grant {
  id: string;
  agentId: string;
  match: CallPattern;
  scope: LastingTerm['scope'];
  expiresAt: number | null;
  /** The session a `session` grant is limited to. */
  sessionId: string | null;
  /** The session whose approval created it; its log records the grant's creation and revocation. */
  originSessionId: string;
  grantedBy: string;
  reason: string | null;
  createdAt: number;
  createdAtEvent: string;
  revokedAt: number | null;
  revokedBy: string | null;
  revokedAtEvent: string | null;
}

export type GrantStatus = 'live' | 'expired' | 'revoked';

export interface NewGrant {
  agentId: string;
  /** The session (and turn) whose approval creates the grant. */
  sessionId: string;
  turnId?: string;
  match: CallPattern;
  term: LastingTerm;
  grantedBy: string;
  reason?: string;
}

interface GrantRow {
  id: string;
  agent_id: string;
  match: string;
  scope: Grant['scope'];
  expires_at: number | null;
  session_id: string | null;
  origin_session_id: string;
  granted_by: string;
  reason: string | null;
  created_at: number;
  created_at_event: string;
  revoked_at: number | null;
  revoked_by: string | null;
  revoked_at_event: string | null;
}

/**
 * Durable grants: rows beside the event log, each created and revoked together with its event. Whether
 * a grant is live is decided against the clock at the moment of each decision, so expiry needs no sweep.
 */
export class GrantStore {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly clock: Clock = systemClock,
  ) {}

  create(grant: NewGrant): Grant {
    const now = this.clock.now();
    const row: GrantRow = {
      id: newId(),
      agent_id: grant.agentId,
      match: JSON.stringify(grant.match),
      scope: grant.term.scope,
      expires_at: grant.term.scope === 'until' ? now + grant.term.durationMs : null,
      session_id: grant.term.scope === 'session' ? grant.sessionId : null,
      origin_session_id: grant.sessionId,
      granted_by: grant.grantedBy,
      reason: grant.reason ?? null,
      created_at: now,
      created_at_event: newId(),
      revoked_at: null,
      revoked_by: null,
      revoked_at_event: null,
    };
    return inTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO grants VALUES (@id, @agent_id, @match, @scope, @expires_at, @session_id,
             @origin_session_id, @granted_by, @reason, @created_at, @created_at_event, NULL, NULL, NULL)`,
        )
        .run(row);
      this.log.append(grant.sessionId, {
        type: 'grant.created',
        id: row.created_at_event,
        actor: grant.grantedBy,
        turnId: grant.turnId,
        payload: {
          grantId: row.id,
          scope: row.scope,
          match: grant.match,
          expiresAt: row.expires_at ?? undefined,
          agentId: grant.agentId,
        },
      });
      return grantFromRow(row);
    });
  }

  /** Every grant, newest first. */
  list(): Grant[] {
    const rows = this.db
      .prepare('SELECT * FROM grants ORDER BY created_at DESC, id DESC')
      .all() as GrantRow[];
    return rows.map(grantFromRow);
  }

  status(grant: Grant): GrantStatus {
    if (grant.revokedAt !== null) return 'revoked';
    if (grant.expiresAt !== null && grant.expiresAt <= this.clock.now()) return 'expired';
    return 'live';
  }

  /** The grant with this id or unique id prefix, or a one-line error. */
  find(id: string): Grant {
    const rows = this.db
      .prepare('SELECT * FROM grants WHERE id >= ? AND id < ? || char(1114111) LIMIT 2')
      .all(id, id) as GrantRow[];
    if (rows.length === 1) return grantFromRow(rows[0] as GrantRow);
    throw new PyclawError(
      'policy.no-grant',
      rows.length === 0 ? `no grant ${id}` : `grant id ${id} is ambiguous (several grants start with it)`,
      { hint: 'see `pyclaw grants list`' },
    );
  }

  /** Revokes a grant from this instant on; recorded as `grant.revoked` in the session that created it. */
  revoke(id: string, by: string, reason?: string): Grant {
    return inTransaction(this.db, () => {
      const grant = this.find(id);
      if (grant.revokedAt !== null) {
        throw new PyclawError(
          'policy.grant-revoked',
          `grant ${grant.id} was already revoked by ${grant.revokedBy}`,
        );
      }
      const eventId = newId();
      const now = this.clock.now();
      this.db
        .prepare('UPDATE grants SET revoked_at = ?, revoked_by = ?, revoked_at_event = ? WHERE id = ?')
        .run(now, by, eventId, grant.id);
      this.log.append(grant.originSessionId, {
        type: 'grant.revoked',
        id: eventId,
        actor: by,
        payload: { grantId: grant.id, by, reason },
      });
      return { ...grant, revokedAt: now, revokedBy: by, revokedAtEvent: eventId };
    });
  }

  /** A grant live right now that covers `call` for this agent in this session. */
  liveFor(call: PolicyCall, where: { agentId: string; sessionId: string }): Grant | undefined {
    const rows = this.db
      .prepare(
        `SELECT * FROM grants WHERE agent_id = ? AND revoked_at IS NULL
           AND (expires_at IS NULL OR expires_at > ?) AND (session_id IS NULL OR session_id = ?)
         ORDER BY created_at, id`,
      )
      .all(where.agentId, this.clock.now(), where.sessionId) as GrantRow[];
    return rows.map(grantFromRow).find((grant) => callMatches(grant.match, call, 'every'));
  }
}

/**
 * What approving `call` for longer than once covers: the same tool, and for a command the same command
 * (as a prefix), for a URL the same host. Paths are not narrowed: tools keep their workspace confinement.
 */
export function grantPatternFor(tool: string, input: unknown): CallPattern {
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const pattern: CallPattern = { tool };
  if (typeof record.command === 'string') pattern.command = record.command;
  const host = hostOf(record.url);
  if (host !== undefined) pattern.domain = host;
  return pattern;
}

function grantFromRow(row: GrantRow): Grant {
  return {
    id: row.id,
    agentId: row.agent_id,
    match: callPatternSchema.parse(JSON.parse(row.match)),
    scope: row.scope,
    expiresAt: row.expires_at,
    sessionId: row.session_id,
    originSessionId: row.origin_session_id,
    grantedBy: row.granted_by,
    reason: row.reason,
    createdAt: row.created_at,
    createdAtEvent: row.created_at_event,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokedAtEvent: row.revoked_at_event,
  };
}
