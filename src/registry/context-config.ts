import { z } from 'zod';

const share = z.number().min(0).max(0.5);

/**
 * How an agent's prompts are packed (`agents.<id>.context`). The pack's total budget is the model's
 * context window less what is kept for the answer, capped by `maxTokens`; the fixed sections get a
 * share of it each, and the conversation (recent window and the current turn) gets the rest.
 */
export const contextConfigSchema = z
  .strictObject({
    /** The model's context window in tokens; without it, a local model's contextSize or 8192. */
    window: z.int().positive().optional(),
    /** Tokens kept free for the model's answer. */
    reserveOutput: z.int().nonnegative().default(1024),
    /** A cap on the whole pack, whatever the window (long prompts cost money and attention). */
    maxTokens: z.int().positive().default(16_000),
    shares: z
      .strictObject({
        identity: share.default(0.1),
        summary: share.default(0.15),
        memory: share.default(0.1),
        skills: share.default(0.1),
        tools: share.default(0.15),
      })
      .prefault({})
      .refine(
        (shares) => Object.values(shares).reduce((sum, value) => sum + value, 0) <= 0.8,
        'the shares may add up to at most 0.8, so the conversation keeps a fifth of the pack',
      ),
    /** How many of the session's latest events the recent window reads (a bounded tail). */
    recentEvents: z.int().min(10).default(400),
    maxSkillCards: z.int().min(0).default(5),
    maxSkillExcerpts: z.int().min(0).default(1),
    /** The rolling summary: made once this many events past the last one are older than keepRecent. */
    summary: z
      .strictObject({
        everyEvents: z.int().min(10).default(120),
        keepRecentEvents: z.int().min(0).default(80),
        maxTokens: z.int().min(50).default(600),
      })
      .prefault({}),
  })
  .prefault({});
export type ContextConfig = z.infer<typeof contextConfigSchema>;
