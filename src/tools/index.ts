export {
  type BrowserConfig,
  type BrowserToolOptions,
  browserBackends,
  browserConfigSchema,
  browserTools,
} from './browser/index.js';
export {
  defineTool,
  type JsonSchemaObject,
  type RelayedApproval,
  type Tool,
  type ToolAnnotations,
  type ToolCallContext,
  type ToolContext,
  type ToolOutput,
} from './contract.js';
export { childEnv } from './exec/child-env.js';
export { type ExecConfig, execConfigSchema } from './exec/exec-config.js';
export { execTool } from './exec/exec-tool.js';
export { builtinTools } from './fs/builtin-tools.js';
export { fetchTool } from './http/fetch-tool.js';
export { type HttpConfig, httpConfigSchema } from './http/http-config.js';
export {
  type McpConfig,
  type McpServerConfig,
  mcpConfigSchema,
} from './mcp/mcp-config.js';
export { McpServers, type McpServersOptions } from './mcp/mcp-servers.js';
export { mcpAnnotations, mcpToolId } from './mcp/mcp-tools.js';
export { loadPlugins } from './plugins.js';
export { knownHostEntries } from './ssh/known-hosts.js';
export { resolvePrivateKey, type SshSecrets } from './ssh/private-key.js';
export { type SshConfig, type SshHost, sshConfigSchema } from './ssh/ssh-config.js';
export { expandHome, sshTools } from './ssh/ssh-tools.js';
export {
  type ToolCallRequest,
  ToolHost,
  type ToolHostOptions,
  type ToolRunResult,
} from './tool-host.js';
export { type ToolsConfig, toolsConfigSchema } from './tools-config.js';
