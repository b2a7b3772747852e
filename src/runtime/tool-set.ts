import { builtinTools, type Tool } from '../tools/index.js';
import type { Config } from './config.js';

/**
 * Every tool an install offers, from the built-ins and the tool sections of config. Each kind of tool
 * adds its source here; which tools an agent may call is still its own `tools:` patterns.
 */
export function configuredTools(_config: Config): Tool[] {
  return [...builtinTools()];
}
