export { type CallPattern, callMatches, type PolicyCall } from './call-pattern.js';
export { type CallDetails, decideToolCall, type PolicyVerdict } from './decide.js';
export {
  type Grant,
  type GrantStatus,
  GrantStore,
  type GrantTerm,
  grantPatternFor,
  type LastingTerm,
  type NewGrant,
} from './grants.js';
export {
  describeRule,
  type PolicyConfig,
  type PolicyDecision,
  type PolicyRule,
  policyConfigSchema,
  policyDecisions,
  policyRuleSchema,
} from './policy-config.js';
