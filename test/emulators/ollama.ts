import { type Emulator, type Reply, startEmulator } from './http-emulator.js';

/** Ollama's model listing, `GET /api/tags`: all `pyclaw init` asks of it. */
export function startOllamaEmulator(): Promise<Emulator> {
  return startEmulator({ method: 'GET', path: '/api/tags' });
}

/** A `/api/tags` answer listing these models, shaped as Ollama 0.x sends it. */
export function tags(...names: string[]): Reply {
  return {
    type: 'json',
    body: {
      models: names.map((name) => ({
        name,
        model: name,
        modified_at: '2025-01-01T00:00:00Z',
        size: 4_920_753_328,
        digest: 'a'.repeat(64),
        details: { format: 'gguf', family: 'llama', parameter_size: '8.0B', quantization_level: 'Q4_K_M' },
      })),
    },
  };
}
