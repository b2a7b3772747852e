import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { type CallPattern, callMatches, type PatternMode, type PolicyCall } from './call-pattern.js';
import { expandHome } from './real-path.js';

export const policyDecisions = ['allow', 'ask', 'deny'] as const;
export type PolicyDecision = (typeof policyDecisions)[number];

/**
 * An example call a rule must (`match`) or must not (`not_match`) match, checked when config loads.
 * A string stands for the rule's one argument pattern (a command, a path, a URL or host), or for a
 * tool id when the rule has none; `{tool, input}` spells a call out.
 */
const ruleExampleSchema = z.union([
  z.string().min(1),
  z.strictObject({
    tool: z.string().min(1).optional(),
    input: z.record(z.string(), z.unknown()).default({}),
  }),
]);
type RuleExample = z.infer<typeof ruleExampleSchema>;

/** One rule: a tool id or glob (`fs.*`, `mcp.github.*`), optional argument patterns, and what to do. */
export const policyRuleSchema = z.strictObject({
  tool: z.string().min(1),
  decision: z.enum(policyDecisions),
  reason: z.string().optional(),
  command: z.string().trim().min(1).optional(),
  path: z
    .string()
    .min(1)
    .refine((path) => isAbsolute(expandHome(path)), 'a path glob must be absolute or start with ~/')
    .optional(),
  domain: z
    .string()
    .regex(/^(\*\.)?[A-Za-z0-9.-]+$|^\*$/, 'a domain is a host name like example.com or *.example.com')
    .optional(),
  match: z.array(ruleExampleSchema).optional(),
  not_match: z.array(ruleExampleSchema).optional(),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** `policy:` in config.yaml. */
export const policyConfigSchema = z
  .strictObject({
    rules: z.array(policyRuleSchema).default([]),
  })
  .superRefine((config, context) => {
    config.rules.forEach((rule, index) => {
      for (const [key, expected] of [
        ['match', true],
        ['not_match', false],
      ] as const) {
        rule[key]?.forEach((example, exampleIndex) => {
          const problem = exampleProblem(rule, example, expected);
          if (problem)
            context.addIssue({ code: 'custom', path: ['rules', index, key, exampleIndex], message: problem });
        });
      }
    });
  });
export type PolicyConfig = z.infer<typeof policyConfigSchema>;

/** How an argument pattern of a rule with this decision applies to several commands or paths. */
export function patternMode(decision: PolicyDecision): PatternMode {
  return decision === 'allow' ? 'every' : 'any';
}

/** The rule as people read it in a verdict or an error: `exec "git status" → allow`. */
export function describeRule(rule: PolicyRule): string {
  const argumentsShown = [rule.command, rule.path, rule.domain]
    .filter((value) => value !== undefined)
    .map((value) => ` ${JSON.stringify(value)}`)
    .join('');
  return `${rule.tool}${argumentsShown} → ${rule.decision}`;
}

function exampleProblem(rule: PolicyRule, example: RuleExample, expected: boolean): string | undefined {
  const call = exampleCall(rule, example);
  if (typeof call === 'string') return call;
  if (callMatches(rule, call, patternMode(rule.decision)) === expected) return undefined;
  return `rule ${describeRule(rule)} ${expected ? 'does not match' : 'matches'} its example ${JSON.stringify(example)}`;
}

function exampleCall(rule: PolicyRule, example: RuleExample): PolicyCall | string {
  const cwd = process.cwd();
  if (typeof example !== 'string') return { tool: example.tool ?? rule.tool, input: example.input, cwd };
  const patterns = argumentPatterns(rule);
  if (patterns.length > 1) {
    return `rule ${describeRule(rule)} has several argument patterns: spell its examples as { tool, input }`;
  }
  const input = {
    command: { command: example },
    path: { path: example },
    domain: { url: example.includes('://') ? example : `https://${example}/` },
  };
  const pattern = patterns[0];
  return pattern === undefined
    ? { tool: example, input: {}, cwd }
    : { tool: rule.tool, input: input[pattern], cwd };
}

function argumentPatterns(pattern: CallPattern): ('command' | 'path' | 'domain')[] {
  return (['command', 'path', 'domain'] as const).filter((key) => pattern[key] !== undefined);
}
