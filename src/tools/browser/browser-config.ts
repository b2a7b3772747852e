import { z } from 'zod';

export const browserBackends = ['auto', 'playwright', 'pinchtab'] as const;

/** `browser:` in config.yaml. */
export const browserConfigSchema = z
  .strictObject({
    /** auto: PinchTab when `pinchtab.url` is set, otherwise Chromium driven by playwright-core. */
    backend: z.enum(browserBackends).default('auto'),
    executablePath: z.string().min(1).default('/usr/bin/chromium'),
    /** Longest wait for one page load or one action. */
    timeoutMs: z.int().min(1000).default(15_000),
    pinchtab: z
      .strictObject({
        url: z.url({ protocol: /^https?$/ }),
        /** A secret reference (`secret:pinchtab_token`), sent as a bearer token. */
        token: z.string().min(1).optional(),
      })
      .optional(),
  })
  .superRefine((config, context) => {
    if (config.backend === 'pinchtab' && !config.pinchtab) {
      context.addIssue({ code: 'custom', path: ['backend'], message: 'backend pinchtab needs pinchtab.url' });
    }
  });
export type BrowserConfig = z.infer<typeof browserConfigSchema>;
