import { z } from 'zod';
import { isSecretReference } from '../../secret/index.js';

/** One remote machine the SSH tools may reach, under a name the model uses. */
export const sshHostSchema = z.strictObject({
  host: z.string().min(1),
  port: z.int().min(1).max(65_535).default(22),
  user: z.string().min(1),
  /** The private key (OpenSSH or PEM text, or that text in base64) lives in a secret; this refers to it. */
  key: z.string().refine(isSecretReference, {
    message: `must be a secret reference like secret:web1_key or \${env:WEB1_KEY}, never the key itself`,
  }),
  /** The host's key must be listed here; `~/` means the home directory of the user running PyClaw. */
  knownHostsFile: z.string().min(1).default('~/.ssh/known_hosts'),
});
export type SshHost = z.infer<typeof sshHostSchema>;

/** `ssh:` in config.yaml. */
export const sshConfigSchema = z.strictObject({
  hosts: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]+$/, 'host names use letters, digits, ".", "_" and "-"'),
      sshHostSchema,
    )
    .default({}),
  /** How long a remote command may run (connecting included) unless the call asks for less or more. */
  timeoutMs: z.int().min(1000).default(60_000),
  /** Output (stdout and stderr together) past this ends the command; what came is kept. */
  maxOutputBytes: z.int().min(1024).default(1_048_576),
});
export type SshConfig = z.infer<typeof sshConfigSchema>;
