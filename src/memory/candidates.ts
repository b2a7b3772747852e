import { type Clock, newId, PyclawError, type StoredEvent, systemClock } from '../core/index.js';
import type { EventLog } from '../session/index.js';
import { inTransaction } from '../storage/index.js';
import type { AutoPromoteRule, MemoryConfig, MemoryKind } from './memory-config.js';
import { findById, type Memory, type Provenance, provenanceOf } from './memory-rows.js';
import type { MemoryStore } from './memory-store.js';
import { normalizeText, textHash } from './normalize.js';

export type CandidateStatus = 'pending' | 'promoted' | 'rejected';

export interface Candidate {
  id: string;
  kind: MemoryKind;
  scope: string;
  text: string;
  status: CandidateStatus;
  /** How many times reflection proposed it. */
  proposals: number;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  memoryId: string | null;
}

interface CandidateRow {
  id: string;
  kind: MemoryKind;
  scope: string;
  text: string;
  text_hash: string;
  status: CandidateStatus;
  proposals: number;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  memory_id: string | null;
}

/** Where reflection proposes from: the turn, and the scopes its candidates go to. */
export interface ProposalSource {
  sessionId: string;
  turnId: string;
  stepId: string;
  actor: string;
  /** Where lessons and procedures go (the agent's), and everything when the sender is not known. */
  scope: string;
  /** The sender's scope (`user:<channel>:<id>`): facts and preferences a person told stay theirs. */
  userScope?: string;
}

export interface ProposalOutcome {
  /** Candidates recorded (new, or proposed once more). */
  recorded: Candidate[];
  /** Proposals not recorded: empty, rejected before, or already a memory. */
  skipped: { text: string; reason: 'empty' | 'rejected before' | 'already remembered' }[];
  /** Memories promoted by an autoPromote rule or by repeated evidence. */
  promoted: Memory[];
}

/**
 * Candidates for memory: what the reflect phase proposes, each proposal a `memory.candidate` event.
 * A candidate becomes a memory when the user promotes it, when it was proposed `promoteAfter` times, or
 * when an `autoPromote` rule matches; a rejected one is remembered by its normalised text and never
 * proposed again.
 */
export class MemoryCandidates {
  private readonly clock: Clock;

  constructor(
    private readonly store: MemoryStore,
    private readonly log: EventLog,
    private readonly config: Pick<MemoryConfig, 'promoteAfter' | 'autoPromote'>,
    clock: Clock = systemClock,
  ) {
    this.clock = clock;
  }

  private get db() {
    return this.store.db;
  }

  /**
   * Records what reflection proposed, in one transaction with its events, then promotes what a rule
   * or enough evidence allows. Vectors for promoted memories are the caller's (`store.embedMissing`).
   */
  propose(source: ProposalSource, proposals: readonly { kind: MemoryKind; text: string }[]): ProposalOutcome {
    return inTransaction(this.db, (): ProposalOutcome => {
      const outcome: ProposalOutcome = { recorded: [], skipped: [], promoted: [] };
      for (const proposal of proposals) {
        const text = this.store.clean(proposal.text);
        if (normalizeText(text) === '') {
          outcome.skipped.push({ text, reason: 'empty' });
          continue;
        }
        const hash = textHash(text);
        const scope = proposalScope(source, proposal.kind);
        if (this.rememberedAs(scope, hash)) {
          outcome.skipped.push({ text, reason: 'already remembered' });
          continue;
        }
        const existing = this.byHash(scope, hash);
        if (existing?.status === 'rejected') {
          outcome.skipped.push({ text, reason: 'rejected before' });
          continue;
        }
        const candidateId = existing?.id ?? newId();
        const [event] = this.log.appendBatch(source.sessionId, [
          {
            type: 'memory.candidate',
            actor: source.actor,
            turnId: source.turnId,
            stepId: source.stepId,
            payload: { candidateId, kind: proposal.kind, text, scope },
          },
        ]);
        const candidate = this.recordProposal(candidateId, existing, proposal.kind, scope, text, hash);
        this.recordProvenance(candidateId, event as StoredEvent);
        outcome.recorded.push(candidate);
        const by = this.automaticPromotion(candidate);
        if (by) outcome.promoted.push(this.promoteRow(candidate, by, candidate.scope, source));
      }
      return outcome;
    });
  }

