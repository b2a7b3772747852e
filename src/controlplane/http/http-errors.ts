import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorMessage, PyclawError } from '../../core/index.js';

const statusByCode: Record<string, ContentfulStatusCode> = {
  'runtime.no-session': 404,
  'runtime.no-approval': 404,
  'registry.unknown-agent': 404,
  'runtime.session-busy': 409,
  'policy.no-grant': 404,
  'policy.grant-revoked': 409,
  'runtime.in-doubt-grant': 409,
  'runtime.no-model': 409,
  'http.bad-request': 400,
  'http.unauthorized': 401,
  'http.not-found': 404,
  'http.too-large': 413,
};

/** The API's one error shape: `{ error: { code, message, hint? } }` with a status that fits the code. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof PyclawError) {
    const status = statusByCode[error.code] ?? 400;
    return c.json({ error: { code: error.code, message: error.message, hint: error.hint } }, status);
  }
  return c.json({ error: { code: 'internal', message: errorMessage(error) } }, 500);
}

export function httpError(code: keyof typeof statusByCode, message: string): PyclawError {
  return new PyclawError(code, message);
}
