import { z } from 'zod';

/**
 * When the metagovernor steps into an agent's turn. Each threshold counts within one turn; a directive,
 * once issued, holds for the rest of the turn (`ask_human` for the next risky call only).
 */
export const governorConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /**
   * The turn's risk at which the next risky call needs a human's approval even where policy allows it.
   * Each call of a tool that is not read-only adds 1, plus 1 if destructive and 1 if it reaches the
   * network; each failed call adds 1.
   */
  askHumanAtRisk: z.number().int().positive().default(6),
  /** Failed tool calls after which the answer must pass the verify phase, even with `verify: false`. */
  validateAfterFailures: z.number().int().positive().default(2),
  /** Failed tool calls after which the turn stops. */
  stopAfterFailures: z.number().int().positive().default(6),
  /** The same call this many times in a row leaves the model only read-only tools (limits.maxRepeats stops). */
  readOnlyAfterRepeats: z.number().int().min(2).default(2),
  /** The share of the per-turn budget after which only read-only tools are offered, and after which it stops. */
  readOnlyAtBudget: z.number().gt(0).max(1).default(0.8),
  stopAtBudget: z.number().gt(0).max(1).default(0.95),
  /** Whether an answer that hedges or refuses ("I'm not sure", "I can't help") must pass the verify phase. */
  validateUncertainAnswers: z.boolean().default(true),
});
export type GovernorConfig = z.infer<typeof governorConfigSchema>;
