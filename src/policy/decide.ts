import { toolIdMatches } from '../core/index.js';
import type { PolicyConfig, PolicyDecision } from './policy-config.js';

export interface PolicyVerdict {
  decision: PolicyDecision;
  reason: string;
  /** The rule that decided, as written in config (`fs.write → allow`); absent for the default. */
  rule?: string;
}

const strength: Record<PolicyDecision, number> = { allow: 0, ask: 1, deny: 2 };

/**
 * Decides a tool call: among the rules matching the tool, deny beats ask beats allow. With no matching
 * rule, read-only tools are allowed and everything else asks.
 */
export function decideToolCall(tool: string, readOnly: boolean, config: PolicyConfig): PolicyVerdict {
  const matching = config.rules.filter((rule) => toolIdMatches(rule.tool, tool));
  const strongest = matching.reduce<(typeof matching)[number] | undefined>(
    (best, rule) => (!best || strength[rule.decision] > strength[best.decision] ? rule : best),
    undefined,
  );
  if (strongest) {
    const rule = `${strongest.tool} → ${strongest.decision}`;
    return { decision: strongest.decision, reason: strongest.reason ?? `rule ${rule}`, rule };
  }
  return readOnly
    ? { decision: 'allow', reason: `${tool} is read-only` }
    : { decision: 'ask', reason: `${tool} changes things and no rule allows it` };
}
