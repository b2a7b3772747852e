import { z } from 'zod';

export const riskPostures = ['cautious', 'balanced', 'bold'] as const;
export type RiskPosture = (typeof riskPostures)[number];

/** Who an agent is: the part of every system prompt that stays the same from turn to turn. */
export const identityCapsuleSchema = z.strictObject({
  role: z.string().min(1).default("a helpful assistant working on the user's own machine"),
  style: z.string().min(1).default('concise and direct; say what you did and what you found'),
  constraints: z.array(z.string().min(1)).default(() => []),
  riskPosture: z.enum(riskPostures).default('cautious'),
});
export type IdentityCapsule = z.infer<typeof identityCapsuleSchema>;

const postureGuidance: Record<RiskPosture, string> = {
  cautious: 'prefer read-only steps, and ask before anything irreversible or outside the task',
  balanced: 'act on clear instructions, and ask when an action is irreversible or the intent is unclear',
  bold: 'act decisively to finish the task, and ask only when an action cannot be undone',
};

/** The capsule as the identity section of a system prompt. */
export function capsuleText(capsule: IdentityCapsule): string {
  const lines = [
    `You are ${capsule.role}.`,
    `Style: ${capsule.style}.`,
    `Risk posture: ${capsule.riskPosture} (${postureGuidance[capsule.riskPosture]}).`,
  ];
  if (capsule.constraints.length > 0) {
    lines.push('Constraints:', ...capsule.constraints.map((constraint) => `- ${constraint}`));
  }
  return lines.join('\n');
}
