import { turnConversation } from '../brain/index.js';
import { latestSummary } from '../compress/index.js';
import {
  buildPack,
  type ConversationUnit,
  conversationUnits,
  currentTurnUnits,
  loadRecordedPack,
  type MemorySnippet,
  type PackNaming,
  type PackRequest,
  packBudgets,
  preparePack,
  TokenCalibration,
  TokenCounter,
  windowEventTypes,
} from '../context/index.js';
import { canonicalJson, type StoredEvent } from '../core/index.js';
import type { ToolSpec } from '../llm/index.js';
import { type MessageSender, turnScopes } from '../memory/index.js';
import { selectedSkills } from './skill-selection.js';
import type { TurnEnvironment } from './turn-runner.js';

/** What packing needs of a turn's environment. */
export type PackEnvironment = Pick<
  TurnEnvironment,
  'log' | 'db' | 'artifacts' | 'agent' | 'contextWindow' | 'router' | 'memory' | 'skills' | 'calibration'
>;

/** What a model call of a turn is sent, and the pack it came from. */
export interface PackedPrompt {
  request: PackRequest;
  packHash?: string;
  /** Our count of the pack's tokens, to compare with what the provider reports. */
  totalTokens: number;
  provider: string;
  /** Stores a new pack and appends `context.packed`: for the commit of the call's `llm.requested`. */
  record?: () => void;
}

/** The model call a prompt is for: the turn's events so far, and the tools the step may offer. */
export interface PromptStep {
  sessionId: string;
  turnId: string;
  stepId: string;
  events: readonly StoredEvent[];
  tools: ToolSpec[];
}

/** Token ratios per provider, shared by every turn of the process. */
export const processCalibration = new TokenCalibration();

/**
 * The prompt for a plan step. A step packed before (the process died before or during the model
 * call) is sent exactly the pack recorded for it, so a resumed step sees the same prompt. Otherwise a
 * new pack is built under the agent's budgets and prepared (a patch of the session's previous pack, or
 * a temp file); `record` stores it and announces it by `context.packed`, in the commit of the call's
 * `llm.requested`.
 */
export async function promptFor(env: PackEnvironment, step: PromptStep): Promise<PackedPrompt> {
  const { sessionId, turnId, stepId, events } = step;
  const provider = env.router.candidates('default')[0]?.provider ?? 'unknown';
  const packed = events.findLast((event) => event.type === 'context.packed' && event.stepId === stepId);
  if (packed) {
    const pack = await loadRecordedPack(env, packed).catch(() => undefined);
    // A pack lost with a power loss (packs are not fsynced) is built again, and recorded again.
    if (pack) {
      return {
        request: pack.request,
        packHash: (packed.payload as PackNaming).packHash ?? hashOf(packed.payload as PackNaming),
        totalTokens: pack.totalTokens,
        provider,
      };
    }
  }
  const counter = await TokenCounter.load();
  const agent = env.agent;
  const calibration = env.calibration ?? processCalibration;
  const budgets = packBudgets(agent.context, env.contextWindow, calibration.ratio(provider));
  const turnStart = events[0]?.seq ?? 1;
  const summary = turnSummary(env, sessionId, turnId);
  const summarisedTo = Math.min(summary?.toSeq ?? 0, turnStart - 1);
  const historyFrom = Math.max(summarisedTo + 1, turnStart - agent.context.recentEvents);
  const history = earlierTurns(env, sessionId, historyFrom, turnStart - 1);
  const conversation = turnConversation(events);
  const query = (conversation[0]?.content ?? '') as string;
  const selected = selectedSkills(env.skills ?? [], events);
  const memories = await memoriesFor(env, step, query);
  const pack = buildPack({
    counter,
    budgets,
    identity: agent.systemPrompt,
    summary: summary && {
      text: summary.summary,
      fromSeq: summary.fromSeq,
      toSeq: summary.toSeq,
      ref: `event:${summary.seq}`,
    },
    memories,
    skillCards: selected.cards,
    skillExcerpts: selected.excerpts,
    limits: { ...agent.context, maxMemorySnippets: env.memory.config.retrieval.limit },
    tools: step.tools,
    history,
    unread:
      historyFrom > summarisedTo + 1 ? { fromSeq: summarisedTo + 1, toSeq: historyFrom - 1 } : undefined,
    current: currentTurnUnits(conversation),
  });
  const prepared = await preparePack(env, sessionId, pack);
  // What the pack's record needs and the event naming it commit together, with the call's request.
  const record = () => {
    prepared.store();
    const event = env.log.append(sessionId, {
      type: 'context.packed',
      actor: 'runtime',
      turnId,
      stepId,
      payload: {
        ...prepared.naming,
        totalTokens: pack.totalTokens,
        budget: budgets.total,
        provider,
        ratio: budgets.ratio,
        sections: pack.sections.map(({ section, budget, tokens }) => ({ section, budget, tokens })),
        telemetry: pack.telemetry,
      },
    });
    prepared.recorded(event);
  };
  return {
    request: pack.request,
    packHash: prepared.naming.packHash,
    totalTokens: pack.totalTokens,
    provider,
    record,
  };
}

