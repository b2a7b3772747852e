import { mkdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Llama, LlamaChat, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { errorMessage } from '../../core/index.js';
import { resolveHome } from '../../storage/index.js';
import { LlmError } from '../contract.js';
import { downloadProgress, type ProgressOutput } from './download-progress.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** The version pinned in package.json's optionalDependencies; the install hint names it. */
const nodeLlamaCppVersion = '3.21.1';

export interface LocalModelSettings {
  /** A GGUF file, used as is. */
  modelPath?: string | undefined;
  /** A model URI (`hf:owner/repo/file.gguf`, `hf:owner/repo:Q4_K_M`, or an https URL), downloaded once. */
  modelUri?: string | undefined;
  contextSize?: number | undefined;
  gpu: boolean;
  threads?: number | undefined;
}

export interface LocalModelDeps {
  /** Loads node-llama-cpp; replaceable so tests can simulate it being absent. */
  importNodeLlamaCpp?: () => Promise<NodeLlamaCpp>;
  /** Where `modelUri` models are kept; defaults to `PYCLAW_HOME/models`. */
  modelsDirectory?: string;
  /** Where download progress goes; defaults to stderr. */
  progressOutput?: ProgressOutput;
}

/** A model loaded once per provider, with the one context sequence its calls take turns on. */
export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  chat: LlamaChat;
  dispose(): Promise<void>;
}

/** Without a configured size the context grows to what fits in memory, up to this many tokens. */
const defaultMaxContextSize = 8192;

export async function loadLocalModel(
  providerId: string,
  settings: LocalModelSettings,
  deps: LocalModelDeps,
): Promise<LoadedModel> {
  const nodeLlamaCpp = await importNodeLlamaCpp(providerId, deps);
  const llama = await startLlama(providerId, nodeLlamaCpp, settings.gpu);
  let context: LlamaContext | undefined;
  try {
    const modelPath = await resolveModelPath(providerId, nodeLlamaCpp, settings, deps);
    const model = await llama.loadModel({ modelPath });
    context = await model.createContext({
      contextSize: settings.contextSize ?? { max: defaultMaxContextSize },
      // node-llama-cpp asks for at least 4 threads, which on a 2-core machine makes every token slower.
      threads: settings.threads ?? llama.cpuMathCores,
    });
    const chat = new nodeLlamaCpp.LlamaChat({ contextSequence: context.getSequence() });
    return { llama, model, chat, dispose: () => llama.dispose() };
  } catch (error) {
    await llama.dispose();
    if (error instanceof LlmError) throw error;
    const source = settings.modelPath ?? settings.modelUri;
    throw new LlmError('bad_request', providerId, `cannot load model ${source}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

async function importNodeLlamaCpp(providerId: string, deps: LocalModelDeps): Promise<NodeLlamaCpp> {
  try {
    return await (deps.importNodeLlamaCpp ?? (() => import('node-llama-cpp')))();
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    const message = missing
      ? `node-llama-cpp is not installed: run \`npm install node-llama-cpp@${nodeLlamaCppVersion}\` to use local models`
      : `node-llama-cpp failed to load (${errorMessage(error)}): reinstall it with \`npm install node-llama-cpp@${nodeLlamaCppVersion}\``;
    throw new LlmError('not_installed', providerId, message, { cause: error });
  }
}

async function startLlama(providerId: string, nodeLlamaCpp: NodeLlamaCpp, gpu: boolean): Promise<Llama> {
  try {
    // `build: 'never'`: use the prebuilt binaries from npm, never compile or download llama.cpp.
    return await nodeLlamaCpp.getLlama({ gpu: gpu ? 'auto' : false, build: 'never', progressLogs: false });
  } catch (error) {
    throw new LlmError(
      'not_installed',
      providerId,
      `no usable llama.cpp binary (${errorMessage(error)}): reinstall node-llama-cpp@${nodeLlamaCppVersion} without --omit=optional`,
      { cause: error },
    );
  }
}

async function resolveModelPath(
  providerId: string,
  nodeLlamaCpp: NodeLlamaCpp,
  settings: LocalModelSettings,
  deps: LocalModelDeps,
): Promise<string> {
  if (settings.modelPath) return resolve(settings.modelPath);
  if (!settings.modelUri) throw new LlmError('bad_request', providerId, 'set modelPath or modelUri');
  const directory = deps.modelsDirectory ?? resolveHome().models;
  await mkdir(directory, { recursive: true });
  return nodeLlamaCpp.resolveModelFile(settings.modelUri, {
    directory,
    fileName: urlFileName(settings.modelUri),
    cli: false,
    onProgress: downloadProgress(`Downloading ${settings.modelUri}`, deps.progressOutput ?? process.stderr),
  });
}

/**
 * For a plain URL node-llama-cpp learns the file name from the server on every load, so a model
 * already downloaded could not load offline; naming the file after the URL lets it be found on disk.
 * `hf:` URIs already map to a known file name.
 */
function urlFileName(uri: string): string | undefined {
  if (!/^https?:\/\//.test(uri)) return undefined;
  const name = basename(new URL(uri).pathname);
  return name.endsWith('.gguf') ? name : undefined;
}
