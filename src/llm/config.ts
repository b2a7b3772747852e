import { z } from 'zod';
import { budgetSchema } from './budget.js';
import type { Provider } from './contract.js';
import { anthropicProviderConfigSchema, createAnthropicProvider } from './providers/anthropic.js';
import { cortensorProviderConfigSchema, createCortensorProvider } from './providers/cortensor.js';
import { createLocalProvider, type LocalProviderDeps, localProviderConfigSchema } from './providers/local.js';
import { createOpenAiProvider, openAiProviderConfigSchema } from './providers/openai.js';
import { createScriptedProvider, scriptedProviderConfigSchema } from './providers/scripted.js';
import { callPolicySchema, type ResilienceDeps, withResilience } from './resilience.js';
import { withStructuredOutputCheck } from './structured-output.js';

export const providerConfigSchema = z.discriminatedUnion('kind', [
  openAiProviderConfigSchema,
  anthropicProviderConfigSchema,
  cortensorProviderConfigSchema,
  localProviderConfigSchema,
  scriptedProviderConfigSchema,
]);
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** `providers:` in config.yaml: provider id → its settings. */
export const providersConfigSchema = z.record(
  z.string().regex(/^[a-zA-Z0-9_-]+$/, 'provider ids use letters, digits, "_" and "-"'),
  providerConfigSchema,
);
export type ProvidersConfig = z.infer<typeof providersConfigSchema>;

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

export interface CreateProvidersDeps extends LocalProviderDeps, ResilienceDeps {}

/**
 * Builds every configured provider, each wrapped so that its structured output is checked and its
 * calls get the shared timeout and retry policy (`timeoutMs`, `maxAttempts`, … in its config).
 */
export function createProviders(
  config: ProvidersConfig,
  deps: CreateProvidersDeps = {},
): Map<string, Provider> {
  const providers = new Map<string, Provider>();
  for (const [id, providerConfig] of Object.entries(config)) {
    const provider = withStructuredOutputCheck(createProvider(id, providerConfig, deps));
    providers.set(id, withResilience(provider, callPolicySchema.parse(providerConfig), deps));
  }
  return providers;
}

function createProvider(id: string, config: ProviderConfig, deps: LocalProviderDeps): Provider {
  switch (config.kind) {
    case 'openai':
      return createOpenAiProvider(id, config, deps);
    case 'anthropic':
      return createAnthropicProvider(id, config, deps);
    case 'cortensor':
      return createCortensorProvider(id, config, deps);
    case 'local':
      return createLocalProvider(id, config, deps);
    case 'scripted':
      return createScriptedProvider(id, config);
  }
}