/**
 * The session's latest summary, read once per turn: summaries are written between turns, by the
 * process holding the session's lease, so a turn's later steps pack the same one.
 */
function turnSummary(env: PackEnvironment, sessionId: string, turnId: string) {
  if (lastSummary?.log === env.log && lastSummary.sessionId === sessionId && lastSummary.turnId === turnId) {
    return lastSummary.summary;
  }
  const summary = latestSummary(env.db, env.log, sessionId);
  lastSummary = { log: env.log, sessionId, turnId, summary };
  return summary;
}

let lastSummary:
  | {
      log: TurnEnvironment['log'];
      sessionId: string;
      turnId: string;
      summary: ReturnType<typeof latestSummary>;
    }
  | undefined;

/**
 * The conversation of earlier turns in a range of the log. The window's events are kept between
 * packs: events never change once appended, so as the range slides forward only the new ones are read.
 */
function earlierTurns(env: PackEnvironment, sessionId: string, fromSeq: number, toSeq: number) {
  const last = lastHistory;
  if (
    last?.log === env.log &&
    last.sessionId === sessionId &&
    last.fromSeq === fromSeq &&
    last.toSeq === toSeq
  ) {
    last.units ??= conversationUnits(last.events);
    return last.units;
  }
  const reusable =
    last?.log === env.log && last.sessionId === sessionId && last.fromSeq <= fromSeq && last.toSeq <= toSeq;
  const kept = reusable ? last.events.filter((event) => event.seq >= fromSeq) : [];
  const readFrom = reusable ? Math.max(fromSeq, last.toSeq + 1) : fromSeq;
  const read =
    toSeq >= readFrom ? env.log.byType(sessionId, windowEventTypes, { fromSeq: readFrom, toSeq }) : [];
  const events = kept.length === 0 ? read : [...kept, ...read];
  const units = conversationUnits(events);
  lastHistory = { log: env.log, sessionId, fromSeq, toSeq, events, units };
  return units;
}

let lastHistory:
  | {
      log: TurnEnvironment['log'];
      sessionId: string;
      fromSeq: number;
      toSeq: number;
      /** The window's events of `windowEventTypes`, as the log returns them. */
      events: StoredEvent[];
      /** Their conversation; computed when first asked for. */
      units?: ConversationUnit[];
    }
  | undefined;

/**
 * Adds the events of a turn this process just drove to the kept window, when they follow it directly
 * and nothing else was appended among them (their seqs are consecutive): the next turn's pack then
 * reads none of them back from the log. Each payload is normalised as the log stores it (canonical
 * JSON), so the window is the same as one read back, byte for byte.
 */
export function keepDrivenTurn(
  env: Pick<PackEnvironment, 'log'>,
  sessionId: string,
  events: readonly StoredEvent[],
): void {
  const last = lastHistory;
  const first = events[0];
  if (last?.log !== env.log || last.sessionId !== sessionId || first?.seq !== last.toSeq + 1) return;
  if (events.some((event, i) => event.seq !== first.seq + i)) return;
  const windowed = events
    .filter((event) => windowEventTypes.includes(event.type))
    .map((event) => ({ ...event, payload: JSON.parse(canonicalJson(event.payload)) }));
  lastHistory = {
    log: last.log,
    sessionId,
    fromSeq: last.fromSeq,
    toSeq: first.seq + events.length - 1,
    events: [...last.events, ...windowed],
  };
}

/**
 * The memories that best match the turn's input, in the global scope, the agent's, and that of the
 * user who sent the message. Kept for the turn: each of its steps searches with the same input.
 */
async function memoriesFor(
  env: PackEnvironment,
  { turnId, events }: PromptStep,
  query: string,
): Promise<MemorySnippet[]> {
  if (lastMemories?.turnId === turnId && lastMemories.memory === env.memory) return lastMemories.snippets;
  const sender = events.find((event) => event.type === 'user.message')?.payload as MessageSender;
  const hits = await env.memory.store.search(query, {
    scope: turnScopes(env.agent.id, sender ?? {}),
    limit: env.memory.config.retrieval.limit,
  });
  const snippets = hits.map(({ id, kind, text }) => ({ id, kind, text }));
  lastMemories = { turnId, memory: env.memory, snippets };
  return snippets;
}

let lastMemories:
  | { turnId: string; memory: TurnEnvironment['memory']; snippets: MemorySnippet[] }
  | undefined;

/** A pack recorded before packs carried their hash: its artifact's. */
function hashOf(naming: PackNaming): string | undefined {
  return naming.packArtifact?.replace(/^sha256:/, '');
}
