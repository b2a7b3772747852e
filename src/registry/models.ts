import { z } from 'zod';
import { budgetSchema } from './budget.js';

export const modelRefSchema = z.strictObject({ provider: z.string().min(1), model: z.string().min(1) });
export type ModelRef = z.infer<typeof modelRefSchema>;

/** A model plus the ones to try, in order, when it fails. */
export const modelChoiceSchema = modelRefSchema.extend({ fallbacks: z.array(modelRefSchema).default([]) });
export type ModelChoice = z.infer<typeof modelChoiceSchema>;

export const modelTiers = ['fast', 'default', 'strong'] as const;
export type ModelTier = (typeof modelTiers)[number];

/** One agent's models: `default` is required, a missing `fast` or `strong` tier uses `default`. */
export const agentModelsSchema = z.strictObject({
  default: modelChoiceSchema,
  fast: modelChoiceSchema.optional(),
  strong: modelChoiceSchema.optional(),
  budget: budgetSchema.optional(),
});
export type AgentModels = z.infer<typeof agentModelsSchema>;

/** Every model an agent may call, tier by tier, each choice before its fallbacks (`fallback` is their index). */
export function* agentModelRefs(
  models: AgentModels,
): Generator<{ tier: ModelTier; fallback?: number; ref: ModelRef }> {
  for (const tier of modelTiers) {
    const choice = models[tier];
    if (!choice) continue;
    yield { tier, ref: choice };
    for (const [fallback, ref] of choice.fallbacks.entries()) yield { tier, fallback, ref };
  }
}
