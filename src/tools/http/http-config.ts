import { z } from 'zod';

/** `tools: http:` in config.yaml. */
export const httpConfigSchema = z.strictObject({
  timeoutMs: z.int().min(100).default(30_000),
  /** The longest timeout a call may ask for. */
  maxTimeoutMs: z.int().min(100).default(120_000),
  /** Bytes of a response body kept; the rest is not downloaded. */
  maxBytes: z.int().min(1024).default(5_242_880),
  maxRedirects: z.int().min(0).max(20).default(5),
});
export type HttpConfig = z.infer<typeof httpConfigSchema>;
