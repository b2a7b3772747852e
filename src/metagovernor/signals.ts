import { eventPayloadSchemas, parsePayload, type StoredEvent } from '../core/index.js';
import { type Spending, spendingOf } from '../llm/index.js';
import type { Budget } from '../registry/index.js';
import type { ToolAnnotations } from '../tools/index.js';
import { repeatedCalls } from './loop-signal.js';

export type ToolRisk = Pick<ToolAnnotations, 'readOnly' | 'destructive' | 'openWorld'>;

/** What the metagovernor reads from a turn's events. */
export interface TurnSignals {
  /** Calls of tools that are not read-only weigh 1, +1 destructive, +1 open-world; each failure adds 1. */
  risk: number;
  failures: number;
  /** How many of the latest tool calls in a row were the same call. */
  repeats: number;
  lastCall: { tool: string; input: unknown } | undefined;
  /** The share of the per-turn budget spent, 0 without one. */
  budgetShare: number;
  spent: Spending;
  /** The first answer of a plan step that hedged or refused. */
  uncertainAnswer: string | undefined;
}

/** Hedges and refusals a model uses when it does not know or will not do something. */
const uncertainty =
  /\b(?:i(?:'m| am) not (?:sure|certain|confident)|i (?:can(?:'|no)t|cannot|am unable to|'m unable to) (?:help|assist|do|comply|complete|verify|confirm)|i don'?t know|i(?:'m| am) (?:guessing|unsure)|might be wrong|may be (?:wrong|incorrect|inaccurate))\b/i;

export function readSignals(
  events: readonly StoredEvent[],
  tool: (name: string) => ToolRisk | undefined,
  budget: Budget | undefined,
): TurnSignals {
  const calls: { tool: string; input: unknown }[] = [];
  let risk = 0;
  let failures = 0;
  let uncertainAnswer: string | undefined;
  for (const event of events) {
    if (event.type === 'tool.requested') {
      const request = parsePayload(event, eventPayloadSchemas['tool.requested']);
      calls.push({ tool: request.tool, input: request.input });
      risk += riskOf(tool(request.tool));
    } else if (event.type === 'tool.result') {
      if (parsePayload(event, eventPayloadSchemas['tool.result']).isError) failures++;
    } else if (event.type === 'llm.responded' && event.stepId?.startsWith('plan-')) {
      const text = parsePayload(event, eventPayloadSchemas['llm.responded']).text ?? '';
      uncertainAnswer ??= uncertainty.exec(text)?.[0];
    }
  }
  const spent = spendingOf(events);
  return {
    risk: risk + failures,
    failures,
    repeats: repeatedCalls(calls),
    lastCall: calls.at(-1),
    budgetShare: budgetShare(spent, budget),
    spent,
    uncertainAnswer,
  };
}

/** An unknown tool counts as the riskiest kind. */
function riskOf(facts: ToolRisk | undefined): number {
  if (!facts) return 3;
  if (facts.readOnly) return 0;
  return 1 + (facts.destructive ? 1 : 0) + (facts.openWorld ? 1 : 0);
}

function budgetShare(spent: Spending, budget: Budget | undefined): number {
  const limit = budget?.perTurn;
  if (!limit) return 0;
  return Math.max(
    limit.tokens ? spent.tokens / limit.tokens : 0,
    limit.costUsd ? spent.costUsd / limit.costUsd : 0,
  );
}
