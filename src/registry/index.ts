export { type AgentConfig, agentConfigSchema, agentIdSchema } from './agent-config.js';
export { type Budget, budgetSchema, type SpendingLimit, spendingLimitSchema } from './budget.js';
export { type ContextConfig, contextConfigSchema } from './context-config.js';
export { type GovernorConfig, governorConfigSchema } from './governor.js';
export {
  type AgentModels,
  agentModelRefs,
  agentModelsSchema,
  type ModelChoice,
  type ModelRef,
  type ModelTier,
  modelChoiceSchema,
  modelRefSchema,
  modelTiers,
} from './models.js';
export { type AgentDefinition, Registry } from './registry.js';
export { type TurnLimits, turnLimitsSchema } from './turn-limits.js';
export { type Verification, verificationSchema } from './verification.js';