  /** Candidates, newest first; pending ones unless a status is given. */
  list(options: { status?: CandidateStatus | 'all'; limit?: number } = {}): Candidate[] {
    const status = options.status ?? 'pending';
    const rows = this.db
      .prepare(
        `SELECT * FROM memory_candidates WHERE (@status = 'all' OR status = @status)
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ status, limit: options.limit ?? -1 }) as CandidateRow[];
    return rows.map(candidateFromRow);
  }

  get(idOrPrefix: string): Candidate & { provenance: Provenance[] } {
    const candidate = candidateFromRow(findById<CandidateRow>(this.db, 'memory_candidates', idOrPrefix));
    return { ...candidate, provenance: provenanceOf(this.db, candidate.id) };
  }

  /** The user confirms a candidate: it becomes a memory (in `scope`, when given, instead of its own). */
  promote(idOrPrefix: string, options: { by: string; scope?: string }): Memory {
    return inTransaction(this.db, () => {
      const candidate = candidateFromRow(findById<CandidateRow>(this.db, 'memory_candidates', idOrPrefix));
      if (candidate.status === 'promoted') {
        throw new PyclawError(
          'memory.already-promoted',
          `candidate ${candidate.id} is already memory ${candidate.memoryId}`,
        );
      }
      return this.promoteRow(candidate, options.by, options.scope ?? candidate.scope);
    });
  }

  /** The user turns a candidate down: reflection will not propose the same text in its scope again. */
  reject(idOrPrefix: string, options: { by: string }): Candidate {
    const row = findById<CandidateRow>(this.db, 'memory_candidates', idOrPrefix);
    if (row.status === 'promoted') {
      throw new PyclawError(
        'memory.already-promoted',
        `candidate ${row.id} is already memory ${row.memory_id}`,
        {
          hint: `\`pyclaw memory forget ${row.memory_id}\` removes the memory`,
        },
      );
    }
    this.db
      .prepare(
        `UPDATE memory_candidates SET status = 'rejected', decided_at = ?, decided_by = ? WHERE id = ?`,
      )
      .run(this.clock.now(), options.by, row.id);
    return this.get(row.id);
  }

  private rememberedAs(scope: string, hash: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM memories WHERE scope = ? AND text_hash = ?').get(scope, hash) !==
      undefined
    );
  }

  private byHash(scope: string, hash: string): CandidateRow | undefined {
    return this.db
      .prepare('SELECT * FROM memory_candidates WHERE scope = ? AND text_hash = ?')
      .get(scope, hash) as CandidateRow | undefined;
  }

  private recordProposal(
    id: string,
    existing: CandidateRow | undefined,
    kind: MemoryKind,
    scope: string,
    text: string,
    hash: string,
  ): Candidate {
    if (existing) {
      this.db.prepare('UPDATE memory_candidates SET proposals = proposals + 1 WHERE id = ?').run(id);
    } else {
      this.db
        .prepare(
          `INSERT INTO memory_candidates (id, kind, scope, text, text_hash, status, proposals, created_at)
           VALUES (?, ?, ?, ?, ?, 'pending', 1, ?)`,
        )
        .run(id, kind, scope, text, hash, this.clock.now());
    }
    return candidateFromRow(
      this.db.prepare('SELECT * FROM memory_candidates WHERE id = ?').get(id) as CandidateRow,
    );
  }

  private recordProvenance(candidateId: string, event: StoredEvent): void {
    this.db
      .prepare(
        `INSERT INTO memory_provenance (candidate_id, session_id, seq, event_id, turn_id) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(candidateId, event.sessionId, event.seq, event.id, event.turnId);
  }

  /** `rule` when an autoPromote rule matches, `evidence` when proposed often enough, else undefined. */
  private automaticPromotion(candidate: Candidate): string | undefined {
    if (this.config.autoPromote.some((rule) => ruleMatches(rule, candidate))) return 'rule';
    if (this.config.promoteAfter > 0 && candidate.proposals >= this.config.promoteAfter) return 'evidence';
    return undefined;
  }

  /**
   * Inside a transaction: the memory, the candidate's decision, and `memory.promoted` in the reflecting
   * turn (automatic promotion) or, for a user's promotion, in the session that last proposed it.
   */
  private promoteRow(candidate: Candidate, by: string, scope: string, source?: ProposalSource): Memory {
    const [memory] = this.store.insert(
      [{ kind: candidate.kind, scope, text: candidate.text }],
      by,
      candidate.id,
    );
    const promoted = memory as Memory;
    this.db
      .prepare(
        `UPDATE memory_candidates SET status = 'promoted', decided_at = ?, decided_by = ?, memory_id = ? WHERE id = ?`,
      )
      .run(this.clock.now(), by, promoted.id, candidate.id);
    const payload = { memoryId: promoted.id, candidateId: candidate.id, by, scope };
    if (source) {
      this.log.append(source.sessionId, {
        type: 'memory.promoted',
        actor: 'runtime',
        turnId: source.turnId,
        stepId: source.stepId,
        payload,
      });
      return promoted;
    }
    const latest = provenanceOf(this.db, candidate.id).at(-1);
    if (latest) this.log.append(latest.sessionId, { type: 'memory.promoted', actor: by, payload });
    return promoted;
  }
}

function proposalScope(source: ProposalSource, kind: MemoryKind): string {
  return (kind === 'fact' || kind === 'preference') && source.userScope ? source.userScope : source.scope;
}

function ruleMatches(rule: AutoPromoteRule, candidate: Candidate): boolean {
  if (rule.kind !== undefined && rule.kind !== candidate.kind) return false;
  return rule.pattern === undefined || new RegExp(rule.pattern, 'i').test(candidate.text);
}

function candidateFromRow(row: CandidateRow): Candidate {
  return {
    id: row.id,
    kind: row.kind,
    scope: row.scope,
    text: row.text,
    status: row.status,
    proposals: row.proposals,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    memoryId: row.memory_id,
  };
}
