import { errorMessage, systemClock } from '../core/index.js';
import { LlmError, type LlmErrorKind, type Provider } from './contract.js';

export type ProviderTestResult =
  | { ok: true; latencyMs: number; model: string; text: string }
  | { ok: false; kind: LlmErrorKind | 'internal'; message: string };

/** `pyclaw llm test`: one tiny request, and either the latency or the exact error. */
export async function testProvider(
  provider: Provider,
  model: string,
  clock = systemClock,
): Promise<ProviderTestResult> {
  const started = clock.now();
  try {
    const response = await provider.complete({
      model,
      messages: [{ role: 'user', content: 'Reply with the single word: ok' }],
      maxTokens: 16,
    });
    return { ok: true, latencyMs: clock.now() - started, model: response.model, text: response.text };
  } catch (error) {
    if (error instanceof LlmError) return { ok: false, kind: error.kind, message: error.message };
    return { ok: false, kind: 'internal', message: errorMessage(error) };
  }
}
