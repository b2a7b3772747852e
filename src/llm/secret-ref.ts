import { errorMessage, PyclawError } from '../core/index.js';
import { LlmError } from './contract.js';

/** Turns a config value such as `${env:OPENAI_API_KEY}` or `secret:openai` into the secret itself. */
export type ResolveSecret = (reference: string) => string;

/**
 * Used when the caller gave no resolver: understands `${env:NAME}` only, so that a bare library user
 * can still point a provider at an environment variable.
 */
export const resolveEnvReference: ResolveSecret = (reference) => {
  const match = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(reference);
  if (!match?.[1]) {
    throw new PyclawError(
      'llm.secret_unresolved',
      `cannot resolve "${reference}" without a secret resolver`,
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config syntax, not a template
        hint: 'Reference an environment variable as ${env:NAME}, or pass resolveSecret when creating providers.',
      },
    );
  }
  const value = process.env[match[1]];
  if (!value) throw new PyclawError('llm.secret_unresolved', `environment variable ${match[1]} is not set`);
  return value;
};

/** Resolves a provider's `apiKey` reference at call time, so one bad key fails only its own provider. */
export function resolveApiKey(
  providerId: string,
  reference: string | undefined,
  resolveSecret: ResolveSecret = resolveEnvReference,
): string | undefined {
  if (reference === undefined) return undefined;
  try {
    return resolveSecret(reference);
  } catch (error) {
    throw new LlmError('auth', providerId, `cannot resolve apiKey "${reference}": ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
