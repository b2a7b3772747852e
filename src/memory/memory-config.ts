import { z } from 'zod';

export const memoryKinds = ['fact', 'preference', 'lesson', 'procedure'] as const;
export const memoryKindSchema = z.enum(memoryKinds);
export type MemoryKind = z.infer<typeof memoryKindSchema>;

/** Whose memory it is: every agent's (`global`), one agent's (`agent:<id>`) or about one user (`user:<id>`). */
export const memoryScopeSchema = z
  .string()
  .regex(/^(global|agent:[^\s:]+|user:\S+)$/, 'a scope is global, agent:<id> or user:<id>');
export type MemoryScope = z.infer<typeof memoryScopeSchema>;

/** A rule that promotes matching candidates as soon as they are proposed, without asking. */
export const autoPromoteRuleSchema = z
  .strictObject({
    kind: memoryKindSchema.optional(),
    /** A regular expression (case-insensitive) the candidate's text must match. */
    pattern: z
      .string()
      .min(1)
      .refine((source) => {
        try {
          new RegExp(source, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
  })
  .refine((rule) => rule.kind !== undefined || rule.pattern !== undefined, 'give a kind, a pattern or both');
export type AutoPromoteRule = z.infer<typeof autoPromoteRuleSchema>;

/** `memory:` in config.yaml. */
export const memoryConfigSchema = z.strictObject({
  /** A candidate proposed this many times (in any sessions) is promoted without asking; 0 never. */
  promoteAfter: z.int().min(0).default(3),
  autoPromote: z.array(autoPromoteRuleSchema).default([]),
  /** How many memories a turn's pack may take (they also share the pack's memory token budget). */
  retrieval: z.strictObject({ limit: z.int().min(1).max(100).default(8) }).prefault({}),
  /** With an embedding model, search ranks by meaning as well as by words. */
  embeddings: z
    .strictObject({
      /** A provider id under providers: whose kind serves /v1/embeddings (openai). */
      provider: z.string().min(1),
      model: z.string().min(1),
      /** Ask the model for vectors of this size (text-embedding-3-* accept it); a multiple of 8. */
      dimensions: z
        .int()
        .min(8)
        .refine((value) => value % 8 === 0, 'a multiple of 8')
        .optional(),
    })
    .optional(),
});
export type MemoryConfig = z.infer<typeof memoryConfigSchema>;
