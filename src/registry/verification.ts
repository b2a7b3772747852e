import { z } from 'zod';
import { modelRefSchema } from './models.js';

/**
 * Who judges an agent's answers in the verify phase. Without judges the agent's strong tier judges
 * alone. With several, each votes and either the majority decides or the strong tier rules on their
 * votes (`judge-of-judges`). A Cortensor provider can add its `/validate` (or factcheck) verdict as a vote.
 */
export const verificationSchema = z.strictObject({
  judges: z.array(modelRefSchema).default([]),
  decide: z.enum(['majority', 'judge-of-judges']).default('majority'),
  cortensor: z
    .strictObject({
      provider: z.string().min(1),
      method: z.enum(['validate', 'factcheck']).default('validate'),
    })
    .optional(),
});
export type Verification = z.infer<typeof verificationSchema>;
