import { PyclawError } from '../../core/index.js';
import type { SecretResolver } from '../../secret/index.js';

/** What the SSH tools need from the secret resolver. */
export type SshSecrets = Pick<SecretResolver, 'resolveString' | 'registerDerived'>;

/**
 * The private key a host's `key` reference holds. A secrets-file value is one line, so a key may be stored
 * as the base64 of its file; an environment variable may hold the text itself.
 */
export function resolvePrivateKey(hostName: string, reference: string, secrets: SshSecrets): string {
  let value: string;
  try {
    value = secrets.resolveString(reference);
  } catch (error) {
    throw new PyclawError('ssh.key-missing', `the key of ssh host ${hostName}: ${(error as Error).message}`, {
      hint: error instanceof PyclawError ? error.hint : undefined,
      cause: error,
    });
  }
  if (value.includes('-----BEGIN ')) return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (!decoded.includes('-----BEGIN ')) {
    throw new PyclawError(
      'ssh.bad-key',
      `${reference} (the key of ssh host ${hostName}) is neither a private key nor one in base64`,
      { hint: `store it base64-encoded: base64 -w0 ~/.ssh/id_ed25519` },
    );
  }
  secrets.registerDerived(decoded, reference);
  return decoded;
}
