import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PyclawError } from '../../src/core/index.js';
import { defineTool, type Tool, ToolHost } from '../../src/tools/index.js';
import { useToolWorkspace } from './workspace-fixture.js';

const openWorkspace = useToolWorkspace();

const annotations = { readOnly: true, destructive: false, idempotent: true, openWorld: false };

/** Echoes `text` repeated `times` times, so a test chooses the output size. */
const echo = defineTool({
  name: 'test.echo',
  description: 'Repeat text',
  input: z.strictObject({ text: z.string(), times: z.int().min(1).default(1) }),
  annotations,
  async execute(_ctx, { text, times }) {
    return { content: text.repeat(times) };
  },
});

const failing = defineTool({
  name: 'test.fail',
  description: 'Always throws',
  input: z.strictObject({}),
  annotations,
  async execute() {
    throw new Error('disk on fire\n    at somewhere (stack line)');
  },
});

/** Never finishes on its own; ends only when its signal aborts. */
const waiting = defineTool({
  name: 'test.wait',
  description: 'Waits for cancellation',
  input: z.strictObject({}),
  annotations,
  execute(_ctx, _input, signal) {
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  },
});

describe('ToolHost', () => {
  it('returns small output whole, with no artifact', async () => {
    const { run } = openWorkspace({ extraTools: [echo] });
    expect(await run('test.echo', { text: 'hi', times: 3 })).toEqual({
      isError: false,
      preview: 'hihihi',
      artifacts: [],
    });
  });

  it('stores large output as an artifact and returns a bounded head-and-tail preview naming it', async () => {
    const { run, store } = openWorkspace({ extraTools: [echo], previewBytes: 1024 });
    const full = 'é0123456789'.repeat(1000);
    const result = await run('test.echo', { text: 'é0123456789', times: 1000 });
    const ref = `sha256:${createHash('sha256').update(full).digest('hex')}`;
    expect(result.isError).toBe(false);
    expect(result.artifacts).toEqual([ref]);
    expect((await store.getBytes(ref)).toString('utf8')).toBe(full);
    expect(Buffer.byteLength(result.preview)).toBeLessThanOrEqual(1024);
    expect(result.preview).toContain(`[full output: ${ref}, ${Buffer.byteLength(full)} bytes]`);
    const [head, tail] = result.preview.split(/\n… \[full output: .*\] …\n/);
    expect(full.startsWith(head as string)).toBe(true);
    expect(full.endsWith(tail as string)).toBe(true);
    expect((head as string).length).toBeGreaterThan(300);
    expect((tail as string).length).toBeGreaterThan(300);
  });

  it('rejects bad input with a result naming the field, without running the tool', async () => {
    const { run } = openWorkspace({ extraTools: [echo] });
    const result = await run('test.echo', { text: 42 });
    expect(result.isError).toBe(true);
    expect(result.preview).toMatch(/^invalid input for test\.echo: text: .*expected string/);
    expect((await run('test.echo', { text: 'a', tiems: 2 })).preview).toContain('tiems');
    expect((await run('fs.read', {})).preview).toMatch(/^invalid input for fs\.read: path: /);
  });

  it('turns a thrown error into a one-line isError result', async () => {
    const { run } = openWorkspace({ extraTools: [failing] });
    expect(await run('test.fail', {})).toEqual({ isError: true, preview: 'disk on fire', artifacts: [] });
  });

  it('answers an unknown tool with an isError result', async () => {
    const { run } = openWorkspace();
    expect(await run('fs.reed', { path: 'a' })).toEqual({
      isError: true,
      preview: 'no tool named "fs.reed"',
      artifacts: [],
    });
  });

  it('passes the abort signal to the tool and reports the call as cancelled', async () => {
    const { run } = openWorkspace({ extraTools: [waiting] });
    const controller = new AbortController();
    const pending = run('test.wait', {}, controller.signal);
    controller.abort(new Error('panic engaged'));
    expect(await pending).toMatchObject({ isError: true, preview: 'test.wait was cancelled: panic engaged' });
  });

  it('does not start a tool when the signal has already aborted', async () => {
    const { run } = openWorkspace({ extraTools: [echo] });
    const result = await run('test.echo', { text: 'x' }, AbortSignal.abort());
    expect(result).toMatchObject({ isError: true, preview: 'test.echo was cancelled before it started' });
  });

  it('describes input as minimal JSON Schema, defaulted fields optional', () => {
    const { host } = openWorkspace();
    const [spec] = host.specs(['fs.read']);
    expect(spec?.name).toBe('fs.read');
    expect(spec?.inputSchema).not.toHaveProperty('$schema');
    expect(spec?.inputSchema).toMatchObject({
      type: 'object',
      required: ['path'],
      additionalProperties: false,
      properties: { path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
    });
    expect(host.specs(['fs.list'])[0]?.inputSchema).not.toHaveProperty('required');
  });

  it('selects specs by id and glob, in registration order, without duplicates', () => {
    const { host } = openWorkspace({ extraTools: [echo, failing] });
    const names = (patterns: string[]) => host.specs(patterns).map((spec) => spec.name);
    expect(names(['fs.*'])).toEqual(['fs.read', 'fs.list', 'fs.write', 'fs.edit']);
    expect(names(['test.fail', 'fs.re*', 'fs.read'])).toEqual(['fs.read', 'test.fail']);
    expect(names(['*'])).toHaveLength(6);
    expect(names(['mcp.*'])).toEqual([]);
    expect(() => names(['fs.reed'])).toThrow('no tool named "fs.reed"');
  });

  it('reports each tool’s annotations as facts', () => {
    const { host } = openWorkspace();
    expect(host.facts('fs.read')).toMatchObject({ readOnly: true, idempotent: true });
    expect(host.facts('fs.write')).toEqual({
      readOnly: false,
      destructive: false,
      idempotent: false,
      openWorld: false,
    });
    expect(host.facts('fs.edit')?.idempotent).toBe(false);
    expect(host.facts('nope')).toBeUndefined();
  });

  it('refuses two tools with one name, a name that is not a dotted id, and a tiny preview size', () => {
    const { store } = openWorkspace();
    const options = { artifacts: store };
    expect(() => new ToolHost([echo, echo], options)).toThrow(PyclawError);
    expect(() => new ToolHost([{ ...echo, name: 'test echo' }], options)).toThrow(/not a dotted id/);
    expect(() => new ToolHost([echo], { ...options, previewBytes: 10 })).toThrow(/at least 256/);
  });

  it('takes a tool described in JSON Schema: shows the schema as given and validates arguments against it', async () => {
    const greet: Tool = {
      name: 'test.greet',
      description: 'Greet someone',
      inputSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { who: { type: 'string', minLength: 1 } },
        required: ['who'],
        additionalProperties: false,
      },
      annotations,
      async execute(_ctx, input) {
        return { content: `hello ${(input as { who: string }).who}` };
      },
    };
    const { run, store } = openWorkspace({ extraTools: [greet] });
    expect(new ToolHost([greet], { artifacts: store }).specs(['test.greet'])[0]?.inputSchema).toEqual({
      type: 'object',
      properties: { who: { type: 'string', minLength: 1 } },
      required: ['who'],
      additionalProperties: false,
    });
    expect(await run('test.greet', { who: 'Ada' })).toMatchObject({ isError: false, preview: 'hello Ada' });
    const bad = await run('test.greet', { who: '', extra: 1 });
    expect(bad.isError).toBe(true);
    expect(bad.preview).toMatch(/^invalid input for test.greet: who: .*; .*extra/);
  });

  it('adds tools later all or none', () => {
    const { store } = openWorkspace();
    const host = new ToolHost([echo], { artifacts: store });
    expect(() => host.add([failing, echo])).toThrow(/two tools are named "test.echo"/);
    expect(host.facts('test.fail')).toBeUndefined();
    host.add([failing, waiting]);
    expect(host.specs(['test.*']).map((spec) => spec.name)).toEqual(['test.echo', 'test.fail', 'test.wait']);
  });
});
