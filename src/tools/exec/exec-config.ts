import { z } from 'zod';

/** `NAME` (taken from PyClaw's environment) or `NAME=value`, where value may hold secret references. */
const envEntry = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/s, 'must be NAME or NAME=value');

/** `tools: exec:` in config.yaml. */
export const execConfigSchema = z.strictObject({
  /** Variables the command gets beyond the minimal environment; the only way a secret reaches it. */
  env: z.array(envEntry).default([]),
  timeoutMs: z.int().min(100).default(60_000),
  /** The longest timeout a call may ask for. */
  maxTimeoutMs: z.int().min(100).default(600_000),
  /** Bytes of stdout and of stderr kept per call; the rest is counted and dropped. */
  maxOutputBytes: z.int().min(1024).default(1_048_576),
});
export type ExecConfig = z.infer<typeof execConfigSchema>;
