import type { Transformer } from 'grammy';

const maxAttempts = 5;

/**
 * An API transformer that honours Telegram's flood control: a 429 answer carries `retry_after` seconds,
 * and the same call is sent again after that wait (a few times at most) instead of failing the reply.
 */
export function retryAfterFloodWait(sleep = defaultSleep): Transformer {
  return async (previous, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      const response = await previous(method, payload, signal);
      const retryAfter = response.ok ? undefined : response.parameters?.retry_after;
      if (response.ok || response.error_code !== 429 || retryAfter === undefined || attempt >= maxAttempts) {
        return response;
      }
      await sleep(retryAfter * 1000, signal);
    }
  };
}

/** The part of an abort signal the wait needs (grammY types its signals with a polyfill's class). */
interface AbortNotice {
  addEventListener(type: 'abort', listener: () => void): void;
}

function defaultSleep(ms: number, signal?: AbortNotice): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
