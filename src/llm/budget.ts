import { eventPayloadSchemas, type StoredEvent, safeParsePayload } from '../core/index.js';
import type { Budget, SpendingLimit } from '../registry/index.js';
import type { Usage } from './contract.js';

export interface Spending {
  tokens: number;
  costUsd: number;
}

export interface BudgetGuard {
  budget: Budget;
  /** What the agent spent today, the current turn included; required when `perDay` is set. */
  spentToday?: () => Spending;
}

/** Tokens in and out, and cost. */
export interface UsageTotal extends Usage {
  costUsd: number;
}

/**
 * Sums usage over the events that spent it: each model answer (`llm.responded`), and each delegated
 * task's result (`a2a.received` in the delegating turn), which carries its child session's total.
 */
export function usageOf(events: readonly StoredEvent[]): UsageTotal {
  const total: UsageTotal = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const event of events) {
    if (event.type !== 'llm.responded' && event.type !== 'a2a.received') continue;
    const payload = safeParsePayload(eventPayloadSchemas[event.type], event.payload);
    if (!payload.success) continue;
    total.inputTokens += payload.data.usage?.inputTokens ?? 0;
    total.outputTokens += payload.data.usage?.outputTokens ?? 0;
    total.costUsd += payload.data.costUsd ?? 0;
  }
  return total;
}

/** Input+output tokens and cost over the events given (see `usageOf`). */
export function spendingOf(events: readonly StoredEvent[]): Spending {
  const { inputTokens, outputTokens, costUsd } = usageOf(events);
  return { tokens: inputTokens + outputTokens, costUsd };
}

/** Names the first limit already reached, or returns undefined when the call may go ahead. */
export function budgetViolation(guard: BudgetGuard, spentThisTurn: Spending): string | undefined {
  const { perTurn, perDay } = guard.budget;
  const turnProblem = perTurn && limitReached('per-turn', perTurn, spentThisTurn);
  if (turnProblem) return turnProblem;
  if (!perDay) return undefined;
  if (!guard.spentToday) return 'per-day budget is set but today\u2019s spending was not provided';
  return limitReached('per-day', perDay, guard.spentToday());
}

function limitReached(period: string, limit: SpendingLimit, spent: Spending): string | undefined {
  if (limit.tokens !== undefined && spent.tokens >= limit.tokens) {
    return `${period} token budget of ${limit.tokens} reached (${spent.tokens} used)`;
  }
  if (limit.costUsd !== undefined && spent.costUsd >= limit.costUsd) {
    return `${period} cost budget of $${limit.costUsd} reached ($${spent.costUsd.toFixed(4)} used)`;
  }
  return undefined;
}
