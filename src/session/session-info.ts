import { z } from 'zod';

export const sessionInfoSchema = z.object({
  id: z.string(),
  createdAt: z.number().int(),
  agentId: z.string().nullable(),
  title: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const sessionSummarySchema = sessionInfoSchema.extend({
  eventCount: z.number().int().nonnegative(),
  lastTs: z.number().int().nullable(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const verifyReportSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), count: z.number().int(), lastSeq: z.number().int() }),
  z.object({
    ok: z.literal(false),
    count: z.number().int(),
    firstBadSeq: z.number().int(),
    reason: z.string(),
  }),
]);
export type VerifyReport = z.infer<typeof verifyReportSchema>;
