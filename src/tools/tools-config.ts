import { z } from 'zod';
import { execConfigSchema } from './exec/exec-config.js';
import { httpConfigSchema } from './http/http-config.js';

/** `tools:` in config.yaml: settings of the built-in tools. */
export const toolsConfigSchema = z.strictObject({
  exec: execConfigSchema.prefault({}),
  http: httpConfigSchema.prefault({}),
});
export type ToolsConfig = z.infer<typeof toolsConfigSchema>;
