import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Tool, ToolAnnotations, ToolContext, ToolOutput } from '../contract.js';

/** Runs a tool on its server: what an MCP tool's `execute` delegates to. */
export type CallMcpTool = (
  name: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<unknown>;

/** `mcp.<server>.<tool>`, with characters a tool id cannot hold replaced by `_`. */
export function mcpToolId(server: string, toolName: string): string {
  const segments = toolName.split('.').map((segment) => segment.replace(/[^A-Za-z0-9_-]/g, '_') || '_');
  return ['mcp', server, ...segments].join('.');
}

/**
 * MCP's hints with the protocol's own defaults for a hint left out: not read-only, destructive, not
 * idempotent, open-world. A read-only tool is idempotent by nature. Hints come from the server and are
 * trusted as such; a policy rule on `mcp.<server>.*` overrides what they imply.
 */
export function mcpAnnotations(hints: McpTool['annotations']): ToolAnnotations {
  const readOnly = hints?.readOnlyHint ?? false;
  return {
    readOnly,
    destructive: !readOnly && (hints?.destructiveHint ?? true),
    idempotent: readOnly || (hints?.idempotentHint ?? false),
    openWorld: hints?.openWorldHint ?? true,
  };
}

/** A server's tool as a PyClaw tool: its JSON Schema input as given, its calls sent back to the server. */
export function mcpTool(
  server: string,
  descriptor: McpTool,
  call: CallMcpTool,
): Tool<Record<string, unknown>> {
  return {
    name: mcpToolId(server, descriptor.name),
    description: descriptor.description ?? descriptor.title ?? `${descriptor.name} (MCP server ${server})`,
    inputSchema: descriptor.inputSchema,
    annotations: mcpAnnotations(descriptor.annotations),
    async execute(ctx, input, signal) {
      return toolOutput((await call(descriptor.name, input, signal)) as CallToolResult, ctx);
    },
  };
}

/** Text parts as text; images, audio and binary resources into the artifact store, named by their ref. */
async function toolOutput(result: CallToolResult, ctx: ToolContext): Promise<ToolOutput> {
  const artifacts: string[] = [];
  const store = async (base64: string, mime: string, label: string): Promise<string> => {
    const { ref } = await ctx.artifacts.put(Buffer.from(base64, 'base64'), { mime });
    artifacts.push(ref);
    return `[${label} ${mime}: ${ref}]`;
  };
  const parts: string[] = [];
  for (const item of result.content ?? []) {
    if (item.type === 'text') parts.push(item.text);
    else if (item.type === 'image' || item.type === 'audio')
      parts.push(await store(item.data, item.mimeType, item.type));
    else if (item.type === 'resource_link') parts.push(`[resource ${item.name}: ${item.uri}]`);
    else if ('text' in item.resource) parts.push(`[resource ${item.resource.uri}]\n${item.resource.text}`);
    else {
      const mime = item.resource.mimeType ?? 'application/octet-stream';
      parts.push(await store(item.resource.blob, mime, `resource ${item.resource.uri}`));
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  return { content: parts.join('\n'), artifacts, isError: result.isError === true };
}
