/** Why safety stopped a tool call: `rule` names the check (`domain.deny`, `command.rm-root`, …). */
export interface SafetyBlock {
  rule: string;
  reason: string;
}
