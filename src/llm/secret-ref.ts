import { errorMessage } from '../core/index.js';
import { LlmError } from './contract.js';

/** Turns a config value such as `${env:OPENAI_API_KEY}` or `secret:openai` into the secret itself. */
export type ResolveSecret = (reference: string) => string;

/**
 * Resolves a provider's `apiKey` reference at call time, so one bad key fails only its own provider.
 * The resolver comes from the caller (the runtime passes the secret module's); without one a key
 * cannot be read, which is said plainly rather than sending the reference as the key.
 */
export function resolveApiKey(
  providerId: string,
  reference: string | undefined,
  resolveSecret: ResolveSecret | undefined,
): string | undefined {
  if (reference === undefined) return undefined;
  if (!resolveSecret) {
    throw new LlmError(
      'auth',
      providerId,
      `cannot resolve apiKey "${reference}": no secret resolver was given`,
      {
        hint: 'Pass resolveSecret to createProviders.',
      },
    );
  }
  try {
    return resolveSecret(reference);
  } catch (error) {
    throw new LlmError('auth', providerId, `cannot resolve apiKey "${reference}": ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
