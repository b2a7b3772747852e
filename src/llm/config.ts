import { z } from 'zod';
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
