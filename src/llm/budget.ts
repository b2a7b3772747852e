import { eventPayloadSchemas, type StoredEvent } from '../core/index.js';
import type { Budget, SpendingLimit } from '../registry/index.js';

export interface Spending {
  tokens: number;
  costUsd: number;
}

export interface BudgetGuard {
  budget: Budget;
  /** What the agent spent today, the current turn included; required when `perDay` is set. */
  spentToday?: () => Spending;
}

/** Sums input+output tokens and cost over the `llm.responded` events given. */
export function spendingOf(events: readonly StoredEvent[]): Spending {
  const spent: Spending = { tokens: 0, costUsd: 0 };
  for (const event of events) {
    if (event.type !== 'llm.responded') continue;
    const payload = eventPayloadSchemas['llm.responded'].safeParse(event.payload);
    if (!payload.success) continue;
    spent.tokens += (payload.data.usage?.inputTokens ?? 0) + (payload.data.usage?.outputTokens ?? 0);
    spent.costUsd += payload.data.costUsd ?? 0;
  }
  return spent;
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
