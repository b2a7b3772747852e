import { z } from 'zod';

export const checkStatuses = ['ok', 'warn', 'fail'] as const;

/** One line of `pyclaw doctor`: what was checked, how it stands, and what to do about it. */
export const checkResultSchema = z.object({
  area: z.string(),
  name: z.string(),
  status: z.enum(checkStatuses),
  detail: z.string(),
  /** What the user can do when it is not ok. */
  fix: z.string().optional(),
  /** Set when `doctor --fix` repaired it. */
  fixed: z.string().optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const ok = (area: string, name: string, detail: string): CheckResult => ({
  area,
  name,
  status: 'ok',
  detail,
});
