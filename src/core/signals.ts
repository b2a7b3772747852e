/** Where a combined signal keeps its sources. */
const sources = Symbol('sources');

/**
 * `AbortSignal.any(signals)` that keeps its sources alive as long as it lives. Node holds the sources
 * of `any` weakly, and a timer holds its `AbortSignal.timeout` weakly too, so a timeout nothing else
 * refers to can be collected and never fire (nodejs/node#57736): a call meant to give up would hang.
 */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  const combined = AbortSignal.any(signals);
  Object.defineProperty(combined, sources, { value: signals });
  return combined;
}
