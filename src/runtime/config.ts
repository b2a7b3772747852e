import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { PyclawError } from '../core/index.js';
import { providersConfigSchema } from '../llm/index.js';
import { memoryConfigSchema } from '../memory/index.js';
import { policyConfigSchema } from '../policy/index.js';
import { agentConfigSchema, agentIdSchema, agentModelRefs } from '../registry/index.js';
import { safetyConfigSchema } from '../safety/index.js';
import { durabilitySchema } from '../storage/index.js';
import { browserConfigSchema, mcpConfigSchema, sshConfigSchema, toolsConfigSchema } from '../tools/index.js';
import { scheduleSchema } from './schedule-config.js';

/** `config.yaml`, validated at load. Unknown keys are errors, so a typo never silently does nothing. */
export const configSchema = z
  .strictObject({
    storage: z.strictObject({ durability: durabilitySchema.default('normal') }).prefault({}),
    logging: z
      .strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') })
      .prefault({}),
    providers: providersConfigSchema.default({}),
    agents: z.record(agentIdSchema, agentConfigSchema).default({}),
    policy: policyConfigSchema.prefault({}),
    tools: toolsConfigSchema.prefault({}),
    browser: browserConfigSchema.prefault({}),
    safety: safetyConfigSchema.prefault({}),
    memory: memoryConfigSchema.prefault({}),
    /** MCP servers whose tools agents can use, as `mcp.<server>.<tool>`. */
    mcp: mcpConfigSchema.prefault({}),
    /** Modules that export tools: paths (relative to PYCLAW_HOME) or npm package names. */
    plugins: z.array(z.string().min(1)).default([]),
    http: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.int().min(0).max(65_535).default(7420),
        /** A secret reference; without it `pyclaw serve` keeps a generated token as secret `api_token`. */
        token: z.string().min(1).optional(),
        maxBodyBytes: z.int().min(1024).default(1_048_576),
      })
      .prefault({}),
    schedules: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), scheduleSchema).default({}),
    telegram: z
      .strictObject({
        /** A secret reference to the bot token from @BotFather; without it the Telegram channel is off. */
        token: z.string().min(1).optional(),
        /** Telegram user ids that may talk to the agent; everyone else is refused. */
        allowedUsers: z.array(z.int().positive()).default([]),
        /** The agent new Telegram chats talk to. */
        agent: agentIdSchema.default('default'),
        /** Another Bot API server (a self-hosted one); default api.telegram.org. */
        apiRoot: z.url().optional(),
      })
      .prefault({}),
    ssh: sshConfigSchema.prefault({}),
    /** Delegation between agents (`agent.delegate`) through the durable a2a queue. */
    a2a: z
      .strictObject({
        /** A session this many delegations deep may not delegate further (a user's session is depth 0). */
        maxDepth: z.int().min(0).default(2),
        /** At most this many delegations from one turn. */
        maxFanOut: z.int().min(1).default(4),
        /** A worker that stops renewing its lease for this long loses the task to another worker. */
        leaseSeconds: z.number().positive().default(60),
      })
      .prefault({}),
  })
  .superRefine((config, context) => {
    const embeddings = config.memory.embeddings;
    const embeddingProvider = embeddings && config.providers[embeddings.provider];
    if (embeddings && embeddingProvider?.kind !== 'openai') {
      context.addIssue({
        code: 'custom',
        path: ['memory', 'embeddings', 'provider'],
        message: embeddingProvider
          ? `provider "${embeddings.provider}" (kind ${embeddingProvider.kind}) serves no embeddings; name a kind: openai provider`
          : `no provider "${embeddings.provider}" under providers:`,
      });
    }
    for (const [agentId, agent] of Object.entries(config.agents)) {
      if (!agent.models) continue;
      for (const { tier, fallback, ref } of agentModelRefs(agent.models)) {
        if (ref.provider in config.providers) continue;
        context.addIssue({
          code: 'custom',
          path: [
            'agents',
            agentId,
            'models',
            tier,
            ...(fallback === undefined ? [] : ['fallbacks', fallback]),
            'provider',
          ],
          message: `no provider "${ref.provider}" under providers:`,
        });
      }
    }
  });
export type Config = z.infer<typeof configSchema>;

export function parseConfig(text: string, source: string): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const line = syntaxError.linePos?.[0].line;
    throw new PyclawError(
      'config.syntax',
      `${source}${line ? `:${line}` : ''}: ${syntaxError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const result = configSchema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const key = [...issue.path, ...('keys' in issue ? [issue.keys[0]] : [])].join('.');
    const node = document.getIn(issue.path, true);
    const line = isNode(node) && node.range ? `:${lineCounter.linePos(node.range[0]).line}` : '';
    throw new PyclawError('config.invalid', `${source}${line}: ${key ? `${key}: ` : ''}${issue.message}`, {
      hint: 'fix the key named above; `pyclaw init --force` writes a fresh commented config',
    });
  }
  return result.data;
}

/** Loads config.yaml; a missing file means all defaults. */
export function loadConfig(path: string): Config {
  return parseConfig(readConfigText(path), path);
}

/** config.yaml's text; a missing file reads as empty. */
export function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new PyclawError('config.read', `cannot read ${path}: ${(error as Error).message}`);
  }
}
