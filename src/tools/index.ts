export {
  defineTool,
  type Tool,
  type ToolAnnotations,
  type ToolContext,
  type ToolOutput,
} from './contract.js';
export { builtinTools } from './fs/builtin-tools.js';
export {
  type ToolCallRequest,
  ToolHost,
  type ToolHostOptions,
  type ToolRunResult,
} from './tool-host.js';
