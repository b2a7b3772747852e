export { decideToolCall, type PolicyVerdict } from './decide.js';
export {
  type PolicyConfig,
  type PolicyDecision,
  type PolicyRule,
  policyConfigSchema,
  policyDecisions,
  policyRuleSchema,
} from './policy-config.js';
