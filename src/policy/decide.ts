import type { PolicyCall } from './call-pattern.js';
import { callMatches } from './call-pattern.js';
import {
  describeRule,
  type PolicyConfig,
  type PolicyDecision,
  type PolicyRule,
  patternMode,
} from './policy-config.js';

export interface PolicyVerdict {
  decision: PolicyDecision;
  reason: string;
  /** The rule that decided, as written in config (`fs.write → allow`); absent for the default. */
  rule?: string;
  /** The grant that allowed a call rules would have asked about. */
  grantId?: string;
}

export interface CallDetails {
  /** The call's arguments, for rules with argument patterns. */
  input?: unknown;
  /** Where the call's relative paths resolve (its first workspace root); default the process's cwd. */
  cwd?: string;
  /** A live grant covering the call, consulted only when rules would ask. */
  findGrant?: (call: PolicyCall) => { id: string; scope: string } | undefined;
}

const strength: Record<PolicyDecision, number> = { allow: 0, ask: 1, deny: 2 };

/**
 * Decides a tool call: among the rules matching the call, deny beats ask beats allow. With no matching
 * rule, read-only tools are allowed and everything else asks. A call that would be asked about runs
 * without asking when a live grant covers it; nothing overrides a deny.
 */
export function decideToolCall(
  tool: string,
  readOnly: boolean,
  config: PolicyConfig,
  details: CallDetails = {},
): PolicyVerdict {
  const call: PolicyCall = { tool, input: details.input ?? {}, cwd: details.cwd ?? process.cwd() };
  const verdict = byRules(call, readOnly, config.rules);
  if (verdict.decision !== 'ask') return verdict;
  const grant = details.findGrant?.(call);
  if (!grant) return verdict;
  return { decision: 'allow', reason: `granted (${grant.scope}) by grant ${grant.id}`, grantId: grant.id };
}

function byRules(call: PolicyCall, readOnly: boolean, rules: readonly PolicyRule[]): PolicyVerdict {
  const strongest = rules
    .filter((rule) => callMatches(rule, call, patternMode(rule.decision)))
    .reduce<PolicyRule | undefined>(
      (best, rule) => (!best || strength[rule.decision] > strength[best.decision] ? rule : best),
      undefined,
    );
  if (strongest) {
    const rule = describeRule(strongest);
    return { decision: strongest.decision, reason: strongest.reason ?? `rule ${rule}`, rule };
  }
  return readOnly
    ? { decision: 'allow', reason: `${call.tool} is read-only` }
    : { decision: 'ask', reason: `${call.tool} changes things and no rule allows it` };
}
