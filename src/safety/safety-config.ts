import { z } from 'zod';

/** A host name pattern: `example.com` (it and its subdomains), `*.example.com` (subdomains only), or `*`. */
const domainPattern = z
  .string()
  .min(1)
  .transform((pattern) => pattern.trim().toLowerCase().replace(/\.$/, ''))
  .refine((pattern) => /^(\*|(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$/.test(pattern), {
    message: 'must be a host name like example.com, *.example.com or *',
  });

const commandPattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression' },
);

/** `safety:` in config.yaml: hard stops that no rule, grant or approval overrides. */
export const safetyConfigSchema = z.strictObject({
  domains: z
    .strictObject({
      /** When not empty, the only hosts tools may reach. */
      allow: z.array(domainPattern).default([]),
      /** Hosts no tool may reach; beats allow. */
      deny: z.array(domainPattern).default([]),
    })
    .prefault({}),
  commands: z
    .strictObject({
      /** Regular expressions: a command line matching one is blocked, besides the built-in shapes. */
      deny: z.array(commandPattern).default([]),
    })
    .prefault({}),
});
export type SafetyConfig = z.infer<typeof safetyConfigSchema>;
export type DomainRules = SafetyConfig['domains'];
