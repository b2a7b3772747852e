import { z } from 'zod';
import type { Usage } from './contract.js';

/** USD per million tokens, per model name as sent to the provider. */
export const modelPricingSchema = z.record(
  z.string(),
  z.object({ inputPerMillion: z.number().nonnegative(), outputPerMillion: z.number().nonnegative() }),
);
export type ModelPricing = z.infer<typeof modelPricingSchema>;

/** Cost of one call; 0 when the model has no price in config (local servers are usually free). */
export function costUsd(pricing: ModelPricing | undefined, model: string, usage: Usage): number {
  const price = pricing?.[model];
  if (!price) return 0;
  return (
    (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000
  );
}
