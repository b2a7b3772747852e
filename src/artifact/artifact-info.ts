import { z } from 'zod';
import { PyclawError } from '../core/index.js';
import { isUsableAlias } from './artifact-ref.js';

/** `pinned` is never collected; `ephemeral` is collected even when aliased; see `ArtifactStore.gc`. */
export const retentionSchema = z.enum(['ephemeral', 'standard', 'pinned']);
export type Retention = z.infer<typeof retentionSchema>;

export const artifactInfoSchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  ref: z.string(),
  size: z.number().int().nonnegative(),
  mime: z.string(),
  createdAt: z.number().int(),
  createdByEvent: z.string().nullable(),
  retention: retentionSchema,
  expiresAt: z.number().int().nullable(),
  aliases: z.array(z.string()),
});
export type ArtifactInfo = z.infer<typeof artifactInfoSchema>;

export const aliasSchema = z
  .string()
  .min(1)
  .max(256)
  .refine(isUsableAlias, 'an alias must not look like a sha256 ref or a hex prefix of 8+ digits');

export const putOptionsSchema = z.object({
  mime: z.string().min(1).optional(),
  createdByEvent: z.string().optional(),
  alias: aliasSchema.optional(),
  retention: retentionSchema.optional(),
  /** Epoch milliseconds; absent means the blob never expires. */
  expiresAt: z.number().int().optional(),
  /**
   * false: skip the fsyncs, for bytes that can be rebuilt (a prompt pack). A killed process loses
   * nothing either way; a power loss may lose such a blob.
   */
  durable: z.boolean().optional(),
});
export type PutOptions = z.infer<typeof putOptionsSchema>;

/** Parses `value` or throws a one-line PyclawError naming the first problem. */
export function parseArtifactInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new PyclawError('artifact.bad-input', `invalid ${what}: ${where}${issue?.message ?? 'rejected'}`);
}
