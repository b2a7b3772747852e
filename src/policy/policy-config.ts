import { z } from 'zod';

export const policyDecisions = ['allow', 'ask', 'deny'] as const;
export type PolicyDecision = (typeof policyDecisions)[number];

/** One rule: a tool id or a glob over tool ids (`fs.*`, `*`) and what to do with its calls. */
export const policyRuleSchema = z.strictObject({
  tool: z.string().min(1),
  decision: z.enum(policyDecisions),
  reason: z.string().optional(),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** `policy:` in config.yaml. */
export const policyConfigSchema = z.strictObject({
  rules: z.array(policyRuleSchema).default([]),
});
export type PolicyConfig = z.infer<typeof policyConfigSchema>;
