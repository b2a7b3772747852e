import { z } from 'zod';
import { anySignal, errorMessage } from '../core/index.js';
import { type CompleteOptions, type CompletionRequest, LlmError, type Provider } from './contract.js';

/** Timeout and retry settings; every provider kind accepts these keys in its config. */
export const callPolicySchema = z.object({
  /** Limit for one attempt, from sending the request to the last streamed byte. */
  timeoutMs: z.number().int().positive().default(60_000),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  initialDelayMs: z.number().int().nonnegative().default(500),
  /** Longest wait between attempts; a Retry-After asking for more ends the retries instead. */
  maxDelayMs: z.number().int().nonnegative().default(30_000),
});
export type CallPolicy = z.infer<typeof callPolicySchema>;

export interface ResilienceDeps {
  /** Stand-ins for tests; default to real timers and Math.random. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random?: () => number;
}

/**
 * The one place where timeouts and retries happen (vendor SDK retries are switched off). Each attempt
 * gets its own timeout combined with the caller's signal; an abort by the caller ends everything at
 * once. Retries cover rate limits, 5xx/overload and timeouts, with exponential backoff and jitter, or
 * exactly what Retry-After asked for. Once text has streamed to the caller an attempt is never
 * repeated, because the caller would see the text twice.
 */
export function withResilience<P extends Provider>(
  provider: P,
  policy: CallPolicy,
  deps: ResilienceDeps = {},
): P {
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;

  async function complete(request: CompletionRequest, options: CompleteOptions = {}) {
    const callerSignal = options.signal;
    let streamed = false;
    const onDelta = options.onDelta
      ? (text: string) => {
          streamed = true;
          options.onDelta?.(text);
        }
      : undefined;

    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptOnce(provider, request, { ...options, onDelta }, policy.timeoutMs);
      } catch (error) {
        const llmError = asLlmError(provider.id, error);
        const delayMs = retryDelayMs(llmError, attempt, policy, random);
        if (callerSignal?.aborted || streamed || attempt >= policy.maxAttempts || delayMs === undefined) {
          throw llmError;
        }
        await sleep(delayMs, callerSignal).catch(() => {
          throw abortedError(provider.id);
        });
      }
    }
  }
  return { ...provider, complete };
}

async function attemptOnce(
  provider: Provider,
  request: CompletionRequest,
  options: CompleteOptions,
  timeoutMs: number,
) {
  const callerSignal = options.signal;
  if (callerSignal?.aborted) throw abortedError(provider.id);
  const timeoutSignal = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? anySignal([callerSignal, timeoutSignal]) : timeoutSignal;
  const failure = () =>
    callerSignal?.aborted
      ? abortedError(provider.id)
      : new LlmError('timeout', provider.id, `no complete answer within ${timeoutMs} ms`);

  // Racing the signal guarantees the limit even against a provider that ignores its signal.
  let stopListening = () => {};
  const abandoned = new Promise<never>((_, reject) => {
    const onAbort = () => reject(failure());
    signal.addEventListener('abort', onAbort, { once: true });
    stopListening = () => signal.removeEventListener('abort', onAbort);
  });
  const call = provider.complete(request, { ...options, signal });
  call.catch(() => {});
  try {
    return await Promise.race([call, abandoned]);
  } catch (error) {
    throw signal.aborted ? failure() : error;
  } finally {
    stopListening();
  }
}

function retryDelayMs(error: LlmError, attempt: number, policy: CallPolicy, random: () => number) {
  if (!error.retryable) return undefined;
  if (error.retryAfterSeconds !== undefined) {
    const asked = error.retryAfterSeconds * 1000;
    return asked <= policy.maxDelayMs ? asked : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

function asLlmError(providerId: string, error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  return new LlmError('bad_response', providerId, errorMessage(error), { cause: error });
}

function abortedError(providerId: string): LlmError {
  return new LlmError('aborted', providerId, 'the call was aborted');
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
