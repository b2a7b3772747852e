export { type BudgetGuard, type Spending, spendingOf, type UsageTotal, usageOf } from './budget.js';
export { classifyHttpFailure, type HttpFailure } from './classify-error.js';
export {
  type CreateProvidersDeps,
  createProviders,
  type ProviderConfig,
  type ProvidersConfig,
  providerConfigSchema,
  providersConfigSchema,
} from './config.js';
export {
  type ChatMessage,
  type CompleteOptions,
  type CompletionRequest,
  type CompletionResponse,
  chatMessageSchema,
  completionRequestSchema,
  completionResponseSchema,
  type EmbedRequest,
  type EmbedResponse,
  LlmError,
  type LlmErrorKind,
  llmErrorKinds,
  type Provider,
  type ProviderDeps,
  type ToolCall,
  type ToolSpec,
  toolCallSchema,
  toolSpecSchema,
  type Usage,
  usageSchema,
} from './contract.js';
export {
  type PanelPlan,
  type PanelVerdict,
  type PanelVote,
  panelAndJudge,
  type Review,
  type SecondOpinion,
  type SecondOpinionPlan,
  secondOpinion,
} from './patterns.js';
export { costUsd, type ModelPricing, modelPricingSchema } from './pricing.js';
export {
  type AnthropicProviderConfig,
  anthropicProviderConfigSchema,
  createAnthropicProvider,
} from './providers/anthropic.js';
export {
  type CortensorProvider,
  type CortensorProviderConfig,
  cortensorProviderConfigSchema,
  createCortensorProvider,
  type DelegateRequest,
  type DelegateResponse,
  type FactcheckRequest,
  type FactcheckResponse,
  isCortensorProvider,
  type RouterCallOptions,
  type ValidateRequest,
  type ValidateResponse,
} from './providers/cortensor.js';
export {
  createLocalProvider,
  type LocalProvider,
  type LocalProviderConfig,
  type LocalProviderDeps,
  localProviderConfigSchema,
} from './providers/local.js';
export {
  createOpenAiProvider,
  type OpenAiProviderConfig,
  openAiProviderConfigSchema,
} from './providers/openai.js';
export {
  createScriptedProvider,
  type ScriptedProvider,
  type ScriptedProviderConfig,
  type ScriptedResponse,
  scriptedProviderConfigSchema,
  scriptedResponseSchema,
} from './providers/scripted.js';
export {
  findRecordedAnswer,
  type LlmEventSink,
  type LlmStep,
  type RecordedCall,
  type RecordedResponse,
  recordedComplete,
} from './recorder.js';
export { type CallPolicy, callPolicySchema, type ResilienceDeps, withResilience } from './resilience.js';
export {
  type ModelCaller,
  ModelRouter,
  type ModelRouterDeps,
  type RoutedCallOptions,
  type RoutedRequest,
  type RoutedResponse,
} from './router.js';
export type { ResolveSecret } from './secret-ref.js';
export { checkStructuredOutput, withStructuredOutputCheck } from './structured-output.js';
export { type ProviderTestResult, testProvider } from './test-provider.js';
export { createToolNameMap, type ToolNameMap, wireToolName } from './tool-names.js';
