import { PyclawError } from '../core/index.js';

/** Why safety stopped a tool call: `rule` names the check (`domain.deny`, `command.rm-root`, …). */
export interface SafetyBlock {
  rule: string;
  reason: string;
}

/** Thrown by a tool that meets a hard stop while it runs (a redirect to a denied host, say). */
export class SafetyBlockedError extends PyclawError {
  constructor(readonly block: SafetyBlock) {
    super('safety.blocked', `blocked by safety: ${block.reason}`);
  }
}
