import type { SecretResolver } from '../secret/index.js';
import {
  browserTools,
  builtinTools,
  childEnv,
  execTool,
  fetchTool,
  sshTools,
  type Tool,
} from '../tools/index.js';
import type { Config } from './config.js';

/** What tools need from the process beyond config. */
export interface ToolSources {
  /** PyClaw's environment; commands see only its harmless part and what config names. */
  env: NodeJS.ProcessEnv;
  secrets: SecretResolver;
}

/**
 * Every tool an install offers, from the built-ins and the tool sections of config. Each kind of tool
 * adds its source here; which tools an agent may call is still its own `tools:` patterns.
 */
export function configuredTools(config: Config, sources: ToolSources): Tool[] {
  const exec = config.tools.exec;
  return [
    ...builtinTools(),
    execTool({ config: exec, env: () => childEnv(sources.env, exec.env, sources.secrets.resolveString) }),
    fetchTool({ config: config.tools.http, domains: config.safety.domains }),
    ...browserTools(config.browser, {
      resolveSecret: sources.secrets.resolveString,
      domains: config.safety.domains,
    }),
    ...sshTools(config.ssh, sources.secrets),
  ];
}
