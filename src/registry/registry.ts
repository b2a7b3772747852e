import { type Clock, PyclawError, systemClock } from '../core/index.js';
import { capsuleText, type IdentityVersion, identityHistory, recordIdentity } from '../identity/index.js';
import type { Db } from '../storage/index.js';
import type { AgentConfig } from './agent-config.js';

/** An agent as configured, with what the registry derives from its config. */
export interface AgentDefinition extends AgentConfig {
  id: string;
  /** `name` from config, or the id when none is given. */
  name: string;
  /** The recorded identity version its capsule is, and that capsule's hash. */
  identityVersion: number;
  identityHash: string;
  /** The identity section of its system prompt. */
  systemPrompt: string;
}

/**
 * The agents defined in config. Building it records each agent's identity capsule, so editing a
 * capsule in config.yaml becomes a new identity version the next time PyClaw starts.
 */
export class Registry {
  private readonly db: Db;
  private readonly agents = new Map<string, AgentDefinition>();

  constructor(db: Db, agents: Record<string, AgentConfig>, clock: Clock = systemClock) {
    this.db = db;
    for (const [id, config] of Object.entries(agents)) {
      const identity = recordIdentity(db, id, config.identity, clock.now());
      this.agents.set(id, {
        ...config,
        id,
        name: config.name ?? id,
        identityVersion: identity.version,
        identityHash: identity.hash,
        systemPrompt: systemPrompt(config),
      });
    }
  }

  /** Every agent, in config order. */
  list(): AgentDefinition[] {
    return [...this.agents.values()];
  }

  get(id: string): AgentDefinition {
    const agent = this.agents.get(id);
    if (agent) return agent;
    const known = [...this.agents.keys()].join(', ') || 'none';
    throw new PyclawError('registry.unknown-agent', `no agent "${id}" (known: ${known})`, {
      hint: `define it under agents: in config.yaml, or run \`pyclaw agents add ${id}\``,
    });
  }

  /** Every recorded identity version of an agent, oldest first. */
  identityHistory(id: string): IdentityVersion[] {
    return identityHistory(this.db, this.get(id).id);
  }
}

function systemPrompt(config: AgentConfig): string {
  const identity = capsuleText(config.identity);
  return config.name ? `Your name is ${config.name}.\n${identity}` : identity;
}
