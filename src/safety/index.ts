export { type SafetyBlock, SafetyBlockedError } from './block.js';
export { type CommandScope, commandBlock } from './command-shapes.js';
export { domainBlock } from './domain-rules.js';
export { checkIntent, type IntentScope, type ToolIntent } from './intent.js';
export { PanicError, type PanicStatus, PanicSwitch } from './panic.js';
export { type DomainRules, type SafetyConfig, safetyConfigSchema } from './safety-config.js';
export { resolveInWorkspace } from './workspace-path.js';
