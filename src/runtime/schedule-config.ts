import { Cron } from 'croner';
import { z } from 'zod';
import { agentIdSchema } from '../registry/index.js';

/** A turn `pyclaw serve` runs on a cron schedule (a sixth, leading field gives seconds). */
export const scheduleSchema = z.strictObject({
  cron: z.string().refine(isCronPattern, { message: 'not a cron pattern (e.g. "0 9 * * 1-5")' }),
  /** The message the agent gets each time. */
  message: z.string().min(1),
  agent: agentIdSchema.default('default'),
  /** IANA time zone for the pattern; default the machine's. */
  timezone: z.string().min(1).optional(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}
