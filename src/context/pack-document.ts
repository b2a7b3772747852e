import { z } from 'zod';
import { chatMessageSchema, toolSpecSchema } from '../llm/index.js';

/** The pack's sections, in the order `context show` prints them. */
export const packSections = ['identity', 'summary', 'memory', 'skills', 'tools', 'recent', 'input'] as const;
export const packSectionSchema = z.enum(packSections);
export type PackSection = z.infer<typeof packSectionSchema>;

export const packDecisions = ['included', 'truncated', 'dropped'] as const;

/** One thing the packer considered: where it came from, what it costs, and what was done with it. */
export const packItemSchema = z.object({
  section: packSectionSchema,
  /** The source: `event:<seq>` (several joined by `,`), `memory:<id>`, `skill:<name>`, `tool:<id>`, … */
  ref: z.string(),
  /** Tokens it takes in the pack (what it would have taken, when dropped). */
  tokens: z.int().nonnegative(),
  decision: z.enum(packDecisions),
  /** Always given for `truncated` and `dropped`. */
  reason: z.string().optional(),
});
export type PackItem = z.infer<typeof packItemSchema>;

export const packBudgetsSchema = z.object({
  /** The model's context window and the tokens kept for its answer. */
  window: z.int().nonnegative(),
  reserveOutput: z.int().nonnegative(),
  /** The provider's token ratio the budgets were divided by (1 until it reports usage). */
  ratio: z.number().positive(),
  total: z.int().nonnegative(),
  identity: z.int().nonnegative(),
  summary: z.int().nonnegative(),
  memory: z.int().nonnegative(),
  skills: z.int().nonnegative(),
  tools: z.int().nonnegative(),
});
export type PackBudgets = z.infer<typeof packBudgetsSchema>;

export const packedSectionSchema = z.object({
  section: packSectionSchema,
  /** Its budget in this pack: a share of the total, or (recent, input) what the other sections left. */
  budget: z.int().nonnegative(),
  tokens: z.int().nonnegative(),
  /** The section as the model reads it. */
  text: z.string(),
});
export type PackedSection = z.infer<typeof packedSectionSchema>;

export const packRequestSchema = z.object({
  messages: z.array(chatMessageSchema),
  tools: z.array(toolSpecSchema),
});
export type PackRequest = z.infer<typeof packRequestSchema>;

/** A PromptPack as stored (JSON, one artifact per model call): what `context show` prints, and on resume the exact request. */
export const promptPackSchema = z.object({
  format: z.literal('pyclaw.promptpack/1'),
  budgets: packBudgetsSchema,
  totalTokens: z.int().nonnegative(),
  sections: z.array(packedSectionSchema),
  telemetry: z.array(packItemSchema),
  request: packRequestSchema,
});
export type PromptPack = z.infer<typeof promptPackSchema>;
