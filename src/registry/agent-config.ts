import { z } from 'zod';
import { identityCapsuleSchema } from '../identity/index.js';
import { contextConfigSchema } from './context-config.js';
import { governorConfigSchema } from './governor.js';
import { agentModelsSchema } from './models.js';
import { turnLimitsSchema } from './turn-limits.js';
import { verificationSchema } from './verification.js';

export const agentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'agent ids use a-z, 0-9, "_" and "-"');

/** One agent under `agents:` in config.yaml. */
export const agentConfigSchema = z.strictObject({
  name: z.string().min(1).optional(),
  identity: identityCapsuleSchema.prefault({}),
  /** Without models an agent can be listed and inspected, but not run. */
  models: agentModelsSchema.optional(),
  /** Tool ids or globs (`fs.*`) the agent may use. */
  tools: z.array(z.string().min(1)).default(() => ['fs.read', 'fs.list']),
  /** Skill names or globs the agent may draw on, from PYCLAW_HOME/skills and ./skills. */
  skills: z.array(z.string().min(1)).default(() => ['*']),
  limits: turnLimitsSchema.prefault({}),
  /** Whether turns run the verify and reflect phases (otherwise they are recorded as skipped). */
  verify: z.boolean().default(false),
  /** Who judges when `verify` is on (default: the strong tier alone). */
  verification: verificationSchema.prefault({}),
  reflect: z.boolean().default(false),
  /** When the metagovernor asks for validation or a human, narrows the tools, or stops the turn. */
  governor: governorConfigSchema.prefault({}),
  /** How its prompts are packed under token budgets. */
  context: contextConfigSchema,
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;
