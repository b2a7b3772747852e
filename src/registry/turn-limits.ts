import { z } from 'zod';

/** Limits that end an agent's turn; exceeding one fails it with a `limit.*` code. */
export const turnLimitsSchema = z.strictObject({
  /** Model calls (plan steps) per turn. */
  maxSteps: z.number().int().positive().default(12),
  maxToolCalls: z.number().int().positive().default(24),
  /** Measured from `turn.started` to the moment a step is decided. */
  maxWallTimeMs: z.number().int().positive().default(600_000),
  /** The same tool with the same arguments this many times in a row, or the same error, stops the turn. */
  maxRepeats: z.number().int().min(2).default(3),
});
export type TurnLimits = z.infer<typeof turnLimitsSchema>;
