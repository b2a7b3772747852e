import { z } from 'zod';

export const spendingLimitSchema = z.strictObject({
  tokens: z.number().int().positive().optional(),
  costUsd: z.number().positive().optional(),
});
export type SpendingLimit = z.infer<typeof spendingLimitSchema>;

/** An agent's spending limits; a limit applies once what was already spent reaches it. */
export const budgetSchema = z.strictObject({
  perTurn: spendingLimitSchema.optional(),
  perDay: spendingLimitSchema.optional(),
});
export type Budget = z.infer<typeof budgetSchema>;
