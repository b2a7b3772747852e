import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../core/index.js';
import type { providerConfigSchema } from '../llm/index.js';

/** A provider `pyclaw init` found on this machine. */
export interface ProviderOption {
  id: string;
  /** One line: what was found, and what using it means. */
  explanation: string;
  /** What choosing it writes to config.yaml, or why it cannot be chosen yet. */
  setup: { provider: z.input<typeof providerConfigSchema>; model: string } | { blocked: string };
}

export interface ProviderDetection {
  found: ProviderOption[];
  /** What was looked for and not found, one short phrase each. */
  notFound: string[];
}

export interface DetectProvidersOptions {
  env: NodeJS.ProcessEnv;
  /** Where GGUF models are kept (PYCLAW_HOME/models). */
  modelsDirectory: string;
  /** The Ollama server to ask; by default OLLAMA_HOST, or http://127.0.0.1:11434. */
  ollamaUrl?: string;
  fetch?: typeof fetch;
  /** How long Ollama gets to answer: a server on this machine answers at once or is not there. */
  ollamaTimeoutMs?: number;
}

type Detected = ProviderOption | { notFound: string };

/** Looks for API keys in the environment, a running Ollama server, and GGUF files in the models folder. */
export async function detectProviders(options: DetectProvidersOptions): Promise<ProviderDetection> {
  const results: Detected[] = [
    hostedProvider(options.env, 'openai', 'OPENAI_API_KEY', 'gpt-4.1-mini', "OpenAI's hosted models"),
    hostedProvider(options.env, 'anthropic', 'ANTHROPIC_API_KEY', 'claude-sonnet-4-5', "Anthropic's Claude"),
    cortensor(options.env),
    await ollama(options),
    gguf(options.modelsDirectory),
    offlineDemo,
  ];
  return {
    found: results.filter((result): result is ProviderOption => 'id' in result),
    notFound: results.flatMap((result) => ('notFound' in result ? [result.notFound] : [])),
  };
}

const envRef = (name: string) => `\${env:${name}}`;

function hostedProvider(
  env: NodeJS.ProcessEnv,
  kind: 'openai' | 'anthropic',
  keyName: string,
  model: string,
  what: string,
): Detected {
  if (!env[keyName]) return { notFound: keyName };
  return {
    id: kind,
    explanation: `${keyName} is set: ${what}, ${model} by default (paid per token; the key stays in the environment)`,
    setup: { provider: { kind, apiKey: envRef(keyName) }, model },
  };
}

function cortensor(env: NodeJS.ProcessEnv): Detected {
  if (!env.CORTENSOR_API_KEY) return { notFound: 'CORTENSOR_API_KEY' };
  const baseUrl = env.CORTENSOR_ROUTER_URL || undefined;
  const sessionId = env.CORTENSOR_SESSION_ID;
  const where = `the Cortensor router at ${baseUrl ?? 'http://127.0.0.1:5010'}`;
  if (!sessionId || !/^\d+$/.test(sessionId)) {
    return {
      id: 'cortensor',
      explanation: `CORTENSOR_API_KEY is set: decentralised inference through ${where}`,
      setup: { blocked: 'set CORTENSOR_SESSION_ID to the number of the Cortensor session to use' },
    };
  }
  return {
    id: 'cortensor',
    explanation: `CORTENSOR_API_KEY is set: decentralised inference through ${where}, session ${sessionId}`,
    setup: {
      provider: {
        kind: 'cortensor',
        baseUrl,
        apiKey: envRef('CORTENSOR_API_KEY'),
        sessionId: Number(sessionId),
      },
      model: 'cortensor',
    },
  };
}

const ollamaTagsSchema = z.object({ models: z.array(z.object({ name: z.string().min(1) })) });

async function ollama(options: DetectProvidersOptions): Promise<Detected> {
  let url: string;
  try {
    url = options.ollamaUrl ?? ollamaUrlFromEnv(options.env.OLLAMA_HOST);
  } catch (error) {
    return { notFound: `an Ollama server (OLLAMA_HOST: ${errorMessage(error)})` };
  }
  let models: string[];
  try {
    const response = await (options.fetch ?? fetch)(`${url}/api/tags`, {
      signal: AbortSignal.timeout(options.ollamaTimeoutMs ?? 500),
    });
    models = ollamaTagsSchema.parse(await response.json()).models.map((model) => model.name);
  } catch {
    return { notFound: `an Ollama server at ${url}` };
  }
  const [first] = models;
  const explanation = `an Ollama server at ${url}: models run on this machine, free and private`;
  if (!first)
    return {
      id: 'ollama',
      explanation,
      setup: { blocked: 'it has no models yet: run `ollama pull llama3.1`' },
    };
  return {
    id: 'ollama',
    explanation: `${explanation} (${models.join(', ')}; ${first} by default)`,
    setup: { provider: { kind: 'openai', baseURL: `${url}/v1` }, model: first },
  };
}

/** Always there, and last: a real turn (a tool call and an answer) without any model, to try PyClaw. */
const offlineDemo: ProviderOption = {
  id: 'demo',
  explanation:
    'always available: a scripted stand-in, not a model — it lists your folder with fs.list and says so, offline',
  setup: {
    provider: {
      kind: 'scripted',
      repeat: true,
      perTurn: true,
      responses: [
        { toolCalls: [{ name: 'fs.list', arguments: { path: '.' } }] },
        {
          text:
            'This is the offline demo, not a model: it listed this folder with fs.list (see the result with ' +
            '`pyclaw sessions replay`). Set up a real model with `pyclaw init --provider <id>`.',
        },
      ],
    },
    model: 'demo',
  },
};

/** OLLAMA_HOST as Ollama reads it: `host`, `host:port` or a URL; without a scheme the port is 11434. */
function ollamaUrlFromEnv(variable: string | undefined): string {
  const host = variable?.trim();
  if (!host) return 'http://127.0.0.1:11434';
  const hasScheme = /^[a-z]+:\/\//i.test(host);
  const url = new URL(hasScheme ? host : `http://${host}`);
  if (!hasScheme && !url.port) url.port = '11434';
  // a server bound to every interface is reached on loopback
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  return url.origin;
}

function gguf(modelsDirectory: string): Detected {
  let files: string[];
  try {
    files = readdirSync(modelsDirectory).filter((name) => name.toLowerCase().endsWith('.gguf'));
  } catch {
    files = [];
  }
  const [first] = files.sort();
  if (!first) return { notFound: `*.gguf files in ${modelsDirectory}` };
  return {
    id: 'gguf',
    explanation: `${files.length === 1 ? 'a GGUF model' : `${files.length} GGUF models`} in ${modelsDirectory} (${first} by default): run in-process, offline, with node-llama-cpp`,
    setup: {
      provider: { kind: 'local', modelPath: join(modelsDirectory, first) },
      model: first.slice(0, -'.gguf'.length),
    },
  };
}
