import { z } from 'zod';

/**
 * The payload schema of every event type PyClaw writes. Payloads are loose objects: a reader keeps
 * fields it does not know, so logs written by a newer PyClaw stay readable.
 */
const toolCall = z.looseObject({ id: z.string(), name: z.string(), arguments: z.unknown() });
const usage = z.looseObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
const grantScope = z.enum(['once', 'until', 'session', 'forever']);

export const eventPayloadSchemas = {
  'user.message': z.looseObject({
    text: z.string(),
    channel: z.string().optional(),
    externalUserId: z.string().optional(),
    externalChatId: z.string().optional(),
    attachments: z.array(z.string()).optional(),
  }),
  'assistant.message': z.looseObject({ text: z.string() }),
  'turn.started': z.looseObject({ agentId: z.string(), input: z.string().optional() }),
  'turn.phase': z.looseObject({
    phase: z.string(),
    from: z.string().optional(),
    skipped: z.boolean().optional(),
    reason: z.string().optional(),
  }),
  'turn.completed': z.looseObject({ answer: z.string().optional() }),
  'turn.failed': z.looseObject({ error: z.string(), code: z.string().optional() }),
  'context.packed': z.looseObject({
    /**
     * The pack as stored (JSON): its sections' text and the exact request the model was sent.
     * Either an artifact holding it whole, or a patch of an earlier `context.packed` event's pack.
     */
    packArtifact: z.string().optional(),
    packPatch: z.looseObject({ base: z.number().int().positive() }).optional(),
    /** sha256 of the pack as stored: a patched pack, once rebuilt, must have it. */
    packHash: z.string().optional(),
    totalTokens: z.number().int().nonnegative(),
    /** The pack's total budget, after the provider's token ratio. */
    budget: z.number().int().nonnegative().optional(),
    /** The provider whose token ratio the budgets were corrected by. */
    provider: z.string().optional(),
    ratio: z.number().positive().optional(),
    sections: z
      .array(z.looseObject({ section: z.string(), budget: z.number().int(), tokens: z.number().int() }))
      .optional(),
    telemetry: z.array(
      z.looseObject({
        section: z.string(),
        ref: z.string(),
        tokens: z.number().int().nonnegative(),
        decision: z.enum(['included', 'truncated', 'dropped']),
        reason: z.string().optional(),
      }),
    ),
  }),
  'llm.requested': z.looseObject({
    provider: z.string(),
    model: z.string(),
    packHash: z.string().optional(),
    params: z.unknown().optional(),
  }),
  'llm.responded': z.looseObject({
    text: z.string().optional(),
    toolCalls: z.array(toolCall).optional(),
    usage: usage.optional(),
    costUsd: z.number().nonnegative().optional(),
    latencyMs: z.number().nonnegative().optional(),
    error: z.string().optional(),
  }),
  'tool.requested': z.looseObject({ callId: z.string(), tool: z.string(), input: z.unknown() }),
  'policy.decided': z.looseObject({
    callId: z.string(),
    decision: z.enum(['allow', 'ask', 'deny']),
    reason: z.string(),
    rule: z.string().optional(),
    grantId: z.string().optional(),
  }),
  'approval.requested': z.looseObject({
    approvalId: z.string(),
    callId: z.string(),
    tool: z.string(),
    summary: z.string(),
    /** Whether to re-run a call an interruption left in doubt: it can only be approved once. */
    inDoubt: z.boolean().optional(),
    /**
     * The running call waits on an approval asked in another session (an agent it delegated to): the
     * answer given here is passed on there when the call runs again.
     */
    relayed: z.looseObject({ sessionId: z.string(), approvalId: z.string() }).optional(),
  }),
  'approval.resolved': z.looseObject({
    approvalId: z.string(),
    decision: z.enum(['approve', 'deny']),
    scope: grantScope.optional(),
    /** How long an `until` approval holds. */
    durationMs: z.number().nonnegative().optional(),
    by: z.string(),
  }),
  'grant.created': z.looseObject({
    grantId: z.string(),
    scope: grantScope,
    match: z.unknown(),
    expiresAt: z.number().optional(),
  }),
  'grant.revoked': z.looseObject({ grantId: z.string(), by: z.string(), reason: z.string().optional() }),
  'tool.started': z.looseObject({ callId: z.string() }),
  'tool.result': z.looseObject({
    callId: z.string(),
    isError: z.boolean(),
    preview: z.string(),
    artifacts: z.array(z.string()).optional(),
  }),
  'verify.verdict': z.looseObject({
    verdict: z.enum(['pass', 'fail']),
    judge: z.string(),
    reason: z.string(),
  }),
  'memory.candidate': z.looseObject({ candidateId: z.string(), kind: z.string(), text: z.string() }),
  'memory.promoted': z.looseObject({
    memoryId: z.string(),
    candidateId: z.string().optional(),
    by: z.string(),
  }),
  'summary.updated': z.looseObject({
    /** The range of this session's events the summary covers, folded into the previous summary. */
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
    summary: z.string(),
    method: z.enum(['model', 'extractive']).optional(),
    model: z.string().optional(),
    previousSeq: z.number().int().optional(),
  }),
  'skill.selected': z.looseObject({
    skill: z.string(),
    /** The content hash of the SKILL.md used. */
    version: z.string().optional(),
    declaredVersion: z.string().optional(),
    score: z.number().optional(),
    rank: z.number().int().positive().optional(),
    /** Whether the skill's excerpt (not only its card) went into the prompt. */
    excerpt: z.boolean().optional(),
    reason: z.string().optional(),
  }),
  'safety.blocked': z.looseObject({
    callId: z.string().optional(),
    tool: z.string().optional(),
    rule: z.string(),
    reason: z.string(),
  }),
  'panic.engaged': z.looseObject({ by: z.string(), reason: z.string().optional() }),
  'panic.released': z.looseObject({ by: z.string() }),
  'a2a.sent': z.looseObject({ messageId: z.string(), to: z.string(), task: z.string() }),
  'a2a.received': z.looseObject({
    messageId: z.string(),
    from: z.string(),
    result: z.string().optional(),
    /** In the delegating turn: what the child session spent on the task, counted in this turn's budget. */
    usage: usage.optional(),
    costUsd: z.number().nonnegative().optional(),
  }),
  'directive.issued': z.looseObject({
    /** require_validation | ask_human | disable_risky_tools | stop (the metagovernor's). */
    directive: z.string(),
    reason: z.string(),
    /** What triggered it: risk, failures, repeats, budget, uncertainty. */
    signal: z.string().optional(),
  }),
} as const;

export type EventType = keyof typeof eventPayloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloadSchemas)[T]>;
export const eventTypes = Object.keys(eventPayloadSchemas) as EventType[];

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(eventPayloadSchemas, type);
}

export const actorSchema = z.string().min(1).max(200);

/** A stored event, as every reader sees it. `type` stays a string: future types are tolerated. */
export const storedEventSchema = z.object({
  seq: z.number().int().positive(),
  id: z.string(),
  sessionId: z.string(),
  turnId: z.string().nullable(),
  stepId: z.string().nullable(),
  traceId: z.string(),
  type: z.string(),
  ts: z.number().int(),
  actor: actorSchema,
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

/** What a writer hands to the log: the log assigns seq, id (unless given), ts, and the hashes. */
export type NewEvent<T extends EventType = EventType> = {
  [K in T]: {
    type: K;
    payload: EventPayload<K>;
    actor: string;
    turnId?: string;
    stepId?: string;
    traceId?: string;
    id?: string;
  };
}[T];
