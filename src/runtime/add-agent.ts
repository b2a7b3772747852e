import { PyclawError } from '../core/index.js';
import { agentIdSchema, type ModelRef } from '../registry/index.js';
import type { Config } from './config.js';
import { setInConfig } from './config-document.js';
import { editConfigFile } from './config-file.js';

export interface NewAgent {
  id: string;
  name?: string;
  role?: string;
  /** The agent's default model; its provider must already be configured. */
  model?: ModelRef;
}

/** Adds an agent to config.yaml, comments kept; refuses an id in use or a model of an unknown provider. */
export function addAgent(configPath: string, agent: NewAgent): Config {
  const id = agentIdSchema.safeParse(agent.id);
  if (!id.success) {
    throw new PyclawError(
      'config.bad-agent-id',
      `"${agent.id}" is not an agent id: ${id.error.issues[0]?.message}`,
    );
  }
  return editConfigFile(configPath, (doc, config) => {
    if (agent.id in config.agents) {
      throw new PyclawError('config.agent-exists', `agent "${agent.id}" already exists in ${configPath}`, {
        hint: `edit it there, or see \`pyclaw agents show ${agent.id}\``,
      });
    }
    if (agent.model) requireProvider(config, agent.model.provider, configPath);
    setInConfig(doc, ['agents', agent.id], {
      name: agent.name,
      identity: agent.role === undefined ? undefined : { role: agent.role },
      models: agent.model && { default: doc.createNode(agent.model, { flow: true }) },
    });
  });
}

function requireProvider(config: Config, provider: string, configPath: string): void {
  if (provider in config.providers) return;
  const known = Object.keys(config.providers).join(', ') || 'none';
  throw new PyclawError(
    'config.unknown-provider',
    `no provider "${provider}" under providers: in ${configPath} (configured: ${known})`,
  );
}
