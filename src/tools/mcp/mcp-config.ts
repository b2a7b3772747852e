import { z } from 'zod';

/**
 * One server under `mcp.servers`: a command PyClaw starts and talks to over stdio, or the URL of a
 * Streamable HTTP endpoint. Values of `env` and `headers` may be secret references (`${env:NAME}`,
 * `secret:NAME`), resolved only when the server is started.
 */
export const mcpServerConfigSchema = z
  .strictObject({
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    /** Added to a small safe base (PATH, HOME, …); nothing else of PyClaw's environment reaches the server. */
    env: z.record(z.string(), z.string()).optional(),
    /** Relative to PYCLAW_HOME. */
    cwd: z.string().min(1).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((server, context) => {
    if ((server.command === undefined) === (server.url === undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'give either command (a stdio server) or url (a Streamable HTTP server)',
      });
      return;
    }
    const misplaced =
      server.command === undefined
        ? (['args', 'env', 'cwd'] as const).filter((key) => server[key] !== undefined)
        : server.headers !== undefined
          ? ['headers']
          : [];
    for (const key of misplaced) {
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `${key} applies only to a ${server.command === undefined ? 'stdio' : 'Streamable HTTP'} server`,
      });
    }
  });
export type McpServerConfig = z.infer<typeof mcpServerConfigSchema>;

export const mcpServerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'MCP server names use letters, digits, "_" and "-"');

/** `mcp:` in config.yaml. */
export const mcpConfigSchema = z.strictObject({
  servers: z.record(mcpServerNameSchema, mcpServerConfigSchema).default({}),
});
export type McpConfig = z.infer<typeof mcpConfigSchema>;
