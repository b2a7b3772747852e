import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CompletionRequest, LlmError, type ToolSpec } from '../../src/llm/contract.js';
import {
  createLocalProvider,
  type LocalProvider,
  localProviderConfigSchema,
} from '../../src/llm/providers/local.js';
import { tinyGguf, writeTinyGguf } from '../fixtures/tiny-gguf.js';

// One thread: the tiny model is so small that splitting its work costs more than it saves.
const fastSettings = { contextSize: 2048, threads: 1 };

const noteTool: ToolSpec = {
  name: 'notes.read',
  description: 'Reads one note by its name.',
  inputSchema: {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 8 } },
    required: ['name'],
    additionalProperties: false,
  },
};

function matches(schema: Record<string, unknown>, value: unknown): boolean {
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(value).success;
}

function ask(content: string, extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    model: 'tiny',
    messages: [
      { role: 'system', content: 'You are a test model.' },
      { role: 'user', content },
    ],
    ...extra,
  };
}

let directory: string;
let modelPath: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'pyclaw-local-'));
  modelPath = join(directory, 'tiny.gguf');
  await writeTinyGguf(modelPath);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('local provider with a generated GGUF model', () => {
  let provider: LocalProvider;

  beforeAll(() => {
    provider = createLocalProvider('local', { kind: 'local', modelPath, ...fastSettings });
  });

  afterAll(async () => {
    await provider.close();
  });

  // The grammar lets the model answer or call; which of the two is the random model's choice, and the
  // seed-1 model calls (so did seeds 1-6, on 1 and 2 threads). What the grammar guarantees, and this
  // checks, is that the call names an offered tool and its arguments fit that tool's schema.
  it('answers a tool offer with a call of that tool whose arguments match its schema', async () => {
    const response = await provider.complete(
      ask('Read the note called todo.', { tools: [noteTool], maxTokens: 120 }),
    );

    expect(response.finishReason).toBe('tool_calls');
    expect(response.text).toBe('');
    expect(response.toolCalls).toHaveLength(1);
    const [call] = response.toolCalls;
    expect(call?.name).toBe('notes.read');
    expect(call?.id).toMatch(/^call_/);
    expect(matches(noteTool.inputSchema, call?.arguments)).toBe(true);
    expect(response.usage.inputTokens).toBeGreaterThan(50);
    expect(response.usage.outputTokens).toBeGreaterThan(0);
    expect(response.costUsd).toBe(0);
  });

  it('streams structured output that matches the requested schema', async () => {
    const schema = {
      type: 'object',
      properties: { verdict: { enum: ['yes', 'no'] }, sure: { type: 'boolean' } },
      required: ['verdict', 'sure'],
      additionalProperties: false,
    };
    const deltas: string[] = [];
    const response = await provider.complete(
      ask('Is the sky blue?', { output: { name: 'verdict', schema }, maxTokens: 60 }),
      { onDelta: (text) => deltas.push(text) },
    );

    expect(response.finishReason).toBe('stop');
    expect(deltas.join('')).toBe(response.text);
    expect(matches(schema, JSON.parse(response.text))).toBe(true);
  });

  it('stops generating when the signal aborts', async () => {
    const controller = new AbortController();
    const call = provider.complete(ask('Say anything.', { maxTokens: 1000 }), {
      signal: controller.signal,
      onDelta: () => controller.abort(),
    });
    await expect(call).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('reports a cut-off tool reply as a bad response that says to raise maxTokens', async () => {
    const call = provider.complete(ask('Read a note.', { tools: [noteTool], maxTokens: 3 }));
    await expect(call).rejects.toMatchObject({
      kind: 'bad_response',
      hint: expect.stringMatching(/maxTokens/),
    });
  });

  it('loads the model again after close()', async () => {
    await provider.close();
    const response = await provider.complete(ask('Hello', { maxTokens: 4 }));
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });
});

describe('local provider setup', () => {
  it('says in one line how to install node-llama-cpp when it cannot be imported', async () => {
    const absentPackage = 'node-llama-cpp-absent-for-this-test';
    const provider = createLocalProvider(
      'local',
      { kind: 'local', modelPath: '/nonexistent.gguf' },
      { importNodeLlamaCpp: () => import(absentPackage) },
    );

    const error = await provider.complete(ask('Hello')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: 'not_installed' });
    const { message } = error as LlmError;
    expect(message).toBe(
      'local: node-llama-cpp is not installed: run `npm install node-llama-cpp@3.21.1` to use local models',
    );
  });

  it('names the model file it cannot load', async () => {
    const provider = createLocalProvider('local', {
      kind: 'local',
      modelPath: join(directory, 'missing.gguf'),
    });
    await expect(provider.complete(ask('Hello'))).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('missing.gguf'),
    });
  });

  it('wants exactly one of modelPath and modelUri', () => {
    expect(localProviderConfigSchema.safeParse({ kind: 'local' }).success).toBe(false);
    expect(
      localProviderConfigSchema.safeParse({ kind: 'local', modelPath: 'a.gguf', modelUri: 'hf:a/b/c.gguf' })
        .success,
    ).toBe(false);
    expect(localProviderConfigSchema.parse({ kind: 'local', modelPath: 'a.gguf' }).gpu).toBe(false);
  });

  describe('a model URI', () => {
    let server: Server;
    let url: string;

    beforeAll(async () => {
      const model = tinyGguf();
      server = createServer((_request, response) => {
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': model.length,
        });
        response.end(model);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.gguf`;
    });

    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });

    it('is downloaded once into the models directory, with progress on the given output', async () => {
      const modelsDirectory = join(directory, 'models');
      const progress: string[] = [];
      const provider = createLocalProvider(
        'local',
        { kind: 'local', modelUri: url, ...fastSettings },
        { modelsDirectory, progressOutput: { write: (text: string) => progress.push(text) } },
      );

      const response = await provider.complete(ask('Hello', { maxTokens: 4 }));
      await provider.close();

      expect(response.usage.outputTokens).toBeGreaterThan(0);
      expect(await readdir(modelsDirectory)).toEqual(['tiny.gguf']);
      expect(progress.at(-1)).toMatch(/^Downloading http:.*tiny\.gguf \[#+\] 100% /);

      server.close();
      server.closeAllConnections();
      const offline = createLocalProvider(
        'local',
        { kind: 'local', modelUri: url, ...fastSettings },
        { modelsDirectory, progressOutput: { write: (text: string) => progress.push(`again: ${text}`) } },
      );
      await offline.complete(ask('Hello', { maxTokens: 4 }));
      await offline.close();
      expect(progress.filter((line) => line.startsWith('again:'))).toEqual([]);
    });
  });
});
